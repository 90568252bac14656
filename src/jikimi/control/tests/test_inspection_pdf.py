"""The 정상작동 점검 기록 (오산시 지침 제31조④) as a PDF beside the XLSX: the same lines, the Korean font
embedded, the download audited (R40), within the reader's scope (R36)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.health import check_health
from jikimi.control.tests.conftest import Room
from jikimi.engine.recording import CameraState, CameraStatus
from jikimi.publishing.tests.pdf_reading import pdf_fonts, pdf_text, squeeze
from jikimi.vault.recording import VaultSink

pytestmark = [pytest.mark.django_db]
SYSTEM = Actor.system("camera-health")
T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
PERIOD = {"date_from": "2026-11-01", "date_to": "2026-11-30"}


def test_the_inspection_log_as_a_pdf(room: Room) -> None:
    with time_machine.travel(T0, tick=False):
        VaultSink(SYSTEM).on_state(CameraStatus(room.camera.storage_name, CameraState.FAILED, T0, "refused"))
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        check_health(SYSTEM)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        client = Client()
        log_in(client, room.officer)
        response = client.get(reverse("control:inspections_pdf"), PERIOD)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="inspections-20261101-20261130.pdf"'
        page = client.get(reverse("control:inspections"), PERIOD).content.decode()
        assert "PDF 내려받기" in page
    fonts = pdf_fonts(response.content)
    assert fonts and all(font["emb"] == "yes" for font in fonts)
    text = squeeze(pdf_text(response.content))
    for fact in (
        "영상정보처리기기정상작동점검기록",
        "점검기간2026-11-01~2026-11-30",
        "정문1번",
        "처리중",
        "이상",
    ):
        assert fact in text, fact
    assert "본관1번" not in text  # 총무과's camera is outside the officer's scope (R36)
    entry = AuditEntry.objects.get(action="control.export_inspections")
    assert entry.details["format"] == "pdf" and entry.details["rows"] == 1
