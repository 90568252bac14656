"""What people do to the 관리대장: 결재, correction, export (R26, R30; 오산시 지침 별지 제2호서식).

Rows are written only by jikimi.disclosure.ledger from the audit log. A person adds the 결재 of a row —
an electronic approval by somebody who did not write it — or corrects it: never by editing, but by a new
entry citing the old one with the reason, written (like every row) from the correction's audit entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.ledger_queries import may_approve
from jikimi.disclosure.ledger_rows import CORRECTABLE
from jikimi.disclosure.models import LedgerEntry

MAX_REASON = 500


class LedgerRefused(ValueError):
    """A 결재 or correction that cannot be done as asked; the message says why (Korean)."""


def person_name(user: Any) -> str:
    return str(getattr(user, "name", "") or user.get_username())


def approve_entry(actor: Actor, entry: LedgerEntry) -> LedgerEntry:
    """결재: the approver signs the row off, once; never the person who wrote it (R26)."""
    user = actor.user
    if user is None or not may_approve(user, entry):
        raise LedgerRefused("관리대장 결재 권한이 없습니다 (운영책임자·총괄책임관)")
    with transaction.atomic():
        entry = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.is_approved:
            raise LedgerRefused(
                f"관리대장 {entry.number}번은 이미 {entry.approved_by_name}이(가) 결재했습니다"
            )
        if entry.officer_id is not None and entry.officer_id == user.pk:
            raise LedgerRefused(
                f"관리대장 {entry.number}번의 담당자는 본인입니다. 담당자가 아닌 사람이 결재해야 합니다"
            )
        entry.approved_by = user
        entry.approved_by_name = person_name(user)
        entry.approved_at = timezone.now()
        entry.save(update_fields=["approved_by", "approved_by_name", "approved_at"])
        record(
            actor, AuditEvent.DISCLOSURE_APPROVE_LEDGER_ENTRY, entry, details={"entry_number": entry.number}
        )
    return entry


def correct_entry(actor: Actor, entry: LedgerEntry, *, changes: dict[str, Any], reason: str) -> LedgerEntry:
    """A correction: a new entry, the old one's values with `changes`, citing it with `reason`.

    The old entry stays as it was (R26: the ledger is not edited). The new one is written by the ledger's
    receiver from this correction's audit entry, so it is numbered like every other row.
    """
    user = actor.user
    if user is None or not may_approve(user, entry):
        raise LedgerRefused("관리대장 정정 권한이 없습니다 (운영책임자·총괄책임관)")
    reason = " ".join(reason.split())
    if not reason:
        raise LedgerRefused("정정 사유: 왜 정정하는지 적으십시오")
    if len(reason) > MAX_REASON:
        raise LedgerRefused(f"정정 사유: {MAX_REASON}자 이하로 적으십시오")
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise LedgerRefused(f"정정할 수 없는 항목입니다: {', '.join(sorted(unknown))}")
    changed: dict[str, list[Any]] = {}
    for name, value in changes.items():
        before = getattr(entry, name)
        if isinstance(value, str):
            value = value.strip()
            if not value and name in ("file_description", "officer_name", "purpose"):
                label = str(getattr(LedgerEntry._meta.get_field(name), "verbose_name", name))
                raise LedgerRefused(f"{label}: 비워 둘 수 없습니다")
        if value != before:
            changed[name] = [_stored(before), _stored(value)]
    if not changed:
        raise LedgerRefused("바뀐 항목이 없습니다. 정정할 내용을 고쳐 적으십시오")
    with transaction.atomic():
        audit = record(
            actor,
            AuditEvent.DISCLOSURE_CORRECT_LEDGER_ENTRY,
            entry,
            reason=reason,
            details={"corrected_number": entry.number, "changes": changed},
        )
        return LedgerEntry.objects.get(audit_entry=audit, corrects=entry)


def _stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def record_export(actor: Actor, *, what: str, file_format: str, rows: int, described: str) -> None:
    """A download of the ledger or of the figures (personal data: R40 asks why and what)."""
    with transaction.atomic():
        record(
            actor,
            AuditEvent.DISCLOSURE_EXPORT_LEDGER,
            reason=f"{what} 내려받기 ({described})"[:300],
            details={"format": file_format, "rows": rows},
        )
