"""Stream and recorder-node health (오산시 지침 제27조): a camera whose frame rate, bitrate or clock goes
out of bounds, and a recorder node past its CPU, backlog or store-headroom limit, show as faults on
the health page and open a maintenance ticket, closed when the figures are back. Driven through the
recorder's own sink (segments carrying the engine's StreamStats) and its heartbeat."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.control import health_queries
from jikimi.control.actions.health import AUTO_REPAIR, check_health
from jikimi.control.models import MaintenanceTicket
from jikimi.control.tests.conftest import Room
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.engine.recording import CameraState, CameraStatus, RecordedSegment, StreamStats
from jikimi.inventory.models import Device
from jikimi.vault.actions.liveness import NodeHealth, beat, start_recorder
from jikimi.vault.models import RecorderHeartbeat
from jikimi.vault.recording import VaultSink

pytestmark = [pytest.mark.django_db]
SYSTEM = Actor.system("camera-health")
T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
GB = 1024**3


def _segment(
    start: datetime, fps: float, bps: float, drift: float = 0.01, clock: float | None = None
) -> RecordedSegment:
    data = secrets.token_bytes(200)
    segment = EngineSegment(
        0, start - timedelta(seconds=60), start, data, hashlib.sha256(data).hexdigest(), 1, False
    )
    stats = StreamStats(
        measured_at=start,
        seconds=60,
        frames_per_second=fps,
        bits_per_second=bps,
        drift_seconds=drift,
        connected_seconds=3600,
        baseline_fps=15,
        baseline_bps=1_000_000,
        clock_offset_seconds=clock,
    )
    return RecordedSegment.of(segment, stats)


def _recording(room: Room) -> tuple[RecorderHeartbeat, VaultSink]:
    """A recorder node beating at T0, recording the room's camera."""
    with time_machine.travel(T0, tick=False):
        heartbeat = start_recorder(SYSTEM)
        sink = VaultSink(SYSTEM)
        sink.on_state(CameraStatus(room.camera.storage_name, CameraState.RECORDING, T0))
    return heartbeat, sink


def _record(
    room: Room,
    sink: VaultSink,
    heartbeat: RecorderHeartbeat,
    at: datetime,
    fps: float,
    bps: float,
    drift: float = 0.01,
    clock: float | None = None,
) -> None:
    with time_machine.travel(at, tick=False):
        sink.on_segment(room.camera.storage_name, _segment(at, fps, bps, drift, clock))
        beat(SYSTEM, heartbeat, [room.camera.pk], sink.health())


def _row(room: Room) -> health_queries.CameraHealth:
    [row] = health_queries.camera_rows(Device.objects.filter(pk=room.camera.pk))
    return row


