"""RecorderSupervisor: many cameras, one worker each; a failed worker is restarted; states are kept."""

from __future__ import annotations

import threading

import pytest
from tools.simcam.rtsp import RtspCameraServer

from jikimi.engine.footage.errors import StorageFull
from jikimi.engine.footage.segmenter import Segment
from jikimi.engine.recording import Backoff, CameraState, RecorderSupervisor
from jikimi.engine.recording.tests.conftest import CollectingSink, source

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]


class FullOnceSink(CollectingSink):
    """A vault whose store is full when cam1's first segment arrives, and has room again after."""

    def __init__(self) -> None:
        super().__init__()
        self.refused = 0

    def on_segment(self, camera: str, segment: Segment) -> None:
        if camera == "cam1" and not self.refused:
            self.refused += 1
            raise StorageFull("/var/jikimi/footage: free space would drop below the reserve")
        super().on_segment(camera, segment)


def test_it_restarts_a_failed_worker_and_keeps_the_others_recording(cameras: RtspCameraServer) -> None:
    sink = FullOnceSink()
    supervisor = RecorderSupervisor(sink, restart_backoff=Backoff(initial=0.1, maximum=0.1, jitter=0))
    supervisor.start([source(cameras, "cam1"), source(cameras, "cam2")])
    try:
        sink.wait_for(lambda: sink.reached("cam1", CameraState.FAILED), "cam1 failing")
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 1, "cam1 recording again")
        sink.wait_for(lambda: len(sink.segments_of("cam2")) >= 2, "cam2 recording throughout")
        assert supervisor.statuses()["cam1"].state is CameraState.RECORDING
        assert supervisor.restarts("cam1") == 1
        assert supervisor.restarts("cam2") == 0
    finally:
        supervisor.stop()
    failed = next(s for s in sink.states_of("cam1") if s.state is CameraState.FAILED)
    assert "StorageFull" in failed.detail
    assert failed.retry_in is not None
    states = [s.state for s in sink.states_of("cam1")]
    assert states.index(CameraState.FAILED) < len(states) - 1 - states[::-1].index(CameraState.RECORDING)
    assert not any(s.state is CameraState.FAILED for s in sink.states_of("cam2"))
    # The segment refused by the full store is lost; the interval is reported as a gap, and why.
    gap = next(g for g in sink.gaps if g.camera == "cam1")
    assert "StorageFull" in gap.reason
    assert gap.end == sink.segments_of("cam1")[0].start
    assert [s.index for s in sink.segments_of("cam1")] == list(range(len(sink.segments_of("cam1"))))
    assert {s.state for s in supervisor.statuses().values()} == {CameraState.STOPPED}


def test_update_starts_new_cameras_and_stops_removed_ones(cameras: RtspCameraServer) -> None:
    sink = CollectingSink()
    supervisor = RecorderSupervisor(sink)
    supervisor.start([source(cameras, "cam1")])
    try:
        sink.wait_for(lambda: sink.reached("cam1", CameraState.RECORDING), "cam1 recording")
        supervisor.update([source(cameras, "cam2")])
        sink.wait_for(lambda: sink.reached("cam2", CameraState.RECORDING), "cam2 recording")
        assert supervisor.statuses()["cam1"].state is CameraState.STOPPED
        assert supervisor.statuses()["cam2"].state is CameraState.RECORDING
    finally:
        supervisor.stop()


class HandOverTogetherSink(CollectingSink):
    """Once `closing` is set, each camera's hand-over waits for the other cameras' (a barrier): it passes
    only when the supervisor stops them all at once, not one after the other."""

    def __init__(self, cameras: int) -> None:
        super().__init__()
        self.closing = False
        self.together = threading.Barrier(cameras, timeout=10)
        self.broken: list[str] = []

    def on_segment(self, camera: str, segment: Segment) -> None:
        if self.closing:
            try:
                self.together.wait()
            except threading.BrokenBarrierError:
                self.broken.append(camera)
                raise
        super().on_segment(camera, segment)


def test_update_stops_the_cameras_it_drops_together(cameras: RtspCameraServer) -> None:
    # bench/fleet, 240 × 6: a node that lost 40 cameras stopped them one by one, each waiting for its
    # segment to be stored, while its heartbeat was due: its leases lapsed and the collapse spread.
    names = ["cam1", "cam2"]
    sink = HandOverTogetherSink(len(names))
    supervisor = RecorderSupervisor(sink)
    # Minute-long segments: the only segments handed over in the test are those of the stops.
    supervisor.start([source(cameras, name, segment_seconds=60) for name in names])
    try:
        for name in names:
            sink.wait_for(lambda n=name: sink.reached(n, CameraState.RECORDING), f"{name} recording")
        sink.closing = True
        supervisor.update([])
        assert sink.broken == []
        assert all(len(sink.segments_of(name)) >= 1 for name in names)  # each handed its segment over
        assert {supervisor.statuses()[name].state for name in names} == {CameraState.STOPPED}
    finally:
        supervisor.stop()
