"""Files are probed first, stored encrypted without audio, and indexed with their audit entry (R13, R41)."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import av
import pytest
from django.core.management import CommandError, call_command

from jikimi.audit.models import AuditEntry
from jikimi.engine.footage import EnvelopeReader
from jikimi.vault import keyring
from jikimi.vault.models import DayKey, Segment
from jikimi.vault.tests.conftest import new_device, stored_objects, traffic_group

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

START = "2026-11-23T09:00:00+09:00"


def test_a_file_is_stored_in_encrypted_segments_without_audio(clip: Path, seoul_morning: None) -> None:
    device = new_device()
    out = StringIO()
    call_command("ingest_file", "--device", str(device.pk), "--start", START, str(clip), stdout=out)
    segments = list(Segment.objects.order_by("start"))
    assert len(segments) == 1 and "음성은 제거" in out.getvalue()
    assert sorted(s.object_name for s in segments) == stored_objects()
    assert segments[0].start.isoformat() == "2026-11-23T00:00:00+00:00"
    store, master = keyring.footage_store(), keyring.master_key()
    key = DayKey.objects.get()
    plain = EnvelopeReader(
        store.get(segments[0].object_name), master.unwrap(bytes(key.wrapped_key), key.key_id)
    ).read()
    with av.open(io.BytesIO(plain)) as container:
        assert [s.type for s in container.streams] == ["video"]  # 법 제25조⑤
    assert plain[:64] not in store.get(segments[0].object_name)


def test_audio_in_the_source_raises_a_health_warning_on_the_device(clip: Path, seoul_morning: None) -> None:
    device = new_device()
    call_command("ingest_file", "--device", str(device.pk), "--start", START, str(clip), stdout=StringIO())
    device.refresh_from_db()
    assert "음성" in device.health_warning and "R13" in device.health_warning
    entry = AuditEntry.objects.get(action="vault.ingest_file")
    assert entry.details["audio_dropped"] is True and entry.details["segments"] == Segment.objects.count()


def test_a_file_that_is_not_video_is_refused_and_nothing_is_stored(
    tmp_path: Path, seoul_morning: None
) -> None:
    device = new_device()
    bogus = tmp_path / "notes.mp4"
    bogus.write_text("이것은 영상이 아닙니다\n" * 100)
    with pytest.raises(CommandError, match="저장된 것 없음"):
        call_command("ingest_file", "--device", str(device.pk), "--start", START, str(bogus))
    assert stored_objects() == [] and not Segment.objects.exists() and not DayKey.objects.exists()
    assert not AuditEntry.objects.filter(action="vault.ingest_file").exists()


def test_a_truncated_file_is_refused_and_nothing_is_stored(
    clip: Path, tmp_path: Path, seoul_morning: None
) -> None:
    device = new_device()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(clip.read_bytes()[: clip.stat().st_size // 2])
    with pytest.raises(CommandError, match="저장된 것 없음"):
        call_command("ingest_file", "--device", str(device.pk), "--start", START, str(cut))
    assert stored_objects() == [] and not Segment.objects.exists()


def test_a_group_that_keeps_nothing_refuses_footage(clip: Path, seoul_morning: None) -> None:
    device = new_device(traffic_group(retention="미보유"))
    with pytest.raises(CommandError, match="미보유"):
        call_command("ingest_file", "--device", str(device.pk), "--start", START, str(clip))
    assert stored_objects() == []  # R15


def test_footage_already_past_its_retention_is_refused(clip: Path, seoul_morning: None) -> None:
    device = new_device(traffic_group(retention="1일"))
    with pytest.raises(CommandError, match="보관기간"):
        call_command(
            "ingest_file", "--device", str(device.pk), "--start", "2020-01-01T09:00:00+09:00", str(clip)
        )
    assert stored_objects() == [] and not Segment.objects.exists()


def test_a_bad_start_time_or_device_is_refused_with_a_clear_error(clip: Path) -> None:
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("ingest_file", "--device", "1", "--start", "어제", str(clip))
    with pytest.raises(CommandError, match="기기 999"):
        call_command("ingest_file", "--device", "999", "--start", START, str(clip))


def test_when_indexing_fails_the_stored_objects_are_removed(
    clip: Path, monkeypatch: pytest.MonkeyPatch, seoul_morning: None
) -> None:
    device = new_device()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("디스크 오류 흉내")

    monkeypatch.setattr("jikimi.vault.actions.ingest.record", refuse)
    with pytest.raises(RuntimeError):
        call_command("ingest_file", "--device", str(device.pk), "--start", START, str(clip))
    assert stored_objects() == [] and not Segment.objects.exists()
