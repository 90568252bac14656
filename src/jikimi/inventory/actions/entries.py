"""One entry of the register changed in the browser, checked exactly as the file import checks it.

The register is taken as the file's data (`register_file.exporting.register_data`), the one entry is
changed there, and the result goes through the import's own reading, validation and write: the
schema (types, limits), references and uniqueness, Django's field validation, the law's checks of
`jikimi.rules.register_checks` (R1, R2, R6, R9, R16, R33, R34, R43, …) and the devices' plan. So the
browser and the file cannot disagree about what the law allows, and no rule is written twice. Each
change is one transaction with one audit entry holding the entry's fields before and after.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic
from django.db import models as django_models
from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.scope import Scope
from jikimi.inventory import models
from jikimi.inventory.register_file import importing
from jikimi.inventory.register_file.devices import DevicePlan
from jikimi.inventory.register_file.errors import FileProblem, RegisterFileError
from jikimi.inventory.register_file.exporting import register_data
from jikimi.inventory.register_file.fields import POLICY_FIELDS
from jikimi.inventory.register_file.reading import LineMap, ParsedRegister, korean_message, title_of
from jikimi.inventory.register_file.schema import RegisterEntry

# What the problems of a browser edit name instead of a file (never printed with a line).
SOURCE = "화면 입력"

SECTIONS: dict[str, str] = {
    "institution": "기관 정보",
    "departments": "부서",
    "officers": "담당자",
    "contractors": "위탁",
    "device_groups": "기기 묶음",
    "privacy": "개인정보 보호책임자·담당부서",
    "policy": "운영·관리방침 제목·머리말",
    "policy_sections": "방침의 절",
    "revisions": "방침 제·개정 이력",
    "declared_totals": "공표 합계",
    "request_fees": "열람 등 수수료",
}
LIST_MODELS: dict[str, type[django_models.Model]] = {
    "departments": models.Department,
    "officers": models.Officer,
    "contractors": models.Contractor,
    "device_groups": models.DeviceGroup,
    "revisions": models.PolicyRevision,
    "declared_totals": models.DeclaredTotal,
    "request_fees": models.RequestFee,
}
# The policy's own sections have no key in the file: they are known by their place ("3" = the third).
NUMBERED = "policy_sections"
# Sections edited as a list: add, change, remove.
LISTS = (*LIST_MODELS, NUMBERED)
# Where a list lies in the file's data, when not at the top level.
_LIST_PATHS: dict[str, tuple[str, ...]] = {
    "revisions": ("policy", "revisions"),
    NUMBERED: ("policy", "sections"),
}
# The fields of the policy document itself (the privacy officer's are the "privacy" section's).
_POLICY_TEXT_FIELDS = frozenset((*POLICY_FIELDS, "scope_department"))
# Where the file refers to a department by its name (a renamed department is renamed there too).
_DEPARTMENT_REFERENCES = (
    ("departments", "parent"),
    ("officers", "department"),
    ("contractors", "supervising_department"),
    ("device_groups", "department"),
    ("declared_totals", "department"),
)

Path = tuple[str | int, ...]
# The form field a problem inside the edited entry belongs to, from the rest of its path ("" for none).
FieldOf = Callable[[Path], str]


@dataclass(frozen=True)
class RegisterEdit:
    """One change of one entry, in the register file's terms (departments by name, officers and
    contractors by key): `values` change the entry `key` of `section`; without `key` they add a new
    entry (its key among the values); `remove` removes the entry."""

    section: str
    key: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)
    remove: bool = False


@dataclass(frozen=True)
class FieldProblem:
    field: str  # a field of the edited entry; "" for the entry as a whole or another entry
    message: str
    rule: str = ""

    def __str__(self) -> str:
        return f"{self.message} [{self.rule}]" if self.rule else self.message


class EntryRefused(ValueError):
    """The edit is refused; nothing was written. `.problems` say field by field what and why."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field or '항목'}: {p}" for p in problems))


@dataclass
class EditResult:
    target: django_models.Model
    changes: dict[str, list[Any]]
    warnings: list[str]


