"""Incidents (오산시 지침 제21조③): log, notify the seconded police, report to 112 / 재난상황실, follow up,
close — each an audited action in one transaction.

Logging an incident places a legal hold (법 제21조③, R18) on its camera over the window around the
bookmark (settings.JIKIMI_INCIDENT_HOLD_BEFORE_SECONDS / _AFTER_SECONDS), for
JIKIMI_INCIDENT_HOLD_DAYS days and for the case "관제 사건 <number>": the footage then outlives its day
key whatever the retention. The part of the window not yet recorded (an incident logged live) is
copied into the hold by the retention sweep (vault.actions.holds.secure_held_segments). The closure
decides: the hold ends (release_hold: footage past retention is destroyed then) or is kept to its end
date, which the closure may move (extend_hold), e.g. while the police's own request is under way.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import Role, RoleGrant
from jikimi.accounts.permissions import Permission, has_permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control.models import Incident, IncidentFollowUp, IncidentNotice
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL, today
from jikimi.vault.actions.holds import extend_hold, place_hold, release_hold

MIN_TEXT = 2


class IncidentError(ValueError):
    """An incident action that cannot be done as asked; the message says why (in Korean)."""


def hold_window(seen_at: datetime) -> tuple[datetime, datetime]:
    """The footage kept for an incident: around the bookmark."""
    before = timedelta(seconds=float(getattr(settings, "JIKIMI_INCIDENT_HOLD_BEFORE_SECONDS", 600)))
    after = timedelta(seconds=float(getattr(settings, "JIKIMI_INCIDENT_HOLD_AFTER_SECONDS", 600)))
    return seen_at - before, seen_at + after


def hold_days() -> int:
    return int(getattr(settings, "JIKIMI_INCIDENT_HOLD_DAYS", 30))


def case_reference(incident: Incident) -> str:
    """What the hold names as its case, so that it is found and ended with the incident."""
    return f"관제 사건 {incident.number}"


def _next_number(institution_id: int, year: int) -> str:
    prefix = f"{year}-"
    last = (
        Incident.objects.select_for_update()
        .filter(institution_id=institution_id, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.split("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def police_for(device: Device) -> list[Any]:
    """The seconded police officers (active accounts) whose scope covers the device's group."""
    grants = RoleGrant.objects.filter(
        institution_id=device.device_group.institution_id, revoked_at__isnull=True, role=Role.SECONDED_POLICE
    ).select_related("user")
    found = {}
    for grant in grants:
        user = grant.user
        if user.is_active and has_permission(
            user, Permission.REPORT_INCIDENTS, device_group=device.device_group
        ):
            found[user.pk] = user
    return [found[pk] for pk in sorted(found)]


def _clean(text: str) -> str:
    return " ".join(text.split())


def log_incident(actor: Actor, device: Device, *, kind: str, seen_at: datetime, description: str) -> Incident:
    """An operator logs what he saw (제21조③): the incident, an unread notice for each seconded police
    officer of the camera's scope, and a hold on the footage around the bookmark (R18)."""
    if actor.user is None:
        raise IncidentError("사건은 로그인한 관제요원만 기록할 수 있습니다")
    if kind not in Incident.Kind.values:
        raise IncidentError("사건 구분을 목록에서 고르세요")
    description = description.strip()
    if len(description) < MIN_TEXT:
        raise IncidentError("상황을 적으세요 (예: 남성 2명 몸싸움, 1명 쓰러짐)")
    now = timezone.now()
    if seen_at > now + timedelta(minutes=1):
        raise IncidentError("발견 시각이 지금보다 늦을 수 없습니다")
    start, end = hold_window(seen_at)
    with transaction.atomic():
        number = _next_number(device.device_group.institution_id, now.astimezone(SEOUL).year)
        incident = Incident.objects.create(
            institution_id=device.device_group.institution_id,
            number=number,
            kind=kind,
            device=device,
            seen_at=seen_at,
            description=description[:2000],
            logged_by=actor.user,
            logged_at=now,
        )
        police = police_for(device)
        IncidentNotice.objects.bulk_create(
            IncidentNotice(incident=incident, recipient=officer, sent_at=now) for officer in police
        )
        # Last, inside the transaction: place_hold copies the footage first and deletes its copies if
        # anything in it fails; a failure here rolls the incident back with it.
        hold = place_hold(
            actor,
            device,
            start,
            end,
            basis=f"오산시 지침 제21조③: 관제 중 발견한 {incident.get_kind_display()} 사건의 영상 (법 제21조③)",
            requester=f"관제요원 {actor.label}"[:200],
            ends_on=today() + timedelta(days=hold_days()),
            case_reference=case_reference(incident),
        )
        incident.hold = hold
        incident.save(update_fields=["hold"])
        record(
            actor,
            AuditEvent.CONTROL_LOG_INCIDENT,
            incident,
            reason=description[:300],
            details={
                "incident_number": number,
                "incident_kind": kind,
                "device": device.pk,
                "seen_at": seen_at,
                "hold": hold.pk,
                "start": start,
                "end": end,
                "notified": [officer.pk for officer in police],
            },
        )
    return incident


