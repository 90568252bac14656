"""Real simulated cameras on 127.0.0.1 (tools/simcam) and a sink that collects what a recorder reports.

Small pictures (160×120, 10 fps, a keyframe every second) and 2-second segments keep the suite quick;
every wait is for an event the recorder reports, with a generous limit that only a hang reaches.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from tools.simcam.hls import HlsCameraServer
from tools.simcam.rtsp import RtspCameraServer
from tools.simcam.scenes import SceneLoop, encode_scene

from jikimi.engine.footage.segmenter import Segment
from jikimi.engine.recording import Backoff, CameraSource, CameraState, CameraStatus, Gap

FPS = 10
SEGMENT_SECONDS = 2
WAIT = 60.0  # seconds: only reached when something hangs


class CollectingSink:
    """The recorder's consumer in tests: keeps everything and lets a test wait for a condition."""

    def __init__(self) -> None:
        self.segments: list[tuple[str, Segment]] = []
        self.states: list[CameraStatus] = []
        self.gaps: list[Gap] = []
        self.changed = threading.Condition()

    def on_segment(self, camera: str, segment: Segment) -> None:
        with self.changed:
            self.segments.append((camera, segment))
            self.changed.notify_all()

    def on_state(self, status: CameraStatus) -> None:
        with self.changed:
            self.states.append(status)
            self.changed.notify_all()

    def on_gap(self, gap: Gap) -> None:
        with self.changed:
            self.gaps.append(gap)
            self.changed.notify_all()

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        with self.changed:
            if not self.changed.wait_for(condition, timeout=WAIT):
                raise AssertionError(f"timed out waiting for {what}")

    def segments_of(self, camera: str) -> list[Segment]:
        with self.changed:
            return [s for c, s in self.segments if c == camera]

    def states_of(self, camera: str) -> list[CameraStatus]:
        with self.changed:
            return [s for s in self.states if s.camera == camera]

    def reached(self, camera: str, state: CameraState) -> bool:
        return any(s.state is state for s in self.states_of(camera))


@pytest.fixture(scope="session")
def scene() -> SceneLoop:
    return encode_scene("testsrc2", width=160, height=120, fps=FPS, seconds=3, bitrate=300_000)


@pytest.fixture(scope="session")
def scene_with_audio() -> SceneLoop:
    return encode_scene("life", width=160, height=120, fps=FPS, seconds=3, bitrate=300_000, audio=True)


@pytest.fixture
def cameras(scene: SceneLoop, scene_with_audio: SceneLoop) -> Iterator[RtspCameraServer]:
    """cam1: video only; cam2: video and audio."""
    server = RtspCameraServer({"cam1": scene, "cam2": scene_with_audio})
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sink() -> CollectingSink:
    return CollectingSink()


def source(server: RtspCameraServer | HlsCameraServer, name: str, **kwargs: object) -> CameraSource:
    options: dict = {
        "segment_seconds": SEGMENT_SECONDS,
        "read_timeout": 5.0,
        "analyze_seconds": 0.5,
        "backoff": Backoff(initial=0.2, factor=2.0, maximum=1.6, jitter=0.0),
    }
    options.update(kwargs)
    return CameraSource(name, server.url(name), **options)
