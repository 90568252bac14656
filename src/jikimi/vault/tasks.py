"""Background jobs of the vault (huey; `jikimi run_huey` runs them).

enforce_retention_daily   every day at 03:00 Asia/Seoul (18:00 UTC: huey's crontab runs in UTC), the
                          same sweep as `jikimi enforce_retention`: end the legal holds whose end date
                          has come (R18), destroy every expired day key that no hold covers, within the
                          institution's grace after expiry (법 제21조①, 영 제41조④; R17), and record
                          each destruction (R19). Idempotent: a missed night is caught up the next
                          — unless the clock is not trusted (R17): then nothing is destroyed and the
                          officers are alerted (actions.destruction, actions.alerts).
check_recorders           every minute: a recorder whose heartbeat stopped raises an alert per device (R41).
check_stored_files        every day at 04:00 Asia/Seoul: segments whose stored file is gone are marked
                          damaged, audited and alerted (R41).
sweep_temporary_files     every hour: temporary files of puts a killed ingest left behind are removed
                          (those young enough to belong to a running one are left).
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jikimi.audit.context import Actor
from jikimi.vault.actions.collection import sweep_temporary_files
from jikimi.vault.actions.damage import check_stored_files
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.liveness import check_recorders

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
    if report.refused:
        log.error("retention sweep refused (clock): %s", report.refused)
    for problem in [*report.failed, *report.unreadable, *report.held_back]:
        log.error("retention sweep: %s", problem)
    return {
        "holds_ended": len(report.holds_ended),
        "destroyed": len(report.destroyed),
        "overdue": len(report.overdue),
        "failed": len(report.failed) + len(report.unreadable),
        "collected": report.collected,
        "refused": int(bool(report.refused)),
        "held_back": len(report.held_back),
    }


@db_periodic_task(crontab(minute="*"), name="vault.check_recorders")
def check_recorders_every_minute() -> int:
    return check_recorders(Actor.system("check_recorders"))


@db_periodic_task(crontab(minute="0", hour="19"), name="vault.check_stored_files_daily")
def check_stored_files_daily() -> int:
    """04:00 Asia/Seoul (19:00 UTC), after the retention sweep."""
    return check_stored_files(Actor.system("check_stored_files"))


@db_periodic_task(crontab(minute="17"), name="vault.sweep_temporary_files_hourly")
def sweep_temporary_files_hourly() -> int:
    removed = sweep_temporary_files()
    if removed:
        log.warning("removed %d temporary files of interrupted writes", removed)
    return removed
