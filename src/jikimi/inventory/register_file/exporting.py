"""Write an institution's register as the register file (docs/register-format.md).

The output is deterministic (no timestamps, keys in the documented order, lists in the register's
order), so that export → import → export gives the same bytes. Locations are written one a line
(`- {key: gate, name: 시청 정문}`), with only what differs from the defaults, as people write them.
"""

from __future__ import annotations

from typing import Any

import yaml

from jikimi.inventory import models
from jikimi.inventory.register_file.errors import FileProblem, RegisterFileError
from jikimi.inventory.register_file.fields import (
    CONTRACTOR_FIELDS,
    FEE_FIELDS,
    GROUP_FIELDS,
    INSTITUTION_FIELDS,
    LOCATION_FIELDS,
    OFFICER_FIELDS,
    POLICY_FIELDS,
    WRITTEN_WHEN_SET,
)
from jikimi.inventory.register_file.ptz import ptz_data
from jikimi.inventory.register_file.schema import FORMAT
from jikimi.rules.retention import STANDARD_DESTRUCTION_GRACE_DAYS

LOCATION_DEFAULTS: dict[str, Any] = {
    "count": None,  # not published: a location's count is written whenever the institution gives it
    "coverage": "",
    "building": "",
    "space_type": "general",
    "retention": "",
    "retention_days": None,
    "recording_hours": "",
    "recording_schedule": "",
    "storage_place": "",
    # Written only when published, so that registers without coordinates keep their bytes.
    "latitude": None,
    "longitude": None,
}


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


class _OneLine(dict[str, Any]):
    """A mapping written on one line (a location: `{key: gate, name: 시청 정문, count: 2}`)."""


def _represent_one_line(dumper: yaml.SafeDumper, value: _OneLine) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_OneLine, _represent_one_line)


def find_institution(name_or_slug: str) -> models.Institution:
    """The institution by its Korean name or its slug; RegisterFileError saying which exist otherwise."""
    found = (
        models.Institution.objects.filter(slug=name_or_slug).first()
        or models.Institution.objects.filter(name=name_or_slug).first()
    )
    if found is None:
        known = (
            ", ".join(f"{i.name}({i.slug})" for i in models.Institution.objects.order_by("name")) or "없음"
        )
        raise RegisterFileError(
            [
                FileProblem(
                    "", None, (), f"기관 '{name_or_slug}'을(를) 찾을 수 없습니다 (등록된 기관: {known})"
                )
            ]
        )
    return found


def register_data(institution: models.Institution) -> dict[str, Any]:
    """The register as plain data in the file's layout."""
    departments = list(
        institution.departments.select_related("parent", "operator").order_by("position", "id")
    )
    officers = list(institution.officers.select_related("department").order_by("position_order", "id"))
    contractors = list(
        institution.contractors.select_related("supervising_department").order_by("position", "id")
    )
    groups = list(
        institution.device_groups.select_related("department")
        .prefetch_related("locations", "managers", "staff", "contractors")
        .order_by("position", "id")
    )
    data: dict[str, Any] = {
        "format": FORMAT,
        "institution": _institution(institution),
        "departments": [_department(d) for d in departments],
        "officers": [
            {
                "key": o.key,
                "department": o.department.name if o.department else "",
                **{n: getattr(o, n) for n in OFFICER_FIELDS},
            }
            for o in officers
        ],
        "contractors": [_contractor(c) for c in contractors],
        "device_groups": [_group(g) for g in groups],
        "declared_totals": [
            {
                "key": t.key,
                "label": t.label,
                "count": t.count,
                "kind": t.kind,
                "department": t.department.name if t.department else "",
                "site": t.site,
                "legal_basis": t.legal_basis,
            }
            for t in institution.declared_totals.select_related("department").order_by("position", "id")
        ],
    }
    fees = [
        {"key": fee.key, **{name: getattr(fee, name) for name in FEE_FIELDS}}
        for fee in institution.request_fees.order_by("position", "id")
    ]
    if fees:
        # Written only when the register has a fee table, so that registers without one keep their bytes.
        data["request_fees"] = fees
    document = models.PolicyDocument.objects.filter(institution=institution).first()
    if document is not None:
        data["policy"] = _policy(institution, document)
    ptz = ptz_data(institution)
    if ptz:
        # Written only when the register has PTZ cameras (R14), so that registers without keep their bytes.
        data["ptz"] = [
            {
                **item,
                "presets": [_OneLine(p) for p in item["presets"]],
                **(
                    {"privacy_zones": [_OneLine(z) for z in item["privacy_zones"]]}
                    if "privacy_zones" in item
                    else {}
                ),
            }
            for item in ptz
        ]
    return data


