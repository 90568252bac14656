"""The recorder publishes what it receives as a live LL-HLS window: parts that decode, video only,
the window rolls, and it is gone when the recorder stops (R41: personal video, never kept)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from tools.simcam.rtsp import RtspCameraServer

from jikimi.engine.recording.tests.conftest import CollectingSink, source
from jikimi.engine.recording.tests.test_camera_recorder import recording
from jikimi.engine.synthetic import decoded_frames, stream_types

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]


def _index(directory: Path) -> dict:
    path = directory / "index.json"
    return json.loads(path.read_text()) if path.exists() else {"segments": []}


def _wait_for_segments(directory: Path, count: int) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        index = _index(directory)
        complete = [s for s in index["segments"] if s["complete"]]
        if complete and complete[-1]["msn"] + 1 >= count:
            return index
        time.sleep(0.1)
    raise AssertionError(f"no {count} complete live segments in {directory}")


def test_the_parts_decode_carry_no_audio_and_start_segments_on_keyframes(
    cameras: RtspCameraServer, sink: CollectingSink, tmp_path: Path
) -> None:
    camera = source(cameras, "cam2", live_dir=str(tmp_path), live_part_seconds=0.5)  # cam2 sends audio
    directory = tmp_path / "cam2"
    with recording(camera, sink):
        index = _wait_for_segments(directory, 3)
        segment = [s for s in index["segments"] if s["complete"]][1]
        parts = [(directory / f"{segment['msn']}.{n}.m4s").read_bytes() for n in range(len(segment["parts"]))]
        init = (directory / segment["init"]).read_bytes()
    whole = init + b"".join(parts)
    assert stream_types(whole) == ["video"]  # 법 제25조⑤: audio never reaches the wall either
    assert decoded_frames(whole) == 10  # one second at 10 fps, every frame decodes from the keyframe
    assert segment["parts"][0][1] is True  # the first part is independent (a keyframe)
    assert all(0.3 <= seconds <= 0.6 for seconds, _ in segment["parts"])
    # Each segment is dated in wall-clock UTC by its first frame's arrival.
    assert segment["start"].endswith("+00:00")
    assert not directory.exists()  # the recorder stopped: the window is deleted


def test_the_window_rolls_and_old_parts_are_deleted(
    cameras: RtspCameraServer, sink: CollectingSink, tmp_path: Path
) -> None:
    camera = source(cameras, "cam1", live_dir=str(tmp_path), live_window_seconds=2.0)
    directory = tmp_path / "cam1"
    with recording(camera, sink):
        _wait_for_segments(directory, 6)
        index = _index(directory)
        first = index["segments"][0]["msn"]
        assert first >= 2
        assert not list(directory.glob("0.*.m4s"))
        assert len(index["segments"]) <= 5


def test_a_sub_stream_feeds_the_wall_and_the_main_stream_is_recorded(
    cameras: RtspCameraServer, sink: CollectingSink, tmp_path: Path
) -> None:
    # cam1 records; cam2 (160×120 "life", with audio) stands in for its sub-stream.
    camera = source(cameras, "cam1", live_dir=str(tmp_path), live_url=cameras.url("cam2"))
    directory = tmp_path / "cam1"
    with recording(camera, sink):
        index = _wait_for_segments(directory, 2)
        segment = [s for s in index["segments"] if s["complete"]][0]
        parts = [(directory / f"{segment['msn']}.{n}.m4s").read_bytes() for n in range(len(segment["parts"]))]
        init = (directory / segment["init"]).read_bytes()
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 1, "a recorded segment")
    assert stream_types(init + b"".join(parts)) == ["video"]
    assert decoded_frames(init + b"".join(parts)) >= 5
    assert not directory.exists()
