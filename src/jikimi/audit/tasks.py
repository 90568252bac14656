"""Background jobs of the audit log (huey; `jikimi run_huey` runs them).

anchor_checkpoint_when_due   every 5 minutes: signs and anchors a checkpoint of the log (the same as
                             `jikimi anchor_audit`) when JIKIMI_AUDIT_ANCHOR_EVERY_ENTRIES entries
                             were written since the last one, or JIKIMI_AUDIT_ANCHOR_INTERVAL_MINUTES
                             passed and anything was written (R40). A log that does not verify is
                             not signed; the auditors are mailed instead.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jikimi.audit.actions import AnchorRefused, anchor_checkpoint
from jikimi.audit.anchoring import AnchorError, SigningKeyError, latest_checkpoint
from jikimi.audit.models import ChainHead

log = logging.getLogger(__name__)


def checkpoint_due() -> bool:
    """Whether the log has moved on enough since the last checkpoint to sign another."""
    head = ChainHead.objects.filter(id=1).first()
    last = latest_checkpoint()
    if last is None:
        return head is not None and head.sequence > 0
    if head is None or head.sequence != last.sequence:
        # Moved on — or moved back, which anchoring refuses to sign and reports.
        written = abs((head.sequence if head else 0) - last.sequence)
        interval = timedelta(minutes=int(settings.JIKIMI_AUDIT_ANCHOR_INTERVAL_MINUTES))
        return (
            written >= int(settings.JIKIMI_AUDIT_ANCHOR_EVERY_ENTRIES)
            or timezone.now() - last.anchored >= interval
            or head is None
            or head.sequence < last.sequence
        )
    return False


@db_periodic_task(crontab(minute="*/5"), name="audit.anchor_checkpoint_when_due")
def anchor_checkpoint_when_due() -> dict[str, int | bool]:
    """Anchor when due; return plain values (huey keeps results)."""
    if not checkpoint_due():
        return {"anchored": False}
    try:
        anchored = anchor_checkpoint()
    except (AnchorRefused, AnchorError, SigningKeyError) as error:
        log.error("audit checkpoint: %s", error)
        return {"anchored": False, "refused": True}
    for problem in anchored.failed:
        log.error("audit checkpoint: %s", problem)
    return {"anchored": True, "sequence": anchored.checkpoint.sequence, "failed": len(anchored.failed)}
