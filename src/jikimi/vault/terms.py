"""What the register says about one device: how long its footage is kept and when it records.

A device group's retention (R16) and recording hours (R9) apply to its devices, except where one of
the group's locations says otherwise (inventory.Location.retention / recording_hours — e.g. 금천구's
"청사 내외 45일, 승강기 14일"). A device is at the location whose name its `location` field holds.
Keeping footage longer than the register declares breaks 법 제21조① as surely as destroying it early,
so every retention decision of the vault — refusing to store, expiry, destruction — reads it here.
"""

from __future__ import annotations

from dataclasses import dataclass

from jikimi.inventory.models import Device, Location


@dataclass(frozen=True)
class DeviceTerms:
    retention: str
    recording_hours: str
    source: str  # where the terms come from, for messages: "기기 묶음 'X'" or "… 위치 'Y'"


def _terms(device: Device, location: Location | None) -> DeviceTerms:
    group = device.device_group
    source = f"기기 묶음 '{group.name}'"
    if location is None:
        return DeviceTerms(group.retention, group.recording_hours, source)
    return DeviceTerms(
        location.retention or group.retention,
        location.recording_hours or group.recording_hours,
        f"{source}의 위치 '{location.name}'",
    )


class TermsBook:
    """The terms of many devices, reading each group's overriding locations once (the retention
    sweep reads thousands of devices of a few dozen groups)."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[str, Location]] = {}

    def terms(self, device: Device) -> DeviceTerms:
        group_id = device.device_group_id
        if group_id not in self._overrides:
            locations = Location.objects.filter(device_group_id=group_id).exclude(
                retention="", recording_hours=""
            )
            self._overrides[group_id] = {location.name: location for location in locations}
        return _terms(device, self._overrides[group_id].get(device.location))


def device_terms(device: Device) -> DeviceTerms:
    return TermsBook().terms(device)
