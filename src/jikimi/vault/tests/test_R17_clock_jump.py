"""R17: a clock set ahead must not destroy today's footage (issue 11, "Footage and the clock").

Found: `enforce_retention` run under a clock 16 days ahead destroyed today's day keys; back in real
time today's ingest was refused and the recorder kept failing. Now the sweep checks the clock against
the vault's traces of time (heartbeats, sweeps, segments) and the newest footage; a clock it does not
trust destroys nothing, and the refusal is audited and alerted, until an officer confirms the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.actions.liveness import beat, start_recorder
from jikimi.vault.models import DayKey, Segment, VaultAlert
from jikimi.vault.playback import segment_plaintext
from jikimi.vault.tests.conftest import ACTOR, new_device, synthetic_segment, traffic_group

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
SYSTEM = Actor.system("retention")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


TODAY = "2026-11-23"


def _todays_footage(silent_clip: Path) -> Any:
    device = new_device(traffic_group(retention="14일"))
    with time_machine.travel(kst(f"{TODAY}T12:00:00")):
        ingest(ACTOR, device, silent_clip, kst(f"{TODAY}T09:00:00"))
        synthetic_segment(device, kst(f"{TODAY}T11:00:00"))  # what the recorder stored
    return device


def test_R17_a_sweep_sixteen_days_ahead_destroys_nothing_and_today_still_records(silent_clip: Path) -> None:
    device = _todays_footage(silent_clip)
    before = Segment.objects.filter(device=device).count()

    with time_machine.travel(kst("2026-12-09T03:00:00")):  # the clock jumped 16 days ahead
        err = StringIO()
        with pytest.raises(SystemExit) as exit_code:
            call_command("enforce_retention", stdout=StringIO(), stderr=err)
    assert exit_code.value.code == 2 and "파기 보류" in err.getvalue() and "15일 14시간" in err.getvalue()
    assert DayKey.objects.get(device=device).wrapped_key is not None

    # The refusal is in the audit chain and on the alerts page (and mailed, test_R41_alerts).
    refused = AuditEntry.objects.get(action=AuditEvent.VAULT_RETENTION_CLOCK_REFUSED)
    assert "시스템 시계" in refused.reason
    [alert] = VaultAlert.objects.filter(kind=VaultAlert.Kind.CLOCK_JUMP)
    assert alert.institution == device.device_group.institution and "파기하지 않았습니다" in alert.message
    assert not AuditEntry.objects.filter(action=AuditEvent.VAULT_DESTROY_DAY_KEY).exists()

    # Back in real time: today's ingest and the recorder still work; today's footage is intact.
    with time_machine.travel(kst(f"{TODAY}T13:00:00")):
        ingest(ACTOR, device, silent_clip, kst(f"{TODAY}T10:00:00"))
        synthetic_segment(device, kst(f"{TODAY}T12:30:00"))
        segments = list(Segment.objects.filter(device=device))
        assert len(segments) > before
        assert all(segment_plaintext(s) for s in segments)  # every segment, old and new, still opens
    assert verify_log().ok


def test_R17_a_jump_the_traces_do_not_catch_still_spares_footage_newer_than_the_retention(
    silent_clip: Path,
) -> None:
    """A recorder beat under the jumped clock (so the clock looks continuous): the newest footage still
    says what day it can be at most, and today's key is held back, with an alert."""
    device = _todays_footage(silent_clip)
    with time_machine.travel(kst("2026-12-09T03:00:00")):
        heartbeat = start_recorder(SYSTEM)
        beat(SYSTEM, heartbeat, [device.pk])
        report = enforce_retention(SYSTEM)
    assert not report.refused and report.destroyed == []
    assert report.held_back and device.storage_name in report.held_back[0]
    assert DayKey.objects.get(device=device).wrapped_key is not None
    assert VaultAlert.objects.filter(kind=VaultAlert.Kind.CLOCK_JUMP).exists()


def test_R17_an_officer_who_confirmed_the_clock_lets_the_sweep_destroy_and_it_is_audited(
    silent_clip: Path,
) -> None:
    device = _todays_footage(silent_clip)
    with time_machine.travel(kst("2026-12-09T03:00:00")):
        with pytest.raises(SystemExit):
            call_command("enforce_retention", stdout=StringIO(), stderr=StringIO())
        out = StringIO()
        call_command(
            "enforce_retention",
            "--confirm-clock",
            "표준시각 서버와 대조함 (서버 3주 정지 후 재가동)",
            stdout=out,
        )
    assert DayKey.objects.get(device=device).wrapped_key is None and "파기 1건" in out.getvalue()
    confirmed = AuditEntry.objects.get(action=AuditEvent.VAULT_RETENTION_CLOCK_CONFIRMED)
    assert confirmed.reason.startswith("표준시각 서버와 대조함") and confirmed.details["trusted"] is False
    assert confirmed.sequence < AuditEntry.objects.get(action=AuditEvent.VAULT_DESTROY_DAY_KEY).sequence


def test_R17_daily_sweeps_vouch_for_the_clock_from_one_day_to_the_next() -> None:
    device = new_device(traffic_group(retention="3일"))
    for day in range(23, 28):  # footage every day, a sweep every night: the clock is always trusted
        with time_machine.travel(kst(f"2026-11-{day}T03:00:00")):
            synthetic_segment(device, kst(f"2026-11-{day}T02:00:00"))
            report = enforce_retention(SYSTEM)
            assert not report.refused and not report.held_back
    # 11-23 expired on 11-27 (kept 3 days), and was destroyed that night, on time.
    assert [k.day.day for k in DayKey.objects.filter(wrapped_key__isnull=True)] == [23]
    assert not VaultAlert.objects.exists()


def test_R17_a_clock_set_back_refuses_nothing_and_destroys_nothing_early() -> None:
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        synthetic_segment(device, kst("2026-11-25T02:00:00"))
    with time_machine.travel(kst("2026-11-24T03:00:00")):  # a day behind what the vault saw
        report = enforce_retention(SYSTEM)
        synthetic_segment(device, kst("2026-11-24T02:00:00"))  # the recorder keeps storing
    assert not report.refused and report.destroyed == []
    assert DayKey.objects.filter(wrapped_key__isnull=False).count() == 2


def test_R17_the_bound_is_a_setting(settings: Any) -> None:
    settings.JIKIMI_RETENTION_CLOCK_BOUND_HOURS = 1
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
    with time_machine.travel(kst("2026-11-23T14:00:00") + timedelta(days=0)):
        assert enforce_retention(SYSTEM).refused
