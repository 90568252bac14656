"""R41: one minute, one footage — a file overlapping stored footage is refused, never merged.

Found: ingesting the same clip twice, or an overlapping one, was accepted, and a viewing then played
three versions of the same minute. Now the overlap is refused — by the action, the command and the
page — naming the device, the stored segment's times and the file, and nothing of the file is kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.vault.actions.ingest import FootageOverlaps, ingest
from jikimi.vault.models import Segment
from jikimi.vault.tests.conftest import ACTOR, new_device, stored_objects, synthetic_segment

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")


def test_R41_the_same_clip_twice_is_refused_naming_device_times_and_file(
    silent_clip: Path, seoul_morning: None
) -> None:
    device = new_device()
    ingest(ACTOR, device, silent_clip, T0, source_label="nvr-0900.mp4")
    stored, indexed = stored_objects(), list(Segment.objects.values_list("pk", flat=True))
    with pytest.raises(FootageOverlaps) as refused:
        ingest(ACTOR, device, silent_clip, T0, source_label="nvr-0900-again.mp4")
    message = str(refused.value)
    assert "정문 1번" in message and "nvr-0900-again.mp4" in message
    assert "2026-11-23 09:00:00 ~ 09:00:0" in message  # the stored segment's times (KST)
    # Nothing of the refused file is kept: no object, no index row.
    assert stored_objects() == stored and list(Segment.objects.values_list("pk", flat=True)) == indexed


def test_R41_a_clip_overlapping_by_seconds_is_refused_and_one_next_to_it_is_stored(
    silent_clip: Path, seoul_morning: None
) -> None:
    device = new_device()
    first = ingest(ACTOR, device, silent_clip, T0)
    assert first.end is not None
    with pytest.raises(FootageOverlaps):
        ingest(ACTOR, device, silent_clip, T0 + timedelta(seconds=2))
    after = ingest(ACTOR, device, silent_clip, first.end)  # touching: one recording, not two
    assert after.segments >= 1
    spans = sorted(Segment.objects.values_list("start", "end"))
    assert all(a[1] <= b[0] + timedelta(seconds=1) for a, b in zip(spans, spans[1:], strict=False))


def test_R41_a_file_over_what_the_recorder_stored_is_refused_but_the_recorders_own_segments_abut(
    silent_clip: Path, seoul_morning: None
) -> None:
    device = new_device()
    # The recorder's consecutive segments, cut at keyframes, overlap their neighbour by a frame.
    synthetic_segment(device, T0, seconds=60)
    synthetic_segment(device, T0 + timedelta(seconds=59.9), seconds=60)
    assert Segment.objects.count() == 2
    with pytest.raises(FootageOverlaps, match="정문 1번"):
        ingest(ACTOR, device, silent_clip, T0 + timedelta(seconds=30))
    # A file ending where the recorder began (within a frame) is one recording with it.
    ingest(ACTOR, device, silent_clip, T0 - timedelta(seconds=4))


def test_R41_another_device_may_have_footage_of_the_same_minute(
    silent_clip: Path, seoul_morning: None
) -> None:
    ingest(ACTOR, new_device(), silent_clip, T0)
    ingest(ACTOR, new_device(name="후문 2번"), silent_clip, T0)
    assert Segment.objects.values("device").distinct().count() == 2


def test_R41_the_command_refuses_an_overlap_with_the_reason(silent_clip: Path, seoul_morning: None) -> None:
    device = new_device()
    args = ["ingest_file", "--device", str(device.pk), "--start", "2026-11-23T09:00:00", str(silent_clip)]
    call_command(*args, stdout=StringIO())
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=StringIO())
    assert "저장된 것 없음" in str(refused.value) and "겹칩니다" in str(refused.value)
    assert silent_clip.name in str(refused.value)


def test_R41_the_upload_page_refuses_an_overlap_with_the_uploaded_files_name(
    client: Any, people: dict[str, Any], silent_clip: Path, seoul_morning: None
) -> None:
    device = new_device()
    log_in(client, people["alice"])

    def post(name: str) -> Any:
        return client.post(
            reverse("vault:upload", args=[device.pk]),
            {"file": SimpleUploadedFile(name, silent_clip.read_bytes()), "start": "2026-11-23T09:00"},
        )

    assert post("첫번째.mp4").status_code == 302
    count = Segment.objects.count()
    response = post("두번째.mp4")
    page = response.content.decode()
    assert response.status_code == 200 and "겹칩니다" in page and "두번째.mp4" in page and "정문 1번" in page
    assert Segment.objects.count() == count
