"""The monthly review of the log (안전성 확보조치 기준 제8조②, R40): what the reviewer checks each month.

- every download and export of personal data, with its reason (DOWNLOAD_EVENTS);
- viewings of personal video after hours (VIEWING_EVENTS): outside 09:00–18:00 on a working day, or on
  a Saturday, Sunday or public holiday (관공서의 공휴일, jikimi.lib.public_holidays), in Asia/Seoul;
- how many viewings each person made, flagging whoever made more than OUTLIER_FACTOR times the median
  of the people who viewed that month (one person alone is never an outlier of himself).

All of it within what the reviewer may read (jikimi.audit.access.readable_entries).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Max, QuerySet

from jikimi.audit.events import DOWNLOAD_EVENTS, VIEWING_EVENTS
from jikimi.audit.models import AuditEntry, AuditReview
from jikimi.lib.clock import SEOUL, start_of_day, today
from jikimi.lib.public_holidays import holidays_between

WORK_STARTS = time(9, 0)
WORK_ENDS = time(18, 0)
OUTLIER_FACTOR = 3
MAX_LISTED = 1000  # rows of a list on the page; the counts above it are complete

WORKING_HOURS_RULE = (
    "근무시간 외 열람: 평일 09:00~18:00 밖, 또는 토요일·일요일·공휴일(관공서의 공휴일, 대체공휴일 포함)의 열람 "
    "(서울 시각)"
)
OUTLIER_RULE = (
    f"열람량 이상: 그 달 한 사람의 열람 건수가 열람한 사람들의 중앙값의 {OUTLIER_FACTOR}배를 넘는 경우"
)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def month_has_ended(month: date) -> bool:
    """Whether the whole month lies before today (Asia/Seoul): only an ended month can be signed."""
    return next_month(month) <= today()


def after_hours(moment: datetime, holidays: frozenset[date]) -> bool:
    """Whether `moment` falls outside working hours in Asia/Seoul (see WORKING_HOURS_RULE)."""
    local = moment.astimezone(SEOUL)
    if local.weekday() >= 5 or local.date() in holidays:
        return True
    return not WORK_STARTS <= local.time() < WORK_ENDS


@dataclass(frozen=True)
class PersonViewings:
    actor_id: int | None
    label: str
    count: int
    outlier: bool


@dataclass(frozen=True)
class MonthReview:
    month: date
    downloads: list[AuditEntry]
    downloads_total: int
    after_hours: list[AuditEntry]
    after_hours_total: int
    people: list[PersonViewings]
    median: float
    signed: AuditReview | None

    @property
    def outliers(self) -> list[PersonViewings]:
        return [person for person in self.people if person.outlier]

    @property
    def last_day(self) -> date:
        return next_month(self.month) - timedelta(days=1)


def _in_month(among: QuerySet[AuditEntry], month: date) -> QuerySet[AuditEntry]:
    return among.filter(at__gte=start_of_day(month), at__lt=start_of_day(next_month(month)))


def viewings_by_person(viewings: QuerySet[AuditEntry]) -> tuple[list[PersonViewings], float]:
    """Each person's number of viewings, most first, and the median the outliers are measured against."""
    rows = list(
        viewings.order_by()
        .values("actor_id")
        .annotate(n=Count("id"), label=Max("actor_label"))
        .values_list("actor_id", "label", "n")
    )
    median = float(statistics.median([n for _, _, n in rows])) if rows else 0.0
    people = [
        PersonViewings(
            actor_id,
            label if actor_id is not None else f"{label} (계정 없음)",
            n,
            n > OUTLIER_FACTOR * median,
        )
        for actor_id, label, n in rows
    ]
    return sorted(people, key=lambda p: (-p.count, p.label)), median


def month_review(month: date, among: QuerySet[AuditEntry], scope_key: str) -> MonthReview:
    """The review of `month` (its first day) over `among`, and its sign-off if the month was signed."""
    entries = _in_month(among, month).select_related("actor").order_by("sequence")
    downloads = entries.filter(action__in=[event.value for event in DOWNLOAD_EVENTS])
    viewings = entries.filter(action__in=[event.value for event in VIEWING_EVENTS])
    holidays = holidays_between(month.year, month.year)
    late = [entry for entry in viewings.iterator(chunk_size=2000) if after_hours(entry.at, holidays)]
    people, median = viewings_by_person(viewings)
    return MonthReview(
        month=month,
        downloads=list(downloads[:MAX_LISTED]),
        downloads_total=downloads.count(),
        after_hours=late[:MAX_LISTED],
        after_hours_total=len(late),
        people=people,
        median=median,
        signed=AuditReview.objects.filter(month=month, scope_key=scope_key).first(),
    )


def current_month() -> date:
    return first_of_month(today())
