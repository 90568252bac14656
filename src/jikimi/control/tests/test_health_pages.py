"""The health pages (오산시 지침 제27조, 제31조④): the camera and recorder board, a ticket's repair, the
manual check and the XLSX export of the 정상작동 점검 기록, each within the reader's scope (R36)."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import BytesIO

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jikimi.accounts.testing import log_in, make_contract_in_force, make_user
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.health import check_health
from jikimi.control.models import InspectionCheck, MaintenanceTicket
from jikimi.control.tests.conftest import Room
from jikimi.engine.recording import CameraState, CameraStatus
from jikimi.vault.recording import VaultSink

pytestmark = [pytest.mark.django_db]
SYSTEM = Actor.system("camera-health")
T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")


def _client(user: object) -> Client:
    client = Client()
    log_in(client, user)  # type: ignore[arg-type]
    return client


def _failed(room: Room) -> MaintenanceTicket:
    with time_machine.travel(T0, tick=False):
        VaultSink(SYSTEM).on_state(CameraStatus(room.camera.storage_name, CameraState.FAILED, T0, "refused"))
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        check_health(SYSTEM)
    return MaintenanceTicket.objects.get()


def test_the_board_shows_the_failed_camera_and_its_ticket(room: Room) -> None:
    ticket = _failed(room)
    with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
        page = _client(room.operator).get(reverse("control:health"))
        assert page.status_code == 200
        text = page.content.decode()
        assert 'data-state="down"' in text and "장애 (영상 끊김)" in text
        assert reverse("control:ticket", args=[ticket.pk]) in text
        # 총무과's operator sees only his own camera, not this one
        other = _client(room.other_operator).get(reverse("control:health")).content.decode()
        assert "정문 1번" not in other and "본관 1번" in other


def test_a_repair_closes_the_ticket_and_is_audited(room: Room) -> None:
    ticket = _failed(room)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        url = reverse("control:ticket_repair", args=[ticket.pk])
        form = {"repair": "카메라 전원 어댑터 교체", "repaired_by": "영창티엠에스 김기사"}
        assert _client(room.operator).post(url, form).status_code == 403  # the operator watches, no more
        assert _client(room.officer).post(url, form).status_code == 302
    ticket.refresh_from_db()
    assert not ticket.open and ticket.repaired_by == "영창티엠에스 김기사"
    assert AuditEntry.objects.filter(action="control.close_ticket").count() == 1


def test_a_contractor_records_a_check_and_the_log_exports(room: Room) -> None:
    contractor = make_user(
        "keeper", "contractor", device_groups=[room.camera.device_group], name="영창티엠에스"
    )
    # R33: a contractor works under a contract in force; R35: while it runs an official owns the centre.
    make_user("head", "control_head", name="한센터장")
    make_contract_in_force(contractor, name="㈜영창티엠에스")
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        client = _client(contractor)
        response = client.post(
            reverse("control:inspection_add"),
            {
                "device": room.camera.pk,
                "checked_on": "2026-11-23",
                "items": "화각, 초점, 야간 화질",
                "result": "normal",
            },
        )
        assert response.status_code == 302
        assert InspectionCheck.objects.get().checked_by == contractor
        # a camera outside his contract's group is refused
        client.post(
            reverse("control:inspection_add"),
            {"device": room.other_camera.pk, "checked_on": "2026-11-23", "items": "화각", "result": "normal"},
        )
        assert InspectionCheck.objects.count() == 1
        page = client.get(
            reverse("control:inspections"), {"date_from": "2026-11-01", "date_to": "2026-11-30"}
        )
        assert "화각, 초점, 야간 화질" in page.content.decode()
        export = client.get(
            reverse("control:inspections_xlsx"), {"date_from": "2026-11-01", "date_to": "2026-11-30"}
        )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet["A1"].value == "영상정보처리기기 정상작동 점검 기록" and sheet["C4"].value == "정문 1번"
    entry = AuditEntry.objects.get(action="control.export_inspections")
    assert entry.details["rows"] == 1 and entry.details["format"] == "xlsx"
