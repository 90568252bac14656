"""R17: the sweep's destruction deadline is expiry + the institution's grace (rules.retention)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.models import Destruction
from jikimi.vault.tests.conftest import CLOCK_CONFIRMED, new_device, synthetic_segment, traffic_group

pytestmark = pytest.mark.django_db
D = date(2026, 4, 6)


def at(days: int, hour: int) -> datetime:
    return datetime.combine(D + timedelta(days=days), time(hour), SEOUL)


def _destroyed_late(grace: int | None) -> Destruction:
    group = traffic_group(retention="1일")  # expires on D+2
    if grace is not None:
        group.institution.destruction_grace_days = grace
        group.institution.save()
    device = new_device(group)
    with time_machine.travel(at(0, 12), tick=False):
        synthetic_segment(device, at(0, 9))
    with time_machine.travel(at(5, 3), tick=False):  # the sweep did not run for three nights
        enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
    return Destruction.objects.get()


def test_R17_with_the_standard_five_days_a_destruction_three_days_late_is_on_time() -> None:
    destruction = _destroyed_late(None)
    assert (destruction.expiry, destruction.deadline) == (D + timedelta(days=2), D + timedelta(days=7))
    assert not destruction.overdue


def test_R17_an_institution_that_promises_two_days_sees_the_same_destruction_as_overdue() -> None:
    destruction = _destroyed_late(2)
    assert destruction.deadline == D + timedelta(days=4) and destruction.overdue
    entry = AuditEntry.objects.get(action="vault.destroy_day_key")
    assert entry.details["deadline"] == (D + timedelta(days=4)).isoformat() and entry.details["overdue"]
