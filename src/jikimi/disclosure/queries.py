"""Reads of requests: their devices, clock, history and the people to remind.

Who may see which request, and who may speak for it, is `jikimi.disclosure.scope` (R36); the desk's
list and page read through it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, QuerySet

from jikimi.accounts.models import Role, RoleGrant
from jikimi.accounts.permissions import (
    Permission,
    has_permission,
    roles_with,
)
from jikimi.audit.display import DetailLine, detail_lines
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import PlaceResolution, SubjectRequest
from jikimi.disclosure.scope import may_handle, requests_for
from jikimi.inventory.models import Device, Institution
from jikimi.lib.public_holidays import holidays_between
from jikimi.rules.request_deadlines import days_left, is_working_day

# Not answered yet: the 10-day clock runs (법 제35조③, 제36조). A decided request is answered.
WAITING = (SubjectRequest.State.RECEIVED, SubjectRequest.State.IDENTITY_VERIFIED)
OPEN = (*WAITING, SubjectRequest.State.DECIDED)
# Reminded when the due day is at most this many working days away (the due day itself counted).
REMIND_WORKING_DAYS = 2


def is_overdue(request: SubjectRequest, today: date) -> bool:
    return request.state in WAITING and request.due_on < today


def holidays_around(today: date) -> frozenset[date]:
    return holidays_between(today.year - 1, today.year + 1)


def working_days_until(due_on: date, today: date, public_holidays: Collection[date]) -> int:
    """Working days after today up to and including the due day (0 when due today or past)."""
    count, day = 0, today
    while day < due_on:
        day += timedelta(days=1)
        if is_working_day(day, public_holidays):
            count += 1
    return count


def due_soon(request: SubjectRequest, today: date, public_holidays: Collection[date]) -> bool:
    """Not answered, not overdue, and due within REMIND_WORKING_DAYS working days."""
    return (
        request.state in WAITING
        and request.due_on >= today
        and working_days_until(request.due_on, today, public_holidays) <= REMIND_WORKING_DAYS
    )


@dataclass(frozen=True)
class ListedRequest:
    request: SubjectRequest
    days_left: int | None  # None once answered (decided, closed, withdrawn)
    overdue: bool

    @property
    def place_unresolved(self) -> bool:
        """Only a typed place and no site yet: nothing held or checked until an officer gives its sites."""
        return bool(self.request.place_text) and not getattr(self.request, "named_sites", 1)

    @property
    def days_over(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def listed(requests: QuerySet[SubjectRequest], today: date) -> list[ListedRequest]:
    return [
        ListedRequest(
            r,
            days_left(r.due_on, today) if r.state in WAITING else None,
            is_overdue(r, today),
        )
        for r in requests
    ]


def filtered(
    requests: QuerySet[SubjectRequest], state: str, overdue: bool, today: date
) -> QuerySet[SubjectRequest]:
    """`state`: "open", "all" or one State value; `overdue`: only those past due and unanswered."""
    if state == "open":
        requests = requests.filter(state__in=OPEN)
    elif state != "all":
        requests = requests.filter(state=state)
    if overdue:
        requests = requests.filter(state__in=WAITING, due_on__lt=today)
    # How many sites each names (ListedRequest.place_unresolved).
    return requests.annotate(named_sites=Count("locations", distinct=True))


def request_devices(request: SubjectRequest) -> QuerySet[Device]:
    """The devices at the request's sites: the footage it asks about."""
    return (
        Device.objects.filter(location__in=request.locations.all())
        .select_related("device_group", "device_group__department", "location")
        .order_by("location__name", "name")
    )


def devices_to_check(user: Any, request: SubjectRequest) -> tuple[list[Device], int]:
    """(the request's devices whose footage `user` may search, how many others it names).

    R36: handling a request that names sites of two departments does not open the other department's
    footage; its officers check theirs on the same request.
    """
    devices = list(request_devices(request))
    mine = [d for d in devices if has_permission(user, Permission.VIEW_FOOTAGE, device_group=d.device_group)]
    return mine, len(devices) - len(mine)


@dataclass(frozen=True)
class HistoryEntry:
    entry: AuditEntry
    label: str
    lines: list[DetailLine]


def history(request: SubjectRequest) -> list[HistoryEntry]:
    """The request's audit entries, oldest first, as Korean lines; page openings left out (noise)."""
    entries = (
        AuditEntry.objects.filter(target_type=SubjectRequest._meta.label, target_id=str(request.pk))
        .exclude(action=AuditEvent.DISCLOSURE_VIEW_REQUEST)
        .order_by("sequence")
    )
    return [
        HistoryEntry(e, AuditEvent(e.action).label, detail_lines(e.action, e.details, e.target_type))
        for e in entries
    ]


def handlers_of(request: SubjectRequest) -> list[Any]:
    """The active users who hold HANDLE_REQUESTS over `request` (whole institution or one of its sites)."""
    grants = RoleGrant.objects.filter(
        institution_id=request.institution_id,
        revoked_at__isnull=True,
        role__in=roles_with(Permission.HANDLE_REQUESTS),
        user__is_active=True,
    ).select_related("user")
    users = {g.user.pk: g.user for g in grants}
    return sorted((u for u in users.values() if may_handle(u, request)), key=lambda u: u.username)


def privacy_officers(institution: Institution) -> list[Any]:
    """The institution's 개인정보 보호책임자: active users with an unrevoked PRIVACY_OFFICER grant."""
    grants = RoleGrant.objects.filter(
        institution=institution, revoked_at__isnull=True, role=Role.PRIVACY_OFFICER, user__is_active=True
    ).select_related("user")
    return sorted({g.user.pk: g.user for g in grants}.values(), key=lambda u: u.username)


@dataclass(frozen=True)
class Workload:
    """What the dashboard says: open requests, those due within two working days, those overdue."""

    open: list[SubjectRequest]
    due_soon: list[SubjectRequest]
    overdue: list[SubjectRequest]


def workload(user: Any, today: date) -> Workload:
    requests = list(requests_for(user).filter(state__in=OPEN))
    holidays = holidays_around(today)
    return Workload(
        requests,
        [r for r in requests if due_soon(r, today, holidays)],
        [r for r in requests if is_overdue(r, today)],
    )


def place_resolutions(request: SubjectRequest) -> list[PlaceResolution]:
    """The sites officers gave the request's typed place (actions.places), oldest first."""
    return list(
        PlaceResolution.objects.filter(request=request)
        .prefetch_related("locations")
        .order_by("resolved_at", "pk")
    )
