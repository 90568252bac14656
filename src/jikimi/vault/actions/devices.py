"""Devices of the register's device groups, and their health."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.device_terms import DeviceTermChange, term_changes, terms_of
from jikimi.inventory.models import Device, DeviceGroup, Location
from jikimi.lib import credentials
from jikimi.vault.models import RecordingOutage

SOURCE_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://")


class DeviceError(ValueError):
    """A device that cannot be added as given; the message says what and where."""


def check_source_url(source_url: str) -> str:
    source_url = source_url.strip()
    if source_url and not source_url.lower().startswith(SOURCE_SCHEMES):
        raise DeviceError(
            f"영상 주소 '{credentials.redacted(source_url)}'은(는) rtsp://, http:// 또는 https:// 로 시작해야 합니다 (파일 등록 전용이면 비워 두세요)"
        )
    return source_url


def location_choices(group: DeviceGroup) -> str:
    """The group's locations as a message lists them: "청사 현관(hall), 승강기(lift)"."""
    return ", ".join(f"{loc.name}({loc.key})" for loc in group.locations.order_by("position", "id"))


def device_location(group: DeviceGroup, location: Location | str | None) -> Location | None:
    """The location of `group` a new device is at: a Location, or its key or exact name.

    A group that lists locations puts each of its devices at one of them, so that the device keeps
    footage as long as that location says (법 제21조①, R16) — an unknown or missing one is refused
    with the valid ones. A group that lists none (e.g. "관내 434개소") has devices without a location.
    """
    listed = group.locations.exists()
    if isinstance(location, str):
        wanted = location.strip()
        if not wanted:
            location = None
        else:
            found = group.locations.filter(key=wanted).first()
            if found is None:
                by_name = list(group.locations.filter(name=wanted)[:2])
                found = by_name[0] if len(by_name) == 1 else None
            if found is None:
                if not listed:
                    raise DeviceError(
                        f"기기 묶음 '{group.name}'은(는) 대장에 위치를 나열하지 않으므로 위치를 비워 두어야 합니다 "
                        f"(적힌 위치: '{wanted}')"
                    )
                raise DeviceError(
                    f"위치 '{wanted}'은(는) 기기 묶음 '{group.name}'의 위치가 아닙니다 — 이 묶음의 위치: "
                    f"{location_choices(group)}"
                )
            location = found
    if location is None:
        if listed:
            raise DeviceError(
                f"기기 묶음 '{group.name}'의 기기는 대장의 위치 가운데 하나에 있어야 합니다 — 이 묶음의 위치: "
                f"{location_choices(group)}"
            )
        return None
    if location.device_group_id != group.pk:
        raise DeviceError(
            f"위치 '{location.name}'은(는) 다른 기기 묶음의 위치입니다 — 기기 묶음 '{group.name}'의 위치: "
            f"{location_choices(group) or '없음 (위치를 비워 두세요)'}"
        )
    return location


def add_device(
    actor: Actor,
    group: DeviceGroup,
    name: str,
    *,
    location: Location | str | None = None,
    source_url: str = "",
    substream_url: str = "",
    enabled: bool = True,
) -> Device:
    """Add a device to `group` at one of its locations; a blank source means the device only receives files.

    `substream_url`: the camera's sub-stream for the control centre's live wall (the same camera and
    login as `source_url`, written without credentials); blank: the wall shows the main stream."""
    name = name.strip()
    if not name:
        raise DeviceError("기기명을 입력하세요")
    if len(name) > 100:
        raise DeviceError(f"기기명은 100자 이하여야 합니다 ({len(name)}자)")
    source_url = check_source_url(source_url)
    substream_url = check_source_url(substream_url)
    if substream_url and (not source_url or credentials.split_credentials(substream_url)[1]):
        raise DeviceError(
            "보조 영상 주소는 주 영상 주소가 있을 때, 인증정보 없이 적으세요 (주 영상의 인증정보를 씁니다)"
        )
    with transaction.atomic():
        place = device_location(group, location)
        if Device.objects.filter(device_group=group, name=name).exists():
            raise DeviceError(f"'{group.name}'에 이미 '{name}' 기기가 있습니다")
        device = Device(
            device_group=group,
            name=name,
            location=place,
            enabled=enabled,
            status=Device.Status.IDLE if source_url else Device.Status.FILE_ONLY,
        )
        device.set_source(source_url)  # R42: the camera's credentials are stored sealed
        device.substream_url = substream_url
        device.save(force_insert=True)
        record(
            actor,
            AuditEvent.VAULT_ADD_DEVICE,
            device,
            details={
                "device_group": group.key,
                "name": name,
                "location": place.key if place else "",
                "location_name": place.name if place else "",
                "source": bool(source_url),
            },
        )
    return device


