"""Checks of a parsed register file against itself and the models, each problem with its line.

References (departments by name, officers and contractors by key), uniqueness in the file, and
Django's own field validation (lengths, e-mail, URL, choices) on unsaved instances.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models as django_models
from django.utils import translation

from jikimi.inventory import models
from jikimi.inventory.register_file.errors import FileProblem
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
from jikimi.inventory.register_file.reading import ParsedRegister, title_of
from jikimi.inventory.register_file.schema import RegisterEntry
from jikimi.inventory.section_options import REQUEST_FORM, REQUEST_FORM_FIELDS, section_options

Path = tuple[str | int, ...]


class Collector:
    def __init__(self, parsed: ParsedRegister):
        self.parsed = parsed
        self.problems: list[FileProblem] = []

    def add(self, path: Path, message: str, *, rule: str = "", key: bool = False) -> None:
        line = self.parsed.lines.line(path, key=key)
        self.problems.append(
            FileProblem(self.parsed.file, line, path, message, title=title_of(path), rule=rule)
        )


def matching_institution(entry: RegisterEntry, out: Collector) -> models.Institution | None:
    """The institution the file is the register of: the one with its key (slug), never the one with its
    name — the key is in the institution's public URLs. A file whose name is another institution's is
    refused, naming both: it is that institution's register under a wrong key, or a different
    institution under a taken name; either way importing it would replace the wrong register."""
    slug, name = entry.institution.slug, entry.institution.name
    by_slug = models.Institution.objects.filter(slug=slug).first()
    by_name = models.Institution.objects.filter(name=name).exclude(slug=slug).first()
    if by_name is not None:
        if by_slug is not None:
            message = (
                f"기관명 '{name}'은(는) 다른 기관(식별자 '{by_name.slug}')의 이름입니다 — 이 파일은 "
                f"'{by_slug.name}'(식별자 '{slug}')의 대장인데 이름을 다른 기관의 것으로 바꿀 수 없습니다"
            )
        else:
            message = (
                f"기관명 '{name}'은(는) 이미 등록된 기관(식별자 '{by_name.slug}')의 이름입니다 — 그 기관의 "
                f"대장이면 slug를 '{by_name.slug}'(으)로 적고, 다른 기관이면 기관명을 다르게 적으세요 "
                f"(이 파일의 식별자 '{slug}'인 기관은 없습니다)"
            )
        out.add(("institution", "name"), message)
        return None
    return by_slug


def check_unique_and_references(entry: RegisterEntry, out: Collector) -> None:
    def unique(items: list[Any], attribute: str, list_name: str | Path, what: str) -> set[str]:
        prefix: Path = (list_name,) if isinstance(list_name, str) else list_name
        seen: set[str] = set()
        for index, item in enumerate(items):
            value = getattr(item, attribute)
            if value in seen:
                out.add(
                    (*prefix, index, attribute),
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
        # 자체 / 위탁 as published; a contractor only with 위탁 (an own operation has none).
        if item.operator and item.operator not in contractors:
            out.add(
                ("departments", index, "operator"), f"수탁자 '{item.operator}'이(가) contractors에 없습니다"
            )
        if item.operator and item.operation != "outsourced":
            out.add(
                ("departments", index, "operator"),
                "운영 수탁자는 운영 방식이 위탁(outsourced)인 부서에만 적습니다",
            )
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
        if group.department is not None:  # null: not published (the group is then institution-wide, R36)
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
    unique(entry.declared_totals, "key", "declared_totals", "공표 합계 식별자")
    for index, total in enumerate(entry.declared_totals):
        department(("declared_totals", index, "department"), total.department)
    unique(entry.request_fees, "key", "request_fees", "수수료 식별자")
    unique(entry.request_fees, "item", "request_fees", "수수료 항목")
    if entry.policy:
        officer(("policy", "privacy_officer"), entry.policy.privacy_officer)
        officer(("policy", "privacy_contact"), entry.policy.privacy_contact)
        department(("policy", "privacy_department"), entry.policy.privacy_department)
        department(("policy", "scope_department"), entry.policy.scope_department)
        unique(entry.policy.revisions, "key", ("policy", "revisions"), "제·개정 식별자")
        _check_sections(entry, out)
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


def _check_sections(entry: RegisterEntry, out: Collector) -> None:
    """A section's `covers` (R4) and the 청구서's boxes (R20) name what publishing offers; the 청구서's
    boxes and examples stand on its own section only (elsewhere nothing would print them)."""
    assert entry.policy is not None
    options = section_options()
    labels = dict(options.coverable_choices())
    for index, section in enumerate(entry.policy.sections):
        path: Path = ("policy", "sections", index)
        unknown = [key for key in section.covers if key not in labels]
        if options.coverable and unknown:
            out.add(
                (*path, "covers"),
                f"다루는 방침 항목 '{', '.join(unknown)}'은(는) 시행령 제25조① 항목의 생성 항목이 아닙니다 "
                f"(가능: {', '.join(options.coverable)})",
                rule="R4",
            )
        if section.generated != REQUEST_FORM:
            for name in REQUEST_FORM_FIELDS:
                if getattr(section, name):
                    out.add(
                        (*path, name),
                        f"{title_of((*path, name))}은(는) 생성 항목이 청구서 (별지, request_form)인 절에만 "
                        "적습니다",
                    )
            continue
        wrong = [choice for choice in section.choices if choice not in options.request_choices]
        if options.request_choices and wrong:
            out.add(
                (*path, "choices"),
                f"청구서 선택 항목 '{', '.join(wrong)}'은(는) 청구서에 둘 수 없습니다 "
                f"(가능: {', '.join(options.request_choices)})",
                rule="R20",
            )


def check_fields(entry: RegisterEntry, out: Collector, existing: models.Institution | None) -> None:
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
            models.Officer(key=officer.key, **pick(officer, OFFICER_FIELDS)),
            ("officers", index),
            ("key", *OFFICER_FIELDS),
        )
    for index, contractor in enumerate(entry.contractors):
        clean(
            models.Contractor(key=contractor.key, **pick(contractor, CONTRACTOR_FIELDS)),
            ("contractors", index),
            ("key", *CONTRACTOR_FIELDS),
        )
    for index, group in enumerate(entry.device_groups):
        clean(
            models.DeviceGroup(key=group.key, **pick(group, GROUP_FIELDS)),
            ("device_groups", index),
            ("key", *GROUP_FIELDS),
        )
        for position, location in enumerate(group.locations):
            clean(
                models.Location(**pick(location, LOCATION_FIELDS)),
                ("device_groups", index, "locations", position),
                LOCATION_FIELDS,
            )
    for index, total in enumerate(entry.declared_totals):
        clean(
            models.DeclaredTotal(
                key=total.key,
                label=total.label,
                count=total.count,
                kind=total.kind,
                site=total.site,
                legal_basis=total.legal_basis,
            ),
            ("declared_totals", index),
            ("key", "label", "count", "kind", "site", "legal_basis"),
        )
    for index, fee in enumerate(entry.request_fees):
        clean(
            models.RequestFee(key=fee.key, **pick(fee, FEE_FIELDS)),
            ("request_fees", index),
            ("key", *FEE_FIELDS),
        )
    if entry.policy:
        clean(models.PolicyDocument(**pick(entry.policy, POLICY_FIELDS)), ("policy",), POLICY_FIELDS)
        for index, revision in enumerate(entry.policy.revisions):
            clean(
                models.PolicyRevision(**revision.model_dump()),
                ("policy", "revisions", index),
                ("key", "label", "valid_from", "valid_until", "note"),
            )
