"""Live recording for the vault: the register's cameras → the engine's RecorderSupervisor → encrypted segments.

    camera_sources(…)   the enabled devices with a source URL whose group stores footage (R15: 미보유
                        groups record nothing) and that are inside their recording hours now (R9:
                        vault.hours), as the engine's CameraSource, named by storage name
    VaultSink           receives segments, states and gaps from the recorder's worker threads and
                        hands each to a vault action (store_live_segment, report_recording_state, …)
    run_recorder(…)     the loop of `jikimi record`: start, re-read the register, stop on request

Threads and the database: the sink is called from one worker thread per camera. Django gives every
thread its own connection; the sink closes it after each call, so a camera that is quiet for a minute
holds no connection and a dropped database is reconnected on the next segment. On SQLite (one writer
at a time) the sink's database work is serialized by a lock so that cameras never fail each other
with "database is locked"; encryption and the store's write stay concurrent. Elsewhere at most
`db_connections` worker threads do database work at once (`jikimi record --db-connections`, default
4): cameras started together close their segments together, and a node of hundreds of cameras opened
as many connections at once — past PostgreSQL's max_connections (100 by default, shared by every node
and the web), so those segments were lost ("too many clients"; found by `python -m bench.fleet` with
300 cameras on 6 nodes). The lease keeper (leases, heartbeat) takes no slot, and runs in a thread of
its own: a node busy storing or stopping cameras never lets its leases lapse.

Recording hours (R9): a camera outside its hours is not connected at all; the loop re-reads the
register at every wall-clock minute (hours are written to the minute), so a camera starts and stops
at the boundary, and the segment it hands over when stopped — as any segment across a boundary — is
cut down to the hours before it is stored (actions.ingest.store_live_segment): nothing outside the
hours is stored.

Liveness (R41): the lease keeper writes a heartbeat (vault.actions.liveness) every `heartbeat_every`
seconds naming the devices it records; a killed recorder stops beating, and its devices read "녹화 안 됨:
녹화기 중지" until a recorder runs again, which writes the dead interval as their outage. At start
the loop also sweeps the temporary files a killed put left in the store.

Stream figures (오산시 지침 제27조): each segment the recorder hands over carries its frame rate, bitrate
and clock drift (engine.recording.meter); the sink keeps each camera's latest and the beat writes them
with the store's free space above its reserve, for the health page and the periodic health check.

A full store (StorageFull) loses the segment being written (nothing is indexed for it: the index row
is inserted only after the bytes are durable), raises an alert on the device and stops that camera
until `full_retry` has passed — rather than knocking at a full disk every few seconds.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.engine.footage import StorageFull
from jikimi.engine.footage.segmenter import Segment as EngineSegment
from jikimi.engine.footage.segmenter import keep_within
from jikimi.engine.recording import (
    CameraSource,
    CameraState,
    CameraStatus,
    Gap,
    RecordedSegment,
    RecorderSupervisor,
)
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.vault import keyring
from jikimi.vault.actions import leases
from jikimi.vault.actions.collection import sweep_temporary_files
from jikimi.vault.actions.devices import (
    record_recording_gap,
    report_recording_state,
    warn_health_once,
)
from jikimi.vault.actions.ingest import AUDIO_WARNING, store_live_segment
from jikimi.vault.actions.liveness import NodeHealth, beat, start_recorder, stop_recorder
from jikimi.vault.hours import may_record_now
from jikimi.vault.models import RecorderHeartbeat
from jikimi.vault.staff_messages import recording_reason

log = logging.getLogger(__name__)

# The store's own words (its path, its reserve) go to the log and the audit entry, not to the page.
STORAGE_FULL_WARNING = "저장 공간이 가득 차 이 카메라의 녹화를 멈췄습니다. 저장소를 비우거나 늘리세요"
STORAGE_FULL = "저장 공간 부족"

STATE_TO_STATUS = {
    CameraState.CONNECTING: Device.Status.RECONNECTING,
    CameraState.RECORDING: Device.Status.RECORDING,
    CameraState.RECONNECTING: Device.Status.RECONNECTING,
    CameraState.FAILED: Device.Status.FAILED,
    CameraState.STOPPED: Device.Status.IDLE,
}


def device_pk(camera: str) -> int:
    """The device's primary key from its storage name ("dev-12" → 12)."""
    return int(camera.removeprefix("dev-"))


