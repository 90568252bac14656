"""The roster and the handovers (오산시 지침 제21조①: shifts so that monitoring never stops)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import User
from jikimi.accounts.permissions import Permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control.actions.room import RoomError, ensure, is_room_staff, text
from jikimi.control.models import Handover, Shift, ShiftMember
from jikimi.inventory.models import Institution
from jikimi.lib.input_limits import check_moment

LONGEST_SHIFT = timedelta(hours=24)  # 제21조②: 근로기준법 — no one is rostered round the clock and more
PLAN_AHEAD = timedelta(days=92)


def plan_shift(
    actor: Actor,
    institution: Institution,
    *,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    members: list[tuple[User, str]],
) -> Shift:
    """Put a shift on the roster with its people (관제요원, 공무원, 파견 경찰). Audited."""
    user = ensure(actor.user, Permission.MANAGE_CONTROL_ROOM, institution, whole=True)
    if kind not in Shift.Kind.values:
        raise RoomError("근무 구분: 목록에서 고르세요", "kind")
    for value, field in ((starts_at, "starts_at"), (ends_at, "ends_at")):
        try:
            check_moment(value, field)
        except ValueError as error:
            raise RoomError(str(error), field) from None
    if ends_at <= starts_at:
        raise RoomError("끝: 시작보다 뒤여야 합니다", "ends_at")
    if ends_at - starts_at > LONGEST_SHIFT:
        raise RoomError("끝: 한 근무조는 24시간을 넘을 수 없습니다 (오산시 지침 제21조②)", "ends_at")
    if starts_at > timezone.now() + PLAN_AHEAD:
        raise RoomError("시작: 근무표는 92일 앞까지만 편성합니다", "starts_at")
    if not members:
        raise RoomError("근무자: 한 명 이상 배치하세요", "members")
    seen: set[int] = set()
    for person, duty in members:
        if duty not in ShiftMember.Duty.values:
            raise RoomError("근무 형태: 목록에서 고르세요", "members")
        if person.pk in seen:
            raise RoomError(f"근무자: {person.name or person.username}이(가) 두 번 배치되었습니다", "members")
        seen.add(person.pk)
        if not is_room_staff(person, institution):
            raise RoomError(
                f"근무자: {person.name or person.username}은(는) 관제센터 근무 권한이 있는 계정이 아닙니다",
                "members",
            )
    with transaction.atomic():
        busy = ShiftMember.objects.filter(
            shift__institution=institution,
            person__in=[person for person, _ in members],
            shift__starts_at__lt=ends_at,
            shift__ends_at__gt=starts_at,
        ).select_related("person")
        clash = busy.first()
        if clash is not None:
            raise RoomError(
                f"근무자: {clash.person.name or clash.person.username}은(는) 겹치는 근무조에 이미 배치되어 있습니다",
                "members",
            )
        shift = Shift.objects.create(
            institution=institution,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            planned_by=user,
            planned_at=timezone.now(),
        )
        ShiftMember.objects.bulk_create(
            [ShiftMember(shift=shift, person=person, duty=duty) for person, duty in members]
        )
        record(
            actor,
            AuditEvent.CONTROL_PLAN_SHIFT,
            shift,
            details={
                "shift_kind": kind,
                "start": starts_at,
                "end": ends_at,
                "members": [
                    f"{person.name or person.username} ({duty_label(duty)})" for person, duty in members
                ],
            },
        )
    return shift


def duty_label(duty: str) -> str:
    return str(ShiftMember.Duty(duty).label)


def hand_over(
    actor: Actor,
    institution: Institution,
    *,
    received_by: User,
    notes: str,
    open_matters: str = "",
    from_shift: Shift | None = None,
) -> Handover:
    """The outgoing operator's handover to the incoming one, with the matters left open. Audited."""
    user = ensure(actor.user, Permission.WORK_CONTROL_ROOM, institution)
    notes = text(notes, "notes", "인계 사항", 4000)
    open_matters = text(open_matters, "open_matters", "미결 사항", 4000, required=False)
    if received_by.pk == user.pk:
        raise RoomError("인수자: 자기 자신에게 인계할 수 없습니다", "received_by")
    if not is_room_staff(received_by, institution):
        raise RoomError("인수자: 관제센터 근무 권한이 있는 계정이 아닙니다", "received_by")
    if from_shift is not None and from_shift.institution_id != institution.pk:
        raise RoomError("인계 근무조: 이 기관의 근무조가 아닙니다", "from_shift")
    with transaction.atomic():
        handover = Handover.objects.create(
            institution=institution,
            from_shift=from_shift,
            handed_by=user,
            received_by=received_by,
            notes=notes,
            open_matters=open_matters,
            written_at=timezone.now(),
        )
        details: dict[str, Any] = {
            "received_by": str(received_by),
            "open_matters": bool(open_matters),
        }
        if from_shift is not None:
            details["shift"] = str(from_shift)
        record(actor, AuditEvent.CONTROL_HAND_OVER, handover, details=details)
    return handover