def edit_register(
    actor: Actor, institution: models.Institution, edit: RegisterEdit, reason: str
) -> EditResult:
    """Apply one change to one entry of `institution`'s register, all or nothing, with its audit entry."""
    if not reason.strip():
        raise EntryRefused([FieldProblem("reason", "변경 사유를 적어야 합니다")])
    if edit.section not in SECTIONS:
        raise EntryRefused([FieldProblem("", f"알 수 없는 대장 항목입니다: {edit.section}")])
    with transaction.atomic():
        institution = models.Institution.objects.select_for_update().get(pk=institution.pk)
        data = register_data(institution)
        before_entry = _dump(data)
        removed = _removed_object(institution, edit)
        before_path, path = _apply(data, edit)
        entry, warnings, plan = check_and_write(data, path)
        before = _at(before_entry, before_path) if _exists(edit) else {}
        after = {} if edit.remove else _at(entry.model_dump(), path)
        changes = _changes(before, after, edit)
        if edit.section == NUMBERED and before and after and before_path != path:
            changes["position"] = [int(before_path[-1]) + 1, int(path[-1]) + 1]
        if not changes and not edit.remove:
            raise EntryRefused([FieldProblem("", "바뀐 내용이 없습니다")])
        warning_texts = [_describe(p, data) for p in warnings]
        details: dict[str, Any] = {
            "section": SECTIONS[edit.section],
            "key": _key_label(edit, path),
            "changes": changes,
            "warnings": warning_texts,
        }
        if removed is not None:
            record(
                actor,
                AuditEvent.INVENTORY_REMOVE_REGISTER_ENTRY,
                target_type=removed._meta.label,
                target_id=str(removed.pk),
                target_label=str(removed),
                scope=Scope(institution.pk),
                reason=reason,
                details=details,
            )
            target: django_models.Model = institution
        else:
            target = _target(institution, edit, after)
            event = (
                AuditEvent.INVENTORY_ADD_REGISTER_ENTRY
                if not before
                else AuditEvent.INVENTORY_CHANGE_REGISTER_ENTRY
            )
            record(actor, event, target, reason=reason, details=details)
        for rescope in plan.rescopes:
            # R36: the grants of another department now decide who sees these devices' footage.
            record(
                actor,
                AuditEvent.INVENTORY_DEVICE_GROUP_RESCOPED,
                institution.device_groups.get(key=rescope.group),
                reason=reason,
                details=rescope.details(),
            )
    return EditResult(target, changes, warning_texts)


def check_and_write(
    data: dict[str, Any], path: Path, field_of: FieldOf | None = None
) -> tuple[RegisterEntry, list[FileProblem], DevicePlan]:
    """Check the changed register `data` as the file import checks it, and write it (inside the caller's
    transaction). `path` is where the changed entry lies in `data`; a problem inside it names the
    entry's field as `field_of` says (default: the first name under `path`). Raises EntryRefused."""
    try:
        entry = RegisterEntry.model_validate(data)
    except pydantic.ValidationError as error:
        raise EntryRefused(_schema_problems(error, path, data, field_of)) from None
    parsed = ParsedRegister(file=SOURCE, entry=entry, lines=LineMap(), text="")
    try:
        existing, warnings, plan = importing.validate(parsed, stale_totals_warn=True)
        if plan.term_changes:
            # Not reachable from the entries the browser edits (retention and hours are edited on the
            # group page, which shows the devices first): refused rather than applied unseen (법 제21조①).
            raise EntryRefused(
                [
                    FieldProblem(
                        "",
                        f"기기의 보관기간·촬영시간이 바뀝니다 — 기기 묶음의 '고치기'에서 기기별 변경을 확인하고 바꾸세요: {change}",
                    )
                    for change in plan.term_changes
                ]
            )
        importing.write(entry, existing, SOURCE, plan)
    except RegisterFileError as error:
        raise EntryRefused(_file_problems(error.problems, path, data, field_of)) from None
    return entry, warnings, plan


def _dump(data: dict[str, Any]) -> dict[str, Any]:
    """The stored register as the file's validated data (every field, with its default)."""
    return RegisterEntry.model_validate(copy.deepcopy(data)).model_dump()


