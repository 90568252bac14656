"""Reading the 관리대장: whose rows a person may read (R36), the page's filter, who may sign them.

VIEW_LEDGER over a whole institution reads all its rows; over some departments or device groups, the
rows about devices of those groups. 결재 and corrections are for those who also decide (operating heads:
DECIDE_REQUESTS; the 총괄책임관: APPROVE_PROVISIONS) — the auditor reads and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from jikimi.accounts.permissions import (
    Permission,
    active_grants,
    device_groups_for,
    institutions_for,
)
from jikimi.disclosure.models import LedgerEntry
from jikimi.lib.clock import SEOUL

APPROVERS = (Permission.DECIDE_REQUESTS, Permission.APPROVE_PROVISIONS)


def entries_for(user: Any) -> QuerySet[LedgerEntry]:
    """The rows `user` may read (R36)."""
    whole = institutions_for(user, Permission.VIEW_LEDGER, whole_institution=True)
    groups = device_groups_for(user, Permission.VIEW_LEDGER)
    visible = LedgerEntry.objects.filter(
        Q(institution__in=whole) | Q(devices__device_group__in=groups)
    ).values("pk")
    return LedgerEntry.objects.filter(pk__in=visible).select_related(
        "institution", "subject_request", "provision", "corrects"
    )


def may_approve(user: Any, entry: LedgerEntry) -> bool:
    """결재 and corrections: a reader of the row who also decides in its institution."""
    if not entries_for(user).filter(pk=entry.pk).exists():
        return False
    return any(
        active_grants(user, permission).filter(institution_id=entry.institution_id).exists()
        for permission in APPROVERS
    )


def signing_institutions(user: Any) -> set[int]:
    """Institutions where `user` may sign the rows he reads (one query per permission, for a whole page)."""
    if not active_grants(user, Permission.VIEW_LEDGER).exists():
        return set()
    found: set[int] = set()
    for permission in APPROVERS:
        found.update(active_grants(user, permission).values_list("institution_id", flat=True))
    return found


@dataclass(frozen=True)
class LedgerFilter:
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    device: int | None = None
    body: str = ""
    text: str = ""
    unapproved: bool = False

    def describe(self) -> str:
        """What was asked, in Korean, for the export's audit entry and the file's heading."""
        parts = []
        if self.kind:
            parts.append(f"구분 {dict(LedgerEntry.Kind.choices).get(self.kind, self.kind)}")
        if self.date_from or self.date_to:
            parts.append(f"기간 {self.date_from or ''}~{self.date_to or ''}")
        if self.device:
            parts.append(f"기기 #{self.device}")
        if self.body:
            parts.append(f"요청 기관 {self.body}")
        if self.text:
            parts.append(f"검색어 '{self.text}'")
        if self.unapproved:
            parts.append("결재 전")
        return ", ".join(parts) or "전체"


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SEOUL)


def filtered(entries: QuerySet[LedgerEntry], wanted: LedgerFilter) -> QuerySet[LedgerEntry]:
    if wanted.kind:
        entries = entries.filter(kind=wanted.kind)
    if wanted.date_from:
        entries = entries.filter(occurred_at__gte=_start(wanted.date_from))
    if wanted.date_to:
        entries = entries.filter(occurred_at__lt=_start(wanted.date_to + timedelta(days=1)))
    if wanted.device:
        entries = entries.filter(pk__in=LedgerEntry.objects.filter(devices=wanted.device).values("pk"))
    if wanted.body:
        entries = entries.filter(body_name=wanted.body)
    if wanted.text:
        text = wanted.text
        entries = entries.filter(
            Q(file_description__icontains=text)
            | Q(purpose__icontains=text)
            | Q(party__icontains=text)
            | Q(officer_name__icontains=text)
            | Q(legal_basis__icontains=text)
        )
    if wanted.unapproved:
        entries = entries.filter(approved_at__isnull=True)
    return entries.order_by("institution_id", "number")


def bodies_in(entries: QuerySet[LedgerEntry]) -> list[str]:
    return sorted(set(entries.exclude(body_name="").values_list("body_name", flat=True)))
