"""The upload page stores a file for a device in the officer's scope, and refuses bad files clearly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.vault.models import Segment
from jikimi.vault.tests.conftest import new_device, stored_objects

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]


def _post(client: Any, device: Any, name: str, data: bytes) -> Any:
    return client.post(
        reverse("vault:upload", args=[device.pk]),
        {"file": SimpleUploadedFile(name, data), "start": "2026-11-23T09:00"},
    )


def test_an_officer_uploads_a_file_and_it_is_indexed(
    client: Any, people: dict[str, Any], silent_clip: Path, seoul_morning: None
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    response = _post(client, device, "nvr-export.mp4", silent_clip.read_bytes())
    assert response.status_code == 302
    segment = Segment.objects.get()
    assert segment.start.isoformat() == "2026-11-23T00:00:00+00:00"  # 09:00 KST entered
    assert not segment.had_audio


def test_a_file_that_is_not_video_is_refused_by_name_and_nothing_is_stored(
    client: Any, people: dict[str, Any], seoul_morning: None
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    response = _post(client, device, "메모.mp4", b"not a video at all " * 50)
    page = response.content.decode()
    assert response.status_code == 200 and "저장된 것 없음" in page and "메모.mp4" in page
    assert stored_objects() == [] and not Segment.objects.exists()


def test_an_officer_of_another_department_may_not_upload(
    client: Any, people: dict[str, Any], silent_clip: Path, seoul_morning: None
) -> None:
    device = new_device()
    log_in(client, people["charlie"])
    assert _post(client, device, "x.mp4", silent_clip.read_bytes()).status_code == 403
    assert stored_objects() == []
