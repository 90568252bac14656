"""CameraRecorder pulling a live HLS playlist over HTTP (tools/simcam's HLS camera, with AAC audio)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tools.simcam.hls import HlsCameraServer
from tools.simcam.scenes import SceneLoop

from jikimi.engine.recording import CameraState
from jikimi.engine.recording.tests.conftest import CollectingSink, source
from jikimi.engine.recording.tests.test_camera_recorder import recording
from jikimi.engine.synthetic import stream_types


@pytest.fixture
def hls_camera(scene_with_audio: SceneLoop) -> Iterator[HlsCameraServer]:
    with HlsCameraServer({"hls1": scene_with_audio}) as server:
        yield server


def test_it_records_a_live_hls_source_without_its_audio(
    hls_camera: HlsCameraServer, sink: CollectingSink
) -> None:
    with recording(source(hls_camera, "hls1"), sink):
        sink.wait_for(lambda: len(sink.segments_of("hls1")) >= 2, "two segments")
    segments = sink.segments_of("hls1")
    assert all(stream_types(s.data) == ["video"] for s in segments)
    assert all(s.had_audio for s in segments)
    assert all(a.end == b.start for a, b in zip(segments, segments[1:], strict=False))
    assert sink.reached("hls1", CameraState.RECORDING)