def test_a_frame_rate_drop_opens_a_ticket_and_its_recovery_closes_it(
    room: Room, settings: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.JIKIMI_MAINTENANCE_EMAILS = ["cctv@maint.example.kr"]
    # The test process's own CPU and disk are no fault here: this test is about the camera's stream.
    settings.JIKIMI_STORE_HEADROOM_GB = 0
    settings.JIKIMI_RECORDER_CPU_PERCENT = 100_000
    heartbeat, sink = _recording(room)
    _record(room, sink, heartbeat, T0 + timedelta(minutes=1), fps=15, bps=1_000_000)
    with time_machine.travel(T0 + timedelta(minutes=1, seconds=2), tick=False):
        row = _row(room)
        assert row.state == health_queries.UP and row.stream is not None and not row.stream.faults
        assert check_health(SYSTEM) == (0, 0)
    _record(room, sink, heartbeat, T0 + timedelta(minutes=2), fps=4, bps=900_000)
    with (
        time_machine.travel(T0 + timedelta(minutes=2, seconds=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = _row(room)
        assert row.state == health_queries.DEGRADED and row.label == "영상 이상 (프레임률 저하)"
        assert check_health(SYSTEM) == (1, 0)
        assert check_health(SYSTEM) == (0, 0)
        client = Client()
        log_in(client, room.operator)
        page = client.get(reverse("control:health")).content.decode()
        assert 'data-state="degraded"' in page and 'id="health-alert"' in page
        assert "4.0 fps" in page and "프레임률 저하" in page
    ticket = MaintenanceTicket.objects.get()
    assert ticket.fault == MaintenanceTicket.Fault.STREAM_DEGRADED and ticket.device == room.camera
    assert "4.0 fps" in ticket.description and "평소 15.0 fps" in ticket.description
    [mail] = mailoutbox
    assert "영상 이상" in mail.subject
    _record(room, sink, heartbeat, T0 + timedelta(minutes=3), fps=15, bps=1_000_000)
    with time_machine.travel(T0 + timedelta(minutes=3, seconds=2), tick=False):
        assert check_health(SYSTEM) == (0, 1)
    ticket.refresh_from_db()
    assert not ticket.open and ticket.recovered_at is not None and ticket.repair.startswith(AUTO_REPAIR)


def test_a_drifting_clock_and_a_bitrate_collapse_are_faults(room: Room, settings: Any) -> None:
    settings.JIKIMI_STORE_HEADROOM_GB = 0
    heartbeat, sink = _recording(room)
    _record(room, sink, heartbeat, T0 + timedelta(minutes=1), fps=15, bps=100_000, drift=3.5)
    with time_machine.travel(T0 + timedelta(minutes=1, seconds=2), tick=False):
        row = _row(room)
        assert row.stream is not None and row.stream.labels == ["시계 차이", "비트레이트 저하"]
        # The figures of a recorder that stopped beating are not current: nothing is judged from them.
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        assert _row(room).stream is None


def test_a_camera_whose_own_clock_is_wrong_is_a_fault_with_a_ticket(
    room: Room, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The time a camera burns into its picture is evidence (오산시 지침 제27조): a camera whose clock is
    90 s ahead of the recorder's (its NTP sync failed; its RTCP sender reports tell it) is a fault at
    once, although its clock runs at the right rate (no drift); a ticket opens and closes when the
    camera's clock is set right. A camera that does not report its clock is no fault."""
    settings.JIKIMI_STORE_HEADROOM_GB = 0
    settings.JIKIMI_RECORDER_CPU_PERCENT = 100_000
    heartbeat, sink = _recording(room)
    _record(room, sink, heartbeat, T0 + timedelta(minutes=1), fps=15, bps=1_000_000, clock=None)
    with time_machine.travel(T0 + timedelta(minutes=1, seconds=2), tick=False):
        assert _row(room).stream is not None and not _row(room).stream.faults  # type: ignore[union-attr]
    _record(room, sink, heartbeat, T0 + timedelta(minutes=2), fps=15, bps=1_000_000, clock=1.2)
    with time_machine.travel(T0 + timedelta(minutes=2, seconds=2), tick=False):
        assert not _row(room).stream.faults  # type: ignore[union-attr]  # within 2 s
    _record(room, sink, heartbeat, T0 + timedelta(minutes=3), fps=15, bps=1_000_000, clock=90.04)
    with (
        time_machine.travel(T0 + timedelta(minutes=3, seconds=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        row = _row(room)
        assert row.stream is not None and row.stream.labels == ["카메라 시각 오차"]
        assert check_health(SYSTEM) == (1, 0)
        client = Client()
        log_in(client, room.operator)
        page = client.get(reverse("control:health")).content.decode()
        assert "카메라 시각 90.0초" in page and "카메라 시각 오차" in page
    ticket = MaintenanceTicket.objects.get()
    assert ticket.fault == MaintenanceTicket.Fault.STREAM_DEGRADED
    assert "카메라 시각 +90.0초 (녹화기 기준)" in ticket.description
    _record(room, sink, heartbeat, T0 + timedelta(minutes=4), fps=15, bps=1_000_000, clock=0.03)
    with time_machine.travel(T0 + timedelta(minutes=4, seconds=2), tick=False):
        assert check_health(SYSTEM) == (0, 1)
    settings.JIKIMI_CAMERA_CLOCK_OFFSET_SECONDS = 120  # the institution's own tolerance
    _record(room, sink, heartbeat, T0 + timedelta(minutes=5), fps=15, bps=1_000_000, clock=90.04)
    with time_machine.travel(T0 + timedelta(minutes=5, seconds=2), tick=False):
        assert not _row(room).stream.faults  # type: ignore[union-attr]


def test_a_camera_that_stops_recording_leaves_no_figures(room: Room, settings: Any) -> None:
    heartbeat, sink = _recording(room)
    _record(room, sink, heartbeat, T0 + timedelta(minutes=1), fps=15, bps=1_000_000)
    with time_machine.travel(T0 + timedelta(minutes=1, seconds=5), tick=False):
        sink.on_state(CameraStatus(room.camera.storage_name, CameraState.RECONNECTING, T0, "refused"))
        beat(SYSTEM, heartbeat, [room.camera.pk], sink.health())
    assert RecorderHeartbeat.objects.get().streams == {}


def test_a_strained_recorder_node_is_a_fault_until_its_figures_are_back(
    room: Room, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.JIKIMI_RECORDER_CPU_PERCENT = 80
    settings.JIKIMI_STORE_HEADROOM_GB = 5
    with time_machine.travel(T0, tick=False):
        heartbeat = start_recorder(SYSTEM)
        beat(SYSTEM, heartbeat, [room.camera.pk], NodeHealth(cpu_percent=95, backlog=12, store_free_bytes=GB))
        [node] = health_queries.recorder_rows(Device.objects.filter(pk=room.camera.pk))
        assert node.state == "strained" and node.fault_labels == [
            "CPU 과부하",
            "저장 대기 누적",
            "저장 공간 부족",
        ]
        with django_capture_on_commit_callbacks(execute=True):
            assert check_health(SYSTEM) == (1, 0)
        client = Client()
        log_in(client, room.operator)
        page = client.get(reverse("control:health")).content.decode()
        assert 'data-state="strained"' in page and "95%" in page and "1.0GB" in page
    ticket = MaintenanceTicket.objects.get()
    assert ticket.fault == MaintenanceTicket.Fault.RECORDER_LOAD and ticket.recorder == heartbeat.name
    assert "CPU 95%" in ticket.description
    with time_machine.travel(T0 + timedelta(seconds=5), tick=False):
        beat(
            SYSTEM,
            heartbeat,
            [room.camera.pk],
            NodeHealth(cpu_percent=20, backlog=0, store_free_bytes=50 * GB),
        )
        assert check_health(SYSTEM) == (0, 1)
    ticket.refresh_from_db()
    assert not ticket.open and "CPU 20%" in ticket.repair


@pytest.mark.parametrize(("seconds", "words"), [(20, "20초"), (300, "5분"), (90, "1분 30초")])
def test_the_health_page_says_after_how_long_a_fault_is_a_ticket(
    room: Room, settings: Any, seconds: int, words: str
) -> None:
    # `make run` sets 20 s: the page said "0분 넘게 끊긴 카메라".
    settings.JIKIMI_CAMERA_FAULT_SECONDS = seconds
    client = Client()
    log_in(client, room.operator)
    page = client.get(reverse("control:health")).content.decode()
    assert f"{words} 넘게 끊긴 카메라" in page and "0분 넘게" not in page