def _apply(data: dict[str, Any], edit: RegisterEdit) -> tuple[Path, Path]:
    """Change `data` as `edit` says; the paths of the entry changed, before and after the change."""
    values = dict(edit.values)
    if edit.section == "institution":
        values.pop("slug", None)  # URLs and the published policy's address use it
        data["institution"].update(values)
        return ("institution",), ("institution",)
    if edit.section in ("privacy", "policy"):
        data.setdefault("policy", {}).update(values)
        return ("policy",), ("policy",)
    base = _LIST_PATHS.get(edit.section, (edit.section,))
    if base[0] == "policy" and not data.get("policy"):
        # The register states only what the institution states: a section or a revision does not
        # bring a policy with a title nobody chose into being.
        raise EntryRefused([FieldProblem("", "대장에 방침이 없습니다 — 먼저 방침의 제목·머리말을 적으세요")])
    # A list the export leaves out when empty (request_fees) starts empty.
    items: list[dict[str, Any]] = (
        data.setdefault(base[0], []) if len(base) == 1 else data[base[0]].setdefault(base[1], [])
    )
    if edit.section == NUMBERED:
        return _apply_numbered(items, edit, values, base)
    if not edit.key:
        key = str(values.get("key", ""))
        if key and any(item["key"] == key for item in items):
            raise EntryRefused(
                [FieldProblem("key", f"식별자 '{key}'은(는) 이미 있습니다 — 다른 식별자를 쓰세요")]
            )
        items.append(values)
        return (*base, len(items) - 1), (*base, len(items) - 1)
    index = next((i for i, item in enumerate(items) if item["key"] == edit.key), None)
    if index is None:
        raise EntryRefused([FieldProblem("", f"{SECTIONS[edit.section]} '{edit.key}'이(가) 대장에 없습니다")])
    if edit.remove:
        del items[index]
        return (*base, index), (*base, index)
    item = items[index]
    values.pop("key", None)  # the identity across imports never changes (devices, grants point at it)
    if edit.section == "departments" and "name" in values and values["name"] != item["name"]:
        _rename_department(data, item["name"], values["name"])
    if edit.section == "device_groups" and values.get("department", item["department"]) != item["department"]:
        # R36: the officer moved the group to another department on purpose (the form says what it does);
        # the import's marker makes that explicit, and the re-scope is audited below.
        values["department_from"] = item["department"] or models.DEPARTMENT_NOT_PUBLISHED
    item.update(values)
    return (*base, index), (*base, index)


def _apply_numbered(
    items: list[dict[str, Any]], edit: RegisterEdit, values: dict[str, Any], base: tuple[str, ...]
) -> tuple[Path, Path]:
    """A section of the policy, known by its place: `edit.key` "3" is the third; `values["position"]`
    (1-based) is where it goes — the end when empty, for a new one."""
    position = values.pop("position", None)
    if not edit.key:
        index = len(items) if position is None else min(max(int(position) - 1, 0), len(items))
        items.insert(index, values)
        return (*base, index), (*base, index)
    index = int(edit.key) - 1 if edit.key.isdigit() else -1
    if not 0 <= index < len(items):
        raise EntryRefused([FieldProblem("", f"방침에 {edit.key}번째 절이 없습니다")])
    if edit.remove:
        del items[index]
        return (*base, index), (*base, index)
    item = items.pop(index)
    item.update(values)
    new_index = index if position is None else min(max(int(position) - 1, 0), len(items))
    items.insert(new_index, item)
    return (*base, index), (*base, new_index)


def _key_label(edit: RegisterEdit, path: Path) -> str:
    """What the audit entry names the entry by: its key; a section of the policy, by its place."""
    if edit.section == NUMBERED:
        return f"{int(path[-1]) + 1}번째 절"
    return edit.key or str(edit.values.get("key", ""))


def _rename_department(data: dict[str, Any], old: str, new: str) -> None:
    for section, name in _DEPARTMENT_REFERENCES:
        for item in data.get(section, []):
            if item.get(name) == old:
                item[name] = new
    policy = data.get("policy")
    for name in ("privacy_department", "scope_department"):
        if policy and policy.get(name) == old:
            policy[name] = new


