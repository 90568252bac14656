"""A location's approved PTZ presets and privacy zones changed in the browser (R14; 법 제25조⑤, 오산시 지침
제18조①, 제29조①), one preset or zone at a time.

The change is made to the register as the file's data (`ptz:`) and goes through the import's own
checks and write (`entries.check_and_write`): the ranges of the ONVIF generic spaces, a key once per
location, a tilt range written bottom to top, and an approved preset that looks into one of the
location's privacy zones — refused, never a warning: 오산시 지침 제29조① forbids turning a camera "beyond
its purpose onto other places", and a preset the register approves while it looks into a zone the
register protects would approve what the register forbids; every move to it would raise the R14 alert
anyway (`rules.ptz.ViewCheck.alert`). So the browser and the file cannot disagree, and the export holds
what was typed. The control centre reads the presets at each move (`control.ptz_queries.approved_view`),
so a change takes effect for the next move.

Each change is one transaction with one audit entry about the preset or zone (its target id
"location-id/key" stays the same across imports, which replace the rows), with the values before and
after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory import models
from jikimi.inventory.actions.entries import EntryRefused, FieldProblem, Path, check_and_write
from jikimi.inventory.register_file.exporting import register_data

Kind = Literal["presets", "privacy_zones"]
# What the audit entries and messages call each list.
KIND_LABELS: dict[str, str] = {"presets": "PTZ 승인 프리셋", "privacy_zones": "사생활 보호 구역"}
PRESET_FIELDS = ("key", "name", "pan", "tilt", "zoom", "tolerance", "camera_preset")
ZONE_FIELDS = ("key", "name", "pan_min", "pan_max", "tilt_min", "tilt_max", "zoom_min")
_EVENTS = {
    ("presets", "add"): AuditEvent.INVENTORY_ADD_PTZ_PRESET,
    ("presets", "change"): AuditEvent.INVENTORY_CHANGE_PTZ_PRESET,
    ("presets", "remove"): AuditEvent.INVENTORY_REMOVE_PTZ_PRESET,
    ("privacy_zones", "add"): AuditEvent.INVENTORY_ADD_PRIVACY_ZONE,
    ("privacy_zones", "change"): AuditEvent.INVENTORY_CHANGE_PRIVACY_ZONE,
    ("privacy_zones", "remove"): AuditEvent.INVENTORY_REMOVE_PRIVACY_ZONE,
}


@dataclass(frozen=True)
class PtzViewEdit:
    """One change of one preset or zone of a location, in the model's field names (a zone's
    `pan_min`/`pan_max`, not the file's `pan: [from, to]`): `values` change the one with `key`; without
    `key` they add one (its key among the values); `remove` removes it."""

    kind: Kind
    key: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    remove: bool = False


@dataclass
class PtzViewResult:
    changes: dict[str, list[Any]]
    warnings: list[str]


def edit_ptz_view(actor: Actor, location: models.Location, edit: PtzViewEdit, reason: str) -> PtzViewResult:
    """Apply one change to `location`'s approved presets or privacy zones, all or nothing, audited."""
    if not reason.strip():
        raise EntryRefused([FieldProblem("reason", "변경 사유를 적어야 합니다")])
    if edit.kind not in KIND_LABELS:
        raise EntryRefused([FieldProblem("", f"알 수 없는 PTZ 항목입니다: {edit.kind}")])
    group = location.device_group
    with transaction.atomic():
        models.Institution.objects.select_for_update().get(pk=group.institution_id)
        data = register_data(group.institution)
        where = f"{group.key}/{location.key}"
        entries: list[dict[str, Any]] = data.setdefault("ptz", [])
        index = next((i for i, item in enumerate(entries) if item["location"] == where), None)
        if index is None:
            if edit.kind == "privacy_zones" or edit.key:
                raise EntryRefused(
                    [
                        FieldProblem(
                            "",
                            f"위치 '{location.name}'에 승인 프리셋이 없습니다 — 승인 프리셋을 먼저 추가하세요 "
                            "(대장은 프리셋이 있는 위치에만 사생활 보호 구역을 둡니다) [R14]",
                        )
                    ]
                )
            entries.append({"location": where, "presets": []})
            index = len(entries) - 1
        item = entries[index]
        items: list[dict[str, Any]] = item.setdefault(edit.kind, [])
        before, position = _apply(location, item, items, edit)
        path: Path = ("ptz", index, edit.kind, position)
        if not item["presets"] and not item.get("privacy_zones"):
            del entries[index]  # the location's last view: the register states no PTZ there any more
        _, warnings, _ = check_and_write(data, path, _field_of(edit.kind))
        after = {} if edit.remove else _model_values(edit.kind, items[position])
        changes = {
            name: [before.get(name), after.get(name)]
            for name in (PRESET_FIELDS if edit.kind == "presets" else ZONE_FIELDS)
            if before.get(name) != after.get(name)
        }
        if not changes:
            raise EntryRefused([FieldProblem("", "바뀐 내용이 없습니다")])
        key = edit.key or str(after.get("key", ""))
        name = str(after.get("name") or before.get("name") or key)
        warning_texts = [problem.message for problem in warnings]
        action = "remove" if edit.remove else ("change" if edit.key else "add")
        record(
            actor,
            _EVENTS[(edit.kind, action)],
            target_type=(models.PtzPreset if edit.kind == "presets" else models.PrivacyZone)._meta.label,
            # Stable across imports, which replace the rows: the location and the key.
            target_id=f"{location.pk}/{key}",
            target_label=f"{location.name} — {name}",
            scope=group.audit_scope(),
            reason=reason,
            details={
                "section": KIND_LABELS[edit.kind],
                "device_group": group.name,
                "location": location.name,
                "changes": changes,
                "warnings": warning_texts,
            },
        )
    return PtzViewResult(changes, warning_texts)


