"""What an attacker with database superuser rights does: switch the guard off, then write raw SQL."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

from jikimi.audit.actions import record
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
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER audit_auditentry_no_delete")


def sql(statement: str, params: list[Any] | tuple[Any, ...] = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
