"""The daily background job destroys expired footage exactly as `jikimi enforce_retention` does (R17, R19)."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from huey.contrib.djhuey import HUEY

from jikimi.audit.models import AuditEntry
from jikimi.vault.models import DayKey, Destruction, Segment
from jikimi.vault.tasks import enforce_retention_daily
from jikimi.vault.tests.conftest import new_device, stored_objects, synthetic_segment, traffic_group

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def test_the_daily_job_destroys_expired_footage_and_audits_it_as_the_system() -> None:
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
    kept = new_device(traffic_group(retention="30일"), name="후문 2번")
    with time_machine.travel(kst("2026-11-25T02:00:00")):
        synthetic_segment(kept, kst("2026-11-25T01:00:00"))

    with time_machine.travel(kst("2026-11-25T03:00:00")):
        counts = enforce_retention_daily.call_local()

    assert counts == {
        "holds_ended": 0,
        "destroyed": 1,
        "overdue": 0,
        "failed": 0,
        "collected": 1,
        "refused": 0,
        "held_back": 0,
    }
    assert DayKey.objects.get(device=device).wrapped_key is None
    assert DayKey.objects.get(device=kept).wrapped_key is not None
    assert not Segment.objects.filter(device=device).exists() and len(stored_objects()) == 1
    entry = AuditEntry.objects.get(action="vault.destroy_day_key")
    # R19: 담당자 is the scheduled job, not a person.
    assert entry.details["officer"] == "시스템 작업 enforce_retention"
    assert Destruction.objects.get().actor_label == "시스템 작업 enforce_retention"


def test_running_it_twice_destroys_nothing_more() -> None:
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention_daily.call_local()
        assert enforce_retention_daily.call_local()["destroyed"] == 0
    assert Destruction.objects.count() == 1


def test_it_is_scheduled_daily_at_three_in_the_morning_seoul_time() -> None:
    # huey's crontab runs in UTC: 18:00 UTC is 03:00 KST the next day.
    validate = enforce_retention_daily.task_class().validate_datetime
    assert validate(datetime(2026, 11, 24, 18, 0)) and not validate(datetime(2026, 11, 24, 3, 0))
    assert not validate(datetime(2026, 11, 24, 18, 1))
    # The consumer (`jikimi run_huey`) finds it among the periodic tasks of the configured queue.
    assert enforce_retention_daily.task_class in HUEY._registry._periodic_tasks
