"""Opening a request's page: the officer reads the requester's personal data (names, contacts,
purpose) and searches the vault for the footage it names — both audited (R39, R41)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.models import SubjectRequest
from jikimi.inventory.models import Device
from jikimi.vault.actions.existence import check_existence
from jikimi.vault.queries import DeviceCoverage


@dataclass(frozen=True)
class Opened:
    coverage: list[DeviceCoverage]
    problem: str = ""  # why the existence check could not run (e.g. a window over a month)


def open_request(actor: Actor, request: SubjectRequest, devices: Sequence[Device]) -> Opened:
    """Record DISCLOSURE_VIEW_REQUEST, and check the vault for `devices` over the request's window
    (one VAULT_EXISTENCE_CHECK per device, via "disclosure:<receipt>")."""
    with transaction.atomic():
        record(actor, AuditEvent.DISCLOSURE_VIEW_REQUEST, request, details={"devices": len(devices)})
        if not devices:
            return Opened([])
        try:
            coverage = check_existence(
                actor,
                devices,
                request.period_start,
                request.period_end,
                via=f"disclosure:{request.receipt_number}",
            )
        except ValueError as error:
            return Opened([], f"존재확인을 하지 못했습니다: {error}")
    return Opened(coverage)
