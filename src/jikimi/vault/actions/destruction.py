"""Retention: destroy every expired day key, then collect the ciphertext (법 제21조, 영 제16조①, R17, R19).

A day key expires on `parse_retention(group.retention).expiry(day)` (jikimi.rules.retention) and must be
destroyed within 5 days of it (R17). Destroying it — nulling its wrapped key, writing the Destruction
record (파일명, 파기일시, 담당자: R19) and the audit entry, in one transaction — is the destruction: the
ciphertext is noise from then on. Deleting the objects afterwards is garbage collection; a crash
between the two leaves dead ciphertext whose index rows still name it, and the next run deletes it.

Segments under an active legal hold are first copied under the hold's key (actions.holds), so the day
key is destroyed on time while the held footage survives (R18). 준영구 never expires; 미보유 never stores.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.engine.footage import FootageError, FootageStore
from jikimi.rules.retention import DEFAULT_DESTRUCTION_GRACE_DAYS, Retention, RetentionError, parse_retention
from jikimi.vault import keyring
from jikimi.vault.actions.holds import secure_held_segments
from jikimi.vault.models import DayKey, Destruction, HeldSegment, Segment, day_bounds

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
    overdue: list[Destruction] = field(default_factory=list)  # destroyed now, but after expiry + 5 days
    failed: list[str] = field(default_factory=list)  # keys that could not be destroyed, and why
    unreadable: list[str] = field(default_factory=list)  # groups whose retention cannot be read
    collected: int = 0  # ciphertext objects deleted


def due_day_keys(today: date) -> tuple[list[Due], list[str]]:
    """Live day keys whose expiry is on or before `today`, oldest first; and unreadable retentions."""
    due: list[Due] = []
    unreadable: list[str] = []
    keys = (
        DayKey.objects.filter(wrapped_key__isnull=False)
        .select_related("device__device_group")
        .order_by("day", "id")
    )
    retentions: dict[int, Retention | None] = {}
    for key in keys.iterator():
        group = key.device.device_group
        if group.pk not in retentions:
            try:
                retentions[group.pk] = parse_retention(group.retention)
            except RetentionError as error:
                retentions[group.pk] = None
                unreadable.append(f"{group.name}: {error}")
        retention = retentions[group.pk]
        if retention is None:
            continue
        expiry = retention.expiry(key.day)
        if expiry is None or expiry > today:
            continue  # 준영구 (never), or not yet
        due.append(
            Due(key, retention.text(), expiry, expiry + timedelta(days=DEFAULT_DESTRUCTION_GRACE_DAYS))
        )
    return due, unreadable


def destroy_day_key(actor: Actor, due: Due, today: date) -> Destruction | None:
    """Destroy one expired day key (held segments copied out first); None if already destroyed."""
    key = due.day_key
    start, end = day_bounds(key.day)
    secure_held_segments(key.device, start, end)  # R18: before the key goes
    now = timezone.now()
    with transaction.atomic():
        key = DayKey.objects.select_for_update().get(pk=key.pk)
        if key.wrapped_key is None:
            return None
        # Names and sizes only: loading whole rows made this 6× slower per key (bench/vault).
        segments = list(
            Segment.objects.filter(day_key=key).order_by("start").values_list("object_name", "stored_bytes")
        )
        key.wrapped_key = None
        key.destroyed_at = now
        key.save(update_fields=["wrapped_key", "destroyed_at"])
        names = [name for name, _size in segments]
        overdue = today > due.deadline
        destruction = Destruction.objects.create(
            kind=Destruction.Kind.DAY_KEY,
            device=key.device,
            day_key=key,
            key_id=key.key_id,
            covers_start=start,
            covers_end=end,
            retention=due.retention,
            expiry=due.expiry,
            deadline=due.deadline,
            overdue=overdue,
            segments=len(segments),
            stored_bytes=sum(size for _name, size in segments),
            object_names=names,
            method=METHOD,
            destroyed_at=now,
            actor_label=actor.label,
        )
        # R19: 파일명, 파기일시, 담당자 — the 관리대장 entry of type 파기.
        record(
            actor,
            "vault.destroy_day_key",
            key,
            reason=f"보관기간({due.retention}) 만료 {due.expiry:%Y-%m-%d}",
            details={
                "type": "파기",
                "device": key.device_id,
                "day": key.day,
                "files": names,
                "destroyed_at": now,
                "officer": actor.label,
                "method": METHOD,
                "deadline": due.deadline,
                "overdue": overdue,
                "destruction": destruction.pk,
            },
        )
    return destruction


def _delete(store: FootageStore, name: str) -> int:
    with contextlib.suppress(FootageError):
        return int(store.delete(name))
    return 0


def collect_garbage() -> int:
    """Delete the ciphertext of destroyed keys (idempotent, resumable); returns objects deleted.

    For a destroyed day it also deletes objects under the day's prefix that no index row names — what
    an ingest killed between the store's put and the index insert left behind (noise without the key).
    """
    deleted = 0
    store, hold_store = keyring.footage_store(), keyring.hold_store()
    pending = Destruction.objects.filter(ciphertext_deleted_at__isnull=True).select_related(
        "day_key", "device"
    )
    for destruction in pending:
        if destruction.day_key is not None:
            deleted += _delete_objects_then_rows(store, Segment.objects.filter(day_key=destruction.day_key))
            prefix = f"{keyring.DAY_PREFIX}{destruction.device.storage_name}/{destruction.day_key.day.isoformat()}/"
            for name in list(store.list(prefix)):
                deleted += _delete(store, name)
        elif destruction.hold_id is not None:
            deleted += _delete_objects_then_rows(
                hold_store, HeldSegment.objects.filter(hold_id=destruction.hold_id)
            )
        destruction.ciphertext_deleted_at = timezone.now()
        destruction.save(update_fields=["ciphertext_deleted_at"])
    # Anything else under a destroyed key (not expected: every destruction writes its record).
    deleted += _delete_objects_then_rows(store, Segment.objects.filter(day_key__wrapped_key__isnull=True))
    deleted += _delete_objects_then_rows(
        hold_store, HeldSegment.objects.filter(hold__wrapped_key__isnull=True)
    )
    return deleted


def _delete_objects_then_rows(store: FootageStore, rows: QuerySet[Any]) -> int:
    """Delete the stored objects, then their index rows in one statement (row by row took ~30 min a day).

    Interrupted, it leaves rows whose objects may be gone; the next run deletes again (idempotent)."""
    deleted = sum(_delete(store, name) for name in rows.values_list("object_name", flat=True).iterator())
    rows.delete()
    return deleted


def enforce_retention(actor: Actor) -> RetentionReport:
    """Destroy every expired day key, then collect; report what was overdue (R17) or failed."""
    today = keyring.today()
    report = RetentionReport()
    due, report.unreadable = due_day_keys(today)
    for item in due:
        try:
            destruction = destroy_day_key(actor, item, today)
        except (FootageError, ValueError) as error:
            # Held footage could not be copied out: keep the key (R18 wins) and say so.
            report.failed.append(f"{item.day_key.key_id}: {error}")
            continue
        if destruction is not None:
            report.destroyed.append(destruction)
            if destruction.overdue:
                report.overdue.append(destruction)
    report.collected = collect_garbage()
    return report
