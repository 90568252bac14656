"""{% load intervals %} {% interval hold.start hold.end %} · {% interval a b seconds=False %}

The one way an interval of time is shown on a page (jikimi.lib.intervals): Asia/Seoul, the date on
both sides when the ends fall on different days.
"""

from __future__ import annotations

from datetime import datetime

from django import template

from jikimi.lib.intervals import format_interval

register = template.Library()


@register.simple_tag
def interval(start: datetime | None, end: datetime | None, seconds: bool = True) -> str:
    if start is None or end is None:
        return ""
    return format_interval(start, end, seconds=seconds)
