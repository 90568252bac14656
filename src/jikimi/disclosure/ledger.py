"""The 관리대장 is written from the audit log (R26, R30; 오산시 지침 제32조④, 별지 제2호서식; 시행령 제15조).

`write_ledger_entries` listens to jikimi.audit.signals.entries_recorded (connected in
DisclosureConfig.ready): it runs inside the transaction of the action that was audited, after its audit
entries are written, so the ledger holds exactly the 이용, 제공, 열람 and 파기 that were audited — an
action that rolls back takes its ledger rows with it. It is the only writer of LedgerEntry rows.

Numbers run per institution in order of entry. They are drawn here, while the transaction holds the
audit chain's head row (record_many locks it before sending the signal): every row is numbered under
that one lock, so two actions can never draw the same number, on SQLite or PostgreSQL.

Which audited events make which rows (one table, `MAPPING`):

| audit event                         | 구분 | source       | row                                                    |
| ----------------------------------- | ---- | ------------ | ------------------------------------------------------ |
| DISCLOSURE_DECIDE                   | 열람 | request      | every decision on a 열람등 요구, granted or refused    |
|                                     |      |              | (R26: 거부 사유, 사본 제공 여부); requester as party   |
|   … outcome 삭제                    | 파기 | request      | + one per device-part destroyed (Destruction SEGMENTS) |
| DISCLOSURE_DOWNLOAD_COPY            | 열람 | request      | the requester downloads the masked copy                |
| DISCLOSURE_VIEW_ONLINE              | 열람 | request      | the requester opens the online viewing                 |
| DISCLOSURE_PROVIDE_FOOTAGE          | 제공 | provision    | body, 법 제18조② item, form, period, items, limits     |
|                                     |      |              | (R30, 시행령 제15조); 결재 = the provision's approver    |
| DISCLOSURE_REPORT_DESTRUCTION       | 파기 | provision    | the recipient destroyed what it was given (제35조③)    |
| VAULT_DESTROY_DAY_KEY               | 파기 | vault        | retention expiry: a device's day (법 제21조, R17, R19)  |
| VAULT_RELEASE_HOLD, VAULT_END_HOLD_ | 파기 | vault        | the copies a legal hold kept, destroyed with its key   |
|   AT_END_DATE, VAULT_END_HOLD_FOR_  |      |              | (only when it kept copies)                             |
|   CASE                              |      |              |                                                        |
| VAULT_VIEW_FOOTAGE                  | 이용 | vault        | the institution's own viewing, with its purpose (R41)  |
| DISCLOSURE_CORRECT_LEDGER_ENTRY     | (as  | ledger       | the correcting entry: a copy of the old with the      |
|                                     | old) |              | changes, citing it (`corrects`) with the reason        |

Not rows: VAULT_DESTROY_SEGMENTS (segment destruction is only ever a deletion request's: its row is
written with the DISCLOSURE_DECIDE that ordered it, which names the request and the destructions),
VAULT_RECORD_DESTROYED_FILES (the file list of a destruction already entered), VAULT_EXPORT_FOOTAGE and
masking previews (preparing a copy is not giving it), refusals and approvals of provisions (nothing left
the institution; the figures read them from the cases).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Max

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.ledger_rows import (
    Draft,
    correction_rows,
    provision_rows,
    request_rows,
    vault_destruction_rows,
    viewing_rows,
)
from jikimi.disclosure.models import LedgerEntry
from jikimi.inventory.models import Device

Rows = Callable[[AuditEntry], list[Draft]]

MAPPING: dict[str, Rows] = {
    AuditEvent.DISCLOSURE_DECIDE: request_rows,
    AuditEvent.DISCLOSURE_DOWNLOAD_COPY: request_rows,
    AuditEvent.DISCLOSURE_VIEW_ONLINE: request_rows,
    AuditEvent.DISCLOSURE_PROVIDE_FOOTAGE: provision_rows,
    AuditEvent.DISCLOSURE_REPORT_DESTRUCTION: provision_rows,
    AuditEvent.VAULT_VIEW_FOOTAGE: viewing_rows,
    AuditEvent.DISCLOSURE_CORRECT_LEDGER_ENTRY: correction_rows,
}
# Written a batch at a time (the retention sweep: thousands a night).
VAULT_DESTRUCTIONS = frozenset(
    {
        AuditEvent.VAULT_DESTROY_DAY_KEY,
        AuditEvent.VAULT_RELEASE_HOLD,
        AuditEvent.VAULT_END_HOLD_AT_END_DATE,
        AuditEvent.VAULT_END_HOLD_FOR_CASE,
    }
)
MAPPED_EVENTS = frozenset(MAPPING) | VAULT_DESTRUCTIONS


def drafts_for(entries: Iterable[AuditEntry]) -> list[Draft]:
    drafts: list[Draft] = []
    destructions: list[AuditEntry] = []
    for entry in entries:
        if entry.action in VAULT_DESTRUCTIONS:
            destructions.append(entry)
        elif entry.action in MAPPING:
            drafts += MAPPING[entry.action](entry)
    if destructions:
        drafts += vault_destruction_rows(destructions)
    return drafts


def write_ledger_entries(sender: Any, entries: list[AuditEntry], **kwargs: Any) -> None:
    """The receiver of entries_recorded: number and write the rows of the mapped events (see the table)."""
    if not any(entry.action in MAPPED_EVENTS for entry in entries):
        return
    drafts = drafts_for(entries)
    if not drafts:
        return
    by_institution: dict[int, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_institution[draft.institution_id].append(draft)
    rows: list[tuple[LedgerEntry, list[Device]]] = []
    for institution_id, items in by_institution.items():
        # Under the audit chain's head lock (module docstring): the next numbers are ours alone.
        last = LedgerEntry.objects.filter(institution_id=institution_id).aggregate(n=Max("number"))["n"] or 0
        for offset, draft in enumerate(items, start=1):
            rows.append((_row(draft, last + offset), draft.devices))
    created = LedgerEntry.objects.bulk_create([row for row, _ in rows])
    through = LedgerEntry.devices.through
    through.objects.bulk_create(
        [
            through(ledgerentry_id=row.pk, device_id=device.pk)
            for row, (_, devices) in zip(created, rows, strict=True)
            for device in devices
        ]
    )


def _row(draft: Draft, number: int) -> LedgerEntry:
    values = {k: v for k, v in vars(draft).items() if k != "devices"}
    for name, limit in _LIMITS.items():
        if len(values[name]) > limit:
            values[name] = values[name][: limit - 1] + "…"
    return LedgerEntry(number=number, device_ids=[device.pk for device in draft.devices], **values)


# A text longer than its column is cut, never refused: the audited action must not fail for the ledger.
_LIMITS: dict[str, int] = {
    f.name: f.max_length
    for f in LedgerEntry._meta.concrete_fields
    if f.get_internal_type() == "CharField" and f.max_length and f.name in Draft.__dataclass_fields__
}
