"""What other apps may hear of the audit log, without the log knowing them (layers: audit is low).

`entries_recorded` is sent by `record_many` inside the caller's transaction, after the entries are
written: a receiver that writes rows (the 관리대장, jikimi.disclosure.ledger) commits or rolls back with
the change and its audit entries — the ledger cannot miss a step that was audited, nor hold one that
was not.
"""

from django.dispatch import Signal

# sender: AuditEntry; entries: list[AuditEntry] in chain order.
entries_recorded = Signal()