def _apply(
    location: models.Location, item: dict[str, Any], items: list[dict[str, Any]], edit: PtzViewEdit
) -> tuple[dict[str, Any], int]:
    """Change `items` (the location's presets or zones in the file's shape) as `edit` says; the values
    before (in the model's names) and the place of the changed one."""
    label = KIND_LABELS[edit.kind]
    if not edit.key:
        key = str(edit.values.get("key", ""))
        if key and any(one["key"] == key for one in items):
            raise EntryRefused(
                [
                    FieldProblem(
                        "key",
                        f"식별자 '{key}'은(는) 위치 '{location.name}'의 {label}에 이미 있습니다 — 다른 식별자를 쓰세요",
                    )
                ]
            )
        items.append(_file_values(edit.kind, dict(edit.values)))
        return {}, len(items) - 1
    index = next((i for i, one in enumerate(items) if one["key"] == edit.key), None)
    if index is None:
        raise EntryRefused(
            [FieldProblem("", f"{label} '{edit.key}'이(가) 위치 '{location.name}'에 없습니다")]
        )
    before = _model_values(edit.kind, items[index])
    if edit.remove:
        if edit.kind == "presets" and len(items) == 1:
            _refuse_last_preset(location, item)
        del items[index]
        return before, index
    values = {**before, **edit.values, "key": edit.key}  # the key is the identity: never changed here
    items[index] = _file_values(edit.kind, values)
    return before, index


def _refuse_last_preset(location: models.Location, item: dict[str, Any]) -> None:
    """The last approved preset goes only with nothing left that needs it: the file cannot state privacy
    zones without a preset, and a registered PTZ camera there would have no view it may take (R14)."""
    if item.get("privacy_zones"):
        raise EntryRefused(
            [
                FieldProblem(
                    "",
                    f"위치 '{location.name}'의 마지막 승인 프리셋입니다 — 사생활 보호 구역이 남아 있어 지울 수 "
                    "없습니다 (구역을 먼저 지우세요) [R14]",
                )
            ]
        )
    cameras = models.PtzCamera.objects.filter(device__location=location).select_related("device")
    names = [camera.device.name for camera in cameras]
    if names:
        raise EntryRefused(
            [
                FieldProblem(
                    "",
                    f"위치 '{location.name}'의 마지막 승인 프리셋입니다 — 이 위치의 PTZ 카메라({', '.join(names)})가 "
                    "돌릴 수 있는 화각이 없어지므로 지울 수 없습니다 [R14]",
                )
            ]
        )


def _file_values(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """A preset or zone in the register file's shape (a zone's pan and tilt as [from, to])."""
    if kind == "presets":
        return {name: values[name] for name in PRESET_FIELDS if name in values}
    out: dict[str, Any] = {name: values[name] for name in ("key", "name", "zoom_min") if name in values}
    out["pan"] = [values.get("pan_min"), values.get("pan_max")]
    out["tilt"] = [values.get("tilt_min"), values.get("tilt_max")]
    return out


def _model_values(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """A preset or zone of the file's data in the model's field names, defaults filled in."""
    if kind == "presets":
        return {
            "key": item.get("key"),
            "name": item.get("name"),
            "pan": item.get("pan"),
            "tilt": item.get("tilt"),
            "zoom": item.get("zoom"),
            "tolerance": item.get("tolerance", models.PtzPreset._meta.get_field("tolerance").default),
            "camera_preset": item.get("camera_preset", ""),
        }
    pan, tilt = item.get("pan") or [None, None], item.get("tilt") or [None, None]
    return {
        "key": item.get("key"),
        "name": item.get("name"),
        "pan_min": pan[0],
        "pan_max": pan[1],
        "tilt_min": tilt[0],
        "tilt_max": tilt[1],
        "zoom_min": item.get("zoom_min", 0.0),
    }


def _field_of(kind: str) -> Any:
    """The form field a problem inside a preset or zone belongs to (a zone's `pan` [from, to] is two)."""

    def field_of(rest: Path) -> str:
        name = rest[0]
        if kind == "privacy_zones" and name in ("pan", "tilt"):
            end = "max" if len(rest) > 1 and rest[1] == 1 else "min"
            if name == "tilt" and len(rest) == 1:
                end = "max"  # the range's order ([아래, 위]): the upper end is the one to fix
            return f"{name}_{end}"
        return name if isinstance(name, str) else ""

    return field_of


__all__ = [
    "KIND_LABELS",
    "PRESET_FIELDS",
    "Kind",
    "ZONE_FIELDS",
    "PtzViewEdit",
    "PtzViewResult",
    "edit_ptz_view",
]
