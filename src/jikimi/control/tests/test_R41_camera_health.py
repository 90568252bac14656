"""Camera health (오산시 지침 제27조, 제31조④): a camera that fails opens a maintenance ticket, mailed to the
maintenance contact, and closes it when it records again, with the outage the recorder wrote; a
recorder that stops does the same. Driven through the recorder's own sink (vault.recording.VaultSink)
and liveness actions, so the outage records are the real ones."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control import health_queries
from jikimi.control.actions.health import (
    AUTO_REPAIR,
    TicketError,
    check_health,
    record_inspection,
    record_repair,
)
from jikimi.control.inspection_export import inspection_xlsx
from jikimi.control.models import InspectionCheck, MaintenanceTicket
from jikimi.control.tests.conftest import Room
from jikimi.engine.recording import CameraState, CameraStatus, Gap
from jikimi.inventory.models import Device
from jikimi.vault.actions.liveness import beat, start_recorder
from jikimi.vault.models import RecordingOutage
from jikimi.vault.recording import VaultSink
from jikimi.vault.tests.conftest import synthetic_segment

pytestmark = [pytest.mark.django_db]
SYSTEM = Actor.system("camera-health")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


T0 = kst("2026-11-23T09:00:00")


def _state(room: Room) -> str:
    [row] = [r for r in health_queries.camera_rows(Device.objects.filter(pk=room.camera.pk))]
    return row.state


def test_a_camera_that_fails_and_recovers_opens_then_closes_its_ticket(
    room: Room, settings: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.JIKIMI_MAINTENANCE_EMAILS = ["cctv@maint.example.kr"]
    sink = VaultSink(SYSTEM)
    name = room.camera.storage_name
    with time_machine.travel(T0, tick=False):
        sink.on_state(CameraStatus(name, CameraState.RECORDING, T0))
        synthetic_segment(room.camera, T0 - timedelta(seconds=60))
        assert _state(room) == health_queries.UP
    with time_machine.travel(T0 + timedelta(seconds=10), tick=False):
        sink.on_state(CameraStatus(name, CameraState.RECONNECTING, T0, "connection refused", attempt=1))
        assert _state(room) == health_queries.RECONNECTING
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert check_health(SYSTEM) == (0, 0)  # a short drop is no fault (JIKIMI_CAMERA_FAULT_SECONDS)
    with (
        time_machine.travel(T0 + timedelta(minutes=6), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert check_health(SYSTEM) == (1, 0)
        assert check_health(SYSTEM) == (0, 0)  # one ticket per fault
    ticket = MaintenanceTicket.objects.get()
    assert ticket.fault == MaintenanceTicket.Fault.CAMERA_DOWN and ticket.device == room.camera
    assert ticket.fault_since == T0 + timedelta(seconds=10) and ticket.open
    assert ticket.mailed_to == ["cctv@maint.example.kr"]
    [mail] = mailoutbox
    assert mail.to == ["cctv@maint.example.kr"] and "정문 1번" in mail.subject
    [row] = health_queries.camera_rows(Device.objects.filter(pk=room.camera.pk))
    assert row.ticket == ticket

    # The camera is back: the recorder writes the gap, then says it records (as engine.recording does).
    back = T0 + timedelta(minutes=8)
    with time_machine.travel(back, tick=False):
        sink.on_gap(Gap(name, T0 + timedelta(seconds=10), back, "rtsp dropped: End of file"))
        sink.on_state(CameraStatus(name, CameraState.RECORDING, back))
        synthetic_segment(room.camera, back)
        assert check_health(SYSTEM) == (0, 1)
    ticket.refresh_from_db()
    outage = RecordingOutage.objects.get(device=room.camera)
    assert not ticket.open and ticket.recovered_at == back and ticket.outage == outage
    assert ticket.repair == AUTO_REPAIR
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="control.")] == [
        "control.open_ticket",
        "control.close_ticket",
    ]

    # The maintenance contractor records what he repaired, once.
    with time_machine.travel(back + timedelta(hours=1), tick=False):
        record_repair(
            Actor(room.officer, "김앨리스", "10.0.0.5"),
            ticket,
            repair="PoE 포트 교체",
            repaired_by="영창티엠에스",
        )
        with pytest.raises(TicketError, match="이미"):
            record_repair(
                Actor(room.officer, "김앨리스", "10.0.0.5"), ticket, repair="다시", repaired_by="누구"
            )
    ticket.refresh_from_db()
    assert ticket.repair == "PoE 포트 교체" and ticket.closed_at == back  # closed when it recovered

    # The 정상작동 점검 기록 (제31조④) of the day: the outage, the ticket, a manual check.
    with time_machine.travel(back + timedelta(hours=2), tick=False):
        record_inspection(
            Actor(room.officer, "김앨리스", "10.0.0.5"),
            room.camera.device_group.institution,
            device=room.camera,
            checked_on=date(2026, 11, 23),
            items="화각, 초점, 음성 꺼짐",
            result=InspectionCheck.Result.NORMAL,
        )
    log = health_queries.inspection_log(room.officer, date(2026, 11, 1), date(2026, 11, 30))
    [line] = [r for r in log.rows if r.device == room.camera]
    assert (line.outages, line.outage_seconds, line.result) == (1, 470, "장애 후 복구")
    assert line.tickets == [ticket] and len(line.checks) == 1
    data, rows = inspection_xlsx(log, heading="2026-11")
    sheet = load_workbook(BytesIO(data)).active
    assert rows == 1 and sheet["C4"].value == "정문 1번" and sheet["D4"].value == 1
    assert "PoE 포트 교체" in sheet["F4"].value and "화각" in sheet["G4"].value


def test_no_footage_while_it_claims_to_record(room: Room) -> None:
    with time_machine.travel(T0, tick=False):
        VaultSink(SYSTEM).on_state(CameraStatus(room.camera.storage_name, CameraState.RECORDING, T0))
        synthetic_segment(room.camera, T0)
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        [row] = health_queries.camera_rows(Device.objects.filter(pk=room.camera.pk))
    assert row.state == health_queries.NO_FOOTAGE and row.label == "영상 없음 540초"


def test_audio_from_the_source_is_shown(room: Room) -> None:
    with time_machine.travel(T0, tick=False):
        VaultSink(SYSTEM).on_state(
            CameraStatus(room.camera.storage_name, CameraState.RECORDING, T0, had_audio=True)
        )
        [row] = health_queries.camera_rows(Device.objects.filter(pk=room.camera.pk))
    assert row.audio  # 법 제25조⑤ (R13)


def test_a_recorder_that_stops_opens_a_ticket_closed_when_another_takes_over(
    room: Room, settings: Any
) -> None:
    settings.JIKIMI_RECORDER_STALE_SECONDS = 30
    with time_machine.travel(T0, tick=False):
        heartbeat = start_recorder(Actor.command("record"))
        beat(Actor.command("record"), heartbeat, [room.camera.pk])
        VaultSink(SYSTEM).on_state(CameraStatus(room.camera.storage_name, CameraState.RECORDING, T0))
        [recorder] = health_queries.recorder_rows(Device.objects.all())
        assert recorder.state == "live" and recorder.devices == [room.camera]
    with time_machine.travel(T0 + timedelta(minutes=2), tick=False):
        assert check_health(SYSTEM) == (1, 0)
        assert _state(room) == health_queries.DOWN
    ticket = MaintenanceTicket.objects.get()
    assert ticket.fault == MaintenanceTicket.Fault.RECORDER_DOWN and ticket.recorder == heartbeat.name
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        start_recorder(Actor.command("record"))  # writes the dead interval as the camera's outage
        assert check_health(SYSTEM) == (0, 1)
    ticket.refresh_from_db()
    assert not ticket.open and ticket.outage is not None
    assert ticket.outage.cause == RecordingOutage.Cause.RECORDER and ticket.outage.device == room.camera


def test_tickets_are_read_within_scope(room: Room) -> None:
    with time_machine.travel(T0, tick=False):
        VaultSink(SYSTEM).on_state(
            CameraStatus(room.camera.storage_name, CameraState.FAILED, T0, "connection refused")
        )
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        check_health(SYSTEM)
    assert list(health_queries.visible_tickets(room.operator)) == [MaintenanceTicket.objects.get()]
    assert list(health_queries.visible_tickets(room.other_operator)) == []


def test_the_check_runs_every_minute_in_the_task_queue(room: Room) -> None:
    from huey.contrib.djhuey import HUEY

    from jikimi.control.tasks import check_health_every_minute

    assert check_health_every_minute.task_class in HUEY._registry._periodic_tasks
    with time_machine.travel(T0, tick=False):
        VaultSink(SYSTEM).on_state(CameraStatus(room.camera.storage_name, CameraState.FAILED, T0, "refused"))
    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        assert check_health_every_minute.call_local() == (1, 0)
