"""Cut a live stream's packets into whole segments as they arrive — remuxing, never re-encoding.

The same cut as `jikimi.engine.footage.segmenter` for files: a segment runs from one keyframe to the
first keyframe at least `segment_seconds` later, or to the first keyframe of a new day in `day_zone`
(a segment belongs to exactly one day key, R17); only the video stream is muxed (법 제25조⑤, R13),
into the same fragmented MP4. The differences are those of a live source:

- Packets are muxed into the open segment as they arrive (in memory, never on disk), so a segment
  costs its own bytes once, not a packet list plus a copy. A segment leaves the cutter only when it
  is whole: at the cut, or — when the source drops or the recorder is stopped — closed early at the
  last packet received (shorter, but complete and playable). A process killed in between loses the
  open segment and nothing else.
- Wall-clock time. A live source's timestamps have an arbitrary origin, so each connection is
  anchored to the clock: a packet cannot arrive before it was captured, hence the anchor is the
  earliest ``arrival - offset`` seen. Packets buffered while FFmpeg probed the stream arrive in a
  burst and would otherwise be dated seconds late; the anchor settles on the live packets that follow
  and is fixed when the first segment is finished. Consecutive segments of a connection abut exactly
  (each starts at the previous one's end). A camera's clock drifts from ours (tens of ppm: seconds a
  day, and a connection can last weeks), so at each cut the smallest lag of the segment's packets
  behind the anchor is measured; past `max_drift` the anchor moves by it, and the finishing segment's
  end absorbs the correction. A new connection gets a new anchor.
- Nothing is dated before ``not_before`` (the end of the last segment handed over): a reconnected
  HLS source replays seconds already recorded; they are skipped up to the first keyframe after it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from datetime import datetime, timedelta, tzinfo
from fractions import Fraction
from typing import Any

import av
import av.error

from jikimi.engine.footage.segmenter import Segment

MOVFLAGS = "frag_keyframe+empty_moov+default_base_moof"  # as segmenter: init part, one fragment per keyframe


class _OpenSegment:
    def __init__(self, source: av.VideoStream, first_pts: int, first_dts: int) -> None:
        self.buffer = io.BytesIO()
        self.output = av.open(self.buffer, mode="w", format="mp4", options={"movflags": MOVFLAGS})
        # 법 제25조⑤ / R13: the one stream the segment has is the video; audio is never carried over.
        self.video = self.output.add_stream_from_template(source)
        if source.codec_context.name == "hevc":
            self.video.codec_tag = "hvc1"  # Safari plays HEVC in MP4 only as hvc1
        self.first_pts = first_pts
        self.base = first_dts  # a segment starts on a keyframe: the first packet has the lowest dts
        self.last_dts = first_dts - 1
        self.end_pts = first_pts
        self.frames = 0

    def mux(self, packet: av.Packet[Any], pts: int, dts: int, duration: int) -> None:
        packet.pts, packet.dts = pts - self.base, dts - self.base
        packet.stream = self.video
        self.output.mux(packet)
        self.last_dts = dts
        self.end_pts = max(self.end_pts, pts + duration)
        self.frames += 1

    def close(self) -> bytes:
        self.output.close()
        return self.buffer.getvalue()

    def abandon(self) -> None:
        with contextlib.suppress(av.error.FFmpegError):
            self.output.close()
        self.buffer = io.BytesIO()


class LiveCutter:
    """Turns one connection's video packets into `Segment`s (see the module docstring)."""

    def __init__(
        self,
        source: av.VideoStream,
        *,
        segment_seconds: float,
        day_zone: tzinfo,
        had_audio: bool,
        first_index: int = 0,
        not_before: datetime | None = None,
        max_drift: timedelta = timedelta(seconds=0.5),
    ) -> None:
        self.source = source
        self.time_base = Fraction(source.time_base or Fraction(1, 90000))
        self._us_num, self._us_den = self.time_base.numerator * 1_000_000, self.time_base.denominator
        rate = source.average_rate or source.guessed_rate
        # Used when a packet carries no duration: one frame at the stream's rate (else 1/25 s).
        self.frame_duration = max(1, round(1 / ((Fraction(rate) if rate else Fraction(25)) * self.time_base)))
        self.target = Fraction(segment_seconds).limit_denominator(1000)
        self.day_zone = day_zone
        self.had_audio = had_audio
        self.index = first_index
        self.not_before = not_before
        self.origin_pts: int | None = None
        self.anchor: datetime | None = None  # wall-clock time of origin_pts
        self.anchor_frozen = False
        self.max_drift = max_drift
        self.lag: timedelta | None = None  # smallest arrival - wall(pts) in the open segment
        self.previous_end: datetime | None = None  # of this connection's last segment
        self.open: _OpenSegment | None = None
        self.packets = 0  # accepted into a segment

    def wall(self, pts: int) -> datetime:
        assert self.anchor is not None and self.origin_pts is not None
        return self.anchor + self._span(pts - self.origin_pts)

    def _span(self, ticks: int) -> timedelta:
        # Integer arithmetic: this runs for every packet of every camera (Fraction would cost more).
        return timedelta(microseconds=ticks * self._us_num // self._us_den)

    def _observe(self, pts: int, arrival: datetime) -> None:
        if self.origin_pts is None:
            self.origin_pts, self.anchor = pts, arrival
            return
        if self.anchor_frozen:
            lag = arrival - self.wall(pts)
            self.lag = lag if self.lag is None else min(self.lag, lag)
            return
        candidate = arrival - self._span(pts - self.origin_pts)
        assert self.anchor is not None
        if candidate < self.anchor:
            self.anchor = candidate

    def push(self, packet: av.Packet[Any], arrival: datetime) -> Segment | None:
        """Add a packet received at ``arrival`` (UTC); return the segment it completes, if any."""
        if packet.size == 0 or packet.pts is None:
            return None
        pts = int(packet.pts)
        dts = int(packet.dts) if packet.dts is not None else pts
        self._observe(pts, arrival)
        keyframe = bool(packet.is_keyframe)
        finished: Segment | None = None
        if self.open is None:
            if not keyframe:
                return None  # nothing before the first keyframe can be decoded
            if self.not_before is not None and self.wall(pts) < self.not_before:
                return None  # already recorded before the source dropped (a replaying HLS playlist)
        elif keyframe:
            started = self.wall(self.open.first_pts)
            elapsed = (pts - self.open.first_pts) * self.time_base
            new_day = (
                self.wall(pts).astimezone(self.day_zone).date() != started.astimezone(self.day_zone).date()
            )
            if elapsed >= self.target or new_day:
                finished = self._finish(pts, correct_drift=True)
        if self.open is not None and dts <= self.open.last_dts:
            return finished  # out of order or repeated: the MP4 muxer needs increasing dts; skip it
        if self.open is None:
            self.open = _OpenSegment(self.source, pts, dts)
        self.open.mux(packet, pts, dts, int(packet.duration or 0) or self.frame_duration)
        self.packets += 1
        return finished

    def _finish(self, end_pts: int, *, correct_drift: bool = False) -> Segment:
        assert self.open is not None
        segment, self.open = self.open, None
        data = segment.close()
        start = self.previous_end or self.wall(segment.first_pts)
        if correct_drift and self.lag is not None and abs(self.lag) > self.max_drift:
            assert self.anchor is not None
            self.anchor += self.lag  # the camera's clock drifted: follow ours (module docstring)
        self.anchor_frozen = True
        self.lag = None
        end = max(self.wall(end_pts), start)
        self.previous_end = end
        result = Segment(
            index=self.index,
            start=start,
            end=end,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            frames=segment.frames,
            had_audio=self.had_audio,
        )
        self.index += 1
        self.not_before = end
        return result

    def flush(self) -> Segment | None:
        """Close the open segment at the last packet received (the source dropped, or stop)."""
        if self.open is None or self.open.frames == 0:
            return None
        return self._finish(self.open.end_pts)

    def abandon(self) -> None:
        if self.open is not None:
            self.open.abandon()
            self.open = None
