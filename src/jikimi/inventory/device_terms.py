"""What a change of the register does to the devices already connected: the retention and recording
hours each keeps before and after, and the footage that the new retention makes due.

법 제21조①: footage is kept as long as the register says, no longer and no shorter. A change of a
group's or location's terms changes that for footage already stored, so the officer sees it per
device before it is applied (the staff edit page, a device move) and the audit entry keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from jikimi.inventory import models
from jikimi.lib.clock import today
from jikimi.rules.retention import RetentionError, parse_retention, retention_meaning
from jikimi.rules.schedule import schedule_meaning


class StatesTerms(Protocol):
    """A group or location, stored (models) or read from a file (register_file.schema entries)."""

    @property
    def retention(self) -> str: ...
    @property
    def retention_days(self) -> int | None: ...
    @property
    def recording_hours(self) -> str: ...
    @property
    def recording_schedule(self) -> str: ...


def machine_terms(group: StatesTerms, location: StatesTerms | None) -> tuple[str, str]:
    """(retention, recording hours) the machine applies to a device of `group` at `location`: a
    location's own terms override its group's where it states them. The one statement of that rule.

    Each is the machine meaning of the published words (issue 16): the officer's stated one
    (`retention_days`, `recording_schedule`), else the published words when they read, else the safe
    meaning (jikimi.rules: 30 days, R16; recording only when triggered) that the register flags.
    Empty hours stay empty (the checks report them missing)."""
    holder = group
    if location is not None and (location.retention.strip() or location.retention_days is not None):
        holder = location
    if holder.retention_days is not None or holder.retention.strip():
        retention = holder.retention
        meaning = retention_meaning(holder.retention, holder.retention_days)
        if meaning.fallback or holder.retention_days is not None:
            retention = meaning.text()
    else:
        retention = ""
    hours_holder = group
    if location is not None and (location.recording_hours.strip() or location.recording_schedule.strip()):
        hours_holder = location
    hours = hours_holder.recording_hours
    if hours.strip() or hours_holder.recording_schedule.strip():
        try:
            hours = schedule_meaning(hours, hours_holder.recording_schedule).text
        except ValueError:
            hours = hours_holder.recording_schedule  # unreadable stated schedule: refused by the checks
    return retention, hours


def terms_of(group: models.DeviceGroup, location: models.Location | None) -> tuple[str, str]:
    """(retention, recording hours) a device of `group` at `location` keeps (`machine_terms`;
    jikimi.vault.terms reads it too)."""
    return machine_terms(group, location)


def devices_terms(group: models.DeviceGroup) -> dict[int, tuple[str, str]]:
    """Each device of the group (by pk) with the retention and recording hours it keeps now."""
    return {
        device.pk: terms_of(group, device.location) for device in group.devices.select_related("location")
    }


@dataclass(frozen=True)
class DeviceTermChange:
    """One device whose retention or recording hours a change of the register changes."""

    device: int
    name: str
    location: str  # the location's name after the change ("" = none)
    retention: tuple[str, str]  # before, after
    recording_hours: tuple[str, str]
    footage_days: int  # days of footage the device keeps now
    due_days: int  # of those, the days older than the new retention: destroyed at the next sweep

    @property
    def shortens(self) -> bool:
        return shortens(*self.retention)

    def __str__(self) -> str:
        changes = [
            f"{label} {before or '(없음)'} → {after or '(없음)'}"
            for label, (before, after) in (("보관기간", self.retention), ("촬영시간", self.recording_hours))
            if before != after
        ]
        footage = f"영상 {self.footage_days}일치"
        if self.due_days:
            footage += f", 그 가운데 {self.due_days}일치는 새 보관기간이 지나 다음 파기 때 파기됩니다"
        return f"{self.name}: {'; '.join(changes)} ({footage})"

    def details(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "name": self.name,
            "location": self.location,
            "retention": list(self.retention),
            "recording_hours": list(self.recording_hours),
            "footage_days": self.footage_days,
            "due_days": self.due_days,
        }


def term_changes(
    devices: list[models.Device],
    before: dict[int, tuple[str, str]],
    after: dict[int, tuple[str, str]],
) -> list[DeviceTermChange]:
    """The devices among `devices` whose terms differ between `before` and `after`, with their footage."""
    changed = [d for d in devices if d.pk in before and d.pk in after and before[d.pk] != after[d.pk]]
    if not changed:
        return []
    days = _footage_days([d.pk for d in changed])
    out = []
    for device in sorted(changed, key=lambda d: d.name):
        stored = days.get(device.pk, [])
        out.append(
            DeviceTermChange(
                device=device.pk,
                name=device.name,
                location=device.location.name if device.location else "",
                retention=(before[device.pk][0], after[device.pk][0]),
                recording_hours=(before[device.pk][1], after[device.pk][1]),
                footage_days=len(stored),
                due_days=len(due_days(stored, after[device.pk][0])),
            )
        )
    return out


def shortens(before: str, after: str) -> bool:
    """Whether footage kept under `after` goes sooner than under `before` (what cannot be read is not
    compared: the register's checks refuse it)."""
    try:
        old, new = parse_retention(before), parse_retention(after)
    except RetentionError:
        return False
    if not new.stores_footage:
        return old.stores_footage
    old_days, new_days = old.longest_days(), new.longest_days()
    return new_days is not None and (old_days is None or new_days < old_days)


def due_days(days: list[date], retention: str) -> list[date]:
    """The days of footage that are past `retention` today (R17: the next sweep destroys them)."""
    try:
        parsed = parse_retention(retention)
    except RetentionError:
        return []
    now = today()
    return [day for day in days if (expiry := parsed.expiry(day)) is not None and expiry <= now]


def footage_days(device: models.Device) -> list[date]:
    return _footage_days([device.pk]).get(device.pk, [])


def _footage_days(device_ids: list[int]) -> dict[int, list[date]]:
    # The day keys not yet destroyed are the footage a device keeps (the reverse relation of the vault's
    # DayKey; the inventory does not import the vault).
    out: dict[int, list[date]] = {}
    rows = (
        models.Device.objects.filter(pk__in=device_ids)
        .filter(day_keys__wrapped_key__isnull=False)
        .values_list("pk", "day_keys__day")
    )
    for pk, day in rows:
        out.setdefault(pk, []).append(day)
    return out
