"""What the control centre's pages read: who is on duty, the coming week's gaps, visits and the door log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet

from jikimi.accounts.models import RoleGrant, User
from jikimi.accounts.permissions import Permission, roles_with
from jikimi.control.models import DoorEntry, DoorLogImport, Handover, SecurityCheck, Shift, ShiftMember, Visit
from jikimi.inventory.models import Institution
from jikimi.lib.clock import SEOUL, start_of_day
from jikimi.rules.control_room import Coverage, Gap, roster_gaps

ROSTER_DAYS = 7  # 365일 24시간 (오산시 지침 제21조①): the coming week is checked for holes


def room_staff(institution: Institution) -> QuerySet[User]:
    """Active accounts that work in or run the room (업무담당자, 제22조①)."""
    roles = set(roles_with(Permission.WORK_CONTROL_ROOM)) | set(roles_with(Permission.MANAGE_CONTROL_ROOM))
    grants = RoleGrant.objects.filter(institution=institution, revoked_at__isnull=True, role__in=roles)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("name", "username")


def on_duty(institution: Institution, now: datetime) -> list[ShiftMember]:
    return list(
        ShiftMember.objects.filter(
            shift__institution=institution, shift__starts_at__lte=now, shift__ends_at__gt=now
        )
        .select_related("person", "shift")
        .order_by("shift__starts_at", "duty", "person__name")
    )


def current_shift(institution: Institution, now: datetime) -> Shift | None:
    return (
        Shift.objects.filter(institution=institution, starts_at__lte=now, ends_at__gt=now)
        .order_by("-starts_at")
        .first()
    )


@dataclass(frozen=True)
class Roster:
    shifts: Sequence[Shift]
    gaps: list[Gap]
    start: datetime
    end: datetime


def coming_roster(institution: Institution, now: datetime) -> Roster:
    """Shifts from now to the end of the 7th day ahead, and the gaps in them (제21조①)."""
    start = now
    end = start_of_day(now.astimezone(SEOUL).date() + timedelta(days=ROSTER_DAYS + 1))
    shifts = list(
        Shift.objects.filter(institution=institution, ends_at__gt=start, starts_at__lt=end)
        .annotate(staffed=Count("members"))
        .prefetch_related("members__person")
        .order_by("starts_at")
    )
    coverage = [Coverage(s.starts_at, s.ends_at, s.staffed) for s in shifts]
    return Roster(shifts, roster_gaps(coverage, start, end), start, end)


def recent_handovers(institution: Institution, limit: int = 10) -> list[Handover]:
    return list(
        Handover.objects.filter(institution=institution)
        .select_related("handed_by", "received_by", "from_shift")
        .order_by("-written_at", "-pk")[:limit]
    )


def recent_checks(institution: Institution, limit: int = 10) -> list[SecurityCheck]:
    return list(
        SecurityCheck.objects.filter(institution=institution)
        .select_related("checked_by", "visit")
        .order_by("-checked_at", "-pk")[:limit]
    )


def visits(institution: Institution, state: str = "") -> QuerySet[Visit]:
    found = Visit.objects.filter(institution=institution).select_related(
        "requested_by", "decided_by", "escort", "exit_check"
    )
    if state:
        found = found.filter(state=state)
    return found.order_by("-visit_on", "-pk")


def unapproved_entries(institution: Institution, limit: int = 200) -> list[DoorEntry]:
    return list(
        DoorEntry.objects.filter(source__institution=institution, unapproved=True)
        .select_related("source")
        .order_by("-passed_at")[:limit]
    )


def door_imports(institution: Institution, limit: int = 10) -> list[DoorLogImport]:
    return list(
        DoorLogImport.objects.filter(institution=institution)
        .annotate(rows=Count("entries"))
        .select_related("imported_by")
        .order_by("-imported_at")[:limit]
    )
