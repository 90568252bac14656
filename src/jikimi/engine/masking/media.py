"""Reading footage and writing masked clips with PyAV, never leaving a partial file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import av.error

from jikimi.engine.errors import InputError


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    frames: int  # from the container; 0 when it does not say
    rate: Fraction
    time_base: Fraction
    duration: float | None
    # The source's own tags (creation_time, timecode, …), carried over to the masked clip: when the
    # footage was recorded is part of the evidence. The muxer's own (brands, encoder) are not copied.
    container_tags: dict[str, str] = field(default_factory=dict)
    stream_tags: dict[str, str] = field(default_factory=dict)


# Written by the MP4 muxer itself; copying the source's would describe the source's file, not ours.
_MUXER_TAGS = frozenset(
    {"major_brand", "minor_version", "compatible_brands", "encoder", "handler_name", "vendor_id"}
)


def _kept_tags(metadata: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in metadata.items() if key.lower() not in _MUXER_TAGS}


def open_input(path: str | Path) -> av.container.InputContainer:
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a video file FFmpeg can read ({exc})") from None
    if not container.streams.video:
        container.close()
        raise InputError(f"{path}: contains no video stream")
    return container


def video_info(container: av.container.InputContainer) -> VideoInfo:
    stream = container.streams.video[0]
    ctx = stream.codec_context
    if not ctx.width or not ctx.height:
        raise InputError("video stream has no picture size (truncated or damaged file)")
    if ctx.width % 2 or ctx.height % 2:
        # yuv420p H.264 needs even sides and we never pad or crop (resolution must stay exact).
        raise InputError(f"odd picture size {ctx.width}x{ctx.height} is not supported")
    rate = stream.average_rate or stream.guessed_rate or Fraction(30)
    duration = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else None
    return VideoInfo(
        ctx.width,
        ctx.height,
        stream.frames or 0,
        Fraction(rate),
        Fraction(stream.time_base or Fraction(1, 90000)),
        duration,
        _kept_tags(dict(container.metadata)),
        _kept_tags(dict(stream.metadata)),
    )


def decode_frames(container: av.container.InputContainer, path: str | Path) -> Iterator[av.VideoFrame]:
    """Every frame of the first video stream as yuv420p, or InputError if the file is damaged."""
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    expected = stream.frames or 0
    count = 0
    try:
        for frame in container.decode(stream):
            if frame.format.name != "yuv420p":
                converted = frame.reformat(format="yuv420p")
                converted.pts, converted.time_base = frame.pts, frame.time_base
                frame = converted
            count += 1
            yield frame
    except av.error.FFmpegError as exc:
        raise InputError(f"{path}: damaged video after frame {count} ({exc})") from None
    if count == 0:
        raise InputError(f"{path}: no decodable video frames (truncated or damaged file)")
    if expected and count < expected:
        raise InputError(f"{path}: truncated: decoded {count} of {expected} frames")


@contextlib.contextmanager
def atomic_output(path: str | Path, suffix: str = "") -> Iterator[Path]:
    """A temporary path in the destination's directory, renamed onto ``path`` only on success."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{directory}: output directory does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{target.name}.", suffix=f".part{suffix}")
    except OSError as exc:
        raise InputError(f"{directory}: cannot write the output here ({exc.strerror})") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


RC_LOOKAHEAD = 30


class H264Writer:
    """libx264 in an MP4 with +faststart: yuv420p, input's size and timestamps, video only.

    ``profile`` is the H.264 profile x264 actually wrote, read back from the file once it is closed:
    "high" is only a ceiling (nothing a browser cannot play); x264 writes the lowest profile that
    covers the tools the preset uses — Constrained Baseline for ultrafast (no CABAC, no 8×8
    transform), High from superfast on.
    """

    def __init__(self, path: Path, info: VideoInfo, preset: str, crf: int) -> None:
        # 법 제25조⑤ / R13: only a video stream is ever added; audio is never carried over.
        self.path = path
        self.container = av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"})
        self.container.metadata.update(info.container_tags)
        stream = self.container.add_stream("libx264", rate=info.rate)
        stream.metadata.update(info.stream_tags)
        stream.width, stream.height = info.width, info.height
        stream.pix_fmt = "yuv420p"
        stream.time_base = info.time_base
        stream.codec_context.time_base = info.time_base
        options: dict[str, object] = {"preset": preset, "crf": str(crf), "profile": "high"}
        if preset != "ultrafast":
            # A longer look-ahead for x264's macroblock tree (veryfast's is 10 frames): it lets a still
            # scene's first frame be coded well enough that the frames after it are nearly free. On
            # the bench's still scenes veryfast CRF 24 went from 3.2× to 1.2× the input for no CPU,
            # at ~140 MB more memory at 1080p (docs/masking.md, "Output size").
            options["rc-lookahead"] = str(RC_LOOKAHEAD)
        stream.options = options
        self.stream = stream
        self.frames = 0
        self.profile = ""

    def write(self, frame: av.VideoFrame) -> None:
        for packet in self.stream.encode(frame):
            self.container.mux(packet)
        self.frames += 1

    def close(self) -> None:
        for packet in self.stream.encode():
            self.container.mux(packet)
        self.container.close()
        with av.open(str(self.path)) as written:
            self.profile = str(written.streams.video[0].codec_context.profile or "")

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.container.close()


@dataclass(frozen=True)
class PlaybackFacts:
    """What a browser needs to play a clip progressively: H.264, yuv420p, index before data, no audio."""

    codec: str
    profile: str
    pix_fmt: str
    faststart: bool
    audio_streams: int
    width: int
    height: int
    frames: int

    @property
    def browser_playable(self) -> bool:
        return (
            self.codec == "h264"
            and self.profile in {"Constrained Baseline", "Baseline", "Main", "High"}
            and self.pix_fmt == "yuv420p"
            and self.faststart
        )


def playback_facts(path: str | Path) -> PlaybackFacts:
    """Facts about a masked clip, for tests and for the web app's player (a Playwright helper)."""
    head = Path(path).read_bytes()[: 1 << 16]
    moov, mdat = head.find(b"moov"), head.find(b"mdat")
    container = open_input(path)
    try:
        stream = container.streams.video[0]
        ctx = stream.codec_context
        return PlaybackFacts(
            codec=ctx.name,
            profile=str(ctx.profile or ""),
            pix_fmt=str(ctx.pix_fmt),
            faststart=moov != -1 and (mdat == -1 or moov < mdat),
            audio_streams=len(container.streams.audio),
            width=ctx.width,
            height=ctx.height,
            frames=stream.frames,
        )
    finally:
        container.close()
