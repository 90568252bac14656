"""The control centre's periodic job: the camera health check every minute (오산시 지침 제27조)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jikimi.audit.context import Actor
from jikimi.control.actions.health import check_health


@db_periodic_task(crontab(minute="*"), name="control.check_health")
def check_health_every_minute() -> tuple[int, int]:
    return check_health(Actor.system("camera-health"))
