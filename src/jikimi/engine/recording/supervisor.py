"""RecorderSupervisor: runs many cameras, one worker thread each; restarts a failed one; reports states.

Why threads, not a process per camera
-------------------------------------
A recorder does almost no computing: it reads packets from a socket, appends them to an in-memory
MP4 and hands over a segment every minute. PyAV releases the GIL while FFmpeg reads, demuxes and
muxes, so the Python work per camera is a few dozen small calls per second (one per video packet).
A hundred cameras at 25 fps are ~2,500 packets/s: a fraction of one core, in threads. A process
per camera would cost ~60 MB of resident memory each (Python + PyAV + FFmpeg's libraries) — 6 GB
for a hundred — and a pipe or shared store per segment. Past what one process carries, run several
supervisors, each with a shard of the cameras (DESIGN "recorders … each owning a shard").

A worker whose recorder raises — the source cannot be recorded (`SourceUnusable`) or the sink
failed (the store is full) — is reported FAILED with the error, and restarted after the restart
back-off; its segments before the failure were already handed over. A worker that stops on request
is reported STOPPED.

The supervisor is the composition root of recording: `start(sources)`, `update(sources)` when the
register changes (new cameras start, removed ones stop, changed ones restart), `stop()`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from jikimi.engine.footage.segmenter import Segment
from jikimi.engine.recording.camera import Backoff, CameraRecorder, CameraSource, Clock, utc_now
from jikimi.engine.recording.events import CameraState, CameraStatus, Gap, RecordingSink

DEFAULT_RESTART_BACKOFF = Backoff(initial=5.0, factor=2.0, maximum=300.0, jitter=0.1)


@dataclass
class _Worker:
    source: CameraSource
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None
    restarts: int = 0


class _Relay:
    """Passes events to the caller's sink and keeps each camera's latest status."""

    def __init__(self, supervisor: RecorderSupervisor) -> None:
        self.supervisor = supervisor

    def on_segment(self, camera: str, segment: Segment) -> None:
        self.supervisor.sink.on_segment(camera, segment)

    def on_state(self, status: CameraStatus) -> None:
        self.supervisor._report(status)

    def on_gap(self, gap: Gap) -> None:
        self.supervisor.sink.on_gap(gap)


class RecorderSupervisor:
    def __init__(
        self,
        sink: RecordingSink,
        *,
        restart_backoff: Backoff = DEFAULT_RESTART_BACKOFF,
        clock: Clock = utc_now,
    ) -> None:
        self.sink = sink
        self.restart_backoff = restart_backoff
        self.clock = clock
        self._workers: dict[str, _Worker] = {}
        self._statuses: dict[str, CameraStatus] = {}
        self._lock = threading.Lock()
        self._relay = _Relay(self)

    # -- what the vault and the control centre read --

    def statuses(self) -> dict[str, CameraStatus]:
        with self._lock:
            return dict(self._statuses)

    def restarts(self, camera: str) -> int:
        with self._lock:
            worker = self._workers.get(camera)
            return worker.restarts if worker else 0

    def _report(self, status: CameraStatus) -> None:
        with self._lock:
            self._statuses[status.camera] = status
        self.sink.on_state(status)

    # -- lifecycle --

    def start(self, sources: Iterable[CameraSource]) -> None:
        self.update(sources)

    def update(self, sources: Iterable[CameraSource]) -> None:
        """Make the running cameras be exactly ``sources``: start new, stop removed, restart changed.

        New cameras start before the others stop: a stop waits for each camera's hand-over of its open
        segment (a store, queued under load), and a node taking cameras over must not wait for it."""
        wanted = {s.camera: s for s in sources}
        with self._lock:
            running = dict(self._workers)
        for camera, source in wanted.items():
            if camera not in running:
                self._start_worker(source)
        leaving = [w for camera, w in running.items() if camera not in wanted or wanted[camera] != w.source]
        self._stop_workers(leaving)
        for worker in leaving:
            if worker.source.camera in wanted:
                self._start_worker(wanted[worker.source.camera])

    def stop(self, timeout: float = 30.0) -> None:
        """Stop every camera; each hands over its open segment first (nothing recorded is lost)."""
        with self._lock:
            workers = list(self._workers.values())
        self._stop_workers(workers, timeout)

    def _stop_workers(self, workers: list[_Worker], timeout: float = 30.0) -> None:
        """Stop `workers` together: each hands over its open segment, all at once, so that stopping many
        cameras takes as long as the slowest hand-over, not their sum — a recorder node that lost 40
        cameras at once waited on them one by one while its heartbeat was due (bench/fleet, 240 × 6)."""
        for worker in workers:
            worker.stop.set()
        deadline = time.monotonic() + timeout
        for worker in workers:
            self._stop_worker(worker, max(0.0, deadline - time.monotonic()))

    def _start_worker(self, source: CameraSource) -> None:
        worker = _Worker(source)
        worker.thread = threading.Thread(
            target=self._run, args=(worker,), name=f"recorder-{source.camera}", daemon=True
        )
        with self._lock:
            self._workers[source.camera] = worker
        worker.thread.start()

    def _stop_worker(self, worker: _Worker, timeout: float = 30.0) -> None:
        worker.stop.set()
        if worker.thread is not None:
            worker.thread.join(timeout)
        with self._lock:
            if self._workers.get(worker.source.camera) is worker:
                del self._workers[worker.source.camera]

    def _run(self, worker: _Worker) -> None:
        failures = 0
        previous: tuple[CameraRecorder, str] | None = None
        while not worker.stop.is_set():
            recorder = CameraRecorder(worker.source, self._relay, clock=self.clock)
            if previous is not None:
                recorder.resume_after_failure(*previous)
            try:
                recorder.run(worker.stop)
                return
            except Exception as exc:  # a crashed worker is restarted, never left dead
                previous = (recorder, f"the recorder failed: {type(exc).__name__}: {exc}")
                failures = 1 if recorder.segments else failures + 1
                delay = self.restart_backoff.delay(failures)
                with self._lock:
                    worker.restarts += 1
                self._report(
                    CameraStatus(
                        camera=worker.source.camera,
                        state=CameraState.FAILED,
                        since=self.clock(),
                        detail=f"{type(exc).__name__}: {exc}",
                        had_audio=recorder.had_audio,
                        attempt=failures,
                        retry_in=timedelta(seconds=delay),
                    )
                )
                worker.stop.wait(delay)
        with self._lock:
            last = self._statuses.get(worker.source.camera)
        if last is None or last.state is not CameraState.STOPPED:
            self._report(CameraStatus(worker.source.camera, CameraState.STOPPED, self.clock()))