def _removed_object(institution: models.Institution, edit: RegisterEdit) -> django_models.Model | None:
    if not edit.remove:
        return None
    if edit.section == NUMBERED:
        # A section is part of the policy document: its removal is recorded about the document.
        document = models.PolicyDocument.objects.filter(institution=institution).first()
        if document is None:
            raise EntryRefused([FieldProblem("", "방침에 절이 없습니다")])
        return document
    model = LIST_MODELS.get(edit.section)
    if model is None:
        raise EntryRefused([FieldProblem("", f"{SECTIONS[edit.section]}은(는) 지울 수 없습니다")])
    found = model._default_manager.filter(institution=institution, key=edit.key).first()
    if found is None:
        raise EntryRefused([FieldProblem("", f"{SECTIONS[edit.section]} '{edit.key}'이(가) 대장에 없습니다")])
    return found


def _exists(edit: RegisterEdit) -> bool:
    if edit.section in ("institution", "privacy", "policy"):
        return True
    return bool(edit.key)


def _at(dumped: dict[str, Any], path: Path) -> dict[str, Any]:
    node: Any = dumped
    for part in path:
        node = node[part] if node is not None else None
    return dict(node or {})


def _changes(before: dict[str, Any], after: dict[str, Any], edit: RegisterEdit) -> dict[str, list[Any]]:
    names = list(dict.fromkeys([*before, *after]))
    ignored = {"locations", "department_from", "sections", "revisions"}
    if edit.section == "privacy":
        names = [n for n in names if n in ("privacy_officer", "privacy_department", "privacy_contact")]
    if edit.section == "policy":
        names = [n for n in names if n in _POLICY_TEXT_FIELDS]
    # A field left empty on both sides ("" before, absent after a removal) is no change to record.
    return {
        name: [before.get(name), after.get(name)]
        for name in names
        if name not in ignored
        and before.get(name) != after.get(name)
        and not (_empty(before.get(name)) and _empty(after.get(name)))
    }


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _target(
    institution: models.Institution, edit: RegisterEdit, after: dict[str, Any]
) -> django_models.Model:
    if edit.section == "institution":
        return institution
    if edit.section in ("privacy", "policy", NUMBERED):
        return models.PolicyDocument.objects.get(institution=institution)
    return LIST_MODELS[edit.section]._default_manager.get(institution=institution, key=after["key"])


def _schema_problems(
    error: pydantic.ValidationError, path: Path, data: dict[str, Any], field_of: FieldOf | None = None
) -> list[FieldProblem]:
    problems = []
    for item in error.errors():
        where: Path = tuple(item["loc"])
        problem = FileProblem(SOURCE, None, where, korean_message(item), title=title_of(where))
        problems.append(_field_problem(problem, path, data, field_of))
    return problems


def _file_problems(
    problems: list[FileProblem], path: Path, data: dict[str, Any], field_of: FieldOf | None = None
) -> list[FieldProblem]:
    return [_field_problem(problem, path, data, field_of) for problem in problems]


def _first_name(rest: Path) -> str:
    return rest[0] if isinstance(rest[0], str) else ""


def _field_problem(
    problem: FileProblem, path: Path, data: dict[str, Any], field_of: FieldOf | None = None
) -> FieldProblem:
    message = problem.message.replace("(파일 안에서 하나여야 합니다)", "(대장 안에서 하나여야 합니다)")
    inside = problem.path[: len(path)] == path and len(problem.path) > len(path)
    if inside:
        name = (field_of or _first_name)(problem.path[len(path) :])
        if name:
            return FieldProblem(name, message, problem.rule)
    if problem.path == path:
        return FieldProblem("", message, problem.rule)
    return FieldProblem("", _describe(problem, data), problem.rule)


def _describe(problem: FileProblem, data: dict[str, Any]) -> str:
    """A problem of another entry, named as people name it: "기기 묶음 '방범용' 관리책임자: …"."""
    where = ""
    if len(problem.path) >= 2 and isinstance(problem.path[1], int):
        section = str(problem.path[0])
        items = data.get(section) or []
        index = problem.path[1]
        if index < len(items):
            item = items[index]
            label = SECTIONS.get(section, title_of((section,)) or section)
            named = (
                item.get("name")
                or item.get("label")
                or item.get("company")
                or item.get("key")
                or item.get("location")
            )
            where = f"{label} '{named}'"
    title = problem.title if problem.title and problem.title not in where else ""
    return (
        " ".join(part for part in (where, title) if part) + (": " if where or title else "") + problem.message
    )
