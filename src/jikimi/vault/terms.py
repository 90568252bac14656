"""What the register says about one device: how long its footage is kept and when it records.

A device group's retention (R16) and recording hours (R9) apply to its devices, except where the
device's location (inventory.Device.location, a foreign key to one of the group's locations) says
otherwise (inventory.Location.retention / recording_hours — e.g. 금천구's "청사 내외 45일, 승강기 14일").
Keeping footage longer than the register declares breaks 법 제21조① as surely as destroying it early,
so every retention decision of the vault — refusing to store, expiry, destruction — reads it here.
"""

from __future__ import annotations

from dataclasses import dataclass

from jikimi.inventory.device_terms import terms_of
from jikimi.inventory.models import Device, DeviceGroup, Location


@dataclass(frozen=True)
class DeviceTerms:
    retention: str
    recording_hours: str
    source: str  # where the terms come from, for messages: "기기 묶음 'X'" or "… 위치 'Y'"


def terms_at(group: DeviceGroup, location: Location | None) -> DeviceTerms:
    """The terms of a device of `group` at `location` (None: the group's own), by the register's rule
    (jikimi.inventory.device_terms.terms_of), with where they come from."""
    retention, recording_hours = terms_of(group, location)
    source = f"기기 묶음 '{group.name}'"
    if location is not None:
        source = f"{source}의 위치 '{location.name}'"
    return DeviceTerms(retention, recording_hours, source)


class TermsBook:
    """The terms of many devices, reading each group and location once (the retention sweep reads
    thousands of devices of a few dozen groups)."""

    def __init__(self) -> None:
        self._groups: dict[int, DeviceGroup] = {}
        self._locations: dict[int, Location] = {}

    def terms(self, device: Device) -> DeviceTerms:
        if device.device_group_id not in self._groups:
            self._groups[device.device_group_id] = device.device_group
        group = self._groups[device.device_group_id]
        location = None
        if device.location_id is not None:
            if device.location_id not in self._locations:
                self._locations[device.location_id] = Location.objects.get(pk=device.location_id)
            location = self._locations[device.location_id]
        return terms_at(group, location)


def device_terms(device: Device) -> DeviceTerms:
    return terms_at(device.device_group, device.location)
