"""Reads of the audit log: the chain for verification, and filtered pages for the auditor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from jikimi.audit.chain import ChainProblem, EntryData, verify_chain
from jikimi.audit.events import AuditEvent, label_of
from jikimi.audit.models import AuditEntry, ChainHead
from jikimi.lib.clock import start_of_day


@dataclass(frozen=True)
class Verification:
    count: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        if self.problem is None:
            return f"감사 기록 {self.count}건: 이상 없음"
        p = self.problem
        return f"감사 기록 {self.count}건: 항목 #{p.sequence}에서 이상 발견 ({p.kind}) — {p.message}"


def _chain_entries(counter: list[int]) -> Iterator[EntryData]:
    rows = AuditEntry.objects.order_by("pk").values_list(
        "sequence",
        "at",
        "actor_label",
        "actor_id",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "reason",
        "client_address",
        "details",
        "previous_hash",
        "entry_hash",
        "scope_institution",
        "scope_department",
        "scope_device_group",
    )
    for row in rows.iterator(chunk_size=2000):
        counter[0] += 1
        (
            sequence,
            at,
            actor,
            actor_id,
            action,
            target_type,
            target_id,
            target_label,
            reason,
            address,
            details,
            prev,
            hashed,
            scope_institution,
            scope_department,
            scope_device_group,
        ) = row
        yield EntryData(
            sequence=sequence,
            at=at,
            actor=actor,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label=target_label,
            reason=reason,
            client_address=address,
            details=details,
            previous_hash=prev,
            entry_hash=hashed,
            scope_institution=scope_institution,
            scope_department=scope_department,
            scope_device_group=scope_device_group,
        )


def verify_log() -> Verification:
    """Check the whole stored chain against its head (the pure check is `chain.verify_chain`)."""
    head = ChainHead.objects.filter(id=1).first()
    counter = [0]
    problem = verify_chain(
        _chain_entries(counter),
        head.sequence if head else None,
        head.entry_hash if head else None,
    )
    if problem is None:
        # The whole log was read; otherwise count what the walk had reached.
        return Verification(counter[0], None)
    return Verification(AuditEntry.objects.count(), problem)


@dataclass(frozen=True)
class EntryFilter:
    """What the auditor asked for. Dates are calendar days in Asia/Seoul, both ends included."""

    actor: str = ""
    action: str = ""
    target: str = ""
    date_from: date | None = None
    date_to: date | None = None


def filtered_entries(wanted: EntryFilter, among: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
    """The entries of `among` (what the reader may see: jikimi.audit.access.readable_entries) that match, newest first."""
    entries = among.select_related("actor").order_by("-sequence")
    if wanted.actor:
        entries = entries.filter(Q(actor__username=wanted.actor) | Q(actor_label__icontains=wanted.actor))
    if wanted.action:
        # 'accounts' matches every action of the app; 'accounts.login' matches that action.
        entries = entries.filter(
            Q(action=wanted.action) | Q(action__startswith=wanted.action.rstrip(".") + ".")
        )
    if wanted.target:
        entries = entries.filter(
            Q(target_label__icontains=wanted.target)
            | Q(target_id=wanted.target)
            | Q(target_type__iexact=wanted.target)
        )
    if wanted.date_from:
        entries = entries.filter(at__gte=start_of_day(wanted.date_from))
    if wanted.date_to:
        entries = entries.filter(at__lt=start_of_day(wanted.date_to + timedelta(days=1)))
    return entries


def entries_about(target_type: str, target_id: str) -> QuerySet[AuditEntry]:
    """Every entry about one object, oldest first (e.g. a user's grant history)."""
    return (
        AuditEntry.objects.filter(target_type=target_type, target_id=target_id)
        .select_related("actor")
        .order_by("sequence")
    )


@dataclass(frozen=True)
class EventCount:
    action: str  # as stored: a declared event, or a name no longer declared
    label: str
    count: int


def event_counts(first_day: date, last_day: date) -> list[EventCount]:
    """How many entries of each event were written from `first_day` to `last_day` (Asia/Seoul, both included).

    The monthly review of the log (안전성 확보조치 기준 제8조②, R40) reads this tally. Every declared
    event is listed in declaration order, with 0 when none happened (a review also notices what did
    not happen, e.g. no verification all month); names no longer declared follow, so nothing the log
    holds is left out.
    """
    found = dict(
        AuditEntry.objects.filter(
            at__gte=start_of_day(first_day), at__lt=start_of_day(last_day + timedelta(days=1))
        )
        .values("action")
        .annotate(n=Count("id"))
        .values_list("action", "n")
    )
    counts = [EventCount(event.value, str(event.label), found.pop(event.value, 0)) for event in AuditEvent]
    return counts + [EventCount(action, label_of(action), n) for action, n in sorted(found.items())]
