"""The simulated camera's burnt-in clock (tools.simcam.stamp): every frame of a stamped loop, once
encoded by libx264 at a camera's bitrate and decoded again, reads back as its index in the loop; and the
camera maps an index read on a screen to the wall time it sent that frame."""

from __future__ import annotations

import av
import numpy as np
import pytest
from tools.simcam import stamp
from tools.simcam.rtsp import SimulatedCamera
from tools.simcam.scenes import encode_scene


def _decoded(loop) -> list[np.ndarray]:
    codec = av.CodecContext.create("h264", "r")
    lumas = []
    for unit in loop.units:
        data = b"".join(b"\x00\x00\x00\x01" + nal for nal in unit.nals)
        for frame in codec.decode(av.Packet(data)):
            lumas.append(frame.to_ndarray(format="gray"))
    for frame in codec.decode(None):
        lumas.append(frame.to_ndarray(format="gray"))
    return lumas


@pytest.mark.parametrize(
    ("scene", "size", "bitrate"),
    [("testsrc2", (320, 180), 300_000), ("life", (320, 180), 300_000), ("mandelbrot", (640, 360), 1_000_000)],
)
def test_every_frame_reads_back_its_index(scene, size, bitrate):
    loop = encode_scene(scene, width=size[0], height=size[1], fps=15, seconds=4, bitrate=bitrate, stamp=True)
    lumas = _decoded(loop)
    assert len(lumas) == len(loop.units) == 60
    assert [stamp.read(luma) for luma in lumas] == list(range(60))


def test_the_browsers_block_means_decode_the_same():
    luma = np.full((180, 320), 128, np.uint8)
    stamp.burn(luma, 1234)
    assert stamp.decode_levels(stamp.levels(luma)) == 1234
    # as an RGB canvas reads it (full range), and with a little noise
    rgb = np.repeat(luma[:, :, None], 3, axis=2).astype(float) * 255 / 219
    rgb += np.random.default_rng(1).normal(0, 8, rgb.shape)
    assert stamp.read(rgb) == 1234


def test_a_picture_without_a_stamp_reads_nothing():
    assert stamp.read(np.full((180, 320), 128, np.uint8)) is None
    luma = np.full((180, 320), 128, np.uint8)
    stamp.burn(luma, 77)
    luma[:16, 5 * 16 : 6 * 16] = 235 - luma[0, 5 * 16] + 16  # one bit flipped: parity fails
    assert stamp.read(luma) is None
    with pytest.raises(ValueError, match="at least 320"):
        stamp.read(np.zeros((120, 160), np.uint8))


def test_the_camera_knows_when_it_sent_a_frame():
    loop = encode_scene("testsrc2", width=320, height=180, fps=15, seconds=2, stamp=True)
    camera = SimulatedCamera("cam", loop)
    assert camera.sent_at(0) is None  # not started
    camera.started = 1000.0
    period = 2.0
    assert camera.sent_at(15, now=1000.9) is None  # frame 15 (1 s in) not sent yet
    assert camera.sent_at(15, now=1001.0) == pytest.approx(1001.0)
    assert camera.sent_at(15, now=1002.9) == pytest.approx(1001.0)
    assert camera.sent_at(15, now=1003.1) == pytest.approx(1001.0 + period)
    assert camera.sent_at(29, now=1010.0) == pytest.approx(1008.0 + 29 / 15)
    assert camera.sent_at(30, now=1010.0) is None  # no such frame in the loop
