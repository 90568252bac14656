"""The existence check's round trips are counted (issue 18: p95 under 20 ms at 100 M segment rows).

Each query costs about a millisecond of Django and driver time on top of its own; the check made six
for an hour and now makes two — three when the device shows a recorder's state (its heartbeat is
read). The segments, held copies and destructions come back in one query (queries._window_spans).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine

from jikimi.audit.context import Actor
from jikimi.inventory.models import Device
from jikimi.rules.coverage import Coverage
from jikimi.vault import queries
from jikimi.vault.actions.damage import record_damage
from jikimi.vault.actions.destruction import destroy_day_keys, due_day_keys, enforce_retention
from jikimi.vault.actions.devices import report_recording_state
from jikimi.vault.models import Segment
from jikimi.vault.tests.conftest import ACTOR, CLOCK_CONFIRMED, new_device, synthetic_segment, traffic_group

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def as_the_view_fetches_it(device: Device) -> Device:
    # What views._coverage and the API hand to the check: the device with its group.
    return Device.objects.select_related("device_group", "device_group__department").get(pk=device.pk)


def test_an_idle_device_hour_is_two_queries(django_assert_max_num_queries: Any) -> None:
    device = new_device(traffic_group(retention="1일", recording_hours="평일 07:00~20:00"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        stored = [synthetic_segment(device, kst(f"2026-11-23T09:0{m}:00")) for m in range(4)]
        record_damage(ACTOR, stored[1], "객체 없음")
    with time_machine.travel(kst("2026-11-25T12:00:00")):
        synthetic_segment(device, kst("2026-11-25T09:00:00"))
    # The first day destroyed at retention, the other one kept: both kinds of span in the answers.
    with time_machine.travel(kst("2026-11-26T03:00:00")):
        enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
        device = as_the_view_fetches_it(device)
        with django_assert_max_num_queries(2):
            destroyed = queries.device_coverage(device, kst("2026-11-23T08:30"), kst("2026-11-23T09:30"))
        with django_assert_max_num_queries(2):
            kept = queries.device_coverage(device, kst("2026-11-25T06:30"), kst("2026-11-25T09:30"))
    assert [i.coverage for i in destroyed.intervals] == [Coverage.DESTROYED]
    assert [(f"{i.start:%H:%M}", i.coverage) for i in kept.intervals] == [
        ("06:30", Coverage.NOT_SCHEDULED),
        ("07:00", Coverage.NOT_RECORDING),
        ("09:00", Coverage.FOOTAGE),
        ("09:01", Coverage.NOT_RECORDING),
    ]


def test_a_recording_device_hour_reads_the_heartbeats_too(django_assert_max_num_queries: Any) -> None:
    device = new_device()
    with time_machine.travel(kst("2026-11-23T09:30:00")):
        report_recording_state(ACTOR, device, Device.Status.RECORDING)
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
        device = as_the_view_fetches_it(device)
        with django_assert_max_num_queries(3):
            result = queries.device_coverage(device, kst("2026-11-23T08:30"), kst("2026-11-23T09:30"))
    assert [i.coverage for i in result.intervals] == [
        Coverage.NOT_RECORDING,
        Coverage.FOOTAGE,
        Coverage.NOT_RECORDING,
    ]


def test_segments_of_a_destroyed_day_key_not_yet_collected_are_no_footage(
    django_assert_max_num_queries: Any,
) -> None:
    """Between a key's destruction and the collection of its rows (a crash, or the next run), its
    segments are unreadable: the check says destroyed — by the destroyed keys of the window's days,
    not by a join to each segment's key."""
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        for m in range(3):
            synthetic_segment(device, kst(f"2026-11-23T23:5{m}:00"))
        synthetic_segment(device, kst("2026-11-24T00:00:00"))  # the next day: its own key, kept
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        today = kst("2026-11-25T03:00").date()
        due = [d for d in due_day_keys(today)[0] if f"{d.day_key.day}" == "2026-11-23"]
        assert len(due) == 1
        destroy_day_keys(Actor.system("retention"), due, today)
        assert Segment.objects.filter(device=device).count() == 4  # not collected yet
        device = as_the_view_fetches_it(device)
        with django_assert_max_num_queries(2):
            result = queries.device_coverage(device, kst("2026-11-23T23:30"), kst("2026-11-24T00:30"))
    assert [(f"{i.start:%H:%M}", i.coverage) for i in result.intervals] == [
        ("23:30", Coverage.DESTROYED),
        ("00:00", Coverage.FOOTAGE),
        ("00:01", Coverage.NOT_RECORDING),
    ]
