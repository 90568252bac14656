"""Retention (R16) and the destruction deadline (R17), as plain dates: no database, no clock."""

from __future__ import annotations

from datetime import date

import pytest

from jikimi.rules.retention import (
    STANDARD_DESTRUCTION_GRACE_DAYS,
    RetentionError,
    destruction_deadline,
    parse_retention,
)


def test_R16_footage_kept_thirty_days_expires_once_thirty_whole_days_have_passed() -> None:
    assert parse_retention("30일").expiry(date(2025, 3, 1)) == date(2025, 4, 1)


def test_R16_months_count_calendar_months_clamped_to_a_shorter_month() -> None:
    assert parse_retention("1개월").expiry(date(2025, 1, 31)) == date(2025, 3, 1)


def test_R16_permanent_and_not_stored_footage_never_expires() -> None:
    assert parse_retention("준영구").expiry(date(2025, 1, 1)) is None
    assert parse_retention("미보유").expiry(date(2025, 1, 1)) is None


def test_R16_an_unreadable_retention_says_what_it_could_not_read() -> None:
    with pytest.raises(RetentionError, match="'한 달쯤'"):
        parse_retention("한 달쯤")


def test_R17_the_deadline_is_the_expiry_plus_the_institutions_grace_in_days() -> None:
    assert destruction_deadline(date(2025, 3, 31), 5) == date(2025, 4, 5)
    assert destruction_deadline(date(2025, 3, 31), 0) == date(2025, 3, 31)
    assert destruction_deadline(date(2025, 12, 30), 3) == date(2026, 1, 2)


def test_R17_the_standard_grace_is_five_days_as_the_standard_guideline_says() -> None:
    assert STANDARD_DESTRUCTION_GRACE_DAYS == 5


def test_R17_a_retention_gives_its_deadline_through_the_same_function() -> None:
    retention = parse_retention("14일")
    recorded = date(2025, 2, 20)
    expiry = retention.expiry(recorded)
    assert expiry == date(2025, 3, 7)
    assert retention.destruction_deadline(recorded, 7) == destruction_deadline(expiry, 7) == date(2025, 3, 14)
    assert parse_retention("준영구").destruction_deadline(recorded, 5) is None


def test_R17_a_negative_grace_is_refused() -> None:
    with pytest.raises(ValueError, match="0 이상"):
        destruction_deadline(date(2025, 3, 31), -1)
