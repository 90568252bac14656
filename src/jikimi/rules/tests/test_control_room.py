"""오산시 지침 제21조① (continuous shifts) and 제24조⑥ (committee terms: 2 years, renewable once)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jikimi.rules.control_room import (
    Coverage,
    MembershipKind,
    Term,
    TermRefused,
    check_term,
    full_term_end,
    is_renewal,
    roster_gaps,
    serving_on,
)


@pytest.fixture(autouse=True)
def _pinned_clock():
    # The rules read no clock; pinned anyway so that nothing here depends on the day the suite runs.
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=SEOUL), tick=False):
        yield


SEOUL = ZoneInfo("Asia/Seoul")
MONDAY = datetime(2026, 12, 7, 0, 0, tzinfo=SEOUL)
APPOINTED = MembershipKind.APPOINTED


def at(hours: float) -> datetime:
    return MONDAY + timedelta(hours=hours)


def test_day_and_night_shifts_cover_the_day():
    shifts = [Coverage(at(-3), at(9), 2), Coverage(at(9), at(21), 3), Coverage(at(21), at(33), 2)]
    assert roster_gaps(shifts, at(0), at(24)) == []


def test_an_uncovered_night_and_an_unstaffed_shift_are_gaps():
    shifts = [Coverage(at(9), at(18), 2), Coverage(at(18), at(21), 0)]
    gaps = roster_gaps(shifts, at(0), at(24))
    assert [(g.start, g.end) for g in gaps] == [(at(0), at(9)), (at(18), at(24))]
    assert gaps[1].hours == 6


def test_overlapping_shifts_merge_and_an_empty_roster_is_one_gap():
    shifts = [Coverage(at(0), at(10), 1), Coverage(at(8), at(12), 1), Coverage(at(11), at(24), 1)]
    assert roster_gaps(shifts, at(0), at(24)) == []
    assert [(g.start, g.end) for g in roster_gaps([], at(0), at(168))] == [(at(0), at(168))]


def test_a_full_term_is_two_years_less_a_day():
    assert full_term_end(date(2027, 1, 1)) == date(2028, 12, 31)
    assert full_term_end(date(2028, 2, 29)) == date(2030, 2, 27)


def test_a_first_term_and_one_renewal_are_allowed_a_third_in_a_row_is_not():
    first = Term(date(2023, 1, 1), date(2024, 12, 31))
    second = Term(date(2025, 1, 1), date(2026, 12, 31))
    check_term(APPOINTED, [], first)
    check_term(APPOINTED, [first], second)
    assert is_renewal([first], second)
    with pytest.raises(TermRefused, match="1회에 한하여 연임"):
        check_term(APPOINTED, [first, second], Term(date(2027, 1, 1), date(2028, 12, 31)))


def test_after_a_break_a_member_may_be_appointed_again():
    first = Term(date(2019, 1, 1), date(2020, 12, 31))
    second = Term(date(2021, 1, 1), date(2022, 12, 31))
    later = Term(date(2024, 3, 1), date(2026, 2, 28))
    check_term(APPOINTED, [first, second], later)
    assert not is_renewal([first, second], later)


def test_a_term_longer_than_two_years_backwards_or_overlapping_is_refused():
    with pytest.raises(TermRefused, match="임기는 2년"):
        check_term(APPOINTED, [], Term(date(2027, 1, 1), date(2029, 1, 1)))
    with pytest.raises(TermRefused, match="앞섭니다"):
        check_term(APPOINTED, [], Term(date(2027, 1, 1), date(2026, 1, 1)))
    with pytest.raises(TermRefused, match="겹칩니다"):
        check_term(
            APPOINTED, [Term(date(2025, 1, 1), date(2026, 12, 31))], Term(date(2026, 6, 1), date(2027, 5, 31))
        )


def test_a_shorter_term_fills_a_vacancy_and_ex_officio_members_hold_none():
    check_term(APPOINTED, [], Term(date(2027, 1, 1), date(2027, 6, 30)))
    with pytest.raises(TermRefused, match="당연직"):
        check_term(MembershipKind.EX_OFFICIO, [], Term(date(2027, 1, 1), date(2027, 6, 30)))


def test_serving_on_a_day():
    terms = [Term(date(2025, 1, 1), date(2026, 12, 31))]
    assert serving_on(terms, date(2026, 12, 31)) and not serving_on(terms, date(2027, 1, 1))
