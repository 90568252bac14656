"""The pure existence-check computation (jikimi.rules.coverage)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jikimi.rules.coverage import Coverage, coverage, merge, scheduled_intervals
from jikimi.rules.schedule import parse_schedule

SEOUL = ZoneInfo("Asia/Seoul")


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SEOUL)


def test_adjacent_segments_are_one_interval_of_footage() -> None:
    spans = [(at(9), at(9, 1)), (at(9, 1), at(9, 2))]
    assert coverage(at(9), at(9, 2), spans) == [coverage(at(9), at(9, 2), [(at(9), at(9, 2))])[0]]


def test_gaps_say_why_destroyed_wins_over_not_scheduled() -> None:
    scheduled = [(at(7), at(9))]
    result = coverage(at(6), at(12), [(at(8), at(8, 30))], destroyed=[(at(11), at(12))], scheduled=scheduled)
    assert [(i.start.hour, i.start.minute, i.coverage) for i in result] == [
        (6, 0, Coverage.NOT_SCHEDULED),
        (7, 0, Coverage.NOT_RECORDING),
        (8, 0, Coverage.FOOTAGE),
        (8, 30, Coverage.NOT_RECORDING),
        (9, 0, Coverage.NOT_SCHEDULED),
        (11, 0, Coverage.DESTROYED),
    ]


def test_a_recorded_outage_explains_a_scheduled_gap_only() -> None:
    # The camera was down 7:30–10:00 but recording is scheduled 7–9: 9–10 is simply not scheduled.
    result = coverage(
        at(7),
        at(11),
        [(at(10), at(11))],
        scheduled=[(at(7), at(9)), (at(10), at(11))],
        outages=[(at(7, 30), at(10))],
    )
    assert [(i.start.hour, i.start.minute, i.coverage) for i in result] == [
        (7, 0, Coverage.NOT_RECORDING),
        (7, 30, Coverage.CAMERA_DOWN),
        (9, 0, Coverage.NOT_SCHEDULED),
        (10, 0, Coverage.FOOTAGE),
    ]


def test_destroyed_wins_over_an_outage_and_footage_over_both() -> None:
    result = coverage(
        at(8), at(10), [(at(9), at(10))], destroyed=[(at(8), at(8, 30))], outages=[(at(8), at(10))]
    )
    assert [(i.start.minute, i.coverage) for i in result] == [
        (0, Coverage.DESTROYED),
        (30, Coverage.CAMERA_DOWN),
        (0, Coverage.FOOTAGE),
    ]


def test_the_window_must_run_forward() -> None:
    with pytest.raises(ValueError, match="늦어야"):
        coverage(at(9), at(8), [])


def test_merge_joins_overlapping_and_near_spans() -> None:
    assert merge([(at(9), at(10)), (at(9, 30), at(11)), (at(11, 0), at(12))]) == [(at(9), at(12))]
    assert merge([(at(9), at(10)), (at(10) + timedelta(seconds=1), at(11))], timedelta(seconds=1)) == [
        (at(9), at(11))
    ]


def test_weekday_hours_become_intervals_in_the_local_zone() -> None:
    # 2026-11-23 is a Monday, 11-22 a Sunday.
    spans = scheduled_intervals(parse_schedule("평일 07:00~09:00"), at(0, day=22), at(0, day=24), SEOUL)
    assert spans == [(at(7), at(9))]
    assert spans[0][0].astimezone(UTC).hour == 22


def test_always_is_the_whole_window() -> None:
    assert scheduled_intervals(parse_schedule("24시간"), at(0), at(5), SEOUL) == [(at(0), at(5))]
