"""Event-driven recording hours (강우시에만, 필요시: R9): open and close a recording window.

A register may publish hours with no fixed times — 금천구's "강우시에만 녹화", "필요시". Such a device
records only while a window is open: an officer (the device page) or an external signal (a rain
sensor, a control room, through the API) opens it and closes it, each with its reason and audited,
so that every hour recorded can be traced to the event that justified it. The recorder and the file
ingest obey the windows (vault.hours); the existence check counts them as recording hours.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device, DeviceGroup
from jikimi.rules.schedule import ScheduleError, parse_schedule
from jikimi.vault.hours import device_schedule
from jikimi.vault.models import RecordingTrigger


class TriggerError(ValueError):
    """A window that cannot be opened or closed as asked; the message says why."""


def _event_driven(texts: list[str]) -> bool:
    for text in texts:
        try:
            if parse_schedule(text).has_triggered_hours():
                return True
        except ScheduleError:
            continue
    return False


def _check_event_driven(group: DeviceGroup, device: Device | None) -> None:
    if device is not None:
        schedule, hours, _note = device_schedule(device)
        if schedule is None or not schedule.has_triggered_hours():
            raise TriggerError(
                f"'{device.name}'의 촬영시간('{hours}')은 조건부(강우시, 필요시)가 아니어서 "
                "촬영을 시작·종료할 수 없습니다 — 정해진 시간에 따라 녹화됩니다"
            )
        return
    texts = [
        group.recording_hours,
        *group.locations.exclude(recording_hours="").values_list("recording_hours", flat=True),
    ]
    if not _event_driven(texts):
        raise TriggerError(
            f"'{group.name}'의 촬영시간('{group.recording_hours}')은 조건부(강우시, 필요시)가 아니어서 "
            "촬영을 시작·종료할 수 없습니다 — 정해진 시간에 따라 녹화됩니다"
        )


def _open(group: DeviceGroup, device: Device | None) -> RecordingTrigger | None:
    scope = Q(device=device) if device is not None else Q(device__isnull=True)
    return (
        RecordingTrigger.objects.select_for_update()
        .filter(scope, device_group=group, end__isnull=True)
        .first()
    )


def _scope(group: DeviceGroup, device: Device | None) -> str:
    return f"'{device.name}'" if device is not None else f"'{group.name}' 전체"


def start_recording(
    actor: Actor, group: DeviceGroup, *, device: Device | None = None, reason: str
) -> RecordingTrigger:
    """Open a recording window for `device` (or every device of `group`) from now, with its reason."""
    if device is not None and device.device_group_id != group.pk:
        raise TriggerError(f"'{device.name}'은(는) '{group.name}'의 기기가 아닙니다")
    if not reason.strip():
        raise TriggerError("촬영 시작 사유를 입력하세요 (예: 호우주의보 발령)")
    _check_event_driven(group, device)
    with transaction.atomic():
        if (running := _open(group, device)) is not None:
            raise TriggerError(
                f"{_scope(group, device)}은(는) 이미 {timezone.localtime(running.start):%Y-%m-%d %H:%M}부터 "
                f"촬영 중입니다 (사유: {running.start_reason})"
            )
        trigger = RecordingTrigger.objects.create(
            device_group=group,
            device=device,
            start=timezone.now(),
            start_reason=reason.strip(),
            started_by=actor.label,
        )
        record(
            actor,
            AuditEvent.VAULT_START_RECORDING,
            trigger,
            reason=reason.strip(),
            details={
                "device_group": group.key,
                "device": device.pk if device else None,
                "start": trigger.start,
            },
        )
    return trigger


def stop_recording(
    actor: Actor, group: DeviceGroup, *, device: Device | None = None, reason: str
) -> RecordingTrigger:
    """Close the open recording window of `device` (or of the whole `group`), with its reason."""
    if not reason.strip():
        raise TriggerError("촬영 종료 사유를 입력하세요 (예: 호우주의보 해제)")
    with transaction.atomic():
        trigger = _open(group, device)
        if trigger is None:
            raise TriggerError(f"{_scope(group, device)}은(는) 촬영 중이 아닙니다")
        trigger.end = max(timezone.now(), trigger.start)
        trigger.stop_reason = reason.strip()
        trigger.stopped_by = actor.label
        trigger.save(update_fields=["end", "stop_reason", "stopped_by"])
        record(
            actor,
            AuditEvent.VAULT_STOP_RECORDING,
            trigger,
            reason=reason.strip(),
            details={
                "device_group": group.key,
                "device": device.pk if device else None,
                "start": trigger.start,
                "end": trigger.end,
            },
        )
    return trigger
