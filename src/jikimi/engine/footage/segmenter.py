"""Cut footage into fixed-length, video-only segments by remuxing — never re-encoding.

Remuxing keeps every frame bit for bit as the camera encoded it (evidence: nothing is altered), costs
almost no CPU, and loses no quality. Cuts therefore fall on keyframes: a segment runs from one
keyframe to the first keyframe at least `segment_seconds` later (default 60 s), and also starts anew
at the first keyframe of a new day in `day_zone`, so that every segment belongs to exactly one day key
(R17: destroying a day's key must destroy that day's footage and nothing of the next). The segment
holding midnight starts before it and is destroyed with the earlier day: a few seconds early, never late.

Audio never enters a segment: only the video stream is muxed (법 제25조⑤: no sound recording, R13;
통신비밀보호법 forbids recording others' conversations). That the source had audio is reported
(`had_audio`), so that the vault can raise a health warning for the camera or device that sent it.

Why fragmented MP4 and not MPEG-TS
----------------------------------
Playback will be HLS in the browser. hls.js feeds Media Source Extensions, which take fragmented MP4
directly; MPEG-TS must be transmuxed to fMP4 in JavaScript first (more CPU in the browser, one more
place for timestamps to drift), and Safari's native HLS plays fMP4 as well. fMP4 is also smaller: remuxing a
640×360 H.264 clip at about 0.5 Mbit/s, MPEG-TS added 12.8 % to the video payload (188-byte packets,
PES headers, repeated PAT/PMT), fMP4 0.5 %. And it seeks precisely: each
segment is written with movflags frag_keyframe+empty_moov+default_base_moof, i.e. an init part
(ftyp + moov with no samples) followed by one moof+mdat fragment per keyframe, so a player — or an
HLS playlist using EXT-X-MAP and byte ranges — can start at any keyframe. Because the envelope
decrypts any byte range, the playback view can serve the init part and single fragments without
decrypting the whole segment. Each segment is complete on its own (plays in any player, exports as is).

Recording hours (촬영시간, R9): footage outside the hours the register publishes must not be kept.
`keep_within` cuts a segment down to the parts inside given wall-clock spans, by the same remux: a
part starts at the first keyframe inside a span (nothing before a keyframe can be decoded, and
re-encoding would alter the evidence) and ends with the last frame that ends inside it. So nothing
outside the hours is ever stored, at the price of up to one keyframe interval (typically 1–2 s) inside
the hours lost at the start of each window.

Timestamps inside each segment start at zero (FFmpeg's MP4 muxer shifts them so); its wall-clock
start and end (UTC) are computed from the caller's `recording_start` plus the source's presentation
timestamps and belong in the index. Segments are built in memory: plaintext footage never touches
the disk on its way to the encrypting writer.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.error

from jikimi.engine.footage.errors import IngestError
from jikimi.engine.footage.probe import DEFAULT_MAX_BYTES, ProbeResult, probe

DEFAULT_SEGMENT_SECONDS = 60
_MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"
SEGMENT_EXTENSION = "mp4"


@dataclass(frozen=True)
class Segment:
    index: int  # 0-based within one ingest
    start: datetime  # UTC, the first frame's presentation time
    end: datetime  # UTC, when the last frame stops showing (= the next segment's start)
    data: bytes  # a fragmented MP4 with one video stream
    sha256: str  # of `data`
    frames: int
    had_audio: bool  # the source had audio, which was dropped (법 제25조⑤)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Segmentation:
    probe: ProbeResult
    segments: tuple[Segment, ...]

    @property
    def had_audio(self) -> bool:
        return self.probe.has_audio

    @property
    def frames(self) -> int:
        return sum(s.frames for s in self.segments)


def _at(recording_start: datetime, seconds: Fraction) -> datetime:
    return recording_start + timedelta(microseconds=round(seconds * 1_000_000))


def iter_segments(
    path: str | Path,
    recording_start: datetime,
    *,
    segment_seconds: float = DEFAULT_SEGMENT_SECONDS,
    day_zone: tzinfo = UTC,
    max_bytes: int = DEFAULT_MAX_BYTES,
    probed: ProbeResult | None = None,
) -> Iterator[Segment]:
    """Yield the segments of a footage file one at a time (probe first: a refused file yields nothing).

    ``recording_start`` is when the file's first frame was recorded (timezone-aware); ``day_zone`` is
    the zone whose calendar days the day keys follow (the vault passes Asia/Seoul).
    """
    if recording_start.tzinfo is None or recording_start.utcoffset() is None:
        raise ValueError("recording_start must be timezone-aware")
    if segment_seconds <= 0:
        raise ValueError("segment_seconds must be positive")
    path = Path(path)
    info = probed or probe(path, max_bytes=max_bytes)
    start_utc = recording_start.astimezone(UTC)
    target = Fraction(segment_seconds).limit_denominator(1000)
    try:
        with av.open(str(path), mode="r") as container:
            stream = container.streams.video[0]
            yield from _cut(path, container, stream, info, start_utc, target, day_zone)
    except av.error.FFmpegError as exc:
        raise IngestError(f"{path}: remuxing failed ({exc})") from None


def _cut(
    path: Path,
    container: av.container.InputContainer,
    stream: av.VideoStream,
    info: ProbeResult,
    start_utc: datetime,
    target: Fraction,
    day_zone: tzinfo,
) -> Iterator[Segment]:
    time_base = info.time_base
    rate = stream.average_rate or stream.guessed_rate
    # Used only when a packet carries no duration: one frame at the stream's rate.
    fallback_duration = round(1 / (Fraction(rate) * time_base)) if rate else 0
    packets: list[av.Packet[Any]] = []
    seg_start_pts = 0
    index = 0

    def offset(pts: int) -> Fraction:
        return (pts - info.start_pts) * time_base

    def finish(end_pts: int) -> Segment:
        nonlocal index
        start, end = _at(start_utc, offset(seg_start_pts)), _at(start_utc, offset(end_pts))
        segment = _mux(path, stream, packets, index, start, end, info.has_audio)
        index += 1
        return segment

    for packet in container.demux(stream):
        if packet.size == 0 or packet.pts is None or packet.dts is None:
            continue
        if not packets and not packet.is_keyframe:
            continue  # before the first keyframe nothing can be decoded; probe guarantees one exists
        if packet.is_keyframe and packets:
            elapsed = (packet.pts - seg_start_pts) * time_base
            seg_day = _at(start_utc, offset(seg_start_pts)).astimezone(day_zone).date()
            new_day = _at(start_utc, offset(packet.pts)).astimezone(day_zone).date() != seg_day
            if elapsed >= target or new_day:
                yield finish(packet.pts)
                packets = []
        if not packets:
            seg_start_pts = packet.pts
        packets.append(packet)
    if packets:
        end_pts = max(int(p.pts or 0) + (p.duration or fallback_duration) for p in packets)
        yield finish(end_pts)


def _mux(
    path: Path,
    source: av.VideoStream,
    packets: list[av.Packet[Any]],
    index: int,
    start: datetime,
    end: datetime,
    had_audio: bool,
) -> Segment:
    buffer = io.BytesIO()
    try:
        with av.open(buffer, mode="w", format="mp4", options={"movflags": _MOVFLAGS}) as out:
            # 법 제25조⑤ / R13: the one stream added is the video; audio is never carried over.
            video = out.add_stream_from_template(source)
            if source.codec_context.name == "hevc":
                video.codec_tag = "hvc1"  # Apple's HLS authoring spec: Safari plays HEVC in MP4 only as hvc1
            base = min(int(p.dts or 0) for p in packets)
            for packet in packets:
                packet.pts = int(packet.pts or 0) - base
                packet.dts = int(packet.dts or 0) - base
                packet.stream = video
                out.mux(packet)
    except av.error.FFmpegError as exc:
        raise IngestError(f"{path}: cannot write segment {index} ({exc})") from None
    data = buffer.getvalue()
    return Segment(
        index=index,
        start=start,
        end=end,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        frames=len(packets),
        had_audio=had_audio,
    )


Span = tuple[datetime, datetime]


def keep_within(segment: Segment, spans: Sequence[Span]) -> list[Segment]:
    """The parts of `segment` inside `spans` (aware, sorted, disjoint), cut at keyframes by remuxing.

    A segment wholly inside one span comes back as it is; one wholly outside gives nothing. Parts
    keep the segment's index; each is a complete fragmented MP4 of its own (module docstring).
    """
    inside = [
        (max(s, segment.start), min(e, segment.end))
        for s, e in spans
        if s < segment.end and e > segment.start
    ]
    if not inside:
        return []
    if any(s <= segment.start and segment.end <= e for s, e in spans):
        return [segment]
    label = Path(f"<segment {segment.index} {segment.start.isoformat()}>")
    try:
        with av.open(io.BytesIO(segment.data), mode="r") as container:
            stream = container.streams.video[0]
            return list(_keep(label, container, stream, segment, inside))
    except av.error.FFmpegError as exc:
        raise IngestError(f"{label}: cutting to the recording hours failed ({exc})") from None


def _keep(
    label: Path,
    container: av.container.InputContainer,
    stream: av.VideoStream,
    segment: Segment,
    inside: list[Span],
) -> Iterator[Segment]:
    time_base = Fraction(stream.time_base or Fraction(1, 90000))
    rate = stream.average_rate or stream.guessed_rate
    fallback = round(1 / (Fraction(rate) * time_base)) if rate else 1
    packets = [p for p in container.demux(stream) if p.size and p.pts is not None and p.dts is not None]
    if not packets:
        return
    origin = min(int(p.pts or 0) for p in packets)

    def wall(ticks: int) -> datetime:
        return _at(segment.start, (ticks - origin) * time_base)

    part: list[av.Packet[Any]] = []
    span: Span | None = None
    first = last = segment.start

    def finish() -> Segment:
        return _mux(label, stream, part, segment.index, first, last, segment.had_audio)

    for packet in packets:  # decode order: a part never needs a packet it dropped
        pts = int(packet.pts or 0)
        t0, t1 = wall(pts), wall(pts + (int(packet.duration or 0) or fallback))
        if span is not None and t0 >= span[0] and t1 <= span[1]:
            part.append(packet)
            first, last = min(first, t0), max(last, t1)
            continue
        if span is not None and t1 > span[1]:
            if part:
                yield finish()
            part, span = [], None
        if span is None and packet.is_keyframe:
            span = next(((s, e) for s, e in inside if s <= t0 and t1 <= e), None)
            if span is not None:
                part, first, last = [packet], t0, t1
    if part:
        yield finish()


def segment_file(
    path: str | Path,
    recording_start: datetime,
    *,
    segment_seconds: float = DEFAULT_SEGMENT_SECONDS,
    day_zone: tzinfo = UTC,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Segmentation:
    """All segments of a footage file, in memory (for a file of a few minutes; else `iter_segments`)."""
    info = probe(path, max_bytes=max_bytes)
    segments = tuple(
        iter_segments(path, recording_start, segment_seconds=segment_seconds, day_zone=day_zone, probed=info)
    )
    return Segmentation(info, segments)