def camera_sources(segment_seconds: float, excluded: set[str] | None = None) -> list[CameraSource]:
    """The cameras to record now: enabled, with a source, in a group that keeps footage (R15), inside
    their recording hours (R9) — or outside them where the register allows live monitoring out of
    hours (오산시 지침 제19조②): such a camera is connected for the wall, and the vault stores none of
    its segments outside the hours (actions.ingest.store_live_segment cuts them to the hours).

    Each camera is also published live for the control centre's wall (settings.LIVE_DIR), from the
    packets the recorder receives, or from the camera's sub-stream where the register has one."""
    sources = []
    devices = Device.objects.filter(enabled=True).exclude(source_url="").select_related("device_group")
    for device in devices.order_by("pk"):
        if excluded and device.storage_name in excluded:
            continue
        try:
            keyring.check_may_store(device)
        except keyring.FootageRefused:
            continue  # a 미보유 group: nothing is recorded, so nothing needs to be destroyed later
        if not may_record_now(device) and not device.device_group.off_hours_monitoring:
            continue  # 촬영시간 아님 (R9): not even connected
        sources.append(
            CameraSource(
                camera=device.storage_name,
                url=device.connect_url(),  # R42: the credentials, unsealed only to connect
                segment_seconds=segment_seconds,
                day_zone=SEOUL,
                live_dir=str(settings.LIVE_DIR) if settings.LIVE_DIR else "",
                live_url=device.connect_substream_url(),
                live_part_seconds=settings.LIVE_PART_SECONDS,
                live_window_seconds=settings.LIVE_WINDOW_SECONDS,
            )
        )
    return sources


