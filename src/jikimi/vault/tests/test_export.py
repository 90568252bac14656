"""Exporting a window of footage as one MP4 (for masking and release, R25/R49): decrypted, remuxed
without re-encoding, cut at keyframes, held copies included (R18), and audited with reason and case."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import av
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.export import ExportRefused, export_window
from jikimi.vault.models import Segment
from jikimi.vault.playback import FootageDamaged
from jikimi.vault.tests.conftest import CLOCK_CONFIRMED, new_device, traffic_group

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
ACTOR = Actor(user=None, label="시험 담당자", client_address="127.0.0.1")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _ingest(device: Any, clip: Path, start: str) -> None:
    call_command(
        "ingest_file", "--device", str(device.pk), "--start", f"{start}+09:00", str(clip), stdout=StringIO()
    )


@pytest.fixture
def device(silent_clip: Path, seoul_morning: None) -> Any:
    """Two 4-second recordings of 10 fps, 09:00:00–04 and 09:00:10–14, with a 6-second gap between."""
    device = new_device()
    _ingest(device, silent_clip, "2026-11-23T09:00:00")
    _ingest(device, silent_clip, "2026-11-23T09:00:10")
    return device


def _frames(path: Path) -> tuple[list[str], int]:
    with av.open(str(path)) as container:
        kinds: list[str] = [s.type for s in container.streams]
        return kinds, sum(1 for _ in container.decode(video=0))


def _export(device: Any, tmp_path: Path, start: str, end: str, **kwargs: Any) -> Any:
    return export_window(
        ACTOR,
        device,
        kst(start),
        kst(end),
        tmp_path / "out" / "window.mp4",
        reason=kwargs.pop("reason", "열람 청구 사본 마스킹"),
        case_reference=kwargs.pop("case_reference", "2026-0001"),
    )


def test_the_window_is_one_mp4_of_the_stored_frames_with_its_gaps_and_an_audit_entry(
    device: Any, tmp_path: Path
) -> None:
    exported = _export(device, tmp_path, "2026-11-23T08:59:00", "2026-11-23T09:01:00")
    assert exported.path.is_file() and len(exported.sha256) == 64
    assert exported.segments == Segment.objects.filter(device=device).count() == 2
    kinds, frames = _frames(exported.path)
    assert kinds == ["video"] and frames == 80  # every frame of both recordings, nothing re-encoded away
    assert exported.seconds == pytest.approx(8.0, abs=0.2)
    assert exported.gaps == (
        (kst("2026-11-23T08:59:00"), kst("2026-11-23T09:00:00")),
        (kst("2026-11-23T09:00:04"), kst("2026-11-23T09:00:10")),
        (kst("2026-11-23T09:00:14"), kst("2026-11-23T09:01:00")),
    )
    entry = AuditEntry.objects.get(action="vault.export_footage")
    assert (entry.reason, entry.target_id) == ("열람 청구 사본 마스킹", str(device.pk))
    assert entry.details["case_reference"] == "2026-0001" and entry.details["sha256"] == exported.sha256


def test_a_segment_straddling_an_edge_is_cut_at_keyframes(device: Any, tmp_path: Path) -> None:
    # Keyframes every second: from 09:00:01.5 the copy starts at the 1 s keyframe, and stops before 3 s.
    exported = _export(device, tmp_path, "2026-11-23T09:00:01.500", "2026-11-23T09:00:03")
    assert _frames(exported.path) == (["video"], 20)
    assert exported.segments == 1


def test_bad_input_and_an_empty_window_export_nothing_and_record_nothing(device: Any, tmp_path: Path) -> None:
    cases = [
        ({"reason": "확인"}, "2026-11-23T09:00:00", "2026-11-23T09:01:00", "반출 사유"),
        ({"case_reference": " "}, "2026-11-23T09:00:00", "2026-11-23T09:01:00", "반출 근거"),
        ({}, "2026-11-23T09:01:00", "2026-11-23T09:00:00", "끝이 시작보다"),
        ({}, "2026-11-23T09:00:00", "2026-11-24T09:01:00", "24시간"),
        ({}, "2026-11-23T10:00:00", "2026-11-23T11:00:00", "영상이 없습니다"),
    ]
    for kwargs, start, end, words in cases:
        with pytest.raises(ExportRefused, match=words):
            _export(device, tmp_path, start, end, **kwargs)
    assert not (tmp_path / "out" / "window.mp4").exists()
    assert not AuditEntry.objects.filter(action="vault.export_footage").exists()


def test_altered_ciphertext_is_never_exported(device: Any, tmp_path: Path, vault_storage: Path) -> None:
    segment = Segment.objects.filter(device=device).order_by("start").first()
    assert segment is not None
    stored = next(p for p in vault_storage.rglob("*") if p.is_file() and p.name in segment.object_name)
    data = bytearray(stored.read_bytes())
    data[-40] ^= 0xFF
    stored.write_bytes(bytes(data))
    with pytest.raises(FootageDamaged):
        _export(device, tmp_path, "2026-11-23T09:00:00", "2026-11-23T09:01:00")
    assert not (tmp_path / "out" / "window.mp4").exists()
    assert not AuditEntry.objects.filter(action="vault.export_footage").exists()


def test_held_copies_are_exported_after_the_day_key_is_destroyed(silent_clip: Path, tmp_path: Path) -> None:
    with time_machine.travel(kst("2026-11-23T12:00:00"), tick=True):
        device = new_device(traffic_group(retention="1일"))
        _ingest(device, silent_clip, "2026-11-23T09:00:00")
        place_hold(
            ACTOR,
            device,
            kst("2026-11-23T08:00:00"),
            kst("2026-11-23T10:00:00"),
            basis="열람 청구 제2026-0001호",
            requester="청구인",
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    with time_machine.travel(kst("2026-11-25T03:00:00"), tick=True):
        report = enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
        assert report.destroyed
        exported = _export(device, tmp_path, "2026-11-23T09:00:00", "2026-11-23T09:01:00")
    assert _frames(exported.path) == (["video"], 40)
