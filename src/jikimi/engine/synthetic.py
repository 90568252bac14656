"""Synthetic clips written with PyAV: the one writer of made-up footage for the tests and the benchmarks.

Every property a test relies on is a parameter, so that the test says what its clip is:

    write_clip(path)                                   160×120, 25 fps, 10 s, a keyframe every second,
                                                       H.264 without B-frames, an AAC tone (a camera's)
    write_clip(path, container="mpegts", audio="mp2")  the same in MPEG-TS with MP2 audio
    write_clip(path, codec="libx265")                  HEVC; ``codec="mpeg4"`` or ``"mpeg2video"``: codecs
                                                       the vault refuses, with the encoder's own settings
    write_clip(path, frames=30, width=320, height=240, fps=30, paint=…, crf=12, keyframe_seconds=None)
                                                       a scene drawn by the test, nearly lossless
    write_audio_only(path)                             AAC and no video stream

Reading back what a test stored: `stream_types(data)` lists an MP4's stream kinds (no "audio" after
ingest, R13) and `decoded_frames(data)` counts the frames that decode.

A painter ``paint(index, rgb)`` draws frame ``index`` into a zeroed height×width×3 uint8 array. The
default, `moving_bar`, changes every frame so that the encoder makes real inter frames. Audio is one
continuous mono 48 kHz sine tone. ``keyframe_seconds`` and ``crf`` apply to libx264 and libx265.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
import numpy.typing as npt

Painter = Callable[[int, npt.NDArray[np.uint8]], None]
AUDIO_RATE = 48_000
AUDIO_FRAME = 1024  # samples per frame of an audio-only clip


def moving_bar(index: int, rgb: npt.NDArray[np.uint8]) -> None:
    """A white column crossing the picture and a grey row whose brightness changes every frame."""
    height, width = rgb.shape[:2]
    rgb[:, (index * 3) % width] = 255
    rgb[(index * 2) % height] = (index * 7) % 256


def textured_background(width: int, height: int, seed: int = 1) -> npt.NDArray[np.uint8]:
    """8×8 blocks of random mid-tone colours: texture for a detector or an encoder to work on."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(60, 200, size=(height // 8 + 1, width // 8 + 1, 3), dtype=np.uint8)
    return np.repeat(np.repeat(blocks, 8, axis=0), 8, axis=1)[:height, :width].copy()


def write_clip(
    path: Path,
    *,
    width: int = 160,
    height: int = 120,
    fps: int = 25,
    seconds: float = 10,
    frames: int | None = None,
    paint: Painter = moving_bar,
    codec: str = "libx264",
    keyframe_seconds: float | None = 1,
    bframes: bool = False,
    crf: int | None = None,
    audio: str | None = "aac",
    container: str | None = None,
) -> Path:
    """Write a clip of ``frames`` frames (else ``seconds`` long) at ``path`` and return ``path``.

    ``keyframe_seconds`` fixes the distance between keyframes (``None``: the encoder's default, one
    keyframe in a short clip); ``bframes`` lets libx264 use B-frames (preset veryfast instead of
    ultrafast); ``audio`` is ``"aac"``, ``"mp2"`` or ``None``; ``container`` defaults to the suffix's.
    """
    count = frames if frames is not None else round(seconds * fps)
    with av.open(str(path), "w", format=container) as out:
        video = cast(av.VideoStream, out.add_stream(codec, rate=fps))
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = _encoder_options(codec, fps, keyframe_seconds, bframes, crf)
        sound = None
        if audio is not None:
            sound = cast(av.AudioStream, out.add_stream(audio, rate=AUDIO_RATE))
            sound.layout = "mono"
        samples = AUDIO_RATE // fps
        for index in range(count):
            rgb = np.zeros((height, width, 3), np.uint8)
            paint(index, rgb)
            for packet in video.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                out.mux(packet)
            if sound is not None and audio is not None:
                for packet in sound.encode(_tone(audio, index * samples, samples)):
                    out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if sound is not None:
            for packet in sound.encode():
                out.mux(packet)
    return path


def write_audio_only(path: Path, seconds: float = 2) -> Path:
    """An AAC file with no video stream at all."""
    with av.open(str(path), "w") as out:
        sound = out.add_stream("aac", rate=AUDIO_RATE)
        sound.layout = "mono"
        for index in range(round(seconds * AUDIO_RATE / AUDIO_FRAME)):
            for packet in sound.encode(_tone("aac", index * AUDIO_FRAME, AUDIO_FRAME)):
                out.mux(packet)
        for packet in sound.encode():
            out.mux(packet)
    return path


def _encoder_options(
    codec: str, fps: int, keyframe_seconds: float | None, bframes: bool, crf: int | None
) -> dict[str, object]:
    gop = None if keyframe_seconds is None else str(max(1, round(fps * keyframe_seconds)))
    options: dict[str, object] = {}
    if codec == "libx264":
        options["preset"] = "veryfast" if bframes else "ultrafast"  # ultrafast makes no B-frames
        if gop is not None:
            options.update(g=gop, keyint_min=gop)
    elif codec == "libx265":
        options["preset"] = "ultrafast"
        keyint = "" if gop is None else f"keyint={gop}:min-keyint={gop}:"
        options["x265-params"] = f"{keyint}log-level=error"
    else:
        return options
    if crf is not None:
        options["crf"] = str(crf)
    return options


def _tone(codec: str, start: int, samples: int) -> av.AudioFrame:
    """``samples`` samples of a sine tone from sample ``start``, in the sample format ``codec`` takes."""
    tone = (np.sin(np.arange(start, start + samples) / 10.0) * 0.3).astype(np.float32)[None, :]
    if codec == "aac":
        frame = av.AudioFrame.from_ndarray(tone, format="fltp", layout="mono")
    else:
        frame = av.AudioFrame.from_ndarray((tone * 32767).astype(np.int16), format="s16", layout="mono")
    frame.sample_rate, frame.pts, frame.time_base = AUDIO_RATE, start, Fraction(1, AUDIO_RATE)
    return frame


def stream_types(data: bytes) -> list[str]:
    """The kinds of the streams in an encoded clip held in memory ("video", "audio", …)."""
    with av.open(io.BytesIO(data), "r") as container:
        return [stream.type for stream in container.streams]


def decoded_frames(data: bytes) -> int:
    """How many video frames of an encoded clip held in memory decode."""
    with av.open(io.BytesIO(data), "r") as container:
        return sum(1 for _ in container.decode(video=0))
