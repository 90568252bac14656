"""What a camera's stream measures, per segment: frame rate, bitrate, and its clock against ours.

오산시 지침 제27조 asks that a camera's faults be found and repaired; a camera that still answers may
be failing all the same: its frame rate halves (a fault in its encoder, or a link that drops
pictures), its bitrate collapses (a lens covered or out of focus, a picture gone grey), its clock
runs apart from ours (the time it burns into the picture, and its stream timestamps, no longer match
the record's — the cutter dates segments by our clock, but the camera's must be set right).

`StreamMeter` is fed every video packet the recorder receives (its timestamp in seconds, when it
arrived by our clock, its size) and closes an interval at each segment handed over:

- frame rate and bitrate over the interval, by our clock (a camera that stalls shows as a drop);
- the drift: how far the camera's timeline has moved from ours since the connection began. A packet
  cannot arrive before it was captured, and network delay only adds, so the smallest lag
  (arrival − timestamp) of an interval follows the clocks' difference; its change since the
  connection's first interval is the drift (positive: the camera's clock runs slow);
- the clock offset: how far the camera's own wall clock — the time it burns into the picture — is from
  ours, where the camera tells it (RTSP: the NTP time of its RTCP sender reports, RFC 3550 §6.4.1,
  which FFmpeg maps onto the packets' timestamps). The same reasoning: the largest (capture − arrival)
  of an interval is the offset less the smallest network delay (positive: the camera's clock is
  ahead). A camera whose NTP sync failed shows it at once; the drift only shows a clock that runs at
  another rate. None when the camera sends no sender reports (or over HLS). FFmpeg maps the
  connection's first report onto the timeline and keeps that mapping: a camera whose clock is set
  right while connected shows it from its next connection;
- the camera's own baseline: the median frame rate and bitrate of its last `history` intervals (the
  first interval of each connection is left out: FFmpeg's probing hands its packets over in a burst).

`stream_faults` judges one interval against limits (the vault passes its settings) and against the
register's stated figures where there are any, else the baseline. Pure: no FFmpeg, no Django.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass
from datetime import datetime

DRIFT, CLOCK, FRAME_RATE, BITRATE = "drift", "clock", "frame_rate", "bitrate"


@dataclass(frozen=True)
class StreamStats:
    """One interval (one segment) of a camera's stream."""

    measured_at: datetime  # UTC, our clock, when the interval closed
    seconds: float  # the interval's length by our clock
    frames_per_second: float
    bits_per_second: float
    drift_seconds: float  # the camera's timeline behind (+) or ahead (−) of ours since it connected
    connected_seconds: float  # by our clock, since the connection's first packet
    baseline_fps: float | None = None  # median of the camera's previous intervals; None: too few yet
    baseline_bps: float | None = None
    settling: bool = False  # the connection's first interval: not judged, not in the baseline
    # The camera's wall clock ahead (+) or behind (−) ours (its RTCP sender reports); None: not told.
    clock_offset_seconds: float | None = None

    @property
    def drift_ppm(self) -> float | None:
        """The drift as a rate (parts per million of elapsed time), once there is time to tell."""
        if self.connected_seconds < 1:
            return None
        return self.drift_seconds / self.connected_seconds * 1_000_000

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (the vault keeps the latest one per camera in the recorder's heartbeat)."""
        return {
            "at": self.measured_at.isoformat(),
            "seconds": round(self.seconds, 3),
            "fps": round(self.frames_per_second, 2),
            "bps": round(self.bits_per_second),
            "drift": round(self.drift_seconds, 3),
            "connected": round(self.connected_seconds, 1),
            "baseline_fps": None if self.baseline_fps is None else round(self.baseline_fps, 2),
            "baseline_bps": None if self.baseline_bps is None else round(self.baseline_bps),
            "settling": self.settling,
            "clock": None if self.clock_offset_seconds is None else round(self.clock_offset_seconds, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> StreamStats:
        def number(key: str) -> float | None:
            value = data.get(key)
            return float(value) if isinstance(value, (int, float)) else None

        return cls(
            measured_at=datetime.fromisoformat(str(data["at"])),
            seconds=number("seconds") or 0.0,
            frames_per_second=number("fps") or 0.0,
            bits_per_second=number("bps") or 0.0,
            drift_seconds=number("drift") or 0.0,
            connected_seconds=number("connected") or 0.0,
            baseline_fps=number("baseline_fps"),
            baseline_bps=number("baseline_bps"),
            settling=bool(data.get("settling")),
            clock_offset_seconds=number("clock"),
        )


class StreamMeter:
    """Measures one camera across its connections (see the module docstring). Not thread-safe: one
    recorder thread feeds it."""

    def __init__(self, *, history: int = 10, min_baseline: int = 3, min_seconds: float = 1.0) -> None:
        if history < 1 or min_baseline < 1 or min_seconds <= 0:
            raise ValueError("history, min_baseline and min_seconds must be positive")
        self._fps: deque[float] = deque(maxlen=history)
        self._bps: deque[float] = deque(maxlen=history)
        self.min_baseline = min_baseline
        self.min_seconds = min_seconds
        self.connect()

    def connect(self) -> None:
        """A new connection: its timestamps have a new origin, so the drift starts again from zero."""
        self._first_arrival: datetime | None = None
        self._reference: float | None = None  # smallest lag of the connection's first interval
        self._interval_start: datetime | None = None
        self._frames = 0
        self._bytes = 0
        self._lag: float | None = None
        self._ahead: float | None = None  # largest (camera's wall time − arrival) of the interval
        self._intervals = 0

    def packet(
        self, timestamp: float, arrival: datetime, size: int, camera_time: float | None = None
    ) -> None:
        """A video packet: its presentation time in seconds (the camera's timeline), when it arrived,
        and, when the camera tells it, its capture time by the camera's wall clock (Unix seconds)."""
        if camera_time is not None:
            ahead = camera_time - arrival.timestamp()
            self._ahead = ahead if self._ahead is None else max(self._ahead, ahead)
        if self._first_arrival is None:
            self._first_arrival = arrival
        if self._interval_start is None:
            self._interval_start = arrival
        lag = (arrival - self._first_arrival).total_seconds() - timestamp
        self._lag = lag if self._lag is None else min(self._lag, lag)
        self._frames += 1
        self._bytes += size

    def close_interval(self, at: datetime) -> StreamStats | None:
        """The interval ends (a segment was handed over); None when it saw no packet."""
        if self._interval_start is None or self._first_arrival is None or self._lag is None:
            return None
        seconds = (at - self._interval_start).total_seconds()
        settling = self._intervals == 0
        if self._reference is None:
            self._reference = self._lag
        fps = self._frames / seconds if seconds > 0 else 0.0
        bps = self._bytes * 8 / seconds if seconds > 0 else 0.0
        stats = StreamStats(
            measured_at=at,
            seconds=seconds,
            frames_per_second=fps,
            bits_per_second=bps,
            drift_seconds=self._lag - self._reference,
            connected_seconds=(at - self._first_arrival).total_seconds(),
            baseline_fps=statistics.median(self._fps) if len(self._fps) >= self.min_baseline else None,
            baseline_bps=statistics.median(self._bps) if len(self._bps) >= self.min_baseline else None,
            settling=settling,
            clock_offset_seconds=self._ahead,
        )
        if not settling and seconds >= self.min_seconds:
            self._fps.append(fps)
            self._bps.append(bps)
        self._intervals += 1
        self._interval_start = at
        self._frames = self._bytes = 0
        self._lag = self._ahead = None
        return stats


@dataclass(frozen=True)
class StreamLimits:
    """When an interval is a fault: its drift past `max_drift_seconds`, the camera's clock off ours by
    more than `max_clock_offset_seconds`, its frame rate below `min_fps_ratio` of the reference, its
    bitrate below `min_bitrate_ratio` of it."""

    max_drift_seconds: float = 2.0
    max_clock_offset_seconds: float = 2.0
    min_fps_ratio: float = 0.5
    min_bitrate_ratio: float = 0.25

    def __post_init__(self) -> None:
        if (
            self.max_drift_seconds <= 0
            or self.max_clock_offset_seconds <= 0
            or not 0 < self.min_fps_ratio < 1
            or not 0 < self.min_bitrate_ratio < 1
        ):
            raise ValueError(f"invalid stream limits {self}")


def stream_faults(
    stats: StreamStats,
    limits: StreamLimits,
    *,
    stated_fps: float | None = None,
    stated_bps: float | None = None,
) -> list[str]:
    """The faults of one interval (DRIFT, CLOCK, FRAME_RATE, BITRATE), against the register's stated
    figures where given, else the camera's own baseline; a settling interval or one with no baseline
    yet is judged on its clock only."""
    faults = []
    if abs(stats.drift_seconds) > limits.max_drift_seconds:
        faults.append(DRIFT)
    offset = stats.clock_offset_seconds
    if offset is not None and abs(offset) > limits.max_clock_offset_seconds:
        faults.append(CLOCK)
    if stats.settling:
        return faults
    fps_reference = stated_fps or stats.baseline_fps
    if fps_reference and stats.frames_per_second < fps_reference * limits.min_fps_ratio:
        faults.append(FRAME_RATE)
    bps_reference = stated_bps or stats.baseline_bps
    if bps_reference and stats.bits_per_second < bps_reference * limits.min_bitrate_ratio:
        faults.append(BITRATE)
    return faults
