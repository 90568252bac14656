"""Check a parsed register file against itself, the models and the law; then write it to the database.

`validate` collects every problem (references, uniqueness, Django field validation, the law's
checks) with its line before anything is written. `write` replaces an institution's register in
place: entries are matched by their key (departments by name), so that users, role grants and
footage that point at a department or a device group keep pointing at it across imports.
The caller (`jikimi.inventory.actions.import_register`) runs both in one transaction with its audit entry.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models as django_models
from django.db.models import ProtectedError
from django.utils import translation

from jikimi.inventory import models
from jikimi.inventory.checks import facts_from_entry
from jikimi.inventory.register_file.devices import MIGRATED_PREFIX, DevicePlan, plan_devices
from jikimi.inventory.register_file.errors import FileProblem, RegisterFileError
from jikimi.inventory.register_file.reading import ParsedRegister, title_of
from jikimi.inventory.register_file.schema import RegisterEntry
from jikimi.rules.register_checks import check_register

Path = tuple[str | int, ...]

GROUP_FIELDS = (
    "name", "kind", "mobile_type", "status", "legal_bases", "purpose", "enabling_law", "classification_primary",
    "classification_secondary", "count", "site", "site_count", "coverage", "recording_hours", "notice_method",
    "retention", "retention_reason", "storage_place", "processing_method", "monitoring_method", "monitoring_place",
    "locations_complete", "attachment", "notes",
)  # fmt: skip
INSTITUTION_FIELDS = (
    "name",
    "slug",
    "scope_statement",
    "address",
    "phone",
    "website",
    "head_title",
    "source",
    "notes",
)
OFFICER_FIELDS = ("name", "position", "grade", "team", "phone", "email")
CONTRACTOR_FIELDS = (
    "task", "company", "contact", "period_start", "period_end", "clause_purpose_scope", "clause_subcontract_limit",
    "clause_access_safety", "clause_inspection", "clause_liability",
)  # fmt: skip
LOCATION_FIELDS = (
    "name",
    "count",
    "coverage",
    "building",
    "space_type",
    "retention",
    "recording_hours",
    "storage_place",
)
POLICY_FIELDS = (
    "title", "kind", "article_style", "preamble", "change_notice_days", "first_enacted_on", "announced_on",
    "effective_on", "content_department", "content_phone",
)  # fmt: skip


class _Collector:
    def __init__(self, parsed: ParsedRegister):
        self.parsed = parsed
        self.problems: list[FileProblem] = []

    def add(self, path: Path, message: str, *, rule: str = "", key: bool = False) -> None:
        line = self.parsed.lines.line(path, key=key)
        self.problems.append(
            FileProblem(self.parsed.file, line, path, message, title=title_of(path), rule=rule)
        )


def validate(parsed: ParsedRegister) -> tuple[models.Institution | None, list[FileProblem], DevicePlan]:
    """The institution the file replaces (None: a new one), the warnings and what happens to its
    devices; raise on any error."""
    entry = parsed.entry
    out = _Collector(parsed)
    existing = _matching_institution(entry, out)
    _check_unique_and_references(entry, out)
    _check_fields(entry, out, existing)
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
        (out.problems if problem.is_error else warnings).append(file_problem)
    if out.problems:
        raise RegisterFileError(out.problems)
    return existing, sorted(warnings, key=lambda p: p.line or 0), plan


def _matching_institution(entry: RegisterEntry, out: _Collector) -> models.Institution | None:
    by_slug = models.Institution.objects.filter(slug=entry.institution.slug).first()
    by_name = models.Institution.objects.filter(name=entry.institution.name).first()
    if by_slug and by_name and by_slug.pk != by_name.pk:
        out.add(
            ("institution", "slug"),
            f"식별자 '{by_slug.slug}'는 '{by_slug.name}'의 것이고 이름 '{by_name.name}'은(는) 다른 기관(식별자 '{by_name.slug}')의 것입니다",
        )
        return None
    return by_slug or by_name


def _check_unique_and_references(entry: RegisterEntry, out: _Collector) -> None:
    def unique(items: list[Any], attribute: str, list_name: str, what: str) -> set[str]:
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = getattr(item, attribute)
            if value in seen:
                out.add(
                    (list_name, index, attribute),
                    f"{what} '{value}'이(가) 이미 앞에 있습니다 (파일 안에서 하나여야 합니다)",
                )
            seen.add(value)
        return seen

    departments = unique(entry.departments, "name", "departments", "부서")
    unique(entry.departments, "key", "departments", "부서 식별자")
    officers = unique(entry.officers, "key", "officers", "담당자 식별자")
    contractors = unique(entry.contractors, "key", "contractors", "위탁 식별자")
    unique(entry.device_groups, "key", "device_groups", "기기 묶음 식별자")

    def department(path: Path, name: str, *, required: bool = False) -> None:
        if (name or required) and name not in departments:
            out.add(path, f"부서 '{name}'이(가) departments에 없습니다")

    def officer(path: Path, key: str) -> None:
        if key and key not in officers:
            out.add(path, f"담당자 '{key}'이(가) officers에 없습니다")

    for index, item in enumerate(entry.departments):
        if item.parent:
            department(("departments", index, "parent"), item.parent)
            if item.parent == item.name:
                out.add(("departments", index, "parent"), "부서가 자기 자신의 상위 부서일 수 없습니다")
    for index, officer_entry in enumerate(entry.officers):
        department(("officers", index, "department"), officer_entry.department)
    for index, contract in enumerate(entry.contractors):
        department(("contractors", index, "supervising_department"), contract.supervising_department)
        if contract.period_start and contract.period_end and contract.period_end < contract.period_start:
            out.add(
                ("contractors", index, "period_end"),
                f"위탁기간의 끝({contract.period_end})이 시작({contract.period_start})보다 앞섭니다",
            )
    for index, group in enumerate(entry.device_groups):
        department(("device_groups", index, "department"), group.department, required=True)
        for attribute in ("managers", "staff"):
            for position, key in enumerate(getattr(group, attribute)):
                officer(("device_groups", index, attribute, position), key)
            for key, times in Counter(getattr(group, attribute)).items():
                if times > 1:
                    out.add(("device_groups", index, attribute), f"'{key}'이(가) 두 번 있습니다")
        for position, key in enumerate(group.contractors):
            if key not in contractors:
                out.add(
                    ("device_groups", index, "contractors", position),
                    f"수탁자 '{key}'이(가) contractors에 없습니다",
                )
    for index, total in enumerate(entry.declared_totals):
        department(("declared_totals", index, "department"), total.department)
    if entry.policy:
        officer(("policy", "privacy_officer"), entry.policy.privacy_officer)
        officer(("policy", "privacy_contact"), entry.policy.privacy_contact)
        department(("policy", "privacy_department"), entry.policy.privacy_department)
        for index, revision in enumerate(entry.policy.revisions):
            if revision.valid_until and revision.valid_until < revision.valid_from:
                out.add(
                    ("policy", "revisions", index, "valid_until"),
                    f"적용 끝({revision.valid_until})이 시작({revision.valid_from})보다 앞섭니다",
                )
        if (
            entry.policy.announced_on
            and entry.policy.effective_on
            and entry.policy.effective_on < entry.policy.announced_on
        ):
            out.add(
                ("policy", "effective_on"),
                f"시행일({entry.policy.effective_on})이 공고일({entry.policy.announced_on})보다 앞섭니다",
            )


def _check_fields(entry: RegisterEntry, out: _Collector, existing: models.Institution | None) -> None:
    """Django's own field validation (lengths, e-mail, URL, choices) on unsaved instances."""

    def clean(instance: django_models.Model, path: Path, fields: tuple[str, ...]) -> None:
        exclude = [f.name for f in instance._meta.get_fields() if f.name not in fields]
        try:
            with translation.override("ko"):
                instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    out.add((*path, name), message)

    clean(models.Institution(**entry.institution.model_dump()), ("institution",), INSTITUTION_FIELDS)
    for index, department in enumerate(entry.departments):
        clean(
            models.Department(key=department.key, name=department.name, phone=department.phone),
            ("departments", index),
            ("key", "name", "phone"),
        )
    for index, officer in enumerate(entry.officers):
        clean(
            models.Officer(key=officer.key, **_pick(officer, OFFICER_FIELDS)),
            ("officers", index),
            ("key", *OFFICER_FIELDS),
        )
    for index, contractor in enumerate(entry.contractors):
        clean(
            models.Contractor(key=contractor.key, **_pick(contractor, CONTRACTOR_FIELDS)),
            ("contractors", index),
            ("key", *CONTRACTOR_FIELDS),
        )
    for index, group in enumerate(entry.device_groups):
        clean(
            models.DeviceGroup(key=group.key, **_pick(group, GROUP_FIELDS)),
            ("device_groups", index),
            ("key", *GROUP_FIELDS),
        )
        for position, location in enumerate(group.locations):
            clean(
                models.Location(**_pick(location, LOCATION_FIELDS)),
                ("device_groups", index, "locations", position),
                LOCATION_FIELDS,
            )
    for index, total in enumerate(entry.declared_totals):
        clean(
            models.DeclaredTotal(
                label=total.label,
                count=total.count,
                kind=total.kind,
                site=total.site,
                legal_basis=total.legal_basis,
            ),
            ("declared_totals", index),
            ("label", "count", "kind", "site", "legal_basis"),
        )
    if entry.policy:
        clean(models.PolicyDocument(**_pick(entry.policy, POLICY_FIELDS)), ("policy",), POLICY_FIELDS)
        for index, revision in enumerate(entry.policy.revisions):
            clean(
                models.PolicyRevision(**revision.model_dump()),
                ("policy", "revisions", index),
                ("label", "valid_from", "valid_until", "note"),
            )


