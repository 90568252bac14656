"""Background jobs of requests (huey; `jikimi run_huey` runs them).

send_reminders_daily   every day at 09:00 Asia/Seoul (00:00 UTC: huey's crontab runs in UTC), when the
                       officers are at work: requests due within two working days are reminded to
                       their officers, overdue ones escalated to the 개인정보 보호책임자 (법 제35조③;
                       R22). Idempotent: once a day per request.
send_provision_reminders_daily
                       every day at 09:00 Asia/Seoul too: the duties after a provision — the recipient's
                       destruction date (recipient and officer), the 30 days to publish (법 제18조④;
                       officer and privacy officer). Once a day per case.
render_masking_job     a request's masked copy (masking_tasks): imported here because the consumer
                       loads each app's `tasks` module only.
build_package          a request's copy archive or a provision's package (package_tasks), and the
                       minute's recovery of dead workers' builds (issue 18); imported here likewise.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jikimi.audit.context import Actor
from jikimi.disclosure import (
    masking_tasks,  # noqa: F401 (registers render_masking_job)
    package_tasks,  # noqa: F401 (registers build_package)
)
from jikimi.disclosure.actions.provision_after_reminders import send_provision_reminders
from jikimi.disclosure.actions.reminders import send_reminders
from jikimi.lib.clock import today

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="0", hour="0"), name="disclosure.send_reminders_daily")
def send_reminders_daily() -> dict[str, int]:
    report = send_reminders(Actor.system("send_reminders"), today())
    log.info("request reminders: %d reminded, %d escalated", len(report.reminded), len(report.escalated))
    return {"reminded": len(report.reminded), "escalated": len(report.escalated)}


@db_periodic_task(crontab(minute="0", hour="0"), name="disclosure.send_provision_reminders_daily")
def send_provision_reminders_daily() -> dict[str, int]:
    report = send_provision_reminders(Actor.system("send_provision_reminders"), today())
    log.info(
        "provision reminders: %d destruction, %d publication",
        len(report.destruction),
        len(report.publication),
    )
    return {"destruction": len(report.destruction), "publication": len(report.publication)}
