"""The only writer of the audit log. Call `record` inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from jikimi.audit.chain import EntryData, entry_hash
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry, ChainHead


class AuditOutsideTransaction(RuntimeError):
    """An audit entry must commit or roll back together with the change it records."""


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
    """Append one entry to the hash chain. `action` is an intent name such as 'inventory.update_device_group'."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(f"audit entry '{action}' must be written inside transaction.atomic()")
    if target is not None:
        target_type = target_type or target._meta.label
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)
    # The head row is locked for the rest of the transaction: appends are serial on every database.
    head, _ = ChainHead.objects.get_or_create(id=1)
    head = ChainHead.objects.select_for_update().get(id=1)
    data = EntryData(
        sequence=head.sequence + 1,
        at=timezone.now(),
        actor=actor.label,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:300],
        reason=reason,
        client_address=actor.client_address,
        details=details or {},
        previous_hash=head.entry_hash,
    )
    hashed = entry_hash(head.entry_hash, data)
    entry = AuditEntry.objects.create(
        sequence=data.sequence,
        at=data.at,
        actor=actor.user,
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
