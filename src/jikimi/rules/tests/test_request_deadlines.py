"""When a data subject's request must be answered (R22: 법 제35조③④, 시행령 제41조⑤; R24: 법 제36조,
시행령 제43조③), counted as the 민법 counts (제157조 초일 불산입, 제161조 a last day on a Saturday or a
public holiday moves to the next working day). Pure: the public holidays are passed in as dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jikimi.rules.request_deadlines import (
    ANSWER_DAYS,
    answer_due,
    days_left,
    is_working_day,
    next_working_day,
    period_end,
)

NONE: frozenset[date] = frozenset()
# 관공서의 공휴일에 관한 규정 (2026–2027), as the `holidays` package gives them to jikimi.lib.public_holidays.
SEOLLAL_2026 = frozenset({date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18)})
CHUSEOK_2026 = frozenset({date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 26)})
# 개천절 2026-10-03 is a Saturday: its 대체공휴일 is Monday 2026-10-05 (제3조).
GAECHEONJEOL_2026 = frozenset({date(2026, 10, 3), date(2026, 10, 5)})
# 설날 2027 runs Saturday 02-06 to Monday 02-08; Sunday 02-07 overlaps it, so Tuesday 02-09 is its 대체공휴일.
SEOLLAL_2027 = frozenset({date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8), date(2027, 2, 9)})
HOLIDAYS = SEOLLAL_2026 | CHUSEOK_2026 | GAECHEONJEOL_2026 | SEOLLAL_2027


def test_R22_the_answer_period_is_ten_days_as_the_act_says() -> None:
    assert ANSWER_DAYS == 10


def test_R22_the_day_the_request_arrives_is_not_counted_so_ten_days_end_on_the_tenth_day_after() -> None:
    # 민법 제157조: received Monday 2026-11-02, day 1 is Tuesday 11-03, day 10 is Thursday 11-12.
    assert answer_due(date(2026, 11, 2), NONE) == date(2026, 11, 12)
    assert date(2026, 11, 12) - date(2026, 11, 2) == timedelta(days=ANSWER_DAYS)


def test_R22_weekends_inside_the_period_are_counted_and_do_not_lengthen_it() -> None:
    # Received Friday 2026-11-06: the weekends of 11-07/08 and 11-14/15 are days of the period.
    assert answer_due(date(2026, 11, 6), NONE) == date(2026, 11, 16)


def test_R22_a_due_day_on_a_saturday_moves_to_the_monday() -> None:
    # 민법 제161조: day 10 is Saturday 2026-11-14 → Monday 11-16.
    assert answer_due(date(2026, 11, 4), NONE) == date(2026, 11, 16)


def test_R22_a_due_day_on_a_sunday_moves_to_the_monday() -> None:
    # Sunday is a public holiday (관공서의 공휴일에 관한 규정 제2조 1호): day 10 is Sunday 11-15.
    assert answer_due(date(2026, 11, 5), NONE) == date(2026, 11, 16)


def test_R22_a_request_received_on_a_weekend_counts_from_the_next_day() -> None:
    # Received online on Saturday 2026-11-07: day 1 is Sunday 11-08, day 10 is Tuesday 11-17.
    assert answer_due(date(2026, 11, 7), NONE) == date(2026, 11, 17)


def test_R22_a_due_day_in_chuseok_2026_moves_past_the_holidays_and_the_weekend_after_them() -> None:
    # Day 10 is Thursday 2026-09-24 (추석 전날); 09-25 추석, 09-26 Saturday, 09-27 Sunday → Monday 09-28.
    assert answer_due(date(2026, 9, 14), HOLIDAYS) == date(2026, 9, 28)
    # Without the holidays the answer would have been due on the Thursday.
    assert answer_due(date(2026, 9, 14), NONE) == date(2026, 9, 24)


def test_R22_a_due_day_on_a_saturday_holiday_moves_past_its_substitute_holiday() -> None:
    # Day 10 is Saturday 2026-10-03 (개천절); Sunday 10-04; Monday 10-05 is the 대체공휴일 → Tuesday 10-06.
    assert answer_due(date(2026, 9, 23), HOLIDAYS) == date(2026, 10, 6)


def test_R22_a_due_day_in_seollal_2026_moves_to_the_thursday() -> None:
    # Day 10 is Monday 2026-02-16 (설날 전날); 02-17, 02-18 설날 → Thursday 02-19.
    assert answer_due(date(2026, 2, 6), HOLIDAYS) == date(2026, 2, 19)


def test_R22_a_due_day_in_seollal_2027_moves_past_its_substitute_holiday() -> None:
    # Day 10 is Sunday 2027-02-07 (설날); 02-08 설날 다음날; 02-09 대체공휴일 → Wednesday 02-10.
    assert answer_due(date(2027, 1, 28), HOLIDAYS) == date(2027, 2, 10)


def test_R22_holidays_inside_the_period_do_not_lengthen_it() -> None:
    # Received Sunday 2026-09-20: 추석 falls inside the period; day 10 is Wednesday 09-30, a working day.
    assert answer_due(date(2026, 9, 20), HOLIDAYS) == date(2026, 9, 30)


def test_R24_a_deletion_request_is_answered_within_the_same_ten_days() -> None:
    # 법 제36조, 시행령 제43조③: 10일 — the same count, the same moves.
    assert answer_due(date(2026, 9, 14), HOLIDAYS) == period_end(date(2026, 9, 14), 10, HOLIDAYS)
    assert answer_due(date(2026, 11, 4), NONE) == date(2026, 11, 16)


def test_R22_a_postponement_counts_its_own_period_from_the_day_its_reason_ends() -> None:
    # 법 제35조③ 후단: a postponed viewing is given once its reason ends; a period set from that day
    # (of any length) is counted the same way (초일 불산입, a last day off work moves).
    reason_ended = date(2026, 9, 21)  # Monday
    assert period_end(reason_ended, 1, HOLIDAYS) == date(2026, 9, 22)
    assert period_end(reason_ended, 3, HOLIDAYS) == date(2026, 9, 28)  # 09-24 추석 전날 → past 추석
    assert period_end(reason_ended, 5, HOLIDAYS) == date(2026, 9, 28)  # Saturday 09-26, 추석 and weekend
    assert period_end(reason_ended, 30, HOLIDAYS) == date(2026, 10, 21)


@pytest.mark.parametrize("days", [0, -1, -10])
def test_R22_a_period_of_no_days_is_refused_in_korean(days: int) -> None:
    with pytest.raises(ValueError, match="기간은 1일 이상"):
        period_end(date(2026, 11, 2), days, NONE)


def test_R22_working_days_are_weekdays_that_are_not_public_holidays() -> None:
    assert is_working_day(date(2026, 9, 23), HOLIDAYS)  # Wednesday
    assert not is_working_day(date(2026, 9, 24), HOLIDAYS)  # 추석 전날, a Thursday
    assert not is_working_day(date(2026, 11, 14), NONE)  # Saturday
    assert not is_working_day(date(2026, 11, 15), NONE)  # Sunday
    assert next_working_day(date(2026, 9, 23), HOLIDAYS) == date(2026, 9, 23)
    assert next_working_day(date(2026, 9, 24), HOLIDAYS) == date(2026, 9, 28)


def test_R22_days_left_is_zero_on_the_due_day_and_negative_once_it_has_passed() -> None:
    due = date(2026, 9, 28)
    assert days_left(due, date(2026, 9, 18)) == 10
    assert days_left(due, date(2026, 9, 27)) == 1
    assert days_left(due, due) == 0
    assert days_left(due, date(2026, 9, 29)) == -1
    assert days_left(date(2027, 1, 4), date(2026, 12, 28)) == 7  # across the year's end


received_days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 15))


@given(received=received_days, days=st.integers(min_value=1, max_value=60))
def test_R22_the_due_day_is_the_first_working_day_on_or_after_the_last_day_of_the_period(
    received: date, days: int
) -> None:
    due = period_end(received, days, HOLIDAYS)
    last = received + timedelta(days=days)
    assert is_working_day(due, HOLIDAYS)
    assert due >= last
    assert all(not is_working_day(last + timedelta(days=n), HOLIDAYS) for n in range((due - last).days))


@given(received=received_days)
def test_R22_R24_the_answer_is_never_due_later_for_an_earlier_request(received: date) -> None:
    assert answer_due(received, HOLIDAYS) <= answer_due(received + timedelta(days=1), HOLIDAYS)
