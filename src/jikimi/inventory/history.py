"""The change history of a register entry as staff read it: the event's Korean name, the reason, and
each changed field by its Korean label with its value before → after (never raw keys or codes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models as django_models
from django.db.models import QuerySet

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions.entries import SECTIONS
from jikimi.inventory.actions.ptz_views import KIND_LABELS
from jikimi.inventory.queries import SHORT_BASIS_LABELS

EMPTY = "(없음)"
_MODELS: tuple[type[django_models.Model], ...] = (
    models.DeviceGroup,
    models.Location,
    models.Officer,
    models.Contractor,
    models.Department,
    models.Institution,
    models.PolicyDocument,
)
# Fields named by reference in the register file, and the location list as the group page keeps it.
_EXTRA_LABELS = {
    "department": "부서",
    "parent": "상위 부서",
    "supervising_department": "감독부서",
    "locations": "설치 위치 목록",
    "privacy_officer": "개인정보 보호책임자",
    "privacy_department": "개인정보보호 담당부서",
    "privacy_contact": "개인정보보호 담당자",
    "operator": "운영 수탁자",
    "scope_department": "방침 적용 부서",
    "key": "식별자",
    # a section of the policy's own text (the file's policy.sections)
    "body": "본문",
    "generated": "생성 항목",
    "position": "순서",
    "covers": "다루는 방침 항목",
    "choices": "청구서 선택 항목",
    "example_period": "기록기간 예시",
    "example_place": "설치장소 예시",
    "policy_name": "청구서에 적힌 방침 이름",
}
# The model an entry of a register section is, so that its fields read by its own names (a total's
# "label" is 구분, a revision's 제·개정 회차).
_SECTION_MODELS: dict[str, type[django_models.Model]] = {
    SECTIONS["revisions"]: models.PolicyRevision,
    SECTIONS["declared_totals"]: models.DeclaredTotal,
    SECTIONS["policy"]: models.PolicyDocument,
    SECTIONS["policy_sections"]: models.PolicyDocument,
    SECTIONS["request_fees"]: models.RequestFee,
    KIND_LABELS["presets"]: models.PtzPreset,
    KIND_LABELS["privacy_zones"]: models.PrivacyZone,
}


def field_label(name: str, section: str = "") -> str:
    """The Korean label of a register field ("locations_complete" → "위치 목록 완비"); `section` (the
    Korean name the audit entry gives it) says whose field it is."""
    first = _SECTION_MODELS.get(section)
    if first is not None and name not in _EXTRA_LABELS:
        try:
            return str(getattr(first._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            pass
    if name in _EXTRA_LABELS:
        return _EXTRA_LABELS[name]
    for model in _MODELS:
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            continue
    return name


def where(path: tuple[str | int, ...], field: str) -> str:
    """Where a problem of a group is, as staff name it: "설치 대수", "2번 위치 공간 유형" (not "locations[1].space_type")."""
    prefix = ""
    if len(path) >= 2 and path[-2] == "locations" and isinstance(path[-1], int):
        prefix = f"{path[-1] + 1}번 위치 "
    return (prefix + field_label(field)) if field else prefix.strip()


def _choices(name: str) -> dict[str, str]:
    if name in ("legal_bases", "legal_basis"):
        return SHORT_BASIS_LABELS
    if name in ("generated", "covers"):
        return models.PolicyDocument.GENERATED_SECTIONS
    for model in _MODELS:
        try:
            found = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return {str(code): str(label) for code, label in (getattr(found, "choices", None) or ())}
    return {}


def shown(name: str, value: Any) -> str:
    """A stored value as a person reads it."""
    if name in ("enabling_law", "retention_reason") and value is None:
        return "공개 문서에 없음 (미공개)"  # R1, R16, issue 16: not published, unlike none written ("")
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if name == "amount" and isinstance(value, int):
        return f"{value:,}원"  # a fee row's amount (R27)
    choices = _choices(name)
    if isinstance(value, list):
        return ", ".join(choices.get(str(v), str(v)) for v in value)
    return choices.get(str(value), str(value))


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: Any
    actor: str
    event: str
    reason: str
    changes: list[Change]


def changes_of(details: dict[str, Any]) -> list[Change]:
    out = []
    for name, pair in (details.get("changes") or {}).items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        before, after = pair
        out.append(
            Change(
                field_label(name, str(details.get("section", ""))), shown(name, before), shown(name, after)
            )
        )
    for change in details.get("term_changes") or ():
        if isinstance(change, dict):
            out.append(
                Change(
                    f"기기 '{change.get('name', '')}' 보관기간·촬영시간",
                    " / ".join(
                        str(v[0] or EMPTY)
                        for v in (change.get("retention"), change.get("recording_hours"))
                        if v
                    ),
                    " / ".join(
                        str(v[1] or EMPTY)
                        for v in (change.get("retention"), change.get("recording_hours"))
                        if v
                    ),
                )
            )
    return out


def history_rows(entries: Iterable[Any]) -> list[HistoryRow]:
    rows = []
    for entry in entries:
        try:
            event = str(AuditEvent(entry.action).label)
        except ValueError:
            event = entry.action
        rows.append(
            HistoryRow(entry.at, entry.actor_label, event, entry.reason, changes_of(entry.details or {}))
        )
    return rows


# Whose entries are the policy's own text, its published totals and fees (the register page's 변경 기록).
_POLICY_TARGETS = (
    "inventory.PolicyDocument",
    "inventory.PolicyRevision",
    "inventory.DeclaredTotal",
    "inventory.RequestFee",
)


def policy_history(institution: models.Institution) -> QuerySet[AuditEntry]:
    """The audit entries about the policy document, its revisions and its totals, newest first (removed
    entries included: they are kept by the institution's scope, not by an object that is gone)."""
    return (
        AuditEntry.objects.filter(scope_institution=institution.pk, target_type__in=_POLICY_TARGETS)
        .select_related("actor")
        .order_by("-sequence")
    )


def ptz_history(location: models.Location) -> QuerySet[AuditEntry]:
    """The audit entries about `location`'s approved presets and privacy zones, newest first (removed
    ones included: their target id is the location's and the key, not a row)."""
    return (
        AuditEntry.objects.filter(
            target_type__in=(models.PtzPreset._meta.label, models.PrivacyZone._meta.label),
            target_id__startswith=f"{location.pk}/",
        )
        .select_related("actor")
        .order_by("-sequence")
    )