@dataclass
class VaultSink:
    """The recorder's consumer: every callback runs one vault action in the calling worker thread."""

    actor: Actor
    full_retry: float = 600.0  # seconds a camera stays stopped after the store was full
    clock: Callable[[], float] = time.monotonic
    # The recorder node this sink stores for (RecorderHeartbeat.name), set by run_recorder: its segments
    # are checked against the camera's lease (actions.leases).
    node: str = ""
    _full: dict[str, float] = field(default_factory=dict)  # camera → when it may be tried again
    _backlog: int = 0
    _latencies: list[float] = field(default_factory=list)
    _cpu_mark: tuple[float, float] | None = None
    _streams: dict[int, dict[str, object]] = field(default_factory=dict)  # device pk → latest figures
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _db_lock: threading.Lock = field(default_factory=threading.Lock)
    # Worker threads doing database work at once (module docstring: PostgreSQL's max_connections).
    db_connections: int = 4
    _db_slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        if self.db_connections < 1:
            raise ValueError(f"db_connections must be at least 1 ({self.db_connections})")
        self._db_slots = threading.BoundedSemaphore(self.db_connections)

    # -- what the run loop reads --

    def stopped_for_full_store(self) -> set[str]:
        now = self.clock()
        with self._lock:
            for camera in [c for c, until in self._full.items() if until <= now]:
                del self._full[camera]
            return set(self._full)

    # -- RecordingSink --

    def on_segment(self, camera: str, segment: EngineSegment) -> None:
        with self._lock:
            self._backlog += 1
        try:
            with self.database():
                self._store(camera, segment)
        finally:
            with self._lock:
                self._backlog -= 1

    def _store(self, camera: str, segment: EngineSegment) -> None:
        device = Device.objects.select_related("device_group").get(pk=device_pk(camera))
        started = time.monotonic()
        try:
            if not self.node:
                store_live_segment(self.actor, device, segment)
            else:
                # One transaction, the camera's store lock held (leases.locked): a hand-back's completion
                # and the giver's store never interleave, so neither stores a minute the other stored.
                with transaction.atomic():
                    self._store_leased(device, segment)
        except StorageFull as error:
            with self._lock:
                self._full[camera] = self.clock() + self.full_retry
            warn_health_once(self.actor, device, STORAGE_FULL_WARNING)
            report_recording_state(self.actor, device, Device.Status.FAILED, f"{STORAGE_FULL}: {error}")
            # The lost segment's time is a gap with its reason, not an unexplained one.
            record_recording_gap(
                self.actor, device, segment.start, segment.end, STORAGE_FULL, detail=str(error)
            )
            log.error("%s: the store is full; recording stopped: %s", device, error)
            raise  # the worker fails: the segment is lost, never half-stored or indexed
        with self._lock:
            self._latencies.append(time.monotonic() - started)
            if isinstance(segment, RecordedSegment) and segment.stats is not None:
                self._streams[device.pk] = segment.stats.as_dict()

    def _store_leased(self, device: Device, segment: EngineSegment) -> None:
        lease = leases.locked(device.pk)
        parts = [segment]
        handed_from: str | None = None  # the giver, when this segment completes a hand-back
        if lease is None or lease.node == self.node:
            cut = None if lease is None else leases.handover_cut(lease, segment.start, segment.end)
            if cut is not None:
                # A taker's footage begins at `cut` (a hand-back under way): nothing past it from here.
                parts = keep_within(segment, [(segment.start, cut)]) if cut > segment.start else []
            if lease is not None and (since := leases.taken_from_another_at(lease)) is not None:
                # Taken outright from another node while recording the camera already (a claimed
                # offer): that node's footage runs to the take (`taken_at`), this node's from it.
                parts = [p for part in parts for p in keep_within(part, [(since, part.end)])]
        elif (begins := leases.handback_from(lease, self.node)) is not None:
            # A claimed offer (actions.leases): nothing before the claim or before the giver's stored
            # footage; the first segment past both completes the hand-back, in this transaction.
            parts = keep_within(segment, [(begins, segment.end)]) if segment.start < begins else [segment]
            handed_from = lease.node
            if not parts or not leases.complete_handback(lease, self.node, parts[0].start):
                return
            log.info("%s: handed back from %s at %s", device, handed_from, parts[0].start)
        elif (taken := leases.taken_at(lease, self.node)) is not None:
            # Another node took the camera — a hand-back completed, or this node hung past its lease:
            # what it recorded since is the taker's minute, never stored twice (R41: one minute, one
            # footage).
            parts = keep_within(segment, [(segment.start, taken)]) if taken > segment.start else []
            log.info("%s: taken by another recorder at %s; segment cut", device, taken)
        else:
            return  # never this node's (an offer it lost, or lapsed): the holder records the camera
        for part in parts:
            store_live_segment(self.actor, device, part)
        # Audited last, in the segment's transaction: the audit chain's head is one row lock for the
        # whole fleet, held from an entry to its commit. Written before the store, it was held through
        # the S3 put, and every node's takes, state reports and takeover stores queued behind it (the
        # last node to take a killed node's cameras at 240 × 6 took them 30 s after the others).
        if handed_from is not None:
            leases.record_handback(self.actor, device, self.node, handed_from, parts[0].start)
        elif parts and (lease is None or lease.handover_at is None):
            # The first segment after a takeover closes its gap: an outage "녹화기 교대" (actions.leases),
            # in the segment's transaction, so that no one ever reads footage after an unexplained gap
            # (the fleet test saw the segment without its gap once, between two transactions).
            leases.write_takeover_gap(self.actor, self.node, device, parts[0].start)

    def health(self) -> NodeHealth:
        """CPU since the previous call, the segments waiting to be stored, the mean store time, the
        store's headroom and each camera's latest stream figures."""
        wall, cpu = time.monotonic(), time.process_time()
        with self._lock:
            latencies, self._latencies = self._latencies, []
            backlog = self._backlog
            previous, self._cpu_mark = self._cpu_mark, (wall, cpu)
            streams = dict(self._streams)
        cpu_percent = None
        if previous is not None and wall > previous[0]:
            cpu_percent = round(100 * (cpu - previous[1]) / (wall - previous[0]), 1)
        latency = round(1000 * sum(latencies) / len(latencies), 1) if latencies else None
        return NodeHealth(
            cpu_percent=cpu_percent,
            backlog=backlog,
            store_latency_ms=latency,
            store_free_bytes=store_headroom(),
            streams=streams,
        )

    def on_state(self, status: CameraStatus) -> None:
        with self.database():
            device = Device.objects.filter(pk=device_pk(status.camera)).first()
            if device is None:
                return
            if status.state is not CameraState.RECORDING:
                with self._lock:
                    self._streams.pop(
                        device.pk, None
                    )  # not recording: its last figures are no longer current
            if status.had_audio:
                # 법 제25조⑤ (R13): the audio was dropped; the camera's setting must be turned off.
                warn_health_once(self.actor, device, AUDIO_WARNING)
            with self._lock:
                full = status.camera in self._full
            if full:
                return  # the device keeps "failed" with the storage alert until the camera is retried
            report_recording_state(self.actor, device, STATE_TO_STATUS[status.state], status.detail)

    def on_gap(self, gap: Gap) -> None:
        with self.database():
            device = Device.objects.filter(pk=device_pk(gap.camera)).first()
            if device is not None:
                # Staff read the reason in Korean, without the camera's address (R42); the engine's
                # words stay in the audit entry.
                record_recording_gap(
                    self.actor, device, gap.start, gap.end, recording_reason(gap.reason), detail=gap.reason
                )

    @contextlib.contextmanager
    def database(self, *, slot: bool = True) -> Iterator[None]:
        """One thread's database work: serialized on SQLite, at most `db_connections` worker threads
        at once elsewhere, and a worker's connection closed after. `slot=False` (the lease keeper)
        takes no worker slot: it must never wait behind the stores."""
        worker = threading.current_thread() is not threading.main_thread()
        gate: threading.Lock | threading.BoundedSemaphore | None = None
        if connection.vendor == "sqlite":
            gate = self._db_lock
        elif worker and slot:
            gate = self._db_slots
        if gate is not None:
            gate.acquire()
        try:
            yield
        finally:
            try:
                if worker:
                    connection.close()
            finally:
                if gate is not None:
                    gate.release()


