"""Background jobs of the vault (huey; `jikimi run_huey` runs them).

enforce_retention_daily   every day at 03:00 Asia/Seoul (18:00 UTC: huey's crontab runs in UTC), the
                          same sweep as `jikimi enforce_retention`: end the legal holds whose end date
                          has come (R18), destroy every expired day key that no hold covers, within the
                          institution's grace after expiry (법 제21조①, 영 제41조④; R17), and record
                          each destruction (R19). Idempotent: a missed night is caught up the next.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jikimi.audit.context import Actor
from jikimi.vault.actions.destruction import enforce_retention

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="0", hour="18"), name="vault.enforce_retention_daily")
def enforce_retention_daily() -> dict[str, int]:
    """Run the sweep; return its counts (huey keeps results, so nothing but plain numbers)."""
    report = enforce_retention(Actor.system("enforce_retention"))
    log.info(
        "retention sweep: %d holds ended, %d destroyed, %d overdue, %d failed, %d objects collected",
        len(report.holds_ended),
        len(report.destroyed),
        len(report.overdue),
        len(report.failed),
        report.collected,
    )
    for problem in [*report.failed, *report.unreadable]:
        log.error("retention sweep: %s", problem)
    return {
        "holds_ended": len(report.holds_ended),
        "destroyed": len(report.destroyed),
        "overdue": len(report.overdue),
        "failed": len(report.failed) + len(report.unreadable),
        "collected": report.collected,
    }
