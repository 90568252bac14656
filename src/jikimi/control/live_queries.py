"""Which cameras an operator may put on the live wall, and whether each may be watched now.

Scope (R36): the device groups of the person's WATCH_LIVE grants (jikimi.accounts.permissions). R47
(행안부 규정 제11조; 오산시 지침 제16조③): a police officer seconded to the centre watches the 방범
cameras only — his grants are narrowed to crime-prevention groups whatever scope they name.

Hours (오산시 지침 제19조②): outside a group's published recording hours a camera is watched only
where the register allows public-interest monitoring out of hours (DeviceGroup.off_hours_monitoring),
and the wall says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jikimi.accounts.models import Role
from jikimi.accounts.permissions import Permission, active_grants, device_groups_for
from jikimi.inventory.models import Device, DeviceGroup
from jikimi.rules.live_monitoring import LIVE_HOURS_LABELS, LiveHours, is_crime_prevention, live_hours
from jikimi.vault.hours import may_record_now


def _police_only(user: Any) -> bool:
    """Whether every WATCH_LIVE grant of `user` is a seconded police officer's (R47)."""
    grants = active_grants(user, Permission.WATCH_LIVE)
    return grants.exists() and not grants.exclude(role=Role.SECONDED_POLICE).exists()


def watchable_groups(user: Any) -> list[DeviceGroup]:
    """The device groups `user` may watch live, in the register's order."""
    groups = list(
        device_groups_for(user, Permission.WATCH_LIVE)
        .filter(kind=DeviceGroup.Kind.FIXED)
        .exclude(status=DeviceGroup.Status.RETIRED)
        .select_related("department", "institution")
        .order_by("institution", "position", "key")
    )
    if _police_only(user):
        # R47: seconded police see 방범 cameras only.
        groups = [
            g
            for g in groups
            if is_crime_prevention(g.purpose, g.classification_primary, g.classification_secondary)
        ]
    return groups


def watchable_devices(user: Any, *, group: int | None = None, location: int | None = None) -> list[Device]:
    """Live cameras (a source URL, enabled) in the groups `user` may watch, optionally one group or site."""
    groups = [g.pk for g in watchable_groups(user)]
    devices = (
        Device.objects.filter(device_group_id__in=groups, enabled=True)
        .exclude(source_url="")
        .select_related("device_group", "location")
        .order_by("device_group__position", "device_group__key", "name")
    )
    if group is not None:
        devices = devices.filter(device_group_id=group)
    if location is not None:
        devices = devices.filter(location_id=location)
    return list(devices)


def may_watch(user: Any, device: Device) -> bool:
    return any(g.pk == device.device_group_id for g in watchable_groups(user))


@dataclass(frozen=True)
class LiveState:
    """A camera on the wall: whether it may be watched now and how the wall labels it."""

    device: Device
    hours: LiveHours

    @property
    def watchable(self) -> bool:
        return self.hours is not LiveHours.CLOSED

    @property
    def label(self) -> str:
        return LIVE_HOURS_LABELS[self.hours]


def live_state(device: Device) -> LiveState:
    return LiveState(device, live_hours(may_record_now(device), device.device_group.off_hours_monitoring))
