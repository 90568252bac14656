"""A segment never spans two day keys: the recorder cuts at the first keyframe of a new day (R17)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from tools.simcam.rtsp import RtspCameraServer

from jikimi.engine.recording import CameraRecorder
from jikimi.engine.recording.tests.conftest import CollectingSink, source

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]

SEOUL = ZoneInfo("Asia/Seoul")


def test_it_cuts_at_the_first_keyframe_after_midnight_in_the_day_zone(
    cameras: RtspCameraServer, sink: CollectingSink
) -> None:
    # The recorder's clock reads 5 s before midnight in Seoul when it starts (connecting takes ~1 s).
    now = datetime.now(UTC)
    midnight = datetime.combine(now.astimezone(SEOUL).date() + timedelta(days=1), time(), SEOUL)
    offset = midnight - timedelta(seconds=5) - now

    def clock() -> datetime:
        return datetime.now(UTC) + offset

    camera = source(cameras, "cam1", segment_seconds=600, day_zone=SEOUL)
    recorder = CameraRecorder(camera, sink, clock=clock)
    stop = threading.Event()
    thread = threading.Thread(target=recorder.run, args=(stop,), daemon=True)
    thread.start()
    try:
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 1, "the cut at midnight")
    finally:
        stop.set()
        thread.join(30)
    first, second = sink.segments_of("cam1")[:2]
    assert first.start < midnight <= first.end < midnight + timedelta(seconds=1.01)  # a keyframe a second
    assert second.start == first.end
    assert second.start.astimezone(SEOUL).date() == midnight.date()
    assert first.start.astimezone(SEOUL).date() == midnight.date() - timedelta(days=1)
