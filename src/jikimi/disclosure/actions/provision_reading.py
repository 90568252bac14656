"""Opening a provision case: the officer or approver reads the requesting officer's details, the
letter and the footage asked for — each opening audited (R39), the vault's existence check over each
footage line recorded as the vault records it (R41)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure import attachments as stored_files
from jikimi.disclosure.models import ProvisionAttachment, ProvisionCase, ProvisionFootage
from jikimi.vault.actions.existence import check_existence
from jikimi.vault.queries import DeviceCoverage


@dataclass(frozen=True)
class FootageFound:
    line: ProvisionFootage
    coverage: DeviceCoverage | None  # None: the reader may not search this device's footage (R36)
    problem: str = ""


def open_provision(actor: Actor, case: ProvisionCase) -> list[FootageFound]:
    """Record DISCLOSURE_VIEW_PROVISION and check the vault for each footage line the reader may search."""
    lines = list(case.footage.select_related("device", "device__device_group", "device__location"))
    found: list[FootageFound] = []
    with transaction.atomic():
        record(
            actor,
            AuditEvent.DISCLOSURE_VIEW_PROVISION,
            case,
            details={"case_number": case.case_number, "devices": [line.device.name for line in lines]},
        )
        for line in lines:
            if not has_permission(actor.user, Permission.VIEW_FOOTAGE, device_group=line.device.device_group):
                found.append(FootageFound(line, None))
                continue
            try:
                (coverage,) = check_existence(
                    actor, [line.device], line.start, line.end, via=f"provision:{case.case_number}"
                )
            except ValueError as error:
                found.append(FootageFound(line, None, f"존재확인을 하지 못했습니다: {error}"))
            else:
                found.append(FootageFound(line, coverage))
    return found


def read_provision_attachment(actor: Actor, attachment: ProvisionAttachment) -> bytes:
    """An attachment of a case (the 공문 names the requester and often the suspect): audited, then read."""
    content = stored_files.attachment_bytes(attachment)
    with transaction.atomic():
        record(
            actor,
            AuditEvent.DISCLOSURE_VIEW_PROVISION,
            attachment.case,
            reason=f"{attachment.get_kind_display()} 열람",
            details={
                "case_number": attachment.case.case_number,
                "attachment": attachment.pk,
                "attachment_kind": attachment.kind,
            },
        )
    return content
