"""R17: the retention sweep trusts the clock only as far as the vault's traces of time vouch for it
(jikimi.rules.retention.check_sweep_clock) — properties over any clock, traces and retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jikimi.rules.coverage import overlapping
from jikimi.rules.retention import Retention, RetentionKind, check_sweep_clock

SEOUL = ZoneInfo("Asia/Seoul")

moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
)
offsets = st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400))
bounds = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=7))
retentions = st.builds(Retention, st.just(RetentionKind.DAYS), st.integers(min_value=1, max_value=400))


def local_day(moment: datetime) -> date:
    return moment.astimezone(SEOUL).date()


@given(now=moments, behind=offsets, footage_behind=offsets, bound=bounds)
def test_retention_is_never_counted_past_the_clock_nor_past_the_newest_footage_plus_the_bound(
    now: datetime, behind: timedelta, footage_behind: timedelta, bound: timedelta
) -> None:
    newest = now - footage_behind
    check = check_sweep_clock(now, SEOUL, last_recorded=now - behind, newest_footage=newest, bound=bound)
    assert check.counting_day <= local_day(now)
    assert check.counting_day <= local_day(min(newest, now)) + timedelta(days=bound.days)


@given(
    now=moments,
    ahead=st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=400)),
    bound=bounds,
)
def test_a_clock_ahead_of_the_last_trace_by_more_than_the_bound_is_not_trusted(
    now: datetime, ahead: timedelta, bound: timedelta
) -> None:
    check = check_sweep_clock(now, SEOUL, last_recorded=now - bound - ahead, newest_footage=None, bound=bound)
    assert not check.trusted and "파기하지 않았습니다" in check.reason


@given(now=moments, share=st.floats(min_value=-30, max_value=1), bound=bounds)
def test_a_clock_within_the_bound_of_its_traces_is_trusted(
    now: datetime, share: float, bound: timedelta
) -> None:
    # share < 0: a trace after the clock (it was set back) is no sign of a jump ahead either.
    last = now - bound * share if share > 0 else now + timedelta(days=-share)
    check = check_sweep_clock(now, SEOUL, last_recorded=last, newest_footage=now, bound=bound)
    assert check.trusted and check.counting_day == local_day(now)


@given(
    now=moments,
    jump=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
    retention=retentions,
)
def test_todays_day_key_is_never_due_however_far_the_clock_jumps(
    now: datetime, jump: timedelta, retention: Retention
) -> None:
    """The issue's scenario: footage recorded today, the clock set ahead; the sweep counts retention to
    at most the footage's day + the bound (2 days), so a key of today with more than 1 day's retention
    is never due — even when the jump went unnoticed (last trace written under the jumped clock)."""
    bound = timedelta(days=2)
    jumped = now + jump
    check = check_sweep_clock(jumped, SEOUL, last_recorded=jumped, newest_footage=now, bound=bound)
    expiry = retention.expiry(local_day(now))
    assert expiry is not None
    if retention.amount > bound.days - 1:
        assert expiry > check.counting_day


def test_the_issue_scenario_sixteen_days_ahead_is_refused() -> None:
    today = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    check = check_sweep_clock(
        today + timedelta(days=16),
        SEOUL,
        last_recorded=today,
        newest_footage=today,
        bound=timedelta(days=2),
    )
    assert not check.trusted and "16일" in check.reason
    assert check.counting_day == date(2026, 11, 25)


def test_a_negative_bound_is_refused() -> None:
    now = datetime(2026, 11, 23, tzinfo=UTC)
    with pytest.raises(ValueError, match="허용 오차"):
        check_sweep_clock(now, SEOUL, last_recorded=None, newest_footage=None, bound=timedelta(-1))


# -- one minute, one footage (R41): rules.coverage.overlapping -------------------------------------

starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
)
lengths = st.timedeltas(min_value=timedelta(seconds=2), max_value=timedelta(hours=1))


@given(start=starts, lengths=st.lists(lengths, min_size=1, max_size=20), slack=st.integers(0, 900))
def test_consecutive_segments_touching_within_a_frame_never_overlap(
    start: datetime, lengths: list[timedelta], slack: int
) -> None:
    """The recorder's own segments (cut at keyframes) may overlap their neighbour by up to a frame."""
    spans = []
    cursor = start
    for length in lengths:
        spans.append((cursor, cursor + length))
        cursor = cursor + length - timedelta(milliseconds=slack)
    assert overlapping(spans[1:], spans[:1]) == [] or len(spans) < 2
    for index in range(1, len(spans)):
        assert overlapping([spans[index]], [spans[index - 1]]) == []


@given(
    start=starts, length=lengths, shift=st.timedeltas(min_value=timedelta(0), max_value=timedelta(minutes=59))
)
def test_the_same_time_stored_twice_always_overlaps(
    start: datetime, length: timedelta, shift: timedelta
) -> None:
    existing = (start, start + length)
    new = (start + shift, start + shift + length)
    found = overlapping([new], [existing])
    assert bool(found) == (length - shift > timedelta(seconds=1))
