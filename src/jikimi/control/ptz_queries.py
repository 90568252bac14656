"""Reads for pan/tilt/zoom (R14): who may move which camera, and the views the register approves for it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.control.live_queries import may_watch, watchable_devices
from jikimi.control.models import PtzMove
from jikimi.inventory.models import Device, PrivacyZone, PtzCamera, PtzPreset
from jikimi.rules import ptz as rules


def may_operate(user: Any, device: Device) -> bool:
    """R14: moved only by someone who may watch it live (R47 narrows the seconded police to 방범 cameras)
    and holds OPERATE_PTZ over its group."""
    return may_watch(user, device) and has_permission(
        user, Permission.OPERATE_PTZ, device_group=device.device_group
    )


def presets_of(device: Device) -> list[PtzPreset]:
    """The approved presets of `device`'s location (none for a device without one)."""
    if device.location_id is None:
        return []
    return list(PtzPreset.objects.filter(location_id=device.location_id).order_by("position", "pk"))


def zones_of(device: Device) -> list[PrivacyZone]:
    if device.location_id is None:
        return []
    return list(PrivacyZone.objects.filter(location_id=device.location_id).order_by("position", "pk"))


def approved_view(device: Device) -> tuple[list[rules.Preset], list[rules.PrivacyZone]]:
    """The register's approved presets and privacy zones of `device` (its location's), as the rule takes them."""
    return [p.as_rule() for p in presets_of(device)], [z.as_rule() for z in zones_of(device)]


def ptz_cameras_for(user: Any) -> list[PtzCamera]:
    """The PTZ cameras `user` may move, in the wall's order."""
    devices = [d for d in watchable_devices(user) if may_operate(user, d)]
    by_device = {c.device_id: c for c in PtzCamera.objects.filter(device__in=devices)}
    return [by_device[d.pk] for d in devices if d.pk in by_device]


def moves_of(device: Device, limit: int = 50) -> QuerySet[PtzMove]:
    return PtzMove.objects.filter(device=device).select_related("user", "alert_closed_by")[:limit]


def open_alerts(devices: list[Device] | None = None) -> QuerySet[PtzMove]:
    """Moves whose view left the approved presets (or looked into a privacy zone) and no one has seen to."""
    found = PtzMove.objects.exclude(alert="").filter(alert_closed_at__isnull=True)
    if devices is not None:
        found = found.filter(device__in=devices)
    return found.select_related("device", "device__device_group", "user")


__all__ = [
    "approved_view",
    "may_operate",
    "moves_of",
    "open_alerts",
    "presets_of",
    "ptz_cameras_for",
    "zones_of",
]
