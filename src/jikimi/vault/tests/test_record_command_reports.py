"""What the recorder reports reaches the device: its state (once per change), R13's warning, and gaps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jikimi.accounts.testing import make_group
from jikimi.audit.models import AuditEntry
from jikimi.engine.recording import CameraState, CameraStatus, Gap
from jikimi.inventory.models import Device
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import AUDIO_WARNING
from jikimi.vault.models import RecordingOutage
from jikimi.vault.recording import VaultSink, camera_sources
from jikimi.vault.tests.conftest import ACTOR, traffic_group

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def camera() -> Device:
    return add_device(ACTOR, traffic_group(), "정문 1번", source_url="rtsp://127.0.0.1:1/cam1")


def test_a_state_is_recorded_once_however_often_the_recorder_repeats_it() -> None:
    device = camera()
    sink = VaultSink(ACTOR)
    for attempt in (1, 2, 3):
        sink.on_state(
            CameraStatus(
                device.storage_name, CameraState.RECONNECTING, NOW, "connection refused", attempt=attempt
            )
        )
    device.refresh_from_db()
    assert device.status == Device.Status.RECONNECTING and device.status_changed_at is not None
    assert AuditEntry.objects.filter(action="vault.device_state", target_id=str(device.pk)).count() == 1


def test_a_source_with_audio_raises_the_health_warning_once() -> None:
    device = camera()
    sink = VaultSink(ACTOR)
    for state in (CameraState.RECORDING, CameraState.RECONNECTING, CameraState.RECORDING):
        sink.on_state(CameraStatus(device.storage_name, state, NOW, had_audio=True))
    device.refresh_from_db()
    # 법 제25조⑤ (R13)
    assert device.health_warning == AUDIO_WARNING
    assert AuditEntry.objects.filter(action="vault.device_health_warning").count() == 1


def test_a_gap_is_recorded_with_its_interval_and_reason() -> None:
    device = camera()
    engine_says = "rtsp://127.0.0.1:8554/cam1 dropped: End of file"
    VaultSink(ACTOR).on_gap(Gap(device.storage_name, NOW, NOW + timedelta(seconds=42), engine_says))
    entry = AuditEntry.objects.get(action="vault.recording_gap")
    outage = RecordingOutage.objects.get(device=device)
    # Staff read the reason in Korean; the engine's words stay in the audit entry (issue 12).
    said = "카메라 영상 수신이 끊김"
    assert (outage.start, outage.end, outage.reason) == (NOW, NOW + timedelta(seconds=42), said)
    assert entry.target_id == str(device.pk)
    assert entry.details == {
        "outage": outage.pk,
        "start": NOW.isoformat(),
        "end": (NOW + timedelta(seconds=42)).isoformat(),
        "seconds": 42.0,
        "reason": said,
        "detail": engine_says,
    }


def test_only_enabled_cameras_of_groups_that_keep_footage_are_recorded() -> None:
    recorded = camera()
    add_device(ACTOR, traffic_group(), "후문 2번", source_url="rtsp://127.0.0.1:1/cam2", enabled=False)
    add_device(ACTOR, traffic_group(), "이동형 3번")  # file only
    add_device(ACTOR, make_group("교통행정과", "none", retention="미보유"), "4번", source_url="rtsp://h/4")
    sources = camera_sources(60)
    assert [s.camera for s in sources] == [recorded.storage_name]
    assert sources[0].segment_seconds == 60 and str(sources[0].day_zone) == "Asia/Seoul"
