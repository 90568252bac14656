"""Check a parsed register file against itself, the models and the law; then write it to the database.

`validate` collects every problem (references, uniqueness, Django field validation, the law's
checks) with its line before anything is written. `write` replaces an institution's register in
place: entries are matched by their key (locations within their group), so that users, role grants,
devices and footage that point at a department, group or location keep pointing at it across imports.
The caller (`jikimi.inventory.actions.import_register`) runs both in one transaction with its audit entry.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import ProtectedError

from jikimi.inventory import models
from jikimi.inventory.checks import facts_from_entry
from jikimi.inventory.register_file.checking import (
    Collector,
    check_fields,
    check_unique_and_references,
    matching_institution,
)
from jikimi.inventory.register_file.devices import MIGRATED_PREFIX, DevicePlan, plan_devices
from jikimi.inventory.register_file.errors import FileProblem, RegisterFileError
from jikimi.inventory.register_file.fields import (
    CONTRACTOR_FIELDS,
    FEE_FIELDS,
    GROUP_FIELDS,
    INSTITUTION_FIELDS,
    LOCATION_FIELDS,
    OFFICER_FIELDS,
    POLICY_FIELDS,
    pick,
)
from jikimi.inventory.register_file.ptz import check_ptz, write_ptz
from jikimi.inventory.register_file.reading import ParsedRegister, title_of
from jikimi.inventory.register_file.schema import RegisterEntry
from jikimi.rules.register_checks import check_register

Path = tuple[str | int, ...]


def validate(
    parsed: ParsedRegister, *, stale_totals_warn: bool = False
) -> tuple[models.Institution | None, list[FileProblem], DevicePlan]:
    """The institution the file replaces (None: a new one), the warnings and what happens to its
    devices; raise on any error.

    `stale_totals_warn`: a published total (declared_totals) that no longer adds up is a warning, not
    an error — for one entry edited in the browser, which cannot change the published policy: the
    totals are what the current policy says until its next version states new ones (R6), as on the
    group edit page."""
    entry = parsed.entry
    out = Collector(parsed)
    out.problems.extend(parsed.problems)  # the reading's (a duplicate key), reported with these
    existing = matching_institution(entry, out)
    check_unique_and_references(entry, out)
    check_ptz(entry, out)  # R14
    check_fields(entry, out, existing)
    plan = plan_devices(parsed, existing, out.problems)
    warnings: list[FileProblem] = list(plan.warnings)
    for problem in check_register(facts_from_entry(entry)):
        path = (*problem.path, problem.field) if problem.field else problem.path
        file_problem = FileProblem(
            parsed.file,
            parsed.lines.line(path),
            path,
            problem.message,
            title=title_of(path),
            rule=problem.rule,
        )
        stale_total = stale_totals_warn and problem.rule == "R6" and problem.path[:1] == ("declared_totals",)
        (out.problems if problem.is_error and not stale_total else warnings).append(file_problem)
    if out.problems:
        raise RegisterFileError(out.problems)
    return existing, sorted(warnings, key=lambda p: p.line or 0), plan


def write(
    entry: RegisterEntry, existing: models.Institution | None, file: str, plan: DevicePlan
) -> tuple[models.Institution, dict[str, int]]:
    """Store the register; `existing` is replaced in place. Must run inside the caller's transaction."""
    institution = existing or models.Institution()
    for name in INSTITUTION_FIELDS:
        setattr(institution, name, getattr(entry.institution, name))
    institution.save()

    _adopt_migrated_departments(institution, entry)
    by_key = _upsert(
        institution.departments.all(),
        "key",
        [(d.key, {"name": d.name, "phone": d.phone, "position": i}) for i, d in enumerate(entry.departments)],
        lambda **kw: models.Department(institution=institution, **kw),
    )
    # The file refers to departments by name (as people write them); their identity is the key.
    departments = {department.name: department for department in by_key.values()}
    for item in entry.departments:
        department = departments[item.name]
        parent = departments[item.parent] if item.parent else None
        if department.parent_id != (parent.pk if parent else None):
            department.parent = parent
            department.save(update_fields=["parent"])

    officers = _upsert(
        institution.officers.all(),
        "key",
        [
            (
                o.key,
                {
                    **pick(o, OFFICER_FIELDS),
                    "department": departments.get(o.department),
                    "position_order": i,
                },
            )
            for i, o in enumerate(entry.officers)
        ],
        lambda **kw: models.Officer(institution=institution, **kw),
    )
    contractors = _upsert(
        institution.contractors.all(),
        "key",
        [
            (
                c.key,
                {
                    **pick(c, CONTRACTOR_FIELDS),
                    "supervising_department": departments.get(c.supervising_department),
                    "position": i,
                },
            )
            for i, c in enumerate(entry.contractors)
        ],
        lambda **kw: models.Contractor(institution=institution, **kw),
    )
    for item in entry.departments:
        department = departments[item.name]
        operator = contractors.get(item.operator) if item.operator else None
        if department.operation != item.operation or department.operator_id != (
            operator.pk if operator else None
        ):
            department.operation, department.operator = item.operation, operator
            department.save(update_fields=["operation", "operator"])
    groups = _upsert(
        institution.device_groups.all(),
        "key",
        [
            (
                g.key,
                {**pick(g, GROUP_FIELDS), "department": departments.get(g.department or ""), "position": i},
            )
            for i, g in enumerate(entry.device_groups)
        ],
        lambda **kw: models.DeviceGroup(institution=institution, **kw),
    )
    location_count = 0
    locations: dict[tuple[str, str], models.Location] = {}
    for location in models.Location.objects.filter(pk__in=list(plan.adopt)):
        location.key = plan.adopt[location.pk]
        location.save(update_fields=["key"])
    for group_entry in entry.device_groups:
        group = groups[group_entry.key]
        group.managers.set([officers[k] for k in group_entry.managers])
        group.staff.set([officers[k] for k in group_entry.staff])
        group.contractors.set([contractors[k] for k in group_entry.contractors])
        # In place by key: devices stay at their location (and its terms) across renames.
        saved = _upsert(
            group.locations.all(),
            "key",
            [
                (loc.key, {**pick(loc, LOCATION_FIELDS), "position": i})
                for i, loc in enumerate(group_entry.locations)
            ],
            lambda **kw: models.Location(device_group=group, **kw),  # noqa: B023 — called in this iteration
        )
        locations.update({(group_entry.key, key): location for key, location in saved.items()})
        location_count += len(group_entry.locations)
    for device_id, (group_key, location_key) in sorted(plan.moves.items()):
        models.Device.objects.filter(pk=device_id).update(
            device_group=groups[group_key], location=locations.get((group_key, location_key))
        )
    write_ptz(entry, locations)  # R14: the approved presets and privacy zones of PTZ cameras
    for group_entry in entry.device_groups:
        keys = [loc.key for loc in group_entry.locations]
        _delete_missing(
            groups[group_entry.key].locations.exclude(key__in=keys), file, "device_groups", "위치"
        )

    # What the file no longer lists goes, groups first (they protect departments and officers).
    _delete_missing(
        institution.device_groups.exclude(key__in=list(groups)), file, "device_groups", "기기 묶음"
    )
    totals = _upsert(
        institution.declared_totals.all(),
        "key",
        [
            (
                t.key,
                {
                    "label": t.label,
                    "count": t.count,
                    "kind": t.kind,
                    "department": departments.get(t.department),
                    "site": t.site,
                    "legal_basis": t.legal_basis,
                    "position": i,
                },
            )
            for i, t in enumerate(entry.declared_totals)
        ],
        lambda **kw: models.DeclaredTotal(institution=institution, **kw),
    )
    institution.declared_totals.exclude(key__in=list(totals)).delete()  # nothing points at a total
    fees = _upsert(
        institution.request_fees.all(),
        "key",
        [(fee.key, {**pick(fee, FEE_FIELDS), "position": i}) for i, fee in enumerate(entry.request_fees)],
        lambda **kw: models.RequestFee(institution=institution, **kw),
    )
    institution.request_fees.exclude(key__in=list(fees)).delete()  # nothing points at a fee row
    _write_policy(institution, entry, officers, departments)
    _delete_missing(institution.officers.exclude(key__in=list(officers)), file, "officers", "담당자")
    _delete_missing(institution.contractors.exclude(key__in=list(contractors)), file, "contractors", "위탁")
    stale_departments = institution.departments.exclude(key__in=list(by_key))
    stale_departments.update(parent=None)
    _delete_missing(stale_departments, file, "departments", "부서")
    return institution, counts_of(entry)


