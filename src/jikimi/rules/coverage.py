"""Existence check (존재확인): which parts of a time window have footage, and why the rest has none.

시행령 제44조 / 법 제35조 let a data subject ask whether footage of them exists; an officer answers
from the index. For a window [start, end) and the recorded intervals, `coverage` returns consecutive
intervals, each either FOOTAGE or a gap with its reason:

    DESTROYED       the footage was destroyed at the end of its retention (a destruction record, R19)
    DELETED         the footage was destroyed on a data subject's deletion request (법 제36조, R24)
    NOT_SCHEDULED   outside the device group's recording hours (촬영시간, R9), or a schedule with no
                    fixed hours (강우시에만, 필요시) that was not triggered
    DAMAGED         footage was stored but its file is gone or fails its integrity check (R41): it is
                    not footage any more, and says so rather than reading as a plain gap
    RECORDER_DOWN   scheduled, but the recorder process itself was not running (its heartbeat stopped)
    CAMERA_DOWN     scheduled, but the camera was down: the recorder lost its stream (a recorded outage)
    NOT_RECORDING   scheduled, nothing recorded and no reason known (not yet installed, a file-only
                    device whose files were not uploaded, …) — said as "사유 미상", not hidden

Plain values only: aware datetimes in, aware datetimes out (in the caller's zone). `scheduled_intervals`
turns a parsed recording-hours `Schedule` into intervals of a window, given the local zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from jikimi.rules.schedule import Schedule, ScheduleStatus, schedule_status

Span = tuple[datetime, datetime]

# Segments are cut at keyframes: consecutive ones may miss each other by a frame. Closer than this is one.
DEFAULT_JOIN_TOLERANCE = timedelta(seconds=1)


class Coverage(StrEnum):
    FOOTAGE = "footage"
    DESTROYED = "destroyed"
    DELETED = "deleted"
    NOT_SCHEDULED = "not_scheduled"
    DAMAGED = "damaged"
    RECORDER_DOWN = "recorder_down"
    CAMERA_DOWN = "camera_down"
    NOT_RECORDING = "not_recording"


COVERAGE_LABELS: dict[Coverage, str] = {
    Coverage.FOOTAGE: "영상 있음",
    Coverage.DESTROYED: "파기됨 (보관기간 만료)",
    Coverage.DELETED: "파기됨 (정보주체 삭제 청구)",
    Coverage.NOT_SCHEDULED: "촬영 시간 아님",
    Coverage.DAMAGED: "손상 (파일 없음·변조)",
    Coverage.RECORDER_DOWN: "녹화 안 됨: 녹화기 중지",
    Coverage.CAMERA_DOWN: "카메라 장애로 녹화 중단",
    Coverage.NOT_RECORDING: "녹화되지 않음 (사유 미상)",
}


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime
    coverage: Coverage

    @property
    def has_footage(self) -> bool:
        return self.coverage is Coverage.FOOTAGE

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def merge(spans: Iterable[Span], tolerance: timedelta = timedelta(0)) -> list[Span]:
    """Sorted, non-overlapping spans; spans closer than `tolerance` are joined."""
    merged: list[list[datetime]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1] + tolerance:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _clip(spans: Iterable[Span], start: datetime, end: datetime) -> list[Span]:
    return [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]


def _subtract(span: Span, cuts: Sequence[Span]) -> tuple[list[Span], list[Span]]:
    """Split `span` into the parts inside `cuts` (sorted, merged) and the parts outside."""
    inside: list[Span] = []
    outside: list[Span] = []
    cursor, end = span
    for s, e in _clip(cuts, *span):
        if s > cursor:
            outside.append((cursor, s))
        inside.append((s, e))
        cursor = e
    if cursor < end:
        outside.append((cursor, end))
    return inside, outside


def coverage(
    start: datetime,
    end: datetime,
    footage: Iterable[Span],
    *,
    destroyed: Iterable[Span] = (),
    deleted: Iterable[Span] = (),
    scheduled: Iterable[Span] | None = None,
    outages: Iterable[Span] = (),
    recorder_down: Iterable[Span] = (),
    damaged: Iterable[Span] = (),
    tolerance: timedelta = DEFAULT_JOIN_TOLERANCE,
) -> list[Interval]:
    """The window [start, end) as consecutive intervals of footage and of gaps with their reason.

    `scheduled` None means recording is scheduled all the time (24시간). Destroyed wins over the
    schedule: footage that was kept and then destroyed is reported as destroyed; so does damaged
    footage (it was stored, and is no longer readable). An outage only explains a gap inside the
    schedule: outside it there was nothing to record anyway. A stopped recorder explains a gap before
    a camera's outage does (while the recorder was down, nothing watched the camera).
    """
    if end <= start:
        raise ValueError(f"존재확인 구간의 끝({end})이 시작({start})보다 늦어야 합니다")
    have = _clip(merge(footage, tolerance), start, end)
    gone = merge(destroyed)
    erased = merge(deleted)
    broken = merge(damaged)
    stopped = merge(recorder_down)
    down = merge(outages)
    planned = None if scheduled is None else merge(scheduled)
    result: list[Interval] = []
    cursor = start
    gaps: list[Span] = []
    for s, e in have:
        if s > cursor:
            gaps.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end:
        gaps.append((cursor, end))
    pieces: list[Interval] = [Interval(s, e, Coverage.FOOTAGE) for s, e in have]
    for gap in gaps:
        destroyed_parts, remaining = _subtract(gap, gone)
        pieces += [Interval(s, e, Coverage.DESTROYED) for s, e in destroyed_parts]
        rest: list[Span] = []
        for part in remaining:
            erased_parts, left = _subtract(part, erased)
            pieces += [Interval(s, e, Coverage.DELETED) for s, e in erased_parts]
            rest += left
        for kept in rest:
            damaged_parts, unstored = _subtract(kept, broken)
            pieces += [Interval(s, e, Coverage.DAMAGED) for s, e in damaged_parts]
            for part in unstored:
                inside, outside = ([part], []) if planned is None else _subtract(part, planned)
                pieces += [Interval(s, e, Coverage.NOT_SCHEDULED) for s, e in outside]
                for scheduled_part in inside:
                    unwatched, watched = _subtract(scheduled_part, stopped)
                    pieces += [Interval(s, e, Coverage.RECORDER_DOWN) for s, e in unwatched]
                    for part_watched in watched:
                        failed, unexplained = _subtract(part_watched, down)
                        pieces += [Interval(s, e, Coverage.CAMERA_DOWN) for s, e in failed]
                        pieces += [Interval(s, e, Coverage.NOT_RECORDING) for s, e in unexplained]
    for piece in sorted(pieces, key=lambda i: i.start):
        if result and result[-1].coverage is piece.coverage and result[-1].end == piece.start:
            result[-1] = Interval(result[-1].start, piece.end, piece.coverage)
        else:
            result.append(piece)
    return result


def overlapping(
    new: Iterable[Span], existing: Iterable[Span], tolerance: timedelta = DEFAULT_JOIN_TOLERANCE
) -> list[tuple[Span, Span]]:
    """Pairs (new span, existing span) that overlap by more than `tolerance`.

    Segments are cut at keyframes, so two consecutive ones (the recorder's, or a file's next to the
    recorder's) may overlap by a frame at their boundary: that is one recording, not two versions of
    it. More than that is the same time stored twice (R41: one minute, one footage).
    """
    have = sorted(existing)
    found: list[tuple[Span, Span]] = []
    for span in sorted(new):
        for other in have:
            if other[0] >= span[1]:
                break
            if min(span[1], other[1]) - max(span[0], other[0]) > tolerance:
                found.append((span, other))
    return found


def scheduled_intervals(
    schedule: Schedule,
    start: datetime,
    end: datetime,
    zone: tzinfo,
    *,
    segment: str | None = None,
    holidays: frozenset[date] | set[date] = frozenset(),
) -> list[Span]:
    """When `schedule` has recording in [start, end), at minute resolution on the local wall clock."""
    if schedule.is_always:
        return [(start, end)]
    spans: list[Span] = []
    minute = timedelta(minutes=1)
    local = start.astimezone(zone).replace(second=0, microsecond=0)
    stop = end.astimezone(zone)
    open_at: datetime | None = None
    while local < stop:
        on = (
            schedule_status(schedule, local.replace(tzinfo=None), segment=segment, holidays=holidays)
            is ScheduleStatus.RECORDING
        )
        if on and open_at is None:
            open_at = local
        elif not on and open_at is not None:
            spans.append((open_at, local))
            open_at = None
        local = (local.astimezone(zone) + minute).astimezone(zone)
    if open_at is not None:
        spans.append((open_at, stop))
    return _clip(spans, start, end)
