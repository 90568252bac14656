"""A clip masked by the engine plays in Chromium, as the issue's done-when asks: the officer and
the recipient watch exports in a browser. Real clip (one of faces-dlib's faces composited onto a
moving background, with an audio track that must not survive — R13), real CLI, real browser."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jikimi.engine.masking.media import playback_facts
from jikimi.engine.masking.tests.conftest import face_crops, masking_clip, resize
from jikimi.engine.synthetic import textured_background

pytestmark = pytest.mark.browser


@pytest.fixture
def masked_clip(tmp_path: Path) -> Path:
    face = resize(face_crops()[0], 96, 120)
    background = textured_background(320, 240)

    def paint(index: int, frame) -> None:
        frame[:] = background
        x = 20 + index * 3
        frame[60:180, x : x + 96] = face

    source = masking_clip(tmp_path / "source.mp4", 45, 320, 240, paint, audio=True)
    output = tmp_path / "served" / "masked.mp4"
    output.parent.mkdir()
    subprocess.run(
        [sys.executable, "-m", "jikimi.engine", "mask", str(source), str(output)],
        check=True,
        capture_output=True,
    )
    return output


@pytest.fixture
def served(masked_clip: Path):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(masked_clip.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_masked_clip_plays_in_chromium_with_the_inputs_size_and_no_audio(page, masked_clip, served):
    facts = playback_facts(masked_clip)
    assert (facts.codec, facts.pix_fmt, facts.width, facts.height, facts.frames) == (
        "h264",
        "yuv420p",
        320,
        240,
        45,
    )
    assert facts.audio_streams == 0 and facts.faststart

    page.goto(f"{served}/")
    played = page.evaluate(
        """async (src) => {
            const video = document.createElement('video');
            video.muted = true;
            video.src = src;
            document.body.appendChild(video);
            await video.play();
            await new Promise((resolve) => setTimeout(resolve, 700));
            return {time: video.currentTime, width: video.videoWidth, height: video.videoHeight,
                    error: video.error && video.error.code};
        }""",
        f"{served}/masked.mp4",
    )
    assert played["error"] is None
    assert (played["width"], played["height"]) == (320, 240)
    assert played["time"] > 0, "the browser decoded and advanced through the clip"