def counts_of(entry: RegisterEntry) -> dict[str, int]:
    """How many of each the register holds (the import's summary)."""
    return {
        "departments": len(entry.departments),
        "officers": len(entry.officers),
        "contractors": len(entry.contractors),
        "device_groups": len(entry.device_groups),
        "devices": sum(g.count or 0 for g in entry.device_groups),  # stated counts only
        "locations": sum(len(g.locations) for g in entry.device_groups),
        "declared_totals": len(entry.declared_totals),
        "request_fees": len(entry.request_fees),
        "policy_revisions": len(entry.policy.revisions) if entry.policy else 0,
    }


def _adopt_migrated_departments(institution: models.Institution, entry: RegisterEntry) -> None:
    """Departments that migration 0010 gave a placeholder key take the file's key of the same name."""
    keys = {d.name: d.key for d in entry.departments}
    stored = set(institution.departments.values_list("key", flat=True))
    for department in institution.departments.filter(key__startswith=MIGRATED_PREFIX):
        key = keys.get(department.name)
        if key and key not in stored:
            department.key = key
            department.save(update_fields=["key"])


def _upsert(
    existing: Any, key_field: str, rows: list[tuple[str, dict[str, Any]]], new: Any
) -> dict[str, Any]:
    """Update the rows matching by key, create the others; returns key → saved instance.

    A large register (20,000 locations) spent two thirds of its import saving row by row: new rows are
    inserted in batches where the database returns their keys (SQLite ≥ 3.35, PostgreSQL), and a
    stored row is written only when a value changed. No model of the register overrides save() or
    listens to its signals, so both write what save() would."""
    stored = {getattr(obj, key_field): obj for obj in existing}
    out: dict[str, Any] = {}
    created: list[Any] = []
    for key, values in rows:
        obj = stored.get(key)
        if obj is None:
            obj = new(**{key_field: key})
            for name, value in values.items():
                setattr(obj, name, value)
            created.append(obj)
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                obj.save(update_fields=changed)
        out[key] = obj
    if created:
        if connection.features.can_return_rows_from_bulk_insert:
            type(created[0]).objects.bulk_create(created, batch_size=_BATCH)
        else:
            for obj in created:
                obj.save()
    return out


