"""The Seoul clock: the institution's calendar day, in which retention, holds and the log are counted.

Times are stored in UTC and shown in Asia/Seoul (DESIGN.md). A day is a calendar day in Asia/Seoul
("30일" means 30 local days, from 00:00 KST, which is 15:00 UTC the day before). Every module that
needs the zone or a day's bounds takes them from here, so there is one definition of each.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

SEOUL = ZoneInfo("Asia/Seoul")


def today() -> date:
    """Today in Asia/Seoul."""
    return timezone.now().astimezone(SEOUL).date()


def start_of_day(day: date) -> datetime:
    """00:00 in Asia/Seoul of `day`, as an aware datetime."""
    return datetime.combine(day, time(), SEOUL)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The interval of one local day: [00:00 KST of `day`, 00:00 KST of the next day)."""
    return start_of_day(day), start_of_day(day + timedelta(days=1))
