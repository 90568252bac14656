"""The Seoul clock: one zone, one definition of "today" and of a day's bounds (DESIGN: store UTC, show Seoul)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from django.conf import settings

from jikimi.lib import clock


def test_django_shows_times_in_the_same_zone_the_clock_counts_days_in():
    assert settings.TIME_ZONE == clock.SEOUL.key == "Asia/Seoul"


def test_R16_a_seoul_day_starts_at_15_utc_the_day_before():
    start, end = clock.day_bounds(date(2026, 3, 1))
    assert start == datetime(2026, 2, 28, 15, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    assert clock.start_of_day(date(2026, 3, 1)) == start


def test_R16_today_is_the_seoul_calendar_day_not_the_utc_one():
    with time_machine.travel(datetime(2026, 2, 28, 15, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2026, 3, 1)
    with time_machine.travel(datetime(2026, 2, 28, 14, 59, tzinfo=UTC), tick=False):
        assert clock.today() == date(2026, 2, 28)
