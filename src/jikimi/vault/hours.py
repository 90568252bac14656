"""When a device may record: the register's recording hours (촬영시간, R9) as wall-clock windows.

Footage outside the published hours is neither recorded nor stored (영 제25조①4호: the hours are part
of the published policy, and 법 제25조① allows recording only as published). Three sources:

- the device's recording hours (vault.terms: its location's, else its group's), read by
  `jikimi.rules.schedule` on the Asia/Seoul wall clock;
- Korean public holidays, for "평일" (which excludes them): from the `holidays` package
  (jikimi.lib.public_holidays), not in `jikimi.rules`, which stays pure (stdlib only);
- for event-driven hours (강우시에만, 필요시), the recording windows officers or an external signal
  opened and closed (RecordingTrigger, actions.recording_triggers).

Published words with no machine meaning ("산불기간") reach this module as "필요시" — recorded only in
opened windows — unless the officer stated a schedule (jikimi.inventory.device_terms.machine_terms,
issue 16). Only an empty text, which the register's checks report as missing, still counts as always
here (the existence check says so in its note) rather than silently dropping footage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.lib.public_holidays import holidays_between
from jikimi.rules.coverage import Span, merge, scheduled_intervals
from jikimi.rules.schedule import Schedule, ScheduleError, parse_schedule
from jikimi.vault.models import RecordingTrigger
from jikimi.vault.terms import device_terms


def public_holidays(start: datetime, end: datetime) -> frozenset[date]:
    """관공서의 공휴일 (with substitute and election days) of the years [start, end] touches, in Seoul."""
    first, last = start.astimezone(SEOUL).year, end.astimezone(SEOUL).year
    return holidays_between(first, last)


@dataclass(frozen=True)
class RecordingWindows:
    """The spans of [start, end) in which `device` may record; `note` says why hours were not used."""

    spans: list[Span]
    hours: str
    note: str = ""


def device_schedule(device: Device) -> tuple[Schedule | None, str, str]:
    """(schedule, hours text, note): None with a note when the text cannot be read."""
    hours = device_terms(device).recording_hours
    try:
        return parse_schedule(hours), hours, ""
    except ScheduleError as error:
        return None, hours, f"촬영 시간 '{hours}'을(를) 읽을 수 없어 항상 촬영으로 보았습니다: {error}"


def triggered_spans(device: Device, start: datetime, end: datetime) -> list[Span]:
    """The windows opened for `device` or its whole group overlapping [start, end).

    A window still open runs on until it is stopped: to the end of what is asked, so that a segment
    the recorder hands over a moment after it was recorded is kept.
    """
    rows = RecordingTrigger.objects.filter(
        Q(device=device) | Q(device__isnull=True),
        device_group_id=device.device_group_id,
        start__lt=end,
    ).filter(Q(end__isnull=True) | Q(end__gt=start))
    spans = [(row.start, row.end or end) for row in rows]
    return [(max(s, start), min(e, end)) for s, e in spans if s < end and e > start]


def recording_windows(device: Device, start: datetime, end: datetime) -> RecordingWindows:
    """When `device` may record in [start, end) (aware datetimes; spans come back in Asia/Seoul)."""
    schedule, hours, note = device_schedule(device)
    local_start, local_end = start.astimezone(SEOUL), end.astimezone(SEOUL)
    if schedule is None:
        return RecordingWindows([(local_start, local_end)], hours, note)
    if schedule.is_always:
        return RecordingWindows([(local_start, local_end)], hours)
    spans = scheduled_intervals(
        schedule, local_start, local_end, SEOUL, holidays=public_holidays(local_start, local_end)
    )
    if schedule.has_triggered_hours():
        spans = merge(
            [
                *spans,
                *((s.astimezone(SEOUL), e.astimezone(SEOUL)) for s, e in triggered_spans(device, start, end)),
            ]
        )
    return RecordingWindows(spans, hours)


def may_record_now(device: Device) -> bool:
    """Whether `device` is inside its recording hours (or an opened window) at this minute."""
    now = timezone.now()
    return bool(recording_windows(device, now, now + timedelta(seconds=1)).spans)
