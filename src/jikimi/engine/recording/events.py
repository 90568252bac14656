"""What a recorder tells the vault: segments, camera states, gaps — and the sink that receives them.

The recorder never stores anything itself. Each finished segment goes to `RecordingSink.on_segment`
(the vault encrypts and indexes it with `jikimi.engine.footage.store_segment`); each change of a
camera's state to `on_state`; each interval without footage, once it is known, to `on_gap`.

Each segment the recorder hands over is a `RecordedSegment`: the engine's `Segment` with what the
`StreamMeter` measured over it (frame rate, bitrate, clock drift — jikimi.engine.recording.meter), so
that a sink that wants the figures reads them and one that does not sees a plain `Segment`.

The sink is called from the camera's worker thread, one call at a time per camera but concurrently
across cameras: it must be thread-safe. If `on_segment` raises (the store is full, the database is
gone), that camera's worker fails — the segment is lost, never half-stored — and the supervisor
reports the camera failed, restarts it after a back-off, and reports the interval as a gap.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Protocol

from jikimi.engine.footage.segmenter import Segment
from jikimi.engine.recording.meter import StreamStats


class CameraState(enum.StrEnum):
    CONNECTING = "connecting"  # first connection of this worker
    RECORDING = "recording"  # packets are arriving and being cut into segments
    RECONNECTING = "reconnecting"  # the source dropped or refused; retrying with back-off
    FAILED = "failed"  # the worker crashed or the source cannot be recorded; restarted after back-off
    STOPPED = "stopped"  # stopped on request


@dataclass(frozen=True)
class CameraStatus:
    camera: str
    state: CameraState
    since: datetime  # UTC
    detail: str = ""  # why, in one line a person can act on
    had_audio: bool = False  # the source carries audio, which is being dropped (R13: health warning)
    attempt: int = 0  # consecutive failed connection attempts
    retry_in: timedelta | None = None  # when RECONNECTING/FAILED: the back-off before the next try


@dataclass(frozen=True)
class Gap:
    """An interval with no footage from a camera that should have been recording, and why."""

    camera: str
    start: datetime  # UTC: the end of the last segment handed over (or when recording was first tried)
    end: datetime  # UTC: the start of the first segment after it (or when the recorder was stopped)
    reason: str

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class RecordedSegment(Segment):
    """A segment from a live camera, with its stream's figures over it (None: nothing measured)."""

    stats: StreamStats | None = None

    @classmethod
    def of(cls, segment: Segment, stats: StreamStats | None) -> RecordedSegment:
        return cls(**{f.name: getattr(segment, f.name) for f in fields(Segment)}, stats=stats)


class RecordingSink(Protocol):
    def on_segment(self, camera: str, segment: Segment) -> None: ...

    def on_state(self, status: CameraStatus) -> None: ...

    def on_gap(self, gap: Gap) -> None: ...
