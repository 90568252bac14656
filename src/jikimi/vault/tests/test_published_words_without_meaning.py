"""Issue 16: published 촬영시간/보관기간 with no machine meaning never become "24시간" or "kept forever"
in the vault: such hours record only in windows an officer opens, until a schedule is stated."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from jikimi.vault.actions.ingest import ingest
from jikimi.vault.hours import recording_windows
from jikimi.vault.terms import device_terms
from jikimi.vault.tests.conftest import ACTOR, admin_group, new_device, stored_objects, traffic_group

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def test_hours_without_meaning_record_nothing_unless_a_window_is_opened(silent_clip: Path) -> None:
    device = new_device(traffic_group(recording_hours="산불기간"))
    assert device_terms(device).recording_hours == "필요시"
    start = kst("2026-11-23T10:00:00")
    assert recording_windows(device, start, start + timedelta(hours=1)).spans == []
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=False):
        assert ingest(ACTOR, device, silent_clip, start).segments == 0
    assert stored_objects() == []


def test_a_stated_schedule_is_what_the_recorder_follows(silent_clip: Path) -> None:
    group = traffic_group(recording_hours="산불기간", recording_schedule="매일 09:00~18:00")
    device = new_device(group)
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=False):
        assert ingest(ACTOR, device, silent_clip, kst("2026-11-23T10:00:00")).segments > 0


def test_a_retention_without_meaning_is_the_laws_30_days_and_stated_days_win() -> None:
    assert device_terms(new_device(traffic_group(retention="저장용량 범위 내"))).retention == "30일"
    group = admin_group(retention="저장용량 범위 내", retention_days=14)
    assert device_terms(new_device(group, "청사 1번")).retention == "14일"