def store_headroom() -> int | None:
    """Free bytes in the footage store above its reserve (None where the store cannot tell: S3)."""
    try:
        store = keyring.footage_store()
        free = store.free_bytes()
    except OSError as error:
        log.error("the store's free space could not be read: %s", error)
        return None
    if free is None:
        return None
    return free - int(getattr(store, "reserve_bytes", 0) or 0)


def _until_refresh(refresh: float) -> float:
    """Seconds to the next re-read: `refresh`, or sooner at the next wall-clock minute, where
    recording hours begin and end (R9)."""
    now = timezone.now()
    return max(0.05, min(refresh, 60 - now.second - now.microsecond / 1_000_000))


class _LeaseKeeper:
    """Renews the node's leases and writes its heartbeat every `every` seconds, in a thread of its own.

    Not in the run loop: applying a plan stops cameras, and each hands over its open segment first —
    waiting for its store, which under load queues behind the node's other stores. A run loop that
    renewed between plans let its leases lapse while it waited (a 15 s lease, stores 20 s behind);
    the other nodes took its cameras, fell behind in turn, and the fleet churned until one node held
    nearly every camera (bench/fleet, 240 cameras × 6 nodes). A lease now lapses only when the
    process stops (killed, hung, cut off from the database): what it is meant to detect."""

    def __init__(
        self, sink: VaultSink, heartbeat: RecorderHeartbeat, every: float, recording: Callable[[], list[int]]
    ) -> None:
        self.sink, self.heartbeat, self.every, self.recording = sink, heartbeat, every, recording
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recorder-leases", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(self.every + 30)

    def _run(self) -> None:
        while True:
            started = time.monotonic()
            try:
                with self.sink.database(slot=False):
                    leases.renew(self.heartbeat)
                    beat(self.sink.actor, self.heartbeat, self.recording(), self.sink.health())
            except DatabaseError as error:
                # Unreachable, or locked: the leases hold for a lease's length; try again at the next beat.
                log.error("the heartbeat could not be written: %s", error)
            took = time.monotonic() - started
            if took > self.every:
                log.warning("a heartbeat took %.1f s (every %.1f s)", took, self.every)
            if self._stop.wait(max(0.0, self.every - took)):
                return


