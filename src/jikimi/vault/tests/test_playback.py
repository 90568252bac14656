"""Playback needs a stated purpose and is audited (R41); altered ciphertext is detected and never served."""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import av
import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.models import AuditEntry
from jikimi.vault.models import Segment, Viewing
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


def _open(client: Any, device: Any, purpose: str) -> Any:
    return client.post(reverse("vault:playback_new", args=[device.pk]), {**WINDOW, "purpose": purpose})


def test_a_viewing_with_a_purpose_plays_the_footage_and_is_audited(
    client: Any, people: dict[str, Any], device: Any
) -> None:
    log_in(client, people["alice"])
    response = _open(client, device, "교통사고 경위 확인")
    viewing = Viewing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("vault:viewing", args=[viewing.pk])
    entry = AuditEntry.objects.get(action="vault.view_footage")
    assert (entry.actor, entry.reason, entry.target_id) == (
        people["alice"],
        "교통사고 경위 확인",
        str(device.pk),
    )
    assert entry.client_address
    segment = Segment.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert reverse("vault:viewing_playlist", args=[viewing.pk]) in page
    init = client.get(reverse("vault:viewing_init", args=[viewing.pk, segment.pk]))
    media = client.get(reverse("vault:viewing_media", args=[viewing.pk, segment.pk]))
    assert (init.status_code, media.status_code) == (200, 200) and init["Content-Type"] == "video/mp4"
    with av.open(io.BytesIO(init.content + media.content)) as container:
        assert [s.type for s in container.streams] == ["video"]


def test_without_a_purpose_nothing_plays_and_nothing_is_recorded(
    client: Any, people: dict[str, Any], device: Any
) -> None:
    log_in(client, people["alice"])
    response = _open(client, device, " ")
    assert response.status_code == 200 and "열람 목적" in response.content.decode()
    assert (
        not Viewing.objects.exists() and not AuditEntry.objects.filter(action="vault.view_footage").exists()
    )


def test_staff_without_scope_and_other_people_get_nothing(
    client: Any, people: dict[str, Any], device: Any
) -> None:
    log_in(client, people["alice"])
    _open(client, device, "교통사고 경위 확인")
    viewing, segment = Viewing.objects.get(), Segment.objects.get()
    url = reverse("vault:viewing_media", args=[viewing.pk, segment.pk])
    for name in ("charlie", "bob", "operator", "auditor"):
        log_in(client, people[name])
        assert client.get(url).status_code == 403, name  # bob may view, but must open his own viewing
    log_in(client, people["charlie"])
    assert _open(client, device, "궁금해서 봅니다").status_code == 403


def test_a_flipped_byte_in_a_stored_segment_is_detected_and_not_served(
    client: Any, people: dict[str, Any], device: Any, vault_storage: Path
) -> None:
    segment = Segment.objects.get()
    path = vault_storage / segment.object_name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    log_in(client, people["alice"])
    _open(client, device, "교통사고 경위 확인")
    response = client.get(reverse("vault:viewing_media", args=[Viewing.objects.get().pk, segment.pk]))
    assert response.status_code == 409 and "변조" in response.content.decode()
    assert b"ftyp" not in response.content and b"moof" not in response.content
