"""Validate an input file before anything is produced from it: is it whole, is it video, can it be kept.

Files come from NVR exports and mobile devices (착용형·휴대형·부착형, 시행령 제3조②). A file that is
not what it claims must be refused with a message naming the file and the fault, before a single
segment is written: a half-ingested file would leave footage that is indexed but incomplete.

probe() opens the container, then demuxes every video packet (no decoding: a few ms per minute of
footage) to find damage and truncation that the container's header alone would not show:

- not a video: FFmpeg cannot open it, or reads it as something other than MP4/MOV, MPEG-TS or
  Matroska (a text file opens as FFmpeg's "tty" format, with a "video" stream of ANSI art);
- truncated: an MP4 whose index (moov) is missing; fewer video packets than the header declares;
  video that ends well before the duration the header declares; a demux error part-way;
- no video stream, a codec that cannot be stored without re-encoding (we only remux), no keyframe;
- too large: above the caller's byte limit, checked before the file is even opened.

A truncated MPEG-TS cannot be told from a shorter recording (the format has no index or declared
length); it is accepted as what it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.error

from jikimi.engine.footage.errors import FootageRejected

# FFmpeg demuxer name → what we call it. These are the formats NVRs and phones export.
CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mp4", "mpegts": "mpegts", "matroska,webm": "matroska"}
# What a browser can play from fragmented MP4 without re-encoding: H.264 everywhere, HEVC on some.
VIDEO_CODECS = ("h264", "hevc")
DEFAULT_MAX_BYTES = 8 << 30
_DURATION_SLACK = Fraction(1)  # seconds: an audio track may outlast the video a little


@dataclass(frozen=True)
class ProbeResult:
    path: str
    container: str  # "mp4" | "mpegts" | "matroska"
    size: int  # bytes on disk
    video_codec: str
    width: int
    height: int
    time_base: Fraction  # of the video stream
    start_pts: int  # earliest presentation timestamp of the video stream, in time_base
    frames: int  # video packets (one frame each)
    keyframes: int
    duration: Fraction  # seconds spanned by the video packets
    audio_streams: int
    dropped_streams: tuple[str, ...]  # every stream ingest will not keep, e.g. ("audio:aac",)

    @property
    def has_audio(self) -> bool:
        return self.audio_streams > 0


def _reject(path: Path, problem: str, code: str, **facts: object) -> FootageRejected:
    return FootageRejected(f"{path}: {problem}", code=code, facts=facts)


def probe(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> ProbeResult:
    """Describe a footage file, or raise FootageRejected saying what is wrong with it."""
    path = Path(path)
    if not path.is_file():
        raise _reject(path, "no such file", "missing")
    size = path.stat().st_size
    if size > max_bytes:
        raise _reject(
            path,
            f"file is {size} bytes, above the limit of {max_bytes} bytes",
            "too_large",
            size=size,
            limit=max_bytes,
        )
    if size == 0:
        raise _reject(path, "file is empty", "empty")
    try:
        container = av.open(str(path), mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        with path.open("rb") as f:
            head = f.read(12)
        if head[4:8] == b"ftyp":
            raise _reject(
                path, "truncated MP4: its index (moov box) is missing", "mp4_index_missing"
            ) from None
        raise _reject(path, f"not a video file FFmpeg can read ({exc})", "unreadable") from None
    with container:
        return _describe(path, size, container)


def _describe(path: Path, size: int, container: av.container.InputContainer) -> ProbeResult:
    kind = CONTAINERS.get(container.format.name)
    if kind is None:
        raise _reject(
            path,
            f"not a video file: FFmpeg reads it as '{container.format.name}' (accepted: MP4/MOV, MPEG-TS, MKV)",
            "wrong_format",
            format=container.format.name,
        )
    if not container.streams.video:
        raise _reject(path, "contains no video stream", "no_video")
    stream = container.streams.video[0]
    codec = stream.codec_context.name
    if codec not in VIDEO_CODECS:
        raise _reject(
            path,
            f"video codec '{codec}' cannot be stored without re-encoding (accepted: h264, hevc)",
            "codec",
            codec=codec,
        )
    if not stream.codec_context.width or not stream.codec_context.height:
        raise _reject(path, "video stream has no picture size (damaged or truncated)", "no_picture_size")
    time_base = Fraction(stream.time_base or Fraction(1, 90000))
    frames = keyframes = corrupt = 0
    start_pts: int | None = None
    end_pts: int | None = None
    try:
        for packet in container.demux(stream):
            if packet.size == 0 or packet.pts is None:
                continue  # the demuxer's end-of-stream flush packet, or a packet with no timestamp
            frames += 1
            keyframes += packet.is_keyframe
            corrupt += packet.is_corrupt
            start_pts = packet.pts if start_pts is None else min(start_pts, packet.pts)
            end = packet.pts + (packet.duration or 0)
            end_pts = end if end_pts is None else max(end_pts, end)
    except av.error.FFmpegError as exc:
        raise _reject(
            path,
            f"damaged or truncated: demuxing failed after {frames} video frames ({exc})",
            "demux_failed",
            frames=frames,
        ) from None
    if frames == 0 or start_pts is None or end_pts is None:
        raise _reject(path, "contains no video frames", "no_frames")
    if keyframes == 0:
        raise _reject(
            path, "contains no keyframe: it cannot be cut into segments without re-encoding", "no_keyframe"
        )
    declared_frames = stream.frames or 0
    if declared_frames and frames < declared_frames:
        raise _reject(
            path,
            f"truncated: {frames} of the {declared_frames} video frames its header declares",
            "frames_missing",
            frames=frames,
            declared=declared_frames,
        )
    duration = (end_pts - start_pts) * time_base
    if kind != "mpegts":  # a TS duration is FFmpeg's estimate from the file itself, not a declaration
        declared = _declared_duration(container, stream)
        if declared is not None and duration < declared - max(_DURATION_SLACK, declared / 50):
            raise _reject(
                path,
                f"truncated: video ends at {float(duration):.2f} s of the {float(declared):.2f} s its header declares",
                "ends_early",
                seconds=float(duration),
                declared=float(declared),
            )
    # A cut file's last packet is usually flagged corrupt too: report the truncation, the cause.
    if corrupt:
        raise _reject(
            path,
            f"damaged: {corrupt} of {frames} video packets are flagged corrupt",
            "corrupt",
            corrupt=corrupt,
            frames=frames,
        )
    dropped = tuple(
        f"{s.type}:{s.codec_context.name if s.codec_context else '?'}"
        for s in container.streams
        if s is not stream
    )
    return ProbeResult(
        path=str(path),
        container=kind,
        size=size,
        video_codec=codec,
        width=stream.codec_context.width,
        height=stream.codec_context.height,
        time_base=time_base,
        start_pts=start_pts,
        frames=frames,
        keyframes=keyframes,
        duration=duration,
        audio_streams=len(container.streams.audio),
        dropped_streams=dropped,
    )


def _declared_duration(container: av.container.InputContainer, stream: av.VideoStream) -> Fraction | None:
    if stream.duration and stream.time_base:
        return stream.duration * Fraction(stream.time_base)
    if container.duration:
        return Fraction(container.duration, av.time_base)
    return None
