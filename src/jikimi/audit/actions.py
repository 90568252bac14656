"""The only writer of the audit log. Call `record` inside the transaction of the change it records."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from jikimi.audit.chain import EntryData, NotStorable, entry_hash, normalise_details
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry, ChainHead

# 'app.intent_name', e.g. 'inventory.update_device_group' or 'accounts.login_failed'.
ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*$")


class AuditOutsideTransaction(RuntimeError):
    """An audit entry must commit or roll back together with the change it records."""


class BadAuditEntry(ValueError):
    """The entry cannot be recorded as given (bad action name, a field too long, unstorable details)."""


def record(
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
    target_type: str = "",
    target_id: str = "",
    target_label: str = "",
) -> AuditEntry:
    """Append one entry to the hash chain. `action` is an intent name such as 'inventory.update_device_group'.

    `details` may hold dates, decimals and UUIDs (stored as strings, as Django's JSON encoder writes
    them); what is hashed is exactly what the database gives back, on SQLite and on PostgreSQL.
    """
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(f"audit entry '{action}' must be written inside transaction.atomic()")
    if not ACTION_PATTERN.match(action) or len(action) > 80:
        raise BadAuditEntry(f"감사 행위 이름 '{action}'은(는) 'app.intent_name' 꼴이고 80자 이하여야 합니다")
    if target is not None:
        target_type = target_type or target._meta.label
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)
    if len(target_type) > 80 or len(target_id) > 80:
        raise BadAuditEntry(f"감사 대상 '{target_type}:{target_id}'이(가) 너무 깁니다 (각 80자 이하)")
    try:
        stored_details = normalise_details(
            json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder, allow_nan=False))
        )
    except (TypeError, ValueError) as error:
        raise BadAuditEntry(f"감사 기록 '{action}'의 세부(details)를 저장할 수 없습니다: {error}") from error
    for name, value in (("reason", reason), ("target_label", target_label), ("actor", actor.label)):
        if "\x00" in value:
            raise BadAuditEntry(f"감사 기록 '{action}'의 {name}에 NUL 문자가 있습니다")
    # Lock the head row for the rest of the transaction: appends are serial on every database, and
    # sequence order is primary-key order (the id is drawn after the lock is taken).
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    user = actor.user if actor.user is not None and actor.user.pk is not None else None
    data = EntryData(
        sequence=head.sequence + 1,
        at=timezone.now(),
        actor=actor.label[:200],
        actor_id=user.pk if user is not None else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:300],
        reason=reason,
        client_address=actor.client_address[:100],
        details=stored_details,
        previous_hash=head.entry_hash,
    )
    hashed = entry_hash(head.entry_hash, data)
    entry = AuditEntry.objects.create(
        sequence=data.sequence,
        at=data.at,
        actor=user,
        actor_label=data.actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=data.target_label,
        reason=reason,
        client_address=data.client_address,
        details=data.details,
        previous_hash=head.entry_hash,
        entry_hash=hashed,
    )
    head.sequence = data.sequence
    head.entry_hash = hashed
    head.save(update_fields=["sequence", "entry_hash"])
    return entry


__all__ = ["AuditOutsideTransaction", "BadAuditEntry", "NotStorable", "record"]
