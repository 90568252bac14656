"""The controlled room (오산시 지침 제22조, 제31조①; R41): a visitor comes in only with the head of the
centre's prior approval, escorted, and leaves through a security check; the door-access log is imported
and every entry matched to an approved visit or a member of staff, or flagged."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import User
from jikimi.accounts.permissions import Permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control.actions.room import RoomError, ensure, is_room_staff, text
from jikimi.control.door_log import DoorRow, parse_door_log
from jikimi.control.models import CHECKLIST, DoorEntry, DoorLogImport, SecurityCheck, Shift, Visit
from jikimi.inventory.models import Institution
from jikimi.lib.clock import SEOUL, today
from jikimi.lib.input_limits import EARLIEST_DAY, check_day

VISITABLE_AHEAD = timedelta(days=92)


def request_visit(
    actor: Actor,
    institution: Institution,
    *,
    visitor_name: str,
    organisation: str,
    purpose: str,
    visit_on: date,
    host: str,
) -> Visit:
    """A request to visit the centre, awaiting the head's approval (제22조②: 사전 승인). Audited."""
    user = ensure(actor.user, Permission.WORK_CONTROL_ROOM, institution)
    visitor_name = text(visitor_name, "visitor_name", "방문자 성명", 60)
    organisation = text(organisation, "organisation", "소속", 100)
    purpose = text(purpose, "purpose", "방문 목적", 200)
    host = text(host, "host", "방문 대상", 60)
    try:
        check_day(visit_on, "visit_on", ahead=VISITABLE_AHEAD)
    except ValueError as error:
        raise RoomError(str(error), "visit_on") from None
    if visit_on < today():
        raise RoomError(
            "방문일: 지난 날짜로는 신청할 수 없습니다 (사전 승인, 오산시 지침 제22조②)", "visit_on"
        )
    with transaction.atomic():
        visit = Visit.objects.create(
            institution=institution,
            visitor_name=visitor_name,
            organisation=organisation,
            purpose=purpose,
            visit_on=visit_on,
            host=host,
            requested_by=user,
            requested_at=timezone.now(),
        )
        record(
            actor,
            AuditEvent.CONTROL_REQUEST_VISIT,
            visit,
            details={
                "visitor": visitor_name,
                "organisation": organisation,
                "purpose": purpose,
                "visit_on": visit_on,
                "host": host,
            },
        )
    return visit


def decide_visit(actor: Actor, visit: Visit, *, approve: bool, note: str = "") -> Visit:
    """The head of the centre approves or refuses a visit before it happens (제22조②). Audited."""
    user = ensure(actor.user, Permission.MANAGE_CONTROL_ROOM, visit.institution, whole=True)
    note = text(note, "note", "의견", 200, required=not approve)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.state != Visit.State.REQUESTED:
            raise RoomError(f"이미 처리된 방문 신청입니다 ({visit.get_state_display()})")
        if visit.visit_on < today():
            raise RoomError("방문일이 지난 신청은 승인할 수 없습니다 (사전 승인, 오산시 지침 제22조②)")
        visit.state = Visit.State.APPROVED if approve else Visit.State.REFUSED
        visit.decided_by = user
        visit.decided_at = timezone.now()
        visit.decision_note = note
        visit.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        record(
            actor,
            AuditEvent.CONTROL_APPROVE_VISIT if approve else AuditEvent.CONTROL_REFUSE_VISIT,
            visit,
            reason=note,
            details={"visitor": visit.visitor_name, "visit_on": visit.visit_on},
        )
    return visit


def record_entry(actor: Actor, visit: Visit, *, badge: str, escort: User) -> Visit:
    """The approved visitor comes in, on the approved day, with an escort and a badge. Audited."""
    ensure(actor.user, Permission.WORK_CONTROL_ROOM, visit.institution)
    badge = text(badge, "badge", "출입증 번호", 40)
    if not is_room_staff(escort, visit.institution):
        raise RoomError("동행자: 관제센터 근무자여야 합니다 (오산시 지침 제22조④ 보안조치)", "escort")
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.state != Visit.State.APPROVED:
            raise RoomError(
                f"승인된 방문만 입실할 수 있습니다 (지금: {visit.get_state_display()}, 오산시 지침 제22조②)"
            )
        if visit.visit_on != today():
            raise RoomError(f"승인된 방문일({visit.visit_on:%Y-%m-%d})에만 입실할 수 있습니다")
        visit.state = Visit.State.INSIDE
        visit.badge = badge
        visit.escort = escort
        visit.entered_at = timezone.now()
        visit.save(update_fields=["state", "badge", "escort", "entered_at"])
        record(
            actor,
            AuditEvent.CONTROL_VISITOR_ENTERED,
            visit,
            details={"visitor": visit.visitor_name, "badge": badge, "escort": str(escort)},
        )
    return visit


def _checked(confirmed: list[str], findings: str) -> tuple[list[str], str]:
    unknown = set(confirmed) - set(CHECKLIST)
    if unknown:
        raise RoomError("확인 항목: 목록에 없는 항목입니다", "confirmed")
    findings = text(findings, "findings", "특이 사항", 300, required=False)
    missing = [label for key, label in CHECKLIST.items() if key not in confirmed]
    if missing and not findings:
        # 제22조③: a box left unticked is a finding, and it is written down, not skipped.
        raise RoomError(f"확인하지 않은 항목({', '.join(missing)})이 있으면 특이 사항을 적으세요", "findings")
    return [key for key in CHECKLIST if key in confirmed], findings