def run_recorder(
    sink: VaultSink,
    supervisor: RecorderSupervisor,
    stop: threading.Event,
    *,
    segment_seconds: float,
    refresh: float = 30.0,
    run_for: float | None = None,
    poll: float = 1.0,
    heartbeat_every: float = 5.0,
    capacity: int | None = None,
    on_change: Callable[[list[CameraSource]], None] | None = None,
) -> None:
    """Record this node's share of the cameras until `stop` is set (or `run_for` seconds passed),
    re-reading the register every `refresh` and balancing the leases every `heartbeat_every` seconds
    (every `poll` while short of its share: a hand-back is waited for); a thread of its own renews
    them and beats every `heartbeat_every` seconds (_LeaseKeeper)."""
    deadline = None if run_for is None else time.monotonic() + run_for
    with sink.database():
        swept = sweep_temporary_files()
        if swept:
            log.warning("removed %d temporary files of interrupted writes", swept)
        heartbeat = start_recorder(sink.actor, capacity)
    sink.node = heartbeat.name
    sink.health()  # the CPU mark the first beat measures from
    wanted = camera_sources(segment_seconds, sink.stopped_for_full_store())
    sources: list[CameraSource] = []
    started = False

    def settle() -> leases.LeasePlan:
        """Balance the leases; stop what is no longer this node's (each camera hands over its open
        segment), only then release it; start what became this node's."""
        nonlocal sources, started
        try:
            with sink.database():
                plan = leases.balance(sink.actor, heartbeat, [device_pk(s.camera) for s in wanted])
        except DatabaseError as error:
            # The database is unreachable (or chose this node as a deadlock's victim): keep recording
            # what it holds and try again shortly. Were its leases taken meanwhile, the segments it
            # hands over are cut where the taker began (VaultSink): nothing is stored twice.
            log.error("the camera leases could not be renewed: %s", error)
            held = {device_pk(s.camera) for s in sources}
            return leases.LeasePlan(held=held, share=len(held) + 1)
        keep = plan.recording
        running = [s for s in wanted if device_pk(s.camera) in keep]
        if running != sources or not started:
            supervisor.update(running)
            sources, started = running, True
            if on_change:
                on_change(sources)
        if plan.surplus:
            with sink.database():
                leases.release(sink.actor, heartbeat, plan.surplus)
        return plan

    keeper = _LeaseKeeper(sink, heartbeat, heartbeat_every, lambda: [device_pk(s.camera) for s in sources])
    keeper.start()
    try:
        plan = settle()
        next_refresh = time.monotonic() + _until_refresh(refresh)
        next_balance = time.monotonic() + (poll if plan.short or plan.handing else heartbeat_every)
        while not stop.is_set():
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                break
            full = sink.stopped_for_full_store()
            if now >= next_refresh or any(s.camera in full for s in sources):
                fresh = camera_sources(segment_seconds, full)
                if fresh != wanted:
                    wanted, next_balance = fresh, now
                next_refresh = now + _until_refresh(refresh)
            if now >= next_balance:
                plan = settle()
                next_balance = time.monotonic() + (poll if plan.short or plan.handing else heartbeat_every)
            wait = min(poll, heartbeat_every) if deadline is None else max(0.0, min(poll, deadline - now))
            stop.wait(wait)
    finally:
        # Each camera hands over its open segment before its worker ends (nothing recorded is lost);
        # only then are its leases free for the other nodes (kept meanwhile: a hand-over can be slow).
        supervisor.stop()
        keeper.stop()
        with sink.database():
            leases.release(sink.actor, heartbeat)
            stop_recorder(heartbeat)
