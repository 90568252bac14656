"""Background jobs of accounts (huey; `jikimi run_huey` runs them).

send_contract_alerts_daily   every day at 09:00 Asia/Seoul (00:00 UTC: huey's crontab runs in UTC): a
                             contract 60 and 30 days before its end is mailed to those who manage the
                             institution's contracts (군산시's ended on 2024-12-31 and nobody noticed;
                             시행령 제26조, R33). Once per threshold per contract.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jikimi.accounts.actions import send_contract_alerts
from jikimi.audit.context import Actor
from jikimi.lib.clock import today

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="0", hour="0"), name="accounts.send_contract_alerts_daily")
def send_contract_alerts_daily() -> dict[str, int]:
    report = send_contract_alerts(Actor.system("send_contract_alerts"), today())
    log.info("contract end alerts: %d", len(report.alerted))
    return {"alerted": len(report.alerted)}
