"""The existence check (존재확인) is a search of personal video: every check is in the audit chain,
who asked, when, from where, about which camera and which hours (R39, R41), like a viewing.

One entry per device, so that each is scoped to its camera's group (R36: an auditor of another
department does not read who searched this one's cameras).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction

from jikimi.audit.actions import Entry, record_many
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device
from jikimi.vault.queries import DeviceCoverage, device_coverage


def check_existence(
    actor: Actor, devices: Sequence[Device], start: datetime, end: datetime, *, via: str
) -> list[DeviceCoverage]:
    """Each device's existence check over [start, end), recorded; `via` says which page or API asked.

    A window the check refuses (ValueError) is refused before anything is recorded.
    """
    results = [device_coverage(device, start, end) for device in devices]
    with transaction.atomic():
        record_many(
            actor,
            [
                Entry(
                    AuditEvent.VAULT_EXISTENCE_CHECK,
                    result.device,
                    details={
                        "device": result.device.pk,
                        "start": start,
                        "end": end,
                        "via": via,
                        "footage_seconds": round(result.footage_seconds),
                    },
                )
                for result in results
            ],
        )
    return results