def read_notice(actor: Actor, notice: IncidentNotice) -> bool:
    """The police officer opened the incident: his notice is read (audited once: when he knew)."""
    with transaction.atomic():
        current = IncidentNotice.objects.select_for_update().get(pk=notice.pk)
        if current.read_at is not None:
            return False
        current.read_at = timezone.now()
        current.save(update_fields=["read_at"])
        record(
            actor,
            AuditEvent.CONTROL_READ_INCIDENT_NOTICE,
            notice.incident,
            details={"incident_number": notice.incident.number, "sent_at": current.sent_at},
        )
    notice.read_at = current.read_at
    return True


def report_incident(
    actor: Actor, incident: Incident, *, channel: str, receiver: str, reported_at: datetime, note: str = ""
) -> Incident:
    """제21조③: the police officer passed it on to 112 지령실, the 재난상황실 or another body — when, to whom."""
    if actor.user is None:
        raise IncidentError("통보는 로그인한 사람만 기록할 수 있습니다")
    if channel not in Incident.Channel.values:
        raise IncidentError("통보 기관을 목록에서 고르세요")
    receiver = _clean(receiver)
    if len(receiver) < MIN_TEXT:
        raise IncidentError("접수자를 적으세요 (예: 112지령실 경위 홍길동)")
    if reported_at > timezone.now() + timedelta(minutes=1):
        raise IncidentError("통보 시각이 지금보다 늦을 수 없습니다")
    if reported_at < incident.seen_at - timedelta(minutes=1):
        raise IncidentError("통보 시각이 발견 시각보다 이를 수 없습니다")
    with transaction.atomic():
        current = Incident.objects.select_for_update().get(pk=incident.pk)
        if current.state != Incident.State.LOGGED:
            raise IncidentError("이미 통보를 기록한 사건입니다 (후속 조치로 적으세요)")
        current.state = Incident.State.REPORTED
        current.reported_at = reported_at
        current.report_channel = channel
        current.report_receiver = receiver[:100]
        current.report_note = _clean(note)[:500]
        current.reported_by = actor.user
        current.save(
            update_fields=[
                "state",
                "reported_at",
                "report_channel",
                "report_receiver",
                "report_note",
                "reported_by",
            ]
        )
        record(
            actor,
            AuditEvent.CONTROL_REPORT_INCIDENT,
            current,
            reason=current.report_note,
            details={
                "incident_number": current.number,
                "notified_body": channel,
                "report_receiver": current.report_receiver,
                "reported_at": reported_at,
            },
        )
    return current


def follow_up(actor: Actor, incident: Incident, note: str) -> IncidentFollowUp:
    """What happened next (출동, 검거, 인계 …)."""
    note = _clean(note)
    if actor.user is None:
        raise IncidentError("후속 조치는 로그인한 사람만 기록할 수 있습니다")
    if len(note) < MIN_TEXT:
        raise IncidentError("후속 조치 내용을 적으세요")
    if not incident.open:
        raise IncidentError("종결된 사건입니다")
    with transaction.atomic():
        entry = IncidentFollowUp.objects.create(
            incident=incident, written_at=timezone.now(), written_by=actor.user, note=note[:500]
        )
        record(
            actor,
            AuditEvent.CONTROL_FOLLOW_UP_INCIDENT,
            incident,
            details={"incident_number": incident.number, "note": note[:500]},
        )
    return entry


def close_incident(
    actor: Actor, incident: Incident, *, note: str, hold_decision: str, keep_until: date | None = None
) -> Incident:
    """Close the incident and decide its hold: release it (R18 ends with its reason), or keep it to its
    end date — moved to `keep_until` when given (e.g. the police's provision request is coming)."""
    note = _clean(note)
    if actor.user is None:
        raise IncidentError("종결은 로그인한 사람만 할 수 있습니다")
    if len(note) < MIN_TEXT:
        raise IncidentError("종결 내용을 적으세요 (예: 경찰 출동, 현장 정리 완료)")
    if hold_decision not in Incident.HoldDecision.values:
        raise IncidentError("분리 보관을 해제할지 유지할지 고르세요")
    with transaction.atomic():
        current = Incident.objects.select_for_update(of=("self",)).select_related("hold").get(pk=incident.pk)
        if current.state == Incident.State.CLOSED:
            raise IncidentError("이미 종결된 사건입니다")
        hold = current.hold
        ends_on = hold.ends_on if hold is not None else None
        if hold is not None and hold.active:
            if hold_decision == Incident.HoldDecision.RELEASE:
                release_hold(actor, hold, reason=f"관제 사건 {current.number} 종결: {note}"[:300])
            elif keep_until is not None and keep_until > hold.ends_on:
                extend_hold(
                    actor, hold, ends_on=keep_until, reason=f"관제 사건 {current.number} 종결 후 보존"
                )
                ends_on = keep_until
        current.state = Incident.State.CLOSED
        current.closed_at = timezone.now()
        current.closed_by = actor.user
        current.closing_note = note[:500]
        current.hold_decision = hold_decision
        current.save(update_fields=["state", "closed_at", "closed_by", "closing_note", "hold_decision"])
        record(
            actor,
            AuditEvent.CONTROL_CLOSE_INCIDENT,
            current,
            reason=note[:300],
            details={
                "incident_number": current.number,
                "hold_decision": hold_decision,
                "hold": hold.pk if hold is not None else None,
                "ends_on": ends_on,
            },
        )
    return current
