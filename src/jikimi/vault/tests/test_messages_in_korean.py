"""What the engine says in English reaches staff in Korean, naming the file or the camera, never a path
on the server, FFmpeg's errno or a camera's address (issue 12: "not a video file FFmpeg can read
([Errno …])", "cannot connect to rtsp://…"; R42: the address may carry the camera's login). The
engine's words stay in the log and the audit entry."""

from __future__ import annotations

import hashlib
import secrets
import threading
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage import FootageRejected, StorageFull, probe
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.engine.recording import CameraSource, Gap
from jikimi.engine.recording.camera import CameraRecorder
from jikimi.inventory.models import Device
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import RecordingOutage, Segment
from jikimi.vault.recording import VaultSink
from jikimi.vault.staff_messages import _REJECTED, recording_reason, rejected_file
from jikimi.vault.tests.conftest import ACTOR, new_device, stored_objects, traffic_group

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

ENGLISH = ("FFmpeg", "Errno", "not a video", "truncated", "cannot", "rtsp://", "/tmp", "bytes")  # noqa: S108
T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
RECORDER = Actor.command("record")


def _english_left(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def test_the_upload_page_says_in_korean_why_a_file_is_not_video(
    client: Any, people: dict[str, Any], seoul_morning: None
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    response = client.post(
        reverse("vault:upload", args=[device.pk]),
        {"file": SimpleUploadedFile("메모.mp4", b"not a video at all " * 50), "start": "2026-11-23T09:00"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "&#x27;메모.mp4&#x27;: 영상 파일이 아니거나 읽을 수 없는 파일입니다" in page
    assert _english_left(page.split("<main", 1)[1]) == []
    assert stored_objects() == [] and not Segment.objects.exists()


def test_the_command_says_it_in_korean_too(tmp_path: Path, seoul_morning: None) -> None:
    device = new_device()
    text = tmp_path / "memo.mp4"
    text.write_bytes(b"not a video at all " * 50)
    with pytest.raises(CommandError) as refused:
        call_command(
            "ingest_file",
            "--device",
            str(device.pk),
            "--start",
            "2026-11-23T09:00",
            str(text),
            stdout=StringIO(),
        )
    assert "영상 파일이 아니거나 읽을 수 없는 파일입니다" in str(refused.value)
    assert "FFmpeg" not in str(refused.value) and "Errno" not in str(refused.value)


def _rejection(path: Path) -> FootageRejected:
    with pytest.raises(FootageRejected) as refused:
        probe(path)
    return refused.value


def test_each_real_refusal_of_the_engine_reads_in_korean_with_the_name(tmp_path: Path, clip: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    text = tmp_path / "text.mp4"
    text.write_bytes(b"hello " * 200)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])
    for path in (empty, text, cut, tmp_path / "gone.mp4"):
        error = _rejection(path)
        said = rejected_file(error, "현장.mp4")
        assert error.code in _REJECTED, error
        assert said.startswith("'현장.mp4': ") and _english_left(said) == [], said


@pytest.mark.parametrize("code", sorted(_REJECTED))
def test_every_code_reads_without_placeholders(code: str) -> None:
    facts = {"size": 9 << 30, "limit": 8 << 30, "format": "tty", "codec": "mjpeg", "frames": 12}
    facts |= {"declared": 40, "seconds": 3.5, "corrupt": 2}
    said = rejected_file(FootageRejected("/srv/x: whatever", code=code, facts=facts), "a.mp4")
    assert "{" not in said and "}" not in said and _english_left(said) == [], said


def _connection_failure() -> str:
    """The engine's own reason when a camera refuses the connection (port 9 on loopback: nothing there)."""
    source = CameraSource(camera="dev-1", url="rtsp://admin:s3cret@127.0.0.1:9/stream1", read_timeout=2.0)
    recorder = CameraRecorder(source, sink=None)  # type: ignore[arg-type]
    return recorder._record_connection(threading.Event())


def test_a_camera_that_cannot_be_reached_is_said_in_korean_without_its_address() -> None:
    engine_says = _connection_failure()
    assert engine_says.startswith("cannot connect to rtsp://127.0.0.1:9/")  # what used to reach the page
    said = recording_reason(engine_says)
    assert said.startswith("카메라에 연결할 수 없음")
    assert "127.0.0.1" not in said and "s3cret" not in said and "admin" not in said
    assert recording_reason(f"{engine_says}; recorder stopped").endswith("— 녹화기 중지")
    assert recording_reason("rtsp://127.0.0.1:9/stream1 dropped: End of file") == "카메라 영상 수신이 끊김"
    assert recording_reason("the recorder failed: RuntimeError: boom").startswith("녹화기 오류")
    assert recording_reason("저장 공간 부족") == "저장 공간 부족"


def test_an_outage_is_stored_in_korean_and_the_audit_entry_keeps_the_engines_words(
    client: Any, people: dict[str, Any]
) -> None:
    device = add_device(
        ACTOR, traffic_group(), "정문 1번", source_url="rtsp://admin:s3cret@127.0.0.1:9/stream1"
    )
    engine_says = _connection_failure()
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        VaultSink(RECORDER).on_gap(Gap(device.storage_name, T0, T0 + timedelta(minutes=5), engine_says))
        [outage] = RecordingOutage.objects.filter(device=device)
        assert outage.reason.startswith("카메라에 연결할 수 없음")
        entry = AuditEntry.objects.filter(action="vault.recording_gap").latest("sequence")
        assert entry.details["detail"] == engine_says and "s3cret" not in entry.details["detail"]
        log_in(client, people["alice"])
        page = client.get(
            reverse("vault:coverage"),
            {"device": device.pk, "start": "2026-11-23T08:55", "end": "2026-11-23T09:10"},
        ).content.decode()
    assert "카메라에 연결할 수 없음" in page
    assert "rtsp://" not in page and "127.0.0.1:9" not in page and "cannot connect" not in page


def test_a_full_store_warns_without_the_stores_path(settings: Any, tmp_path: Path) -> None:
    settings.STORAGE_URL = f"file://{tmp_path / 'full'}?reserve=1000000TiB"
    device = add_device(ACTOR, traffic_group(), "정문 1번", source_url="rtsp://127.0.0.1:9/cam1")
    data = secrets.token_bytes(100)
    segment = EngineSegment(
        0, T0, T0 + timedelta(seconds=60), data, hashlib.sha256(data).hexdigest(), 1, False
    )
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False), pytest.raises(StorageFull):
        VaultSink(RECORDER).on_segment(device.storage_name, segment)
    device = Device.objects.get(pk=device.pk)
    assert "저장 공간이 가득 차" in device.health_warning and str(tmp_path) not in device.health_warning
    [outage] = RecordingOutage.objects.filter(device=device)
    assert outage.reason == "저장 공간 부족"


def test_a_hold_the_store_cannot_copy_is_refused_without_the_stores_words(
    client: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from jikimi.engine.footage import StorageError
    from jikimi.vault.actions import holds
    from jikimi.vault.models import LegalHold
    from jikimi.vault.tests.conftest import synthetic_segment

    device = new_device()
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        synthetic_segment(device, T0)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise StorageError("/srv/footage/holds/ab12: cannot store days/dev-1/x.seg ([Errno 5] I/O error)")

    monkeypatch.setattr(holds, "hold_segment", broken)
    with time_machine.travel(T0 + timedelta(hours=4), tick=False):
        log_in(client, people["alice"])
        response = client.post(
            reverse("vault:hold_new", args=[device.pk]),
            {
                "start": "2026-11-23T09:00",
                "end": "2026-11-23T09:01",
                "basis": "정보주체 열람청구",
                "requester": "홍길동",
                "ends_on": "2026-12-31",
            },
        )
    page = response.content.decode()
    assert response.status_code == 200 and "분리 보관을 설정하지 못했습니다" in page
    assert "/srv/footage" not in page and "Errno" not in page and "days/dev-1" not in page
    assert not LegalHold.objects.exists()


def test_a_damage_alert_names_the_footage_by_its_time_not_its_stored_object() -> None:
    from jikimi.vault.actions.damage import record_damage
    from jikimi.vault.models import VaultAlert
    from jikimi.vault.tests.conftest import synthetic_segment

    device = new_device()
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        segment = synthetic_segment(device, T0)
        record_damage(ACTOR, segment, f"저장 파일 {segment.object_name}이(가) 없습니다")
    alert = VaultAlert.objects.get(kind=VaultAlert.Kind.FOOTAGE_DAMAGED)
    assert "2026-11-23 09:00:00 ~ 09:01:00" in alert.message
    assert segment.object_name not in alert.message and "days/" not in alert.message
    segment.refresh_from_db()
    assert segment.object_name in segment.damage  # the detail is kept with the segment and in the audit entry


def test_an_outage_written_in_english_before_the_upgrade_reads_in_korean(
    client: Any, people: dict[str, Any]
) -> None:
    device = add_device(ACTOR, traffic_group(), "정문 1번", source_url="rtsp://127.0.0.1:9/cam1")
    RecordingOutage.objects.create(
        device=device,
        start=T0,
        end=T0 + timedelta(minutes=5),
        reason="cannot connect to rtsp://127.0.0.1:9/cam1: Connection refused; recorder stopped",
    )
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        log_in(client, people["alice"])
        query = {"device": device.pk, "start": "2026-11-23T08:55", "end": "2026-11-23T09:10"}
        page = client.get(reverse("vault:coverage"), query).content.decode()
        api = client.get("/api/vault/coverage", query)
    assert "카메라에 연결할 수 없음" in page and "rtsp://" not in page
    assert api.status_code == 200, api.content
    [answer] = api.json()["devices"]
    assert [o["reason"] for o in answer["outages"]] == [
        "카메라에 연결할 수 없음 (카메라 전원·네트워크·계정 설정을 확인하세요) — 녹화기 중지"
    ]
