"""Camera health (오산시 지침 제27조, 제31조④): maintenance tickets opened and closed from what the
recorder reports, the repairs and the officers' checks of normal operation — each audited.

`check_health` runs every minute (control.tasks). It opens a ticket when

- a camera has been reconnecting or failed (Device.status, reported by `jikimi record`) for longer than
  settings.JIKIMI_CAMERA_FAULT_SECONDS (default 300: a camera that drops for a few seconds and
  reconnects is no fault to send somebody for);
- a recorder stopped beating (its heartbeat older than vault.actions.liveness.stale_after()),
- a camera's stream, as its recorder last measured it, has a frame rate or bitrate fallen below its
  baseline or a clock drifted past the limit (control.health_figures),
- a beating recorder's CPU, backlog or store headroom is past its limit,

and closes it when the camera records again (the outage `jikimi record` wrote for the interval is
linked: the ticket shows how long footage is missing), the recorder beats again / a new one took
over, or the figures are back within bounds. A repair recorded by hand closes an open ticket too, or completes one that closed by recovery.
A new ticket is mailed after commit to settings.JIKIMI_MAINTENANCE_EMAILS (the maintenance contact —
the institution's own team or its contractor, 제27조) through Django's mail, like the vault's alerts.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control.health_figures import (
    current_streams,
    describe_node,
    live_heartbeats,
    node_faults,
)
from jikimi.control.models import InspectionCheck, MaintenanceTicket
from jikimi.inventory.models import Device, Institution
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.liveness import stale_after
from jikimi.vault.models import RecorderHeartbeat, RecordingOutage

log = logging.getLogger(__name__)

FAULT_STATES = (Device.Status.RECONNECTING, Device.Status.FAILED)
AUTO_REPAIR = "녹화 재개 확인(자동)"


class TicketError(ValueError):
    """A maintenance action that cannot be done as asked; the message says why."""


def fault_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "JIKIMI_CAMERA_FAULT_SECONDS", 300)))


def maintenance_contacts() -> list[str]:
    return [a for a in getattr(settings, "JIKIMI_MAINTENANCE_EMAILS", []) if a]


def _open_ticket(
    actor: Actor,
    *,
    institution_id: int,
    fault: str,
    since: datetime,
    description: str,
    device: Device | None = None,
    recorder: str = "",
) -> MaintenanceTicket:
    ticket = MaintenanceTicket.objects.create(
        institution_id=institution_id,
        fault=fault,
        device=device,
        recorder=recorder,
        fault_since=since,
        opened_at=timezone.now(),
        description=description[:500],
    )
    record(
        actor,
        AuditEvent.CONTROL_OPEN_TICKET,
        ticket,
        details={
            "ticket": ticket.pk,
            "fault": fault,
            "device": device.pk if device is not None else None,
            "recorder": recorder,
            "fault_since": since,
        },
    )
    transaction.on_commit(lambda: mail_ticket(ticket))
    return ticket


def _close(
    actor: Actor,
    ticket: MaintenanceTicket,
    *,
    repair: str,
    repaired_by: str = "",
    outage: RecordingOutage | None = None,
    recovered: bool = False,
) -> MaintenanceTicket:
    now = timezone.now()
    if ticket.closed_at is None:
        ticket.closed_at = now
        ticket.closed_by = actor.user
    if recovered:
        ticket.recovered_at = now
    if outage is not None:
        ticket.outage = outage
    ticket.repair = repair[:500]
    ticket.repaired_by = repaired_by[:100]
    ticket.save()
    record(
        actor,
        AuditEvent.CONTROL_CLOSE_TICKET,
        ticket,
        reason=repair[:300],
        details={
            "ticket": ticket.pk,
            "fault": ticket.fault,
            "device": ticket.device_id,
            "outage": ticket.outage_id,
            "recovered": recovered,
            "repair": repair[:500],
        },
    )
    return ticket


def _outage_of(ticket: MaintenanceTicket) -> RecordingOutage | None:
    """The outage the recorder wrote for the ticket's fault: the latest one of the device that ends
    after the fault began."""
    if ticket.device_id is None:
        return None
    return (
        RecordingOutage.objects.filter(device_id=ticket.device_id, end__gt=ticket.fault_since)
        .order_by("-end")
        .first()
    )


def check_health(actor: Actor, now: datetime | None = None) -> tuple[int, int]:
    """Open the tickets of new faults and close those of faults that ended; returns (opened, closed)."""
    now = now or timezone.now()
    opened = closed = 0
    with transaction.atomic():
        open_tickets = list(
            MaintenanceTicket.objects.select_for_update(of=("self",))
            .filter(closed_at__isnull=True)
            .select_related("device")
        )
        by_device = {t.device_id: t for t in open_tickets if t.fault == MaintenanceTicket.Fault.CAMERA_DOWN}
        by_recorder = {
            t.recorder: t for t in open_tickets if t.fault == MaintenanceTicket.Fault.RECORDER_DOWN
        }
        by_stream = {
            t.device_id: t for t in open_tickets if t.fault == MaintenanceTicket.Fault.STREAM_DEGRADED
        }
        by_load = {t.recorder: t for t in open_tickets if t.fault == MaintenanceTicket.Fault.RECORDER_LOAD}

        # Cameras: down or reconnecting past the threshold.
        faulty = Device.objects.filter(
            enabled=True, status__in=FAULT_STATES, status_changed_at__lte=now - fault_after()
        ).select_related("device_group")
        for device in faulty:
            if device.pk in by_device:
                continue
            since = device.status_changed_at or now
            by_device[device.pk] = _open_ticket(
                actor,
                institution_id=device.device_group.institution_id,
                fault=MaintenanceTicket.Fault.CAMERA_DOWN,
                since=since,
                device=device,
                description=(
                    f"기기 '{device.name}'이(가) {since.astimezone(SEOUL):%Y-%m-%d %H:%M:%S}부터 "
                    f"'{device.get_status_display()}' 상태입니다. {device.health_warning}".strip()
                ),
            )
            opened += 1
        for ticket in list(by_device.values()):
            camera = ticket.device
            if camera is None or ticket.closed_at is not None:
                continue
            back = camera.status == Device.Status.RECORDING and (
                camera.status_changed_at is None or camera.status_changed_at >= ticket.fault_since
            )
            if back:
                _close(actor, ticket, repair=AUTO_REPAIR, outage=_outage_of(ticket), recovered=True)
                closed += 1

        # Recorders: a heartbeat gone stale (not a clean stop).
        stale = now - stale_after()
        for heartbeat in RecorderHeartbeat.objects.filter(
            stopped_at__isnull=True, down_recorded_at__isnull=True, beat_at__lt=stale
        ):
            if heartbeat.name in by_recorder:
                continue
            devices = list(Device.objects.filter(pk__in=heartbeat.devices).select_related("device_group"))
            if not devices:
                continue
            names = ", ".join(d.name for d in devices[:20])
            by_recorder[heartbeat.name] = _open_ticket(
                actor,
                institution_id=devices[0].device_group.institution_id,
                fault=MaintenanceTicket.Fault.RECORDER_DOWN,
                since=heartbeat.beat_at,
                recorder=heartbeat.name,
                description=(
                    f"녹화기({heartbeat.host}, 프로세스 {heartbeat.pid})가 "
                    f"{heartbeat.beat_at.astimezone(SEOUL):%Y-%m-%d %H:%M:%S}부터 신호가 없습니다. 녹화 중단 기기: {names}"
                ),
            )
            opened += 1
        for name, ticket in by_recorder.items():
            if ticket.closed_at is not None:
                continue
            latest = RecorderHeartbeat.objects.filter(name=name).first()
            back = latest is None or latest.beat_at >= stale or latest.down_recorded_at is not None
            if back:
                outage = None
                if latest is not None and latest.devices:
                    outage = (
                        RecordingOutage.objects.filter(
                            device_id__in=latest.devices,
                            cause=RecordingOutage.Cause.RECORDER,
                            end__gt=ticket.fault_since,
                        )
                        .order_by("-end")
                        .first()
                    )
                _close(actor, ticket, repair=AUTO_REPAIR, outage=outage, recovered=True)
                closed += 1

        beating = live_heartbeats(now)
        o, c = _check_streams(actor, now, beating, by_stream)
        opened, closed = opened + o, closed + c
        o, c = _check_load(actor, beating, by_load)
        opened, closed = opened + o, closed + c
    return opened, closed


def _check_streams(
    actor: Actor,
    now: datetime,
    beating: list[RecorderHeartbeat],
    by_stream: dict[int | None, MaintenanceTicket],
) -> tuple[int, int]:
    """Streams out of bounds open a ticket; one back within bounds (its recorder measured it again)
    closes it. A camera that stopped sending has its down ticket: its stream ticket waits for figures."""
    opened = closed = 0
    streams = current_streams(now, beating)
    faulty = {pk: s for pk, s in streams.items() if s.faults}
    devices = Device.objects.filter(pk__in=[pk for pk in faulty if pk not in by_stream], enabled=True)
    for device in devices.select_related("device_group"):
        stream = faulty[device.pk]
        by_stream[device.pk] = _open_ticket(
            actor,
            institution_id=device.device_group.institution_id,
            fault=MaintenanceTicket.Fault.STREAM_DEGRADED,
            since=stream.stats.measured_at,
            device=device,
            description=f"기기 '{device.name}'의 영상 — {stream.describe()}",
        )
        opened += 1
    for pk, ticket in by_stream.items():
        now_stream = streams.get(pk or 0)
        if ticket.closed_at is None and now_stream is not None and not now_stream.faults:
            repair = f"{AUTO_REPAIR} — {now_stream.describe()}"
            _close(actor, ticket, repair=repair[:500], recovered=True)
            closed += 1
    return opened, closed


def _check_load(
    actor: Actor, beating: list[RecorderHeartbeat], by_load: dict[str, MaintenanceTicket]
) -> tuple[int, int]:
    """A beating node past its CPU, backlog or headroom limit opens a ticket; back within them, or
    no longer beating (its down ticket takes over), closes it."""
    opened = closed = 0
    live = {h.name: h for h in beating}
    for heartbeat in beating:
        if heartbeat.name in by_load or not node_faults(heartbeat):
            continue
        devices = list(Device.objects.filter(pk__in=heartbeat.devices).select_related("device_group"))
        if not devices:
            continue
        by_load[heartbeat.name] = _open_ticket(
            actor,
            institution_id=devices[0].device_group.institution_id,
            fault=MaintenanceTicket.Fault.RECORDER_LOAD,
            since=heartbeat.beat_at,
            recorder=heartbeat.name,
            description=f"녹화기({heartbeat.host}, 프로세스 {heartbeat.pid}) — {describe_node(heartbeat)}",
        )
        opened += 1
    for name, ticket in by_load.items():
        node = live.get(name)
        if ticket.closed_at is None and (node is None or not node_faults(node)):
            repair = AUTO_REPAIR if node is None else f"{AUTO_REPAIR} — {describe_node(node)}"
            _close(actor, ticket, repair=repair[:500], recovered=True)
            closed += 1
    return opened, closed


def record_repair(
    actor: Actor, ticket: MaintenanceTicket, *, repair: str, repaired_by: str
) -> MaintenanceTicket:
    """제27조: what was repaired, by whom; closes an open ticket, completes one closed by recovery."""
    repair = " ".join(repair.split())
    repaired_by = " ".join(repaired_by.split())
    if actor.user is None:
        raise TicketError("수리 내용은 로그인한 사람만 기록할 수 있습니다")
    if len(repair) < 2:
        raise TicketError("수리 내용을 적으세요 (예: PoE 스위치 포트 교체)")
    if len(repaired_by) < 2:
        raise TicketError("수리한 사람(업체)을 적으세요")
    with transaction.atomic():
        current = MaintenanceTicket.objects.select_for_update().get(pk=ticket.pk)
        if current.repair and current.repair != AUTO_REPAIR:
            raise TicketError("이미 수리 내용이 기록된 유지보수입니다")
        return _close(actor, current, repair=repair, repaired_by=repaired_by, outage=current.outage)


def mail_ticket(ticket: MaintenanceTicket) -> list[str]:
    """E-mail a new ticket to the maintenance contact; a failed send is logged (the ticket stands)."""
    to = maintenance_contacts()
    if not to:
        log.warning("ticket %s: no maintenance contact (settings.JIKIMI_MAINTENANCE_EMAILS)", ticket.pk)
        return []
    where = ticket.device.name if ticket.device is not None else f"녹화기 {ticket.recorder[:8]}"
    subject = f"[지키미 유지보수] {ticket.get_fault_display()} — {where}"
    body = (
        f"{ticket.description}\n\n"
        f"접수 시각: {timezone.localtime(ticket.opened_at):%Y-%m-%d %H:%M:%S}\n"
        f"확인: {settings.PUBLIC_BASE_URL}/control/health/tickets/{ticket.pk}/\n"
    )
    try:
        send_mail(subject, body, None, to)
    except OSError as error:
        log.error("ticket %s: mail to %s failed: %s", ticket.pk, ", ".join(to), error)
        return []
    MaintenanceTicket.objects.filter(pk=ticket.pk).update(mailed_to=to)
    return to


def record_inspection(
    actor: Actor,
    institution: Institution,
    *,
    device: Device | None,
    checked_on: date,
    items: str,
    result: str,
    note: str = "",
) -> InspectionCheck:
    """제31조④: a manual check of normal operation (one camera, or all of them)."""
    items = " ".join(items.split())
    if actor.user is None:
        raise TicketError("점검은 로그인한 사람만 기록할 수 있습니다")
    if len(items) < 2:
        raise TicketError("점검 항목을 적으세요 (예: 화각, 초점, 야간 화질)")
    if result not in InspectionCheck.Result.values:
        raise TicketError("점검 결과를 고르세요")
    if checked_on > timezone.localdate() or checked_on < timezone.localdate() - timedelta(days=366):
        raise TicketError("점검일은 지난 1년 안의 날이어야 합니다")
    if device is not None and device.device_group.institution_id != institution.pk:
        raise TicketError("다른 기관의 기기입니다")
    with transaction.atomic():
        check = InspectionCheck.objects.create(
            institution=institution,
            device=device,
            checked_on=checked_on,
            checked_by=actor.user,
            items=items[:300],
            result=result,
            note=" ".join(note.split())[:500],
        )
        record(
            actor,
            AuditEvent.CONTROL_RECORD_INSPECTION,
            check,
            reason=check.note,
            details={
                "device": device.pk if device is not None else None,
                "checked_on": checked_on,
                "items": check.items,
                "inspection_result": result,
            },
        )
    return check


def record_inspection_export(
    actor: Actor, *, file_format: str, date_from: date, date_to: date, rows: int
) -> None:
    """A download of the 정상작동 점검 기록 is audited like every export (R40)."""
    with transaction.atomic():
        record(
            actor,
            AuditEvent.CONTROL_EXPORT_INSPECTIONS,
            details={"format": file_format, "date_from": date_from, "date_to": date_to, "rows": rows},
        )