def _pick(entry: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in names}


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
                    **_pick(o, OFFICER_FIELDS),
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
                    **_pick(c, CONTRACTOR_FIELDS),
                    "supervising_department": departments.get(c.supervising_department),
                    "position": i,
                },
            )
            for i, c in enumerate(entry.contractors)
        ],
        lambda **kw: models.Contractor(institution=institution, **kw),
    )
    groups = _upsert(
        institution.device_groups.all(),
        "key",
        [
            (g.key, {**_pick(g, GROUP_FIELDS), "department": departments[g.department], "position": i})
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
                (loc.key, {**_pick(loc, LOCATION_FIELDS), "position": i})
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
    for group_entry in entry.device_groups:
        keys = [loc.key for loc in group_entry.locations]
        _delete_missing(
            groups[group_entry.key].locations.exclude(key__in=keys), file, "device_groups", "위치"
        )

    # What the file no longer lists goes, groups first (they protect departments and officers).
    _delete_missing(
        institution.device_groups.exclude(key__in=list(groups)), file, "device_groups", "기기 묶음"
    )
    institution.declared_totals.all().delete()
    models.DeclaredTotal.objects.bulk_create(
        models.DeclaredTotal(
            institution=institution,
            label=t.label,
            count=t.count,
            kind=t.kind,
            department=departments.get(t.department),
            site=t.site,
            legal_basis=t.legal_basis,
        )
        for t in entry.declared_totals
    )
    _write_policy(institution, entry, officers, departments)
    _delete_missing(institution.officers.exclude(key__in=list(officers)), file, "officers", "담당자")
    _delete_missing(institution.contractors.exclude(key__in=list(contractors)), file, "contractors", "위탁")
    stale_departments = institution.departments.exclude(key__in=list(by_key))
    stale_departments.update(parent=None)
    _delete_missing(stale_departments, file, "departments", "부서")
    return institution, {
        "departments": len(entry.departments),
        "officers": len(entry.officers),
        "contractors": len(entry.contractors),
        "device_groups": len(entry.device_groups),
        "devices": sum(g.count for g in entry.device_groups),
        "locations": location_count,
        "declared_totals": len(entry.declared_totals),
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
    """Update the rows matching by key, create the others; returns key → saved instance."""
    stored = {getattr(obj, key_field): obj for obj in existing}
    out: dict[str, Any] = {}
    for key, values in rows:
        obj = stored.get(key) or new(**{key_field: key})
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        out[key] = obj
    return out


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
    institution.policy_revisions.all().delete()
    if entry.policy is None:
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
    document.save()
    models.PolicyRevision.objects.bulk_create(
        models.PolicyRevision(institution=institution, **revision.model_dump())
        for revision in policy.revisions
    )
