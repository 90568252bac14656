"""Retention: destroy every expired day key, then collect the ciphertext (법 제21조, 영 제16조①, R17, R19).

A day key expires on `parse_retention(group.retention).expiry(day)` (jikimi.rules.retention) and must be
destroyed by `rules.retention.destruction_deadline(expiry, grace)`, the grace being the institution's
setting (Institution.destruction_grace_days, 표준지침: 5 days; R17). Destroying it — nulling its wrapped key, writing the Destruction
record (파일명, 파기일시, 담당자: R19) and the audit entry — is the destruction: the ciphertext is noise
from then on. Deleting the objects afterwards is garbage collection; a crash between the two leaves
dead ciphertext whose index rows still name it, and the next run deletes it.

Segments under an active legal hold are first copied under the hold's key (actions.holds), so the day
key is destroyed on time while the held footage survives (R18); a key whose held footage cannot be
copied is kept and reported. Before that the sweep ends the holds whose end date has come
(actions.holds.end_due_holds): their copies are then subject to retention again. 준영구 never
expires; 미보유 never stores.

Batches (bench/vault: one day of 2,417 devices, 3.5 M segments; target under 5 s). One key per
transaction cost 77–82 ms a key (~190 s), still 19 ms with the names read as tuples: per-key reads,
statements and commits. So keys go `BATCH_SIZE` to a transaction: one query for the active holds over
the batch (an unheld key costs nothing more), a locked read of the batch's live keys, one COUNT(*)
per key grouped in one query (the day_key index answers it; no segment row is read), one UPDATE
nulling the keys, one bulk INSERT of the Destruction records and one of the audit entries
(`record_many`: one chain-head lock, hashes in order). Measured: 3.3 s on SQLite, 2.0 s on PostgreSQL;
batch sizes from 100 to 2,500 made no clear difference. A batch commits whole or not at all; a crash
loses at most the batch in progress, which the next run — idempotent, since only live keys are
selected — redoes.

파일명 (R19; for automatic deletion the cycle and check date suffice): the destruction's audit entry
names the day's object prefix and the number of segments — the day key sealed every object under that
prefix. Reading the names at destruction (for the list, or its SHA-256 in the entry) would alone add
8.8 s on SQLite and 6.4 s on PostgreSQL, so it is left to garbage collection, which has to read them
to delete the objects anyway: before deleting anything it writes the full list and the stored size
into the Destruction record, with an audit entry holding the list's count and SHA-256 (the list in
the record can be checked against the chain, and a crash while deleting loses no name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from jikimi.audit.actions import Entry, record_many
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Institution
from jikimi.lib.clock import day_bounds, today
from jikimi.rules.retention import Retention, RetentionError, destruction_deadline, parse_retention
from jikimi.vault.actions.collection import collect_garbage, day_prefix
from jikimi.vault.actions.holds import HoldEnding, active_holds_over, end_due_holds, secure_held_segments
from jikimi.vault.models import DayKey, Destruction, Segment
from jikimi.vault.terms import TermsBook

# Day keys destroyed per transaction (module docstring; bench/vault).
BATCH_SIZE = 500
METHOD = "일별 암호 키 파기(crypto-shredding) 후 암호문 삭제 — 복구 불가"


@dataclass(frozen=True)
class Due:
    day_key: DayKey
    retention: str
    expiry: date
    deadline: date


@dataclass
class RetentionReport:
    destroyed: list[Destruction] = field(default_factory=list)
    overdue: list[Destruction] = field(default_factory=list)  # destroyed now, but after the deadline
    failed: list[str] = field(default_factory=list)  # keys that could not be destroyed, and why
    unreadable: list[str] = field(default_factory=list)  # groups whose retention cannot be read
    collected: int = 0  # ciphertext objects deleted
    holds_ended: list[HoldEnding] = field(default_factory=list)  # holds whose end date came (R18)


def due_day_keys(today: date) -> tuple[list[Due], list[str]]:
    """Live day keys whose expiry is on or before `today`, oldest first; and unreadable retentions."""
    due: list[Due] = []
    unreadable: list[str] = []
    keys = (
        DayKey.objects.filter(wrapped_key__isnull=False)
        .select_related("device__device_group")
        .order_by("day", "id")
    )
    # Each device's retention is its register location's where that overrides its group's (vault.terms).
    book = TermsBook()
    grace = dict(Institution.objects.values_list("pk", "destruction_grace_days"))
    retentions: dict[str, Retention | None] = {}
    for key in keys.iterator():
        terms = book.terms(key.device)
        if terms.retention not in retentions:
            try:
                retentions[terms.retention] = parse_retention(terms.retention)
            except RetentionError as error:
                retentions[terms.retention] = None
                unreadable.append(f"{terms.source}: {error}")
        retention = retentions[terms.retention]
        if retention is None:
            continue
        expiry = retention.expiry(key.day)
        if expiry is None or expiry > today:
            continue  # 준영구 (never), or not yet
        deadline = destruction_deadline(expiry, grace[key.device.device_group.institution_id])
        due.append(Due(key, retention.text(), expiry, deadline))
    return due, unreadable


def destroy_day_keys(actor: Actor, batch: list[Due], today: date) -> tuple[list[Destruction], list[str]]:
    """Destroy a batch of expired day keys in one transaction; (destructions, keys that failed and why).

    Held footage is copied out first (R18), key by key, outside the transaction: a key whose held
    footage cannot be secured stays, and is reported. Then, all or nothing for the rest of the batch:
    the keys are nulled, their Destruction records and audit entries written (R19). A key already
    destroyed (an earlier run, a crash after its commit) is skipped.
    """
    failed: list[str] = []
    ready: list[Due] = []
    # R18: one query for the holds over the whole batch; a key no hold covers costs nothing more.
    holds = active_holds_over((item.day_key.device_id, *day_bounds(item.day_key.day)) for item in batch)
    for item in batch:
        key = item.day_key
        if key.device_id in holds:
            try:
                secure_held_segments(key.device, *day_bounds(key.day), holds=holds[key.device_id])
            except (FootageError, ValueError) as error:
                # Held footage could not be copied out: keep the key (R18 wins) and say so.
                failed.append(f"{key.key_id}: {error}")
                continue
        ready.append(item)
    if not ready:
        return [], failed
    now = timezone.now()
    with transaction.atomic():
        live = set(
            DayKey.objects.select_for_update()
            .filter(pk__in=[item.day_key.pk for item in ready], wrapped_key__isnull=False)
            .values_list("pk", flat=True)
        )
        ready = [item for item in ready if item.day_key.pk in live]
        if not ready:
            return [], failed
        # Segments per key in one aggregate that the (day_key) index answers alone — COUNT(*), which
        # SQLite and PostgreSQL (index-only scan) serve without reading a segment row; COUNT(id) made
        # PostgreSQL read them. Reading names cost 19 ms a key, and SUM(stored_bytes) here, which reads
        # every row, 11 s of 13.5 s on SQLite (bench/vault). Sizes and names come with collection.
        counts = dict(
            Segment.objects.filter(day_key_id__in=live)
            .order_by()
            .values("day_key_id")
            .annotate(segments=Count("*"))
            .values_list("day_key_id", "segments")
        )
        DayKey.objects.filter(pk__in=live).update(wrapped_key=None, destroyed_at=now)
        destructions = Destruction.objects.bulk_create(
            [_destruction(actor, item, today, now, counts.get(item.day_key.pk, 0)) for item in ready]
        )
        # R19: 파일명, 파기일시, 담당자 — the 관리대장 entry of type 파기, one per device-day.
        record_many(actor, [_entry(actor, item, d) for item, d in zip(ready, destructions, strict=True)])
    for item in ready:  # the caller's objects say what the database now says
        item.day_key.wrapped_key, item.day_key.destroyed_at = None, now
    return destructions, failed


def _destruction(actor: Actor, due: Due, today: date, now: datetime, segments: int) -> Destruction:
    key = due.day_key
    start, end = day_bounds(key.day)
    return Destruction(
        kind=Destruction.Kind.DAY_KEY,
        device=key.device,
        day_key=key,
        key_id=key.key_id,
        covers_start=start,
        covers_end=end,
        retention=due.retention,
        expiry=due.expiry,
        deadline=due.deadline,
        overdue=today > due.deadline,
        segments=segments,
        stored_bytes=0,  # summed by collect_garbage, which reads the rows anyway
        object_names=[],  # filled by collect_garbage with the names it deletes
        method=METHOD,
        destroyed_at=now,
        actor_label=actor.label,
    )


def _entry(actor: Actor, due: Due, destruction: Destruction) -> Entry:
    key = due.day_key
    return Entry(
        AuditEvent.VAULT_DESTROY_DAY_KEY,
        key,
        reason=f"보관기간({due.retention}) 만료 {due.expiry:%Y-%m-%d}",
        details={
            "type": "파기",
            "device": key.device_id,
            "day": key.day,
            # 파일명 (R19) for an automatic deletion: every object under the day's prefix — the
            # day key sealed them all; collect_garbage records the names and their SHA-256.
            "files": {"prefix": day_prefix(key.device, key.day), "count": destruction.segments},
            "destroyed_at": destruction.destroyed_at,
            "officer": actor.label,
            "method": METHOD,
            "deadline": due.deadline,
            "overdue": destruction.overdue,
            "destruction": destruction.pk,
        },
    )


def enforce_retention(actor: Actor, *, batch_size: int = BATCH_SIZE) -> RetentionReport:
    """End the holds whose end date has come (R18), destroy every expired day key, `batch_size` keys
    a transaction, then collect; report what was overdue (R17) or failed. A crash loses at most the
    batch in progress, which the next run redoes."""
    on = today()
    report = RetentionReport()
    report.holds_ended = end_due_holds(actor, on)
    due, report.unreadable = due_day_keys(on)
    for first in range(0, len(due), batch_size):
        destroyed, failed = destroy_day_keys(actor, due[first : first + batch_size], on)
        report.destroyed += destroyed
        report.overdue += [d for d in destroyed if d.overdue]
        report.failed += failed
    report.collected = collect_garbage(actor)
    return report
