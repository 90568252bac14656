"""A device group edited on its staff page: its fields and its location list, checked as an import."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory import models
from jikimi.inventory.checks import group_facts, group_problems, institution_problems
from jikimi.inventory.device_terms import DeviceTermChange, devices_terms, term_changes
from jikimi.rules.register_checks import LocationFacts, Problem, Severity


class GroupTermChangesNotConfirmed(Exception):
    """The edit would change the retention or recording hours of existing devices (법 제21조①, R16):
    the officer sees `.changes` (device by device, with their footage) and confirms. Nothing was written."""

    def __init__(self, changes: list[DeviceTermChange]):
        self.changes = changes
        self.shortens = any(change.shortens for change in changes)
        text = "\n".join(str(change) for change in changes)
        # What the officer confirms: exactly these changes. An edit changed meanwhile (by the officer
        # in the same form, or by another officer) has another fingerprint and is shown again.
        self.fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        super().__init__(text)


class GroupChangeRefused(ValueError):
    """An edit of a device group that the law or the model refuses; `.problems` say field by field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.location or '묶음'}: {p.message}" for p in problems))


# Fields an officer may change through the staff pages (everything else comes with the register file).
# enabling_law (R1) and retention_reason (R16): where the register says "not published" (issue 16),
# the officer records here what the institution adopted before the policy can be published.
EDITABLE_FIELDS = (
    "name", "purpose", "enabling_law", "count", "site", "site_count", "coverage", "recording_hours", "recording_schedule",
    "notice_method", "retention", "retention_days", "retention_reason", "storage_place", "processing_method", "monitoring_method", "monitoring_place",
    "locations_complete", "status", "attachment", "attachment_date", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class LocationChange:
    key: str
    name: str
    count: int | None = None  # None: the published register does not give it (no default count)
    coverage: str = ""
    building: str = ""
    space_type: str = "general"
    retention: str = ""
    recording_hours: str = ""
    storage_place: str = ""
    # The machine meaning beside the published words (issue 16): the recorder's schedule and the days
    # until destruction where the words ("산불기간", "30일 이내") have none; empty/None = the words'.
    recording_schedule: str = ""
    retention_days: int | None = None
    # WGS84 degrees as the institution publishes them (the control centre's map); None: not published.
    latitude: float | None = None
    longitude: float | None = None


def update_device_group(
    actor: Actor,
    group: models.DeviceGroup,
    changes: dict[str, Any],
    reason: str,
    *,
    locations: list[LocationChange] | None = None,
    confirm_term_changes: str = "",
) -> GroupUpdate:
    """Change a device group's fields (and, if given, replace its location list).

    The same checks as an import apply (R1, R2, R6, R16, …); errors refuse the change, with nothing
    written. The audit entry holds each changed field's value before and after. A change of the
    retention or recording hours that existing devices keep raises GroupTermChangesNotConfirmed, with
    nothing written, unless `confirm_term_changes` is that exception's fingerprint: the officer saw
    exactly these changes (법 제21조①: shown before it is applied). Applied,
    it is audited device by device as inventory.device_terms_changed.
    """
    if not reason.strip():
        raise GroupChangeRefused([Problem("", (), "reason", "변경 사유를 적어야 합니다")])
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise GroupChangeRefused(
            [Problem("", (), name, "이 화면에서 바꿀 수 없는 항목입니다") for name in unknown]
        )
    with transaction.atomic():
        group = models.DeviceGroup.objects.select_for_update().get(pk=group.pk)
        before = {name: getattr(group, name) for name in changes}
        before_locations = [_location_text(loc) for loc in group.locations.all()]
        terms_before = devices_terms(group)
        for name, value in changes.items():
            setattr(group, name, value)
        _clean(group, list(changes))
        facts = group_facts(group)
        if locations is not None:
            facts = _with_locations(facts, locations)
            for index, location in enumerate(locations):
                _clean(
                    models.Location(device_group=group, **location.__dict__),
                    list(location.__dict__),
                    ("locations", index),
                )
            _check_location_keys(group, locations)
        problems = [p for p in group_problems(group, facts) if p.is_error]
        if problems:
            raise GroupChangeRefused(problems)
        totals_before = {p.message for p in institution_problems(group.institution) if p.rule == "R6"}
        group.save()
        changed = {
            name: [_plain(before[name]), _plain(getattr(group, name))]
            for name in changes
            if before[name] != getattr(group, name)
        }
        if locations is not None:
            # In place by key: a renamed location keeps its devices and they keep its terms (R16).
            stored = {loc.key: loc for loc in group.locations.all()}
            for position, change in enumerate(locations):
                place = stored.get(change.key) or models.Location(device_group=group)
                for name, value in {**change.__dict__, "position": position}.items():
                    setattr(place, name, value)
                place.save()
            group.locations.exclude(key__in=[c.key for c in locations]).delete()
            after_locations = [_location_text(loc) for loc in group.locations.all()]
            if after_locations != before_locations:
                changed["locations"] = [before_locations, after_locations]
        # R6: the published totals are what the current policy says; a changed count makes them stale
        # until the next policy version states new ones. A warning, not a refusal: the officer cannot
        # change the published policy from here.
        warnings = [
            replace(p, severity=Severity.WARNING)
            for p in institution_problems(group.institution)
            if p.rule == "R6" and p.message not in totals_before
        ]
        devices = list(group.devices.select_related("location"))
        terms = term_changes(devices, terms_before, devices_terms(group))
        if terms:
            unconfirmed = GroupTermChangesNotConfirmed(terms)
            if confirm_term_changes != unconfirmed.fingerprint:
                raise unconfirmed
        record(
            actor,
            AuditEvent.INVENTORY_UPDATE_DEVICE_GROUP,
            group,
            reason=reason,
            details={
                "changes": changed,
                "warnings": [p.message for p in warnings],
                "term_changes": [change.details() for change in terms],
            },
        )
        if terms:
            record(
                actor,
                AuditEvent.INVENTORY_DEVICE_TERMS_CHANGED,
                group,
                reason=reason,
                details={"device_group": group.key, "devices": [change.details() for change in terms]},
            )
    return GroupUpdate(group, warnings)


@dataclass
class GroupUpdate:
    group: models.DeviceGroup
    warnings: list[Problem]


def _check_location_keys(group: models.DeviceGroup, locations: list[LocationChange]) -> None:
    """Keys unique in the group; a location that still has devices is not removed (their footage
    would lose the location's terms, 법 제21조①): the import moves devices (devices_from), not this page."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, change in enumerate(locations):
        if change.key in seen:
            problems.append(
                Problem("", ("locations", index), "key", f"식별자 '{change.key}'이(가) 두 번 있습니다")
            )
        seen.add(change.key)
    kept = {c.key for c in locations}
    for location in group.locations.exclude(key__in=kept).prefetch_related("devices"):
        devices = list(location.devices.all())
        if devices:
            names = ", ".join(f"{d.name} (#{d.pk})" for d in devices[:10])
            problems.append(
                Problem(
                    "",
                    (),
                    "locations",
                    f"위치 '{location.name}'({location.key})에 기기 {len(devices)}대({names})가 있어 지울 수 없습니다 "
                    "— 기기 화면의 '위치 옮기기'나 대장 파일의 devices_from으로 기기를 옮긴 뒤 지우세요",
                )
            )
    if problems:
        raise GroupChangeRefused(problems)


def _with_locations(facts: Any, locations: list[LocationChange]) -> Any:
    return replace(
        facts,
        locations=tuple(
            LocationFacts(
                c.name,
                c.count,
                c.space_type,
                c.retention,
                c.recording_hours,
                recording_schedule=c.recording_schedule,
                retention_days=c.retention_days,
            )
            for c in locations
        ),
    )


def _clean(instance: Any, fields: list[str], path: tuple[str | int, ...] = ()) -> None:
    exclude = [f.name for f in instance._meta.get_fields() if f.name not in fields]
    try:
        with translation.override("ko"):
            instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise GroupChangeRefused(
            [
                Problem("", path, name, message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        ) from error


def _location_text(location: models.Location) -> str:
    if location.count is None:
        extra = [models.COUNT_NOT_PUBLISHED]
    else:
        extra = [f"{location.count}대"] if location.count != 1 else []
    extra += [
        v
        for v in (
            location.coverage,
            location.building,
            location.retention,
            location.recording_hours,
            location.storage_place,
        )
        if v
    ]
    if location.space_type != "general":
        extra.append(location.get_space_type_display())
    if location.has_coordinates:
        extra.append(f"위도 {location.latitude}, 경도 {location.longitude}")
    return f"{location.name} ({', '.join(extra)})" if extra else location.name


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
