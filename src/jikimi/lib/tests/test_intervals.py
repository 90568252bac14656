"""An interval reads with the date on both sides when its ends fall on different days (Asia/Seoul).

"2026-12-05 14:53:00 ~ 14:43:14" (issue 12) read as an interval ending before it began: it crossed
midnight and only the start said its day. One function and one template tag format every interval."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from jikimi.lib.intervals import format_interval

SEOUL = ZoneInfo("Asia/Seoul")


def test_across_midnight_both_ends_name_their_day() -> None:
    start = datetime(2026, 12, 5, 14, 53, tzinfo=SEOUL)
    end = datetime(2026, 12, 6, 14, 43, 14, tzinfo=SEOUL)
    assert format_interval(start, end) == "2026-12-05 14:53:00 ~ 2026-12-06 14:43:14"


def test_on_one_day_the_end_goes_without_its_date() -> None:
    start = datetime(2026, 12, 5, 14, 53, tzinfo=SEOUL)
    end = datetime(2026, 12, 5, 15, 43, 14, tzinfo=SEOUL)
    assert format_interval(start, end) == "2026-12-05 14:53:00 ~ 15:43:14"
    assert format_interval(start, end, seconds=False) == "2026-12-05 14:53 ~ 15:43"


def test_the_day_is_seouls_not_utcs() -> None:
    # 23:30 ~ 00:30 KST is 14:30 ~ 15:30 UTC, one UTC day: in Seoul it crosses midnight.
    start = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)
    end = datetime(2026, 12, 5, 15, 30, tzinfo=UTC)
    assert format_interval(start, end) == "2026-12-05 23:30:00 ~ 2026-12-06 00:30:00"
    # 08:00 ~ 10:00 KST is 23:00 ~ 01:00 UTC, two UTC days: in Seoul it is one day.
    assert (
        format_interval(datetime(2026, 12, 4, 23, tzinfo=UTC), datetime(2026, 12, 5, 1, tzinfo=UTC))
        == "2026-12-05 08:00:00 ~ 10:00:00"
    )


@pytest.mark.parametrize(
    ("end", "shown"),
    [
        (datetime(2026, 12, 6, 0, 43, 14, tzinfo=SEOUL), "2026-12-05 14:53:00 ~ 2026-12-06 00:43:14"),
        (datetime(2026, 12, 5, 23, 59, 59, tzinfo=SEOUL), "2026-12-05 14:53:00 ~ 23:59:59"),
    ],
)
def test_the_template_tag_says_the_same(end: datetime, shown: str) -> None:
    template = Template("{% load intervals %}{% interval start end %}")
    assert (
        template.render(Context({"start": datetime(2026, 12, 5, 14, 53, tzinfo=SEOUL), "end": end})) == shown
    )