class MoveNotConfirmed(Exception):
    """The move changes the retention or recording hours the device keeps (법 제21조①, R16): the
    officer sees `.change` first and confirms. Nothing was written."""

    def __init__(self, change: DeviceTermChange):
        self.change = change
        super().__init__(str(change))


def move_device(
    actor: Actor, device: Device, location: Location, reason: str, *, confirm_term_changes: bool = False
) -> Device:
    """Move a device to another location of its group, or of another group of its institution.

    The device then keeps footage as long as, and records when, its new location says — for the footage
    already stored too. So a change of those terms is applied only when confirmed (MoveNotConfirmed
    shows it, with the footage days the next sweep destroys when retention shortens, R17), and the audit
    entry keeps the terms and the departments before and after: another group's department changes who
    may see the device's footage (R36).
    """
    if not reason.strip():
        raise DeviceError("기기를 옮기는 사유를 적어야 합니다 (감사 기록에 남습니다)")
    with transaction.atomic():
        current = (
            # Lock the device row only (PostgreSQL refuses FOR UPDATE on the outer join to a location).
            Device.objects.select_for_update(of=("self",))
            .select_related("device_group__department", "location")
            .get(pk=device.pk)
        )
        group = DeviceGroup.objects.select_related("department").get(pk=location.device_group_id)
        if group.institution_id != current.device_group.institution_id:
            raise DeviceError(
                f"위치 '{location.name}'은(는) 다른 기관의 위치입니다 — 기기는 같은 기관의 대장 위치로만 옮길 수 있습니다"
            )
        if current.location_id == location.pk:
            raise DeviceError(f"기기 '{current.name}'은(는) 이미 위치 '{location.name}'에 있습니다")
        if (
            group.pk != current.device_group_id
            and Device.objects.filter(device_group=group, name=current.name).exists()
        ):
            raise DeviceError(
                f"기기 묶음 '{group.name}'에 이미 '{current.name}' 기기가 있습니다 — 기기명은 묶음 안에서 하나여야 합니다"
            )
        was_group, was_location = current.device_group, current.location
        before = {current.pk: terms_of(was_group, was_location)}
        after = {current.pk: terms_of(group, location)}
        current.device_group, current.location = group, location
        changes = term_changes([current], before, after)
        if changes and not confirm_term_changes:
            raise MoveNotConfirmed(changes[0])
        current.save(update_fields=["device_group", "location"])
        record(
            actor,
            AuditEvent.VAULT_MOVE_DEVICE,
            current,
            reason=reason.strip(),
            details={
                "device_group": [was_group.key, group.key],
                "location": [was_location.key if was_location else "", location.key],
                "location_name": [was_location.name if was_location else "", location.name],
                "department": [was_group.department_name, group.department_name],  # "" = not published
                "term_changes": [change.details() for change in changes],
            },
        )
    return current


def warn_health(actor: Actor, device: Device, warning: str) -> None:
    """Raise a health warning on the device (e.g. R13: its source carries audio). Call inside a transaction."""
    device.health_warning = warning
    device.health_warning_at = timezone.now()
    device.save(update_fields=["health_warning", "health_warning_at"])
    record(actor, AuditEvent.VAULT_DEVICE_HEALTH_WARNING, device, details={"warning": warning})


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
            AuditEvent.VAULT_DEVICE_STATE,
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


def record_recording_gap(
    actor: Actor, device: Device, start: datetime, end: datetime, reason: str, *, detail: str = ""
) -> None:
    """An interval the camera should have been recorded but was not, and why (the existence check
    reports it as 카메라 장애; the audit chain keeps it too). `reason` is what staff read; `detail`,
    the recorder's own words, goes to the audit entry only."""
    with transaction.atomic():
        outage = RecordingOutage.objects.create(device=device, start=start, end=end, reason=reason[:300])
        record(
            actor,
            AuditEvent.VAULT_RECORDING_GAP,
            device,
            details={
                "outage": outage.pk,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "seconds": round((end - start).total_seconds(), 3),
                "reason": reason[:300],
                **({"detail": detail[:500]} if detail else {}),
            },
        )
