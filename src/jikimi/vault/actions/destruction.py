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
the batch (an unheld key costs nothing more), a locked read of the batch's live keys with their
segment counts (kept as segments are indexed: counting a day's index entries here took 5.99 s for
the 20.9 M of a day of 광양시 at 10-s segments, bench/vault --city), one UPDATE nulling the keys, one
bulk INSERT of the Destruction records and one of the audit entries (`record_many`: one chain-head
lock, hashes in order). Measured: 3.3 s on SQLite, 2.0 s on PostgreSQL for one-minute segments; 2.64 s
on PostgreSQL for that day of 10-s segments among 100 M rows. Batch sizes from 100 to 2,500 made no
clear difference. A batch commits whole or not at all; a crash
loses at most the batch in progress, which the next run — idempotent, since only live keys are
selected — redoes.

파일명 (R19; for automatic deletion the cycle and check date suffice): the destruction's audit entry
names the day's object prefix and the number of segments — the day key sealed every object under that
prefix. Reading the names at destruction (for the list, or its SHA-256 in the entry) would alone add
8.8 s on SQLite and 6.4 s on PostgreSQL, so it is left to garbage collection, which has to read them
to delete the objects anyway: before deleting anything it writes the full list and the stored size
into the Destruction record, with an audit entry holding the list's count and SHA-256 (the list in
the record can be checked against the chain, and a crash while deleting loses no name).

The clock (R17): destruction is irreversible and the clock alone decides it, so each run first checks
the clock against the vault's own traces of time (rules.retention.check_sweep_clock): the newest
recorder heartbeat, completed sweep and indexed segment. A clock ahead of them by more than
settings.JIKIMI_RETENTION_CLOCK_BOUND_HOURS destroys nothing: the run is refused, audited and alerted
(actions.alerts), until the clock is fixed or an officer confirms it (`enforce_retention
--confirm-clock 사유`, audited). And retention is counted at most to the newest footage's day plus
the bound, so a key of a day newer than that is held back (and alerted) whatever the clock says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jikimi.audit.actions import Entry, record_many
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Institution
from jikimi.lib.clock import SEOUL, day_bounds, today
from jikimi.rules.retention import (
    ClockCheck,
    Retention,
    RetentionError,
    check_sweep_clock,
    destruction_deadline,
    parse_retention,
)
from jikimi.vault.actions.alerts import raise_alert
from jikimi.vault.actions.collection import collect_garbage, day_prefix
from jikimi.vault.actions.holds import HoldEnding, active_holds_over, end_due_holds, secure_held_segments
from jikimi.vault.models import DayKey, Destruction, RecorderHeartbeat, RetentionSweep, Segment, VaultAlert
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
    refused: str = ""  # the clock was not trusted: nothing was destroyed (R17), and why
    held_back: list[str] = field(
        default_factory=list
    )  # keys due by the clock, newer than the footage vouches


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
        # Each key's segments were counted as they were indexed (DayKey.segment_count): counting them
        # here read the day's index entries, 5.99 s for the 20.9 M of a day of 광양시 (bench/vault --city).
        counts = dict(
            DayKey.objects.select_for_update()
            .filter(pk__in=[item.day_key.pk for item in ready], wrapped_key__isnull=False)
            .order_by("pk")
            .values_list("pk", "segment_count")
        )
        live = set(counts)
        ready = [item for item in ready if item.day_key.pk in live]
        if not ready:
            return [], failed
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


def clock_bound() -> timedelta:
    """How far the clock may be ahead of the vault's newest trace of time (default 48 hours: more than
    the daily sweep's interval, so a sweep that ran yesterday vouches for today)."""
    return timedelta(hours=float(getattr(settings, "JIKIMI_RETENTION_CLOCK_BOUND_HOURS", 48)))


def sweep_clock(now: datetime) -> ClockCheck:
    """The clock check of this run against the vault's traces of time (rules.retention.check_sweep_clock)."""
    # Both segment reads are one index step (the primary key; vault_segment_end), not a scan of the
    # index — a month of a large vault is ~100 M rows. Any stored segment, damaged or not, is evidence
    # of the time it was written and of the footage's time; destroyed ones are collected.
    traces = [
        RecorderHeartbeat.objects.aggregate(at=Max("beat_at"))["at"],
        RetentionSweep.objects.filter(completed=True).aggregate(at=Max("ran_at"))["at"],
        Segment.objects.order_by("-pk").values_list("created_at", flat=True).first(),
    ]
    # A trace after `now` (the clock was set back since) is no evidence of a jump ahead.
    known = [t for t in traces if t is not None and t <= now]
    return check_sweep_clock(
        now,
        SEOUL,
        last_recorded=max(known) if known else None,
        newest_footage=Segment.objects.aggregate(at=Max("end"))["at"],
        bound=clock_bound(),
    )


