"""The audit entry of a footage export (R39, R41): a plaintext copy of personal video left the store.

The export itself (decrypting and remuxing) is jikimi.vault.export.export_window, which calls this
once the file is written and hashed; a failed export writes no entry.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device


def record_export(
    actor: Actor,
    device: Device,
    start: datetime,
    end: datetime,
    *,
    reason: str,
    case_reference: str,
    segments: int,
    seconds: float,
    sha256: str,
) -> None:
    with transaction.atomic():
        record(
            actor,
            AuditEvent.VAULT_EXPORT_FOOTAGE,
            device,
            reason=reason,
            details={
                "device": device.pk,
                "start": start,
                "end": end,
                "case_reference": case_reference,
                "segments": segments,
                "seconds": seconds,
                "sha256": sha256,
            },
        )
