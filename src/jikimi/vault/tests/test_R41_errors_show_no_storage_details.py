"""R41 (stored files are protected): what a person is told about damaged or refused footage names the
footage by its time, never the store, an object name, a key id or a path on the server. The 409 for
a segment that fails its integrity check used to print the segment's object name and the engine's
message; the upload page printed the engine's message, which names the store."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.engine.footage import FootageError
from jikimi.vault.keyring import FootageRefused
from jikimi.vault.models import DayKey, Segment, Viewing
from jikimi.vault.playback import segment_init
from jikimi.vault.tests.conftest import new_device

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
WINDOW = {"start": "2026-11-23T08:59", "end": "2026-11-23T09:10"}


@pytest.fixture
def device(silent_clip: Path, seoul_morning: None) -> Any:
    device = new_device()
    call_command(
        "ingest_file",
        "--device",
        str(device.pk),
        "--start",
        "2026-11-23T09:00:00+09:00",
        str(silent_clip),
        stdout=StringIO(),
    )
    return device


def _internals(segment: Segment, vault_storage: Path) -> list[str]:
    return [
        segment.object_name,
        segment.object_name.rsplit("/", 1)[-1],
        str(vault_storage),
        "days/",
        segment.day_key.key_id,
        "Traceback",
    ]


def _play(client: Any, people: dict[str, Any], device: Any) -> tuple[Viewing, Segment]:
    log_in(client, people["alice"])
    client.post(reverse("vault:playback_new", args=[device.pk]), {**WINDOW, "purpose": "교통사고 경위 확인"})
    return Viewing.objects.get(), Segment.objects.get()


@pytest.mark.parametrize("damage", ["flipped byte", "file gone", "wrapped key altered"])
def test_a_damaged_segment_answers_409_naming_its_time_not_its_storage(
    client: Any, people: dict[str, Any], device: Any, vault_storage: Path, damage: str
) -> None:
    segment = Segment.objects.get()
    path = vault_storage / segment.object_name
    if damage == "flipped byte":
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    elif damage == "file gone":
        path.unlink()
    else:
        wrapped = bytearray(segment.day_key.wrapped_key)
        wrapped[-1] ^= 0x01
        DayKey.objects.filter(pk=segment.day_key.pk).update(wrapped_key=bytes(wrapped))
    viewing, segment = _play(client, people, device)
    for name in ("vault:viewing_init", "vault:viewing_media"):
        response = client.get(reverse(name, args=[viewing.pk, segment.pk]))
        text = response.content.decode()
        assert response.status_code == 409, text
        assert "변조" in text and "2026-11-23 09:00:00" in text
        for internal in _internals(segment, vault_storage):
            assert internal not in text, internal


def test_a_key_destroyed_while_playing_is_said_without_its_key_id(device: Any) -> None:
    """A viewing lists only footage whose key lives; one destroyed in between is refused by its time."""
    segment = Segment.objects.select_related("day_key").get()
    key_id = segment.day_key.key_id
    DayKey.objects.filter(pk=segment.day_key.pk).update(wrapped_key=None)
    segment.day_key.refresh_from_db()
    with pytest.raises(FootageRefused) as refused:
        segment_init(segment)
    assert "파기" in str(refused.value) and "2026-11-23 09:00:00" in str(refused.value)
    assert key_id not in str(refused.value)


def test_an_upload_the_store_cannot_take_is_refused_without_the_engines_words(
    client: Any,
    people: dict[str, Any],
    silent_clip: Path,
    seoul_morning: None,
    vault_storage: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from jikimi.vault import views

    secret_path = f"{vault_storage}/days/1/2026-11-23/x.seg"

    def failing_ingest(*args: Any, **kwargs: Any) -> Any:
        raise FootageError(f"[Errno 28] No space left on device: '{secret_path}'")

    monkeypatch.setattr(views, "ingest", failing_ingest)
    device = new_device()
    log_in(client, people["alice"])
    response = client.post(
        reverse("vault:upload", args=[device.pk]),
        {"file": SimpleUploadedFile("nvr.mp4", silent_clip.read_bytes()), "start": "2026-11-23T09:00"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "저장하지 못했습니다" in text and "nvr.mp4" in text
    assert secret_path not in text and str(vault_storage) not in text and "Errno" not in text