def _refuse(actor: Actor, now: datetime, check: ClockCheck) -> None:
    """R17: nothing is destroyed; the refusal is recorded, audited and alerted in every institution."""
    with transaction.atomic():
        sweep = RetentionSweep.objects.create(ran_at=now, completed=False, refused=check.reason[:500])
        record_many(
            actor,
            [
                Entry(
                    AuditEvent.VAULT_RETENTION_CLOCK_REFUSED,
                    sweep,
                    reason=check.reason[:300],
                    details={"clock": now, "counting_day": check.counting_day},
                )
            ],
        )
        for institution in Institution.objects.all():
            raise_alert(actor, VaultAlert.Kind.CLOCK_JUMP, check.reason, institution=institution)


def _hold_back(actor: Actor, keys: list[Due], check: ClockCheck) -> list[str]:
    """Keys due by the clock but newer than the stored footage vouches for: kept, and alerted (R17)."""
    if not keys:
        return []
    held = [f"{item.day_key.key_id} (만료 {item.expiry:%Y-%m-%d})" for item in keys]
    message = (
        f"가장 최근 영상으로 보아 오늘은 {check.counting_day:%Y-%m-%d} 이후일 수 없는데, 시스템 시계로는 "
        f"보관기간이 지난 일별 키 {len(keys)}개가 있어 파기하지 않았습니다: {', '.join(held[:10])}"
        f"{' 외' if len(held) > 10 else ''}. 시계를 확인한 뒤 확인 사유와 함께 다시 실행하세요"
    )
    institutions = {item.day_key.device.device_group.institution for item in keys}
    with transaction.atomic():
        sweep = RetentionSweep.objects.create(ran_at=timezone.now(), completed=False, refused=message[:500])
        record_many(
            actor,
            [
                Entry(
                    AuditEvent.VAULT_RETENTION_CLOCK_REFUSED,
                    sweep,
                    reason=message[:300],
                    details={"counting_day": check.counting_day, "keys": [i.day_key.key_id for i in keys]},
                )
            ],
        )
        for institution in institutions:
            raise_alert(actor, VaultAlert.Kind.CLOCK_JUMP, message, institution=institution)
    return held


def _confirm(actor: Actor, now: datetime, check: ClockCheck, reason: str) -> None:
    """An officer vouches for the clock (after a long stop, say): audited with what was overridden."""
    with transaction.atomic():
        sweep = RetentionSweep.objects.create(ran_at=now, completed=False, confirmed_reason=reason[:300])
        record_many(
            actor,
            [
                Entry(
                    AuditEvent.VAULT_RETENTION_CLOCK_CONFIRMED,
                    sweep,
                    reason=reason[:300],
                    details={
                        "clock": now,
                        "trusted": check.trusted,
                        "counting_day": check.counting_day,
                        "overridden": check.reason,
                    },
                )
            ],
        )


def enforce_retention(
    actor: Actor, *, batch_size: int = BATCH_SIZE, clock_confirmed: str = ""
) -> RetentionReport:
    """End the holds whose end date has come (R18), destroy every expired day key, `batch_size` keys
    a transaction, then collect; report what was overdue (R17) or failed. A crash loses at most the
    batch in progress, which the next run redoes.

    First the clock is checked (module docstring): an untrusted clock destroys nothing — unless
    `clock_confirmed` gives an officer's reason for trusting it, which is audited.
    """
    now = timezone.now()
    on = today()
    report = RetentionReport()
    check = sweep_clock(now)
    clock_confirmed = " ".join(clock_confirmed.split())
    if clock_confirmed:
        _confirm(actor, now, check, clock_confirmed)
        counting = on
    elif not check.trusted:
        _refuse(actor, now, check)
        report.refused = check.reason
        report.collected = collect_garbage(actor)  # keys destroyed earlier only: no clock decides it
        return report
    else:
        counting = check.counting_day
    report.holds_ended = end_due_holds(actor, counting)
    due, report.unreadable = due_day_keys(on)
    report.held_back = _hold_back(actor, [item for item in due if item.expiry > counting], check)
    due = [item for item in due if item.expiry <= counting]
    for first in range(0, len(due), batch_size):
        destroyed, failed = destroy_day_keys(actor, due[first : first + batch_size], on)
        report.destroyed += destroyed
        report.overdue += [d for d in destroyed if d.overdue]
        report.failed += failed
    report.collected = collect_garbage(actor)
    RetentionSweep.objects.create(ran_at=now, completed=True, confirmed_reason=clock_confirmed[:300])
    return report
