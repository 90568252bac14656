"""R41 (and R19): the existence check must not lie (issue 11, "Footage and the clock").

Found: after `jikimi record` was killed a device still showed 녹화 중 and no outage was written; a gap
while the store was full had no reason; a segment whose file was gone still read as footage; tampering
caught at playback (409) was neither audited nor alerted. Now the recorder beats, a stale heartbeat
reads "녹화 안 됨: 녹화기 중지" and its interval becomes an outage; every gap has a reason; a missing
or altered file is recorded as damage (audited, alerted) and reads "손상".
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.engine.footage import StorageFull
from jikimi.engine.recording import RecorderSupervisor
from jikimi.inventory.models import Device
from jikimi.rules.coverage import Coverage
from jikimi.vault import queries
from jikimi.vault.actions.damage import check_stored_files
from jikimi.vault.actions.devices import add_device, report_recording_state
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.actions.liveness import beat, check_recorders, start_recorder
from jikimi.vault.actions.playback import open_viewing
from jikimi.vault.models import RecorderHeartbeat, RecordingOutage, Segment, VaultAlert
from jikimi.vault.recording import VaultSink, run_recorder
from jikimi.vault.tests.conftest import ACTOR, new_device, traffic_group

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.xdist_group("realtime")]

T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
RECORDER = Actor.command("record")


def _camera() -> Device:
    return add_device(ACTOR, traffic_group(), "정문 1번", source_url="rtsp://127.0.0.1:8554/cam1")


def _kinds(device: Device, start: datetime, end: datetime) -> list[tuple[float, float, Coverage]]:
    """The existence check as (seconds from T0, seconds from T0, kind)."""
    return [
        ((i.start - T0).total_seconds(), (i.end - T0).total_seconds(), i.coverage)
        for i in queries.device_coverage(device, start, end).intervals
    ]


def test_R41_a_killed_recorder_reads_recorder_down_everywhere_and_its_interval_becomes_an_outage(
    client: Any, people: dict[str, Any]
) -> None:
    device = _camera()
    with time_machine.travel(T0, tick=False):
        heartbeat = start_recorder(RECORDER)
        report_recording_state(RECORDER, device, Device.Status.RECORDING)
        beat(RECORDER, heartbeat, [device.pk])
    # SIGKILL: no more beats, no state report. Five minutes later:
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        device.refresh_from_db()
        assert device.status == Device.Status.RECORDING  # the last thing the recorder said
        assert queries.device_state(device).startswith("녹화 안 됨: 녹화기 중지")
        assert _kinds(device, T0, T0 + timedelta(minutes=5)) == [(0, 300, Coverage.RECORDER_DOWN)]
        log_in(client, people["alice"])
        for url in (reverse("vault:device_detail", args=[device.pk]), reverse("vault:index")):
            page = client.get(url).content.decode()
            assert "녹화 안 됨: 녹화기 중지" in page and "녹화 중<" not in page
        # The periodic check alerts once, however often it runs.
        assert check_recorders(Actor.system("check_recorders")) == 1
        assert check_recorders(Actor.system("check_recorders")) == 0
        [alert] = VaultAlert.objects.filter(kind=VaultAlert.Kind.RECORDER_DOWN, device=device)
        assert "신호가 없습니다" in alert.message
    # The recorder is started again ten minutes after it died: the dead interval is an outage.
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        restarted = start_recorder(RECORDER)
        beat(RECORDER, restarted, [device.pk])
        [outage] = RecordingOutage.objects.filter(device=device)
        assert outage.cause == RecordingOutage.Cause.RECORDER and "녹화기 중지" in outage.reason
        assert (outage.start, outage.end) == (T0, T0 + timedelta(minutes=10))
        # Nothing records it until the new recorder connects and says so: not "녹화 중", not "중지".
        device.refresh_from_db()
        assert queries.device_state(device) == "대기"
        entry = AuditEntry.objects.get(action=AuditEvent.VAULT_RECORDER_DOWN)
        assert entry.details["seconds"] == 600 and entry.target_id == str(device.pk)
    with time_machine.travel(T0 + timedelta(minutes=10, seconds=10), tick=False):
        assert _kinds(device, T0, T0 + timedelta(minutes=10)) == [(0, 600, Coverage.RECORDER_DOWN)]
    assert verify_log().ok


def test_R41_a_recorder_that_hung_and_resumed_writes_the_silent_interval() -> None:
    device = _camera()
    with time_machine.travel(T0, tick=False):
        heartbeat = start_recorder(RECORDER)
        beat(RECORDER, heartbeat, [device.pk])
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        beat(RECORDER, heartbeat, [device.pk])
    [outage] = RecordingOutage.objects.filter(device=device, cause=RecordingOutage.Cause.RECORDER)
    assert (outage.start, outage.end) == (T0, T0 + timedelta(minutes=2))


def test_R41_a_recorder_stopped_cleanly_is_not_down(tmp_path: Path) -> None:
    """The real loop beats while it runs and says so when it stops; nothing reads as down after.
    (No camera: the workers' threads would need a transactional database; test_record_command has those.)"""
    device = new_device()
    sink = VaultSink(RECORDER)
    run_recorder(
        sink,
        RecorderSupervisor(sink),
        threading.Event(),
        segment_seconds=2,
        run_for=0.6,
        poll=0.05,
        heartbeat_every=0.1,
    )
    heartbeat = RecorderHeartbeat.objects.get()
    assert heartbeat.stopped_at is not None and heartbeat.beat_at >= heartbeat.started_at
    assert queries.stopped_recorders() == {} and not RecordingOutage.objects.filter(device=device).exists()


def test_R41_a_full_store_gap_has_its_reason(settings: Any, tmp_path: Path) -> None:
    settings.STORAGE_URL = f"file://{tmp_path / 'full'}?reserve=1000000TiB"
    device = _camera()
    data = secrets.token_bytes(100)
    segment = EngineSegment(
        index=0,
        start=T0,
        end=T0 + timedelta(seconds=60),
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        frames=1,
        had_audio=False,
    )
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False), pytest.raises(StorageFull):
        VaultSink(RECORDER).on_segment(device.storage_name, segment)
    [outage] = RecordingOutage.objects.filter(device=device)
    assert "저장 공간 부족" in outage.reason and (outage.start, outage.end) == (
        T0,
        T0 + timedelta(seconds=60),
    )
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        kinds = _kinds(device, T0, T0 + timedelta(seconds=60))
    assert kinds == [(0, 60, Coverage.CAMERA_DOWN)]


