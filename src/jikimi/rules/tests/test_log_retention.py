"""How long the audit log stays before it may be archived (R39: 2 years; R36: grant history 3 years)."""

from datetime import date

import pytest

from jikimi.rules.log_retention import archive_limits, archive_refusal, years_before


def test_years_before_keeps_the_calendar_day_and_moves_29_february():
    assert years_before(date(2026, 2, 1), 2) == date(2024, 2, 1)
    assert years_before(date(2024, 2, 29), 2) == date(2022, 2, 28)


def test_the_limits_are_two_years_for_the_log_and_three_for_grants():
    limits = archive_limits(date(2026, 2, 1))
    assert limits.access_log_before == date(2024, 2, 1)
    assert limits.grant_history_before == date(2023, 2, 1)


def test_a_longer_institution_period_is_kept_but_never_a_shorter_one():
    assert archive_limits(date(2026, 2, 1), access_log_years=5).access_log_before == date(2021, 2, 1)
    assert archive_limits(date(2026, 2, 1), access_log_years=1).access_log_before == date(2024, 2, 1)


@pytest.mark.parametrize(
    ("before", "refused"),
    [
        (date(2024, 2, 1), False),
        (date(2023, 12, 31), False),
        (date(2024, 2, 2), True),
        (date(2026, 1, 1), True),
    ],
)
def test_archiving_entries_younger_than_two_years_is_refused(before, refused):
    reason = archive_refusal(before, today=date(2026, 2, 1))
    assert (reason is not None) == refused
    if refused:
        assert "제8조①" in reason and "2024-02-01" in reason