_BATCH = 500


def _delete_missing(queryset: Any, file: str, list_name: str, what: str) -> None:
    try:
        queryset.delete()
    except ProtectedError as error:
        names = ", ".join(sorted({str(obj) for obj in error.protected_objects})[:5])
        raise RegisterFileError(
            [
                FileProblem(
                    file,
                    None,
                    (list_name,),
                    f"파일에 없는 {what}을(를) 지울 수 없습니다: 다른 기록이 참조하고 있습니다 ({names})",
                )
            ]
        ) from error


def _write_policy(
    institution: models.Institution,
    entry: RegisterEntry,
    officers: dict[str, Any],
    departments: dict[str, Any],
) -> None:
    if entry.policy is None:
        institution.policy_revisions.all().delete()
        models.PolicyDocument.objects.filter(institution=institution).delete()
        return
    policy = entry.policy
    document = models.PolicyDocument.objects.filter(institution=institution).first() or models.PolicyDocument(
        institution=institution
    )
    for name in POLICY_FIELDS:
        setattr(document, name, getattr(policy, name))
    document.sections = [
        {key: value for key, value in section.model_dump().items() if value or key == "title"}
        for section in policy.sections
    ]
    document.privacy_officer = officers.get(policy.privacy_officer)
    document.privacy_contact = officers.get(policy.privacy_contact)
    document.privacy_department = departments.get(policy.privacy_department)
    document.scope_department = departments.get(policy.scope_department)
    document.save()
    revisions = _upsert(
        institution.policy_revisions.all(),
        "key",
        [(r.key, {**r.model_dump(exclude={"key"}), "position": i}) for i, r in enumerate(policy.revisions)],
        lambda **kw: models.PolicyRevision(institution=institution, **kw),
    )
    institution.policy_revisions.exclude(key__in=list(revisions)).delete()