def _institution(institution: models.Institution) -> dict[str, Any]:
    # The grace before destruction is written only when the institution differs from the 표준지침's
    # 5 days, so that registers that never set it keep their bytes; so are the institution-wide legal
    # bases, written only when the institution states them.
    out: dict[str, Any] = {}
    for name in INSTITUTION_FIELDS:
        value = getattr(institution, name)
        if name == "destruction_grace_days" and value == STANDARD_DESTRUCTION_GRACE_DAYS:
            continue
        if name in _WRITTEN_WHEN_STATED and not value:
            continue
        out[name] = list(value) if isinstance(value, list) else value
    return out


_WRITTEN_WHEN_STATED = frozenset({"legal_bases", "mobile_legal_bases", "mobile_rule"})


def _department(department: models.Department) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": department.key,
        "name": department.name,
        "parent": department.parent.name if department.parent else "",
        "phone": department.phone,
    }
    # 자체 / 위탁 only where the policy states it, so that registers without it keep their bytes.
    if department.operation:
        out["operation"] = department.operation
    if department.operator:
        out["operator"] = department.operator.key
    return out


def _contractor(contractor: models.Contractor) -> dict[str, Any]:
    out: dict[str, Any] = {"key": contractor.key}
    for name in CONTRACTOR_FIELDS:
        out[name] = getattr(contractor, name)
        if name == "period_end":
            out["supervising_department"] = (
                contractor.supervising_department.name if contractor.supervising_department else ""
            )
    return out


def _group(group: models.DeviceGroup) -> dict[str, Any]:
    out: dict[str, Any] = {"key": group.key}
    for name in GROUP_FIELDS:
        if name == "kind":
            out["department"] = group.department.name if group.department else None  # not published
        if name == "locations_complete":
            out["managers"] = [o.key for o in _ordered(group.managers.all())]
            out["staff"] = [o.key for o in _ordered(group.staff.all())]
            out["contractors"] = [
                c.key for c in sorted(group.contractors.all(), key=lambda c: (c.position, c.pk))
            ]
        value = getattr(group, name)
        if name in WRITTEN_WHEN_SET and value in ("", None):
            continue
        out[name] = list(value) if name == "legal_bases" else value
    out["locations"] = [
        _location(loc) for loc in sorted(group.locations.all(), key=lambda loc: (loc.position, loc.pk))
    ]
    return out


def _ordered(officers: Any) -> list[models.Officer]:
    return sorted(officers, key=lambda o: (o.position_order, o.pk))


def _location(location: models.Location) -> _OneLine:
    values = {name: getattr(location, name) for name in LOCATION_FIELDS}
    extra = {k: v for k, v in values.items() if k != "name" and v != LOCATION_DEFAULTS[k]}
    return _OneLine({"key": location.key, "name": location.name, **extra})


def _policy(institution: models.Institution, document: models.PolicyDocument) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in POLICY_FIELDS:
        if name == "change_notice_days":
            out["sections"] = [dict(section) for section in document.sections]
        out[name] = getattr(document, name)
    out["privacy_officer"] = document.privacy_officer.key if document.privacy_officer else ""
    out["privacy_department"] = document.privacy_department.name if document.privacy_department else ""
    out["privacy_contact"] = document.privacy_contact.key if document.privacy_contact else ""
    if document.scope_department:
        out["scope_department"] = document.scope_department.name  # only for a department's own policy
    out["revisions"] = [
        {
            "key": r.key,
            "label": r.label,
            "valid_from": r.valid_from,
            "valid_until": r.valid_until,
            "note": r.note,
        }
        for r in institution.policy_revisions.order_by("position", "id")
    ]
    return out


def export_register(institution: models.Institution) -> str:
    """The register file's text: the last imported file with the register's current values (its
    comments and order kept, see `preserving`), else the register in the documented order."""
    data = register_data(institution)
    source = models.RegisterSource.objects.filter(institution=institution).first()
    if source is not None:
        from jikimi.inventory.register_file.preserving import export_into  # ruamel only when needed

        kept = export_into(source.text, source.file, data)
        if kept is not None:
            return kept
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100_000,
    )
    return f"# {institution.name} 영상정보처리기기 설치·운영 현황 (jikimi export_register)\n{text}"


__all__ = ["export_register", "find_institution", "register_data"]
