"""jikimi.rules.policy_dates (R7) — pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from jikimi.rules.policy_dates import (
    PolicyDateError,
    check_policy_dates,
    format_dotted_date,
    format_korean_date,
)


def test_seven_days_of_notice_gives_no_warning():
    assert check_policy_dates(date(2024, 8, 23), date(2024, 9, 1)).warnings == ()


def test_less_notice_than_the_institution_asks_is_a_warning():
    check = check_policy_dates(date(2024, 8, 30), date(2024, 9, 1), notice_days=7)
    assert check.notice_days == 2
    assert "2일" in check.warnings[0] and "7일" in check.warnings[0]


def test_the_institution_may_ask_for_a_different_notice():
    assert check_policy_dates(date(2024, 8, 30), date(2024, 9, 1), notice_days=2).warnings == ()


def test_effective_before_announced_is_an_error():
    with pytest.raises(PolicyDateError):
        check_policy_dates(date(2024, 9, 2), date(2024, 9, 1))


def test_dates_are_written_as_the_policies_write_them():
    assert format_korean_date(date(2024, 9, 1)) == "2024년 9월 1일"
    assert format_dotted_date(date(2024, 9, 1)) == "2024.09.01"
