"""A camera whose clock runs apart from ours: segment times follow our clock, not the camera's."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from tools.simcam.rtsp import RtspCameraServer

from jikimi.engine.recording import CameraRecorder
from jikimi.engine.recording.tests.conftest import FPS, CollectingSink, source

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]


def test_segments_follow_the_wall_clock_when_the_camera_clock_drifts(
    cameras: RtspCameraServer, sink: CollectingSink
) -> None:
    # Our clock runs 50 % faster than the camera's timestamps: as if the camera's clock were slow.
    t0 = datetime.now(UTC)

    def clock() -> datetime:
        return t0 + (datetime.now(UTC) - t0) * 1.5

    recorder = CameraRecorder(source(cameras, "cam1", max_drift=0.3), sink, clock=clock)
    stop = threading.Event()
    thread = threading.Thread(target=recorder.run, args=(stop,), daemon=True)
    thread.start()
    try:
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 4, "four segments")
    finally:
        stop.set()
        thread.join(30)
    segments = sink.segments_of("cam1")[1:4]  # cut at both ends, after the first (probing) one
    assert all(a.end == b.start for a, b in zip(segments, segments[1:], strict=False))
    wall = segments[-1].end - segments[0].start
    camera = timedelta(seconds=sum(s.frames for s in segments) / FPS)
    assert 1.3 < wall / camera < 1.7
