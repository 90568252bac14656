"""The control centre's periodic jobs: the camera health check every minute (오산시 지침 제27조), and the
PTZ cameras' views every five minutes (R14: a camera moved outside jikimi raises an alert)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from jikimi.audit.context import Actor
from jikimi.control.actions.health import check_health
from jikimi.control.actions.ptz import check_ptz_views


@db_periodic_task(crontab(minute="*"), name="control.check_health")
def check_health_every_minute() -> tuple[int, int]:
    return check_health(Actor.system("camera-health"))


@db_periodic_task(crontab(minute="*/5"), name="control.check_ptz_views")
def check_ptz_views_every_five_minutes() -> tuple[int, int]:
    return check_ptz_views(Actor.system("ptz-check"))
