"""A location of the register may override its group's retention and recording hours (금천구: 청사 내외
45일, 승강기 14일); the vault keeps, shows and destroys a device's footage by its location's terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.devices import add_device
from jikimi.vault.keyring import FootageRefused, check_may_store
from jikimi.vault.models import DayKey
from jikimi.vault.terms import TermsBook, device_terms
from jikimi.vault.tests.conftest import ACTOR, CLOCK_CONFIRMED, place, synthetic_segment, traffic_group

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _building() -> Any:
    group = traffic_group(retention="45일", recording_hours="24시간")
    place(group, "hall", "청사 현관", count=4)
    place(group, "lift", "승강기", count=2, retention="14일")
    place(group, "parking-exit", "주차장 출구", recording_hours="평일 07:00~09:00")
    place(group, "meeting-room", "회의실", retention="미보유")
    return group


def test_a_device_takes_its_locations_terms_and_the_groups_where_the_location_is_silent() -> None:
    group = _building()
    lift = add_device(ACTOR, group, "승강기 1호기", location="승강기")
    door = add_device(ACTOR, group, "현관 1번", location="청사 현관")
    exit_ = add_device(ACTOR, group, "출구 1번", location="주차장 출구")
    assert (device_terms(lift).retention, device_terms(lift).recording_hours) == ("14일", "24시간")
    assert (device_terms(door).retention, device_terms(exit_).recording_hours) == ("45일", "평일 07:00~09:00")
    assert device_terms(exit_).retention == "45일"
    book = TermsBook()
    assert [book.terms(d) for d in (lift, door, exit_)] == [device_terms(d) for d in (lift, door, exit_)]


def test_a_location_that_keeps_nothing_refuses_footage_though_its_group_keeps_it() -> None:
    group = _building()
    room = add_device(ACTOR, group, "회의실 1번", location="회의실")
    with pytest.raises(FootageRefused, match="위치 '회의실'.*미보유"):
        check_may_store(room)  # R15


def test_each_device_is_destroyed_by_its_locations_retention() -> None:
    group = _building()
    lift = add_device(ACTOR, group, "승강기 1호기", location="승강기")
    door = add_device(ACTOR, group, "현관 1번", location="청사 현관")
    with time_machine.travel(kst("2026-11-01T12:00:00")):
        for device in (lift, door):
            synthetic_segment(device, kst("2026-11-01T09:00:00"))
    # 14일 after 11-01 is 11-15: the lift's day is destroyed then (R17), the door's kept until 12-16.
    with time_machine.travel(kst("2026-11-16T03:00:00")):
        report = enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
    assert [d.device_id for d in report.destroyed] == [lift.pk]
    assert report.destroyed[0].retention == "14일"
    assert DayKey.objects.get(device=door).wrapped_key is not None


def test_the_existence_check_reads_the_locations_recording_hours(client: Any, people: dict[str, Any]) -> None:
    group = _building()
    exit_ = add_device(ACTOR, group, "출구 1번", location="주차장 출구")
    log_in(client, people["alice"])
    body = client.get(
        reverse("api:coverage"), {"device": exit_.pk, "start": "2026-11-23T06:00", "end": "2026-11-23T10:00"}
    ).json()
    assert [(i["start"][11:16], i["coverage"]) for i in body["devices"][0]["intervals"]] == [
        ("06:00", "not_scheduled"),
        ("07:00", "not_recording"),
        ("09:00", "not_scheduled"),
    ]