def test_R41_a_segment_whose_file_is_gone_reads_as_damaged_not_footage(
    silent_clip: Path, seoul_morning: None, vault_storage: Path
) -> None:
    device = new_device()
    ingest(ACTOR, device, silent_clip, T0)
    [segment] = Segment.objects.filter(device=device)
    (vault_storage / segment.object_name).unlink()
    assert check_stored_files(Actor.system("check_stored_files")) == 1
    assert check_stored_files(Actor.system("check_stored_files")) == 0  # once
    segment.refresh_from_db()
    assert segment.damaged_at is not None and "없습니다" in segment.damage
    kinds = _kinds(device, T0, segment.end)
    assert [k for *_, k in kinds] == [Coverage.DAMAGED]
    entry = AuditEntry.objects.get(action=AuditEvent.VAULT_FOOTAGE_DAMAGED)
    assert entry.details["segment"] == segment.pk
    assert VaultAlert.objects.filter(kind=VaultAlert.Kind.FOOTAGE_DAMAGED, device=device).count() == 1


def test_R41_tampering_caught_at_playback_is_recorded_audited_alerted_and_reads_damaged(
    client: Any, people: dict[str, Any], silent_clip: Path, seoul_morning: None, vault_storage: Path
) -> None:
    device = new_device()
    ingest(ACTOR, device, silent_clip, T0)
    [segment] = Segment.objects.filter(device=device)
    path = vault_storage / segment.object_name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    viewing = open_viewing(
        Actor(user=people["alice"], label="alice", client_address="10.0.0.7"),
        device,
        T0,
        T0 + timedelta(minutes=1),
        "교통사고 경위 확인",
    )
    log_in(client, people["alice"])
    media = reverse("vault:viewing_media", args=[viewing.pk, segment.pk])
    assert client.get(media).status_code == 409
    assert client.get(media).status_code == 409  # still refused; damage recorded once
    segment.refresh_from_db()
    assert segment.damaged_at is not None and "변조" in segment.damage
    [entry] = AuditEntry.objects.filter(action=AuditEvent.VAULT_FOOTAGE_DAMAGED)
    assert entry.actor_id == people["alice"].pk and entry.client_address
    assert VaultAlert.objects.filter(kind=VaultAlert.Kind.FOOTAGE_DAMAGED, device=device).count() == 1
    # The existence check and the viewing's timeline say 손상, and the playlist leaves it out.
    assert [k for *_, k in _kinds(device, T0, segment.end)] == [Coverage.DAMAGED]
    page = client.get(reverse("vault:viewing", args=[viewing.pk])).content.decode()
    assert "손상 (파일 없음·변조)" in page
    playlist = client.get(reverse("vault:viewing_playlist", args=[viewing.pk])).content.decode()
    assert media not in playlist


def test_R41_every_gap_has_a_reason_an_unknown_one_says_so() -> None:
    device = new_device()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        [interval] = queries.device_coverage(device, T0, T0 + timedelta(minutes=5)).intervals
    assert interval.coverage is Coverage.NOT_RECORDING
    from jikimi.rules.coverage import COVERAGE_LABELS

    assert COVERAGE_LABELS[interval.coverage] == "녹화되지 않음 (사유 미상)"
