"""What an attacker with database superuser rights does: switch the guard off, then write raw SQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from jikimi.audit.actions import record
from jikimi.audit.chain import GENESIS_HASH, EntryData, entry_hash
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry


def write_entries(n: int) -> list[AuditEntry]:
    actor = Actor(user=None, label="테스트", client_address="127.0.0.1")
    entries = []
    for i in range(1, n + 1):
        with transaction.atomic():
            entries.append(
                record(
                    actor, AuditEvent.AUDIT_VERIFY, reason=f"단계 {i}", details={"i": i, "값": [1.5, "가"]}
                )
            )
    return entries


def disable_guard() -> None:
    """Rolled back with the test's transaction (DDL is transactional on PostgreSQL and SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of the rows just written must fire before ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute("ALTER TABLE audit_chainhead DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER audit_auditentry_no_delete")


def sql(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def move_head(sequence: int, entry_hash: str) -> None:
    """Set the chain head back (or forward) as an attacker who also cut the log would."""
    sql("UPDATE audit_chainhead SET sequence = %s, entry_hash = %s WHERE id = 1", [sequence, entry_hash])


def rewrite_from(sequence: int, *, reason: str | None = None, at: datetime | None = None) -> None:
    """Give entry `sequence` another reason or time and compute every hash from there on again, head included.

    The chain then holds by itself: only a checkpoint signed outside the database shows the rewrite.
    """
    previous = AuditEntry.objects.get(sequence=sequence - 1).entry_hash if sequence > 1 else GENESIS_HASH
    for entry in AuditEntry.objects.filter(sequence__gte=sequence).order_by("sequence"):
        data = as_entry_data(entry)
        if entry.sequence == sequence:
            data = replace(data, reason=data.reason if reason is None else reason, at=at or data.at)
        data = replace(data, previous_hash=previous)
        hashed = entry_hash(previous, data)
        sql(
            "UPDATE audit_auditentry SET reason = %s, at = %s, previous_hash = %s, entry_hash = %s WHERE id = %s",
            [data.reason, data.at, previous, hashed, entry.pk],
        )
        previous = hashed
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    move_head(last or 0, previous)


def as_entry_data(entry: AuditEntry) -> EntryData:
    return EntryData(
        sequence=entry.sequence,
        at=entry.at,
        actor=entry.actor_label,
        actor_id=entry.actor_id,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        target_label=entry.target_label,
        reason=entry.reason,
        client_address=entry.client_address,
        details=entry.details,
        previous_hash=entry.previous_hash,
        entry_hash=entry.entry_hash,
    )
