"""CameraRecorder against simulated RTSP cameras: whole video-only segments, UTC times, audio, gaps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, timedelta

import pytest
from tools.simcam.rtsp import RtspCameraServer

from jikimi.engine.recording import CameraRecorder, CameraSource, CameraState
from jikimi.engine.recording.tests.conftest import (
    FPS,
    SEGMENT_SECONDS,
    CollectingSink,
    source,
)
from jikimi.engine.synthetic import decoded_frames, stream_types

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]


@contextmanager
def recording(camera: CameraSource, sink: CollectingSink) -> Iterator[CameraRecorder]:
    recorder = CameraRecorder(camera, sink)
    stop = threading.Event()
    thread = threading.Thread(target=recorder.run, args=(stop,), daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        stop.set()
        thread.join(30)
        assert not thread.is_alive(), "the recorder did not stop"


def test_it_cuts_whole_video_only_segments_with_increasing_utc_times(
    cameras: RtspCameraServer, sink: CollectingSink
) -> None:
    with recording(source(cameras, "cam1"), sink):
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 3, "three segments")
    segments = sink.segments_of("cam1")
    stopped = sink.states_of("cam1")[-1]
    assert stopped.state is CameraState.STOPPED
    assert len(segments) >= 4  # three cut, and the open one closed whole at stop
    assert [s.index for s in segments] == list(range(len(segments)))
    for segment in segments:
        assert segment.start.tzinfo is UTC and segment.end.tzinfo is UTC
        assert segment.end > segment.start
        assert stream_types(segment.data) == ["video"]
        assert decoded_frames(segment.data) == segment.frames
        # Every frame is 1/FPS s: the wall-clock span is exactly the frames the segment holds.
        assert abs(segment.duration - timedelta(seconds=segment.frames / FPS)) < timedelta(milliseconds=2)
    for earlier, later in zip(segments, segments[1:], strict=False):
        assert later.start == earlier.end  # one connection: segments abut, nothing lost or doubled
    for segment in segments[:3]:
        assert segment.duration == timedelta(seconds=SEGMENT_SECONDS)  # cut at the keyframe 2 s on
    recorded = sum((s.duration for s in segments), timedelta())
    assert abs(recorded - (segments[-1].end - segments[0].start)) < timedelta(milliseconds=5)
    assert abs(stopped.since - segments[-1].end) <= timedelta(seconds=SEGMENT_SECONDS)


def test_a_source_with_audio_is_recorded_without_it_and_says_so(
    cameras: RtspCameraServer, sink: CollectingSink
) -> None:
    with recording(source(cameras, "cam2"), sink):
        sink.wait_for(lambda: len(sink.segments_of("cam2")) >= 1, "a segment")
    segments = sink.segments_of("cam2")
    assert all(s.had_audio for s in segments)
    assert all(stream_types(s.data) == ["video"] for s in segments)  # 법 제25조⑤: the audio is not kept
    recording_status = next(s for s in sink.states_of("cam2") if s.state is CameraState.RECORDING)
    assert recording_status.had_audio
    assert "audio" in recording_status.detail


def test_a_source_without_audio_raises_no_warning(cameras: RtspCameraServer, sink: CollectingSink) -> None:
    with recording(source(cameras, "cam1"), sink):
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 1, "a segment")
    assert not any(s.had_audio for s in sink.segments_of("cam1"))
    assert not any(s.had_audio for s in sink.states_of("cam1"))


def test_a_dropped_source_is_reconnected_with_backoff_and_the_gap_reported(
    cameras: RtspCameraServer, sink: CollectingSink
) -> None:
    with recording(source(cameras, "cam1"), sink):
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 1, "a first segment")
        cameras.stop()  # the camera goes down mid-segment

        def retrying(times: int) -> bool:
            return sum(s.retry_in is not None for s in sink.states_of("cam1")) >= times

        sink.wait_for(lambda: retrying(3), "three reconnection attempts")
        cameras.start()  # and comes back on the same port
        sink.wait_for(lambda: len(sink.gaps) == 1, "the end of the gap")
        resumed = len(sink.segments_of("cam1")) + 1
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= resumed, "recording resumed")
    segments = sink.segments_of("cam1")
    gap = sink.gaps[0]
    after = next(i for i, s in enumerate(segments) if s.start >= gap.end)
    last_before, first_after = segments[after - 1], segments[after]
    # The open segment was closed whole at the drop; the gap runs from its end to the next start.
    assert gap.camera == "cam1"
    assert gap.start == last_before.end
    assert gap.end == first_after.start
    assert gap.end > gap.start
    assert "ended" in gap.reason or "dropped" in gap.reason
    assert [s.index for s in segments] == list(range(len(segments)))
    assert all(a.end <= b.start for a, b in zip(segments, segments[1:], strict=False))
    retries = [s.retry_in for s in sink.states_of("cam1") if s.retry_in is not None]
    assert retries[:3] == [timedelta(seconds=0.2), timedelta(seconds=0.4), timedelta(seconds=0.8)]
    states = [s.state for s in sink.states_of("cam1")]
    assert states[0] is CameraState.CONNECTING
    assert CameraState.RECONNECTING in states
    assert states.count(CameraState.RECORDING) == 2