def record_exit(actor: Actor, visit: Visit, *, confirmed: list[str], findings: str = "") -> SecurityCheck:
    """The visitor leaves through the security check (제22조③); both are one record. Audited."""
    user = ensure(actor.user, Permission.WORK_CONTROL_ROOM, visit.institution)
    confirmed, findings = _checked(confirmed, findings)
    with transaction.atomic():
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.state != Visit.State.INSIDE:
            raise RoomError(f"입실 중인 방문자만 퇴실 처리할 수 있습니다 (지금: {visit.get_state_display()})")
        now = timezone.now()
        visit.state = Visit.State.LEFT
        visit.left_at = now
        visit.save(update_fields=["state", "left_at"])
        check = SecurityCheck.objects.create(
            institution=visit.institution,
            occasion=SecurityCheck.Occasion.VISITOR_EXIT,
            visit=visit,
            checked_person=visit.visitor_name,
            checked_by=user,
            checked_at=now,
            confirmed=confirmed,
            findings=findings,
        )
        record(
            actor,
            AuditEvent.CONTROL_VISITOR_LEFT,
            visit,
            details={
                "visitor": visit.visitor_name,
                "confirmed": [CHECKLIST[key] for key in confirmed],
                "findings": findings,
                "all_clear": check.all_clear,
            },
        )
    return check


def record_shift_check(
    actor: Actor,
    institution: Institution,
    *,
    person: User,
    confirmed: list[str],
    findings: str = "",
    shift: Shift | None = None,
) -> SecurityCheck:
    """The security check of the outgoing staff at a shift change (제22조③). Audited."""
    user = ensure(actor.user, Permission.WORK_CONTROL_ROOM, institution)
    confirmed, findings = _checked(confirmed, findings)
    if not is_room_staff(person, institution):
        raise RoomError("검색 대상: 관제센터 근무자 계정이 아닙니다", "person")
    if shift is not None and shift.institution_id != institution.pk:
        raise RoomError("근무조: 이 기관의 근무조가 아닙니다", "shift")
    with transaction.atomic():
        check = SecurityCheck.objects.create(
            institution=institution,
            occasion=SecurityCheck.Occasion.SHIFT_CHANGE,
            shift=shift,
            checked_person=str(person),
            checked_by=user,
            checked_at=timezone.now(),
            confirmed=confirmed,
            findings=findings,
        )
        record(
            actor,
            AuditEvent.CONTROL_SECURITY_CHECK,
            check,
            details={
                "checked_person": str(person),
                "confirmed": [CHECKLIST[key] for key in confirmed],
                "findings": findings,
                "all_clear": check.all_clear,
            },
        )
    return check


def import_door_log(actor: Actor, institution: Institution, *, file_name: str, data: bytes) -> DoorLogImport:
    """Import the door-access system's log (R41): the whole file or nothing. Each entry is matched to an
    approved visit of that day (by badge, else by name) or to a member of the centre's staff; any other
    is flagged as an entry without approval (제22조②). Audited, with the counts."""
    user = ensure(actor.user, Permission.MANAGE_CONTROL_ROOM, institution, whole=True)
    file_name = text(file_name, "file", "파일 이름", 200)
    now = timezone.now()
    from jikimi.lib.clock import start_of_day

    rows = parse_door_log(
        data, file_name, earliest=start_of_day(EARLIEST_DAY), latest=now + timedelta(minutes=10)
    )
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        if DoorLogImport.objects.filter(institution=institution, sha256=digest).exists():
            raise RoomError(f"{file_name}: 이미 가져온 파일입니다 (같은 내용)", "file")
        source = DoorLogImport.objects.create(
            institution=institution,
            file_name=file_name,
            sha256=digest,
            imported_by=user,
            imported_at=now,
        )
        entries = [_matched(source, row, institution) for row in rows]
        DoorEntry.objects.bulk_create(entries)
        flagged = [entry for entry in entries if entry.unapproved]
        details: dict[str, Any] = {
            "file": file_name,
            "sha256": digest,
            "rows": len(entries),
            "matched": sum(1 for entry in entries if entry.visit_id is not None),
            "staff_entries": sum(1 for entry in entries if entry.staff_id is not None),
            "unapproved": [
                f"{entry.name} {entry.passed_at.astimezone(SEOUL):%Y-%m-%d %H:%M}" for entry in flagged[:20]
            ],
        }
        record(actor, AuditEvent.CONTROL_IMPORT_DOOR_LOG, source, details=details)
    return source


def _matched(source: DoorLogImport, row: DoorRow, institution: Institution) -> DoorEntry:
    entry = DoorEntry(
        source=source,
        line=row.line,
        passed_at=row.passed_at,
        card=row.card,
        name=row.name,
        door=row.door,
        direction=row.direction,
    )
    day = row.passed_at.astimezone(SEOUL).date()
    approved = Visit.objects.filter(
        institution=institution,
        visit_on=day,
        state__in=[Visit.State.APPROVED, Visit.State.INSIDE, Visit.State.LEFT],
    )
    visit = approved.filter(badge=row.card).first() or approved.filter(visitor_name=row.name).first()
    if visit is not None:
        entry.visit = visit
        return entry
    for person in User.objects.filter(institution=institution, name=row.name, is_active=True):
        if is_room_staff(person, institution):
            entry.staff = person
            return entry
    entry.unapproved = True
    return entry
