"""Devices of the register's device groups, and their health."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.inventory.models import Device, DeviceGroup
from jikimi.vault.models import RecordingOutage

SOURCE_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://")


class DeviceError(ValueError):
    """A device that cannot be added as given; the message says what and where."""


def check_source_url(source_url: str) -> str:
    source_url = source_url.strip()
    if source_url and not source_url.lower().startswith(SOURCE_SCHEMES):
        raise DeviceError(
            f"영상 주소 '{source_url}'은(는) rtsp://, http:// 또는 https:// 로 시작해야 합니다 (파일 등록 전용이면 비워 두세요)"
        )
    return source_url


def add_device(
    actor: Actor,
    group: DeviceGroup,
    name: str,
    *,
    location: str = "",
    source_url: str = "",
    enabled: bool = True,
) -> Device:
    """Add a device to `group`; a blank source means the device only receives files."""
    name = name.strip()
    if not name:
        raise DeviceError("기기명을 입력하세요")
    if len(name) > 100:
        raise DeviceError(f"기기명은 100자 이하여야 합니다 ({len(name)}자)")
    source_url = check_source_url(source_url)
    with transaction.atomic():
        if Device.objects.filter(device_group=group, name=name).exists():
            raise DeviceError(f"'{group.name}'에 이미 '{name}' 기기가 있습니다")
        device = Device.objects.create(
            device_group=group,
            name=name,
            location=location.strip(),
            source_url=source_url,
            enabled=enabled,
            status=Device.Status.IDLE if source_url else Device.Status.FILE_ONLY,
        )
        record(
            actor,
            "vault.add_device",
            device,
            details={
                "device_group": group.key,
                "name": name,
                "location": device.location,
                "source": bool(source_url),
            },
        )
    return device


def warn_health(actor: Actor, device: Device, warning: str) -> None:
    """Raise a health warning on the device (e.g. R13: its source carries audio). Call inside a transaction."""
    device.health_warning = warning
    device.health_warning_at = timezone.now()
    device.save(update_fields=["health_warning", "health_warning_at"])
    record(actor, "vault.device_health_warning", device, details={"warning": warning})


# -- what the recorder (jikimi record) reports about a live camera --


def report_recording_state(actor: Actor, device: Device, status: str, detail: str = "") -> bool:
    """Set the device's recording state; audited only when it changes (a retry loop writes one entry)."""
    with transaction.atomic():
        current = Device.objects.select_for_update().get(pk=device.pk)
        if current.status == status:
            return False
        previous = current.status
        current.status = status
        current.status_changed_at = timezone.now()
        current.save(update_fields=["status", "status_changed_at"])
        record(
            actor,
            "vault.device_state",
            current,
            details={"from": previous, "to": status, "detail": detail[:300]},
        )
    device.status, device.status_changed_at = current.status, current.status_changed_at
    return True


def warn_health_once(actor: Actor, device: Device, warning: str) -> bool:
    """Raise `warning` unless the device already carries exactly it (the recorder repeats itself)."""
    with transaction.atomic():
        current = Device.objects.select_for_update().get(pk=device.pk)
        if current.health_warning == warning:
            return False
        warn_health(actor, current, warning)
    return True


def record_recording_gap(actor: Actor, device: Device, start: datetime, end: datetime, reason: str) -> None:
    """An interval the camera should have been recorded but was not, and why (the existence check
    reports it as 카메라 장애; the audit chain keeps it too)."""
    with transaction.atomic():
        outage = RecordingOutage.objects.create(device=device, start=start, end=end, reason=reason[:300])
        record(
            actor,
            "vault.recording_gap",
            device,
            details={
                "outage": outage.pk,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "seconds": round((end - start).total_seconds(), 3),
                "reason": reason[:300],
            },
        )
