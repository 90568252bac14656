"""What a re-import does to the devices of the register, worked out before anything is written.

Devices point at their group and location; footage and holds point at devices. So an import:
- refuses to remove (or re-scope into another group) a location or group that still has devices,
  listing each with its footage and holds — unless the file moves them: a location's `devices_from`
  names the removed locations ("group-key/location-key") or the groups' location-less devices
  ("group-key") whose devices move to it;
- lists every change of the retention or recording hours that existing devices keep (법 제21조①,
  R16), so that the import is shown before it is applied and its audit entry says before and after;
- adopts locations that migration 0005 gave a placeholder key ("migrated-N") by their name, once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from jikimi.inventory import models
from jikimi.inventory.device_terms import machine_terms
from jikimi.inventory.register_file.errors import FileProblem
from jikimi.inventory.register_file.reading import ParsedRegister, title_of
from jikimi.inventory.register_file.schema import DeviceGroupEntry

Path = tuple[str | int, ...]
MIGRATED_PREFIX = "migrated-"  # inventory migrations 0005 (locations) and 0010 (departments)


@dataclass(frozen=True)
class TermChange:
    """Devices at one group/location whose retention or recording hours the import changes."""

    group: str  # the group's key after the import
    group_name: str
    location: str  # the location's key after the import ("" = the group's own terms)
    location_name: str
    devices: tuple[str, ...]
    retention: tuple[str, str]  # before, after
    recording_hours: tuple[str, str]

    def __str__(self) -> str:
        where = f"기기 묶음 '{self.group_name}'" + (f" 위치 '{self.location_name}'" if self.location else "")
        changes = [
            f"{label} '{before or '(없음)'}' → '{after or '(없음)'}'"
            for label, (before, after) in (("보관기간", self.retention), ("촬영시간", self.recording_hours))
            if before != after
        ]
        names = ", ".join(self.devices[:10]) + (" 외" if len(self.devices) > 10 else "")
        return f"{where}: 기기 {len(self.devices)}대 ({names}) — {'; '.join(changes)}"

    def details(self) -> dict[str, Any]:
        return {
            "device_group": self.group,
            "location": self.location,
            "devices": list(self.devices),
            "retention": list(self.retention),
            "recording_hours": list(self.recording_hours),
        }


@dataclass(frozen=True)
class Rescope:
    """A group with devices that moves to another department (R36: who may see its footage changes)."""

    group: str
    group_name: str
    departments: tuple[str, str]  # before, after (names)
    devices: tuple[str, ...]

    def __str__(self) -> str:
        names = ", ".join(self.devices[:10]) + (" 외" if len(self.devices) > 10 else "")
        before, after = self.departments
        return (
            f"기기 묶음 '{self.group_name}': 관리부서 '{before}' → '{after}' — 기기 {len(self.devices)}대({names})의 "
            "영상을 볼 수 있는 부서가 바뀝니다"
        )

    def details(self) -> dict[str, Any]:
        return {
            "device_group": self.group,
            "department": list(self.departments),
            "devices": list(self.devices),
        }


@dataclass
class DevicePlan:
    adopt: dict[int, str] = field(default_factory=dict)  # stored location pk → its key in the file
    moves: dict[int, tuple[str, str]] = field(default_factory=dict)  # device pk → (group key, location key)
    term_changes: list[TermChange] = field(default_factory=list)
    rescopes: list[Rescope] = field(default_factory=list)
    warnings: list[FileProblem] = field(default_factory=list)


def _device_label(device: models.Device) -> str:
    return f"{device.name} (#{device.pk})"


def _dependents(devices: list[models.Device]) -> str:
    """The devices with what points at them: footage (day keys) and active holds."""
    ids = [d.pk for d in devices]
    counted = models.Device.objects.filter(pk__in=ids).annotate(
        days=Count("day_keys", filter=Q(day_keys__wrapped_key__isnull=False), distinct=True),
        active_holds=Count("holds", filter=Q(holds__released_at__isnull=True), distinct=True),
    )
    parts = []
    for device in counted.order_by("name")[:20]:
        extra = [f"영상 {device.days}일치"] if device.days else []
        extra += [f"분리 보관 {device.active_holds}건"] if device.active_holds else []
        parts.append(_device_label(device) + (f": {', '.join(extra)}" if extra else ""))
    more = f" 외 {len(ids) - 20}대" if len(ids) > 20 else ""
    return ", ".join(parts) + more


def plan_devices(
    parsed: ParsedRegister, existing: models.Institution | None, problems: list[FileProblem]
) -> DevicePlan:
    """The plan for the devices of `existing` under the file; problems are appended to `problems`."""
    plan = DevicePlan()
    entry = parsed.entry

    def problem(path: Path, message: str) -> FileProblem:
        return FileProblem(parsed.file, parsed.lines.line(path), path, message, title=title_of(path))

    file_groups: dict[str, tuple[int, DeviceGroupEntry]] = {
        g.key: (i, g) for i, g in enumerate(entry.device_groups)
    }
    _check_location_keys(entry.device_groups, problem, problems)
    if existing is None:
        for index, group in enumerate(entry.device_groups):
            for position, location in enumerate(group.locations):
                if location.devices_from:
                    plan.warnings.append(
                        problem(
                            ("device_groups", index, "locations", position, "devices_from"),
                            "새 기관이라 옮길 기기가 없습니다",
                        )
                    )
        return plan

    stored_groups = {g.key: g for g in existing.device_groups.select_related("department")}
    stored_locations: dict[tuple[str, str], models.Location] = {
        (loc.device_group.key, loc.key): loc
        for loc in models.Location.objects.filter(device_group__institution=existing).select_related(
            "device_group"
        )
    }
    devices = list(
        models.Device.objects.filter(device_group__institution=existing).select_related(
            "device_group", "location"
        )
    )

    # Placeholder keys from the migration: adopt the file's location of the same name, once.
    for (group_key, key), placeholder in list(stored_locations.items()):
        if not key.startswith(MIGRATED_PREFIX) or group_key not in file_groups:
            continue
        same_name = [loc for loc in file_groups[group_key][1].locations if loc.name == placeholder.name]
        if len(same_name) == 1 and (group_key, same_name[0].key) not in stored_locations:
            plan.adopt[placeholder.pk] = same_name[0].key
            del stored_locations[(group_key, key)]
            stored_locations[(group_key, same_name[0].key)] = placeholder
    file_location_keys = {(g.key, loc.key) for g in entry.device_groups for loc in g.locations}

    def now_at(device: models.Device) -> tuple[str, str]:
        location = device.location
        key = plan.adopt.get(location.pk, location.key) if location else ""
        return device.device_group.key, key

    # Explicit moves.
    for index, group in enumerate(entry.device_groups):
        for position, location in enumerate(group.locations):
            for item_index, source in enumerate(location.devices_from):
                path: Path = ("device_groups", index, "locations", position, "devices_from", item_index)
                group_key, _, location_key = source.partition("/")
                if "/" in source and (group_key, location_key) in file_location_keys:
                    problems.append(
                        problem(
                            path,
                            f"'{source}'은(는) 파일에 남아 있는 위치입니다 — 기기는 파일에서 지우는 위치에서만 옮겨 옵니다",
                        )
                    )
                    continue
                if "/" in source and (group_key, location_key) not in stored_locations:
                    plan.warnings.append(problem(path, f"'{source}' 위치가 대장에 없어 옮길 기기가 없습니다"))
                    continue
                if "/" not in source and group_key not in stored_groups:
                    plan.warnings.append(
                        problem(path, f"기기 묶음 '{source}'이(가) 대장에 없어 옮길 기기가 없습니다")
                    )
                    continue
                for device in devices:
                    if now_at(device) == (group_key, location_key):
                        plan.moves[device.pk] = (group.key, location.key)

    # Removals that would orphan devices.
    stranded_locations: dict[tuple[str, str], list[models.Device]] = defaultdict(list)
    stranded_groups: dict[str, list[models.Device]] = defaultdict(list)
    for device in devices:
        if device.pk in plan.moves:
            continue
        group_key, location_key = now_at(device)
        if group_key not in file_groups:
            stranded_groups[group_key].append(device)
        elif location_key and (group_key, location_key) not in file_location_keys:
            stranded_locations[(group_key, location_key)].append(device)
    for group_key, stranded in sorted(stranded_groups.items()):
        problems.append(
            problem(
                ("device_groups",),
                f"기기 묶음 '{stored_groups[group_key].name}'({group_key})을(를) 지울 수 없습니다: 기기가 있습니다 — "
                f"{_dependents(stranded)}. 다른 위치의 devices_from: [{group_key}/…]로 옮기세요",
            )
        )
    for (group_key, location_key), stranded in sorted(stranded_locations.items()):
        index = file_groups[group_key][0]
        gone = stranded[0].location
        assert gone is not None
        problems.append(
            problem(
                ("device_groups", index, "locations"),
                f"위치 '{gone.name}'({location_key})을(를) 지울 수 없습니다: 기기가 있습니다 — "
                f"{_dependents(stranded)}. 이름을 바꾸려면 식별자(key)를 그대로 두고, 없애려면 남는 위치의 "
                f"devices_from: [{group_key}/{location_key}]로 기기를 옮기세요",
            )
        )
    _check_moved_names(devices, plan, file_groups, problem, problems)
    _plan_rescopes(parsed, stored_groups, devices, plan, problem, problems)
    for group_key, (index, group_entry) in file_groups.items():
        loose = [d for d in devices if d.pk not in plan.moves and now_at(d) == (group_key, "")]
        if loose and group_entry.locations:
            plan.warnings.append(
                problem(
                    ("device_groups", index, "locations"),
                    f"위치가 없는 기기 {len(loose)}대({', '.join(_device_label(d) for d in loose[:10])})는 묶음의 "
                    f"보관기간·촬영시간을 따릅니다 — 위치의 devices_from: [{group_key}]로 위치에 두세요",
                )
            )

    # Terms (retention, recording hours) that existing devices keep after the import.
    changed: dict[tuple[str, str], list[models.Device]] = defaultdict(list)
    before_terms: dict[tuple[str, str], tuple[str, str]] = {}
    after_terms: dict[tuple[str, str], tuple[str, str]] = {}
    for device in devices:
        target = plan.moves.get(device.pk) or now_at(device)
        if target[0] not in file_groups or (target[1] and (target[0], target[1]) not in file_location_keys):
            continue  # refused above
        group_entry = file_groups[target[0]][1]
        location_entry = next((loc for loc in group_entry.locations if loc.key == target[1]), None)
        before = machine_terms(device.device_group, device.location)
        after = machine_terms(group_entry, location_entry)
        if before != after:
            changed[target].append(device)
            before_terms[target] = before
            after_terms[target] = after
    for target, moved in sorted(changed.items()):
        group_entry = file_groups[target[0]][1]
        location_entry = next((loc for loc in group_entry.locations if loc.key == target[1]), None)
        plan.term_changes.append(
            TermChange(
                group=target[0],
                group_name=group_entry.name,
                location=target[1],
                location_name=location_entry.name if location_entry else "",
                devices=tuple(_device_label(d) for d in sorted(moved, key=lambda d: d.name)),
                retention=(before_terms[target][0], after_terms[target][0]),
                recording_hours=(before_terms[target][1], after_terms[target][1]),
            )
        )
    return plan


def _plan_rescopes(
    parsed: ParsedRegister,
    stored_groups: dict[str, models.DeviceGroup],
    devices: list[models.Device],
    plan: DevicePlan,
    problem: Any,
    problems: list[FileProblem],
) -> None:
    """R36: a group whose devices stay in it but whose department changes is re-scoped — the officers
    who may see its footage change. Refused unless the group says `department_from` (the department
    it leaves), so that the change is deliberate; then listed and audited."""
    key_of = {d.name: d.key for d in parsed.entry.departments}
    for index, group in enumerate(parsed.entry.device_groups):
        stored = stored_groups.get(group.key)
        path: Path = ("device_groups", index, "department_from")
        if stored is None:
            if group.department_from:
                plan.warnings.append(problem(path, "새 기기 묶음이라 관리부서가 바뀌지 않습니다"))
            continue
        was = stored.department
        # A department renamed in the file keeps its key; a migrated one is matched by its name. A group
        # without a published department (null) is institution-wide (R36): giving it one, or taking its
        # one away, changes who sees its footage like any other move — department_from: 관리부서 미공개.
        was_name = was.name if was is not None else models.DEPARTMENT_NOT_PUBLISHED
        now_name = group.department if group.department is not None else models.DEPARTMENT_NOT_PUBLISHED
        if was is None or group.department is None:
            same = was is None and group.department is None
        else:
            same = (
                was.name == group.department
                if was.key.startswith(MIGRATED_PREFIX)
                else was.key == key_of.get(group.department)
            )
        staying = [
            d
            for d in devices
            if d.device_group_id == stored.pk and plan.moves.get(d.pk, (group.key,))[0] == group.key
        ]
        if same:
            if group.department_from:
                plan.warnings.append(
                    problem(path, f"관리부서가 '{was_name}' 그대로라 department_from은 쓰이지 않습니다")
                )
            continue
        if not staying:
            continue
        if group.department_from != was_name:
            stated = f" (적힌 값: '{group.department_from}')" if group.department_from else ""
            problems.append(
                problem(
                    ("device_groups", index, "department"),
                    f"기기 묶음 '{stored.name}'의 관리부서를 '{was_name}'에서 '{now_name}'(으)로 바꾸면 "
                    f"기기의 영상을 볼 수 있는 부서가 바뀝니다 (R36) — {_dependents(staying)}. 의도한 변경이면 "
                    f"이 묶음에 department_from: {was_name} 을(를) 적으세요{stated}",
                )
            )
            continue
        plan.rescopes.append(
            Rescope(
                group=group.key,
                group_name=group.name,
                departments=(was_name, now_name),
                devices=tuple(_device_label(d) for d in sorted(staying, key=lambda d: d.name)),
            )
        )


def _check_location_keys(groups: list[DeviceGroupEntry], problem: Any, problems: list[FileProblem]) -> None:
    for index, group in enumerate(groups):
        seen: set[str] = set()
        for position, location in enumerate(group.locations):
            if location.key in seen:
                problems.append(
                    problem(
                        ("device_groups", index, "locations", position, "key"),
                        f"위치 식별자 '{location.key}'이(가) 이 묶음에 이미 있습니다 (묶음 안에서 하나여야 합니다)",
                    )
                )
            seen.add(location.key)


def _check_moved_names(
    devices: list[models.Device],
    plan: DevicePlan,
    file_groups: dict[str, tuple[int, DeviceGroupEntry]],
    problem: Any,
    problems: list[FileProblem],
) -> None:
    """A device moved into another group must not take the name of one there (names are unique per group)."""
    names: dict[tuple[str, str], list[models.Device]] = defaultdict(list)
    for device in devices:
        group_key = plan.moves.get(device.pk, (device.device_group.key, ""))[0]
        names[(group_key, device.name)].append(device)
    for (group_key, name), same in sorted(names.items()):
        if len(same) > 1 and group_key in file_groups:
            problems.append(
                problem(
                    ("device_groups", file_groups[group_key][0], "locations"),
                    f"옮긴 뒤 기기 묶음 '{group_key}'에 이름이 '{name}'인 기기가 {len(same)}대가 됩니다 "
                    f"({', '.join(_device_label(d) for d in same)}) — 기기 이름은 묶음 안에서 하나여야 합니다",
                )
            )


__all__ = ["DevicePlan", "Rescope", "TermChange", "plan_devices"]
