"""What an import changes in a register, field by field, as staff read it.

The register before (the database, as the file's data: `exporting.register_data`) and the file are
both read by the schema — so omitted defaults and written ones compare equal — and flattened to one
value per field, entries of a list known by their key (a group stays "기기 묶음 bus-lane" whatever its
name). The changes are "기기 묶음 bus-lane 설치 대수": [35, 36]; an entry added or removed changes its
list ("기기 묶음 목록"); an identical file changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pydantic

from jikimi.inventory.register_file.reading import title_of
from jikimi.inventory.register_file.schema import RegisterEntry

Path = tuple[str | int, ...]

# Instructions of one import (where devices come from, which department a group leaves): not the register.
_INSTRUCTIONS = frozenset({"devices_from", "department_from"})
_ENTRIES = {
    "institution": "기관",
    "policy": "운영·관리방침",
    "departments": "부서",
    "officers": "담당자",
    "contractors": "위탁",
    "device_groups": "기기 묶음",
    "locations": "위치",
    "declared_totals": "공표 합계",
    "request_fees": "열람 등 수수료",
    "revisions": "제·개정",
    "sections": "방침의 절",
    "ptz": "PTZ",
    "presets": "프리셋",
    "privacy_zones": "사생활 보호 구역",
}
# An import that changes more than this many fields (a rewritten register) keeps the first ones and the count.
MAX_RECORDED = 300


def register_values(data: dict[str, Any]) -> dict[str, Any] | None:
    """The register's data as the schema reads it (None: data the schema refuses)."""
    try:
        entry = RegisterEntry.model_validate(data)
    except pydantic.ValidationError:
        return None
    return entry.model_dump()


def register_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """The changed fields, "label": [before, after] (values as JSON: dates as YYYY-MM-DD)."""
    old = _flatten(before or {}, (), "")
    new = _flatten(after, (), "")
    changes: dict[str, list[Any]] = {}
    omitted = 0
    for label in [*new, *(label for label in old if label not in new)]:
        was, now = old.get(label), new.get(label)
        if was == now:
            continue
        if len(changes) < MAX_RECORDED:
            changes[label] = [_json(was), _json(now)]
        else:
            omitted += 1
    if omitted:
        changes["그 밖에 바뀐 항목"] = ["", f"{omitted:,}개"]
    return changes


def _flatten(value: Any, path: Path, label: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for name, child in value.items():
            if name in _INSTRUCTIONS:
                continue
            child_path = (*path, name)
            if isinstance(child, dict | list) and (name in _ENTRIES):
                out.update(_flatten(child, child_path, f"{label} {_ENTRIES[name]}".strip()))
            else:
                field = title_of(child_path) or name
                out[f"{label} {field}".strip()] = child
        return out
    if isinstance(value, list):
        keyed = all(isinstance(item, dict) and "key" in item for item in value)
        if keyed:
            out[f"{label} 목록"] = [item["key"] for item in value]
        for index, item in enumerate(value):
            name = f"{label} {item['key']}" if keyed else f"{label} {index + 1}번"
            out.update(_flatten(item, (*path, index), name))
        return out
    out[label] = value
    return out


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value
