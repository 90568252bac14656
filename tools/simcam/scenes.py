"""Synthetic camera scenes, encoded once into a loop of H.264 access units (and G.711 audio).

A real camera encodes what it sees in real time; a simulated one only has to *send* like one. So a
scene is encoded once, when the camera starts (FFmpeg's lavfi sources through PyAV: testsrc2 with its
moving pattern and running counter, a zooming Mandelbrot, a game of life), and the loop is replayed
for ever with timestamps that keep increasing. Replaying costs no encoding, which is what lets one
machine simulate the hundred 1080p cameras of the recording benchmark.

The encoder is set like a surveillance camera: no B-frames (pts = dts), a keyframe every
``gop_seconds``, SPS/PPS repeated in front of every keyframe (a client joining mid-stream can
start at the next one), a constant-ish bitrate.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import av
import numpy as np
from av.video.frame import PictureType

from .stamp import burn as burn_stamp

VIDEO_CLOCK = 90_000  # RTP clock rate of video (RFC 6184)
AUDIO_CLOCK = 8_000  # G.711 (RFC 3551 payload type 0, PCMU)
AUDIO_PACKET = 160  # samples per audio packet: 20 ms

SCENES = {
    "testsrc2": "testsrc2=s={w}x{h}:r={fps}",
    "mandelbrot": "mandelbrot=s={w}x{h}:r={fps}:end_scale=0.001",
    "life": "life=s={w}x{h}:r={fps}:mold=10:ratio=0.1:death_color=#C83232:life_color=#00ff00",
}


@dataclass(frozen=True)
class AccessUnit:
    """One encoded picture: its NAL units (no start codes) and its time in the loop."""

    nals: tuple[bytes, ...]
    pts: int  # in VIDEO_CLOCK units from the loop's start
    keyframe: bool


@dataclass(frozen=True)
class SceneLoop:
    width: int
    height: int
    fps: int
    units: tuple[AccessUnit, ...]
    sps: bytes
    pps: bytes
    audio: bytes | None  # μ-law samples for one loop, AUDIO_CLOCK per second; None: no audio track

    @property
    def duration(self) -> int:
        """Length of one loop in VIDEO_CLOCK units."""
        return len(self.units) * VIDEO_CLOCK // self.fps

    @property
    def profile_level_id(self) -> str:
        return self.sps[1:4].hex().upper()


def split_annexb(data: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream, without their start codes."""
    nals: list[bytes] = []
    i, n = 0, len(data)
    starts: list[int] = []
    while i < n - 2:
        if data[i] == 0 and data[i + 1] == 0 and data[i + 2] == 1:
            starts.append(i + 3)
            i += 3
        else:
            i += 1
    for k, start in enumerate(starts):
        end = starts[k + 1] - 3 if k + 1 < len(starts) else n
        nal = data[start:end].rstrip(b"\x00") if k + 1 < len(starts) else data[start:end]
        if nal:
            nals.append(nal)
    return nals


def encode_scene(
    scene: str = "testsrc2",
    *,
    width: int = 640,
    height: int = 360,
    fps: int = 15,
    seconds: float = 10,
    gop_seconds: float = 1,
    bitrate: int = 1_000_000,
    audio: bool = False,
    stamp: bool = False,
) -> SceneLoop:
    """Encode ``seconds`` of a lavfi scene into a replayable loop (a whole number of GOPs).

    ``stamp``: burn each frame's index in the loop into its top rows (`stamp`), the camera's clock
    for measuring latency from camera to screen; make the loop longer than twice any latency measured.
    """
    if scene not in SCENES:
        raise ValueError(f"unknown scene {scene!r} (known: {', '.join(SCENES)})")
    gop = max(1, round(gop_seconds * fps))
    frames = max(gop, round(seconds * fps) // gop * gop)
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuv420p"
    codec.time_base = Fraction(1, fps)
    codec.framerate = Fraction(fps)
    codec.bit_rate = bitrate
    codec.options = {
        "preset": "ultrafast",
        "tune": "zerolatency",  # no B-frames, no lookahead: like a camera
        "x264-params": f"keyint={gop}:min-keyint={gop}:scenecut=0:repeat-headers=1:"
        f"vbv-maxrate={bitrate // 1000}:vbv-bufsize={bitrate // 1000}",
    }
    source = av.open(SCENES[scene].format(w=width, h=height, fps=fps), format="lavfi")
    units: list[AccessUnit] = []
    sps = pps = b""
    try:
        packets: list[av.Packet] = []
        for count, frame in enumerate(source.decode(video=0)):
            if count == frames:
                break
            if stamp:
                rgb = frame.to_ndarray(format="rgb24", width=width, height=height)
                burn_stamp(rgb, count)
                frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            picture = frame.reformat(format="yuv420p", width=width, height=height)
            picture.pts, picture.time_base = count, Fraction(1, fps)
            picture.pict_type = PictureType.NONE  # lavfi marks its frames I: let the GOP decide
            packets.extend(codec.encode(picture))
        packets.extend(codec.encode(None))
    finally:
        source.close()
    for index, packet in enumerate(packets):
        nals = tuple(split_annexb(bytes(packet)))
        for nal in nals:
            if nal[0] & 0x1F == 7 and not sps:
                sps = nal
            elif nal[0] & 0x1F == 8 and not pps:
                pps = nal
        units.append(AccessUnit(nals, index * VIDEO_CLOCK // fps, bool(packet.is_keyframe)))
    if not sps or not pps or not units[0].keyframe:
        raise RuntimeError("the encoder produced no SPS/PPS or did not start on a keyframe")
    return SceneLoop(width, height, fps, tuple(units), sps, pps, _tone(frames / fps) if audio else None)


def _tone(seconds: float) -> bytes:
    """A 440 Hz beep, μ-law encoded (G.711): the 'conversation' a recorder must never keep."""
    t = np.arange(round(seconds * AUDIO_CLOCK)) / AUDIO_CLOCK
    x = 0.3 * np.sin(2 * np.pi * 440 * t) * (np.sin(2 * np.pi * 0.5 * t) > 0)
    mu = 255.0
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    # G.711 μ-law stores the complement of sign+magnitude.
    q = np.clip(np.round((y + 1) / 2 * 255), 0, 255).astype(np.int16)
    code = np.where(q >= 128, 255 - (q - 128), 127 - q).astype(np.uint8)
    return code.tobytes()
