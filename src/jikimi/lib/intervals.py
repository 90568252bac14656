"""How an interval of time reads, everywhere it is shown: in Asia/Seoul, with the date on both sides
when the two ends fall on different days.

    2026-12-05 14:53:00 ~ 15:43:14              (one day: the end's date goes without saying)
    2026-12-05 14:53:00 ~ 2026-12-06 00:43:14   (across midnight: the end names its day)

"2026-12-05 14:53:00 ~ 14:43:14" — the date on the start only — read as an interval that ends before it
begins (issue 12). Templates use the `interval` tag (jikimi.lib.templatetags.intervals); messages call
`format_interval`.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from jikimi.lib.clock import SEOUL

SEPARATOR = " ~ "


def format_interval(start: datetime, end: datetime, *, seconds: bool = True, zone: tzinfo = SEOUL) -> str:
    """`start ~ end` in `zone` (aware datetimes; naive ones are taken as already in `zone`)."""
    if start.tzinfo is not None:
        start = start.astimezone(zone)
    if end.tzinfo is not None:
        end = end.astimezone(zone)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    end_format = clock if start.date() == end.date() else f"%Y-%m-%d {clock}"
    return f"{start.strftime(f'%Y-%m-%d {clock}')}{SEPARATOR}{end.strftime(end_format)}"
