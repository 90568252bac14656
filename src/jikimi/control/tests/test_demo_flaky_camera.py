"""The demo's camera that fails and recovers (`make run`: tools.simcam --flaky): a real recorder against
an in-process simulated camera cut on a cycle reports it reconnecting and then recording again; those
very statuses, handed to the vault's sink, open a maintenance ticket and close it on recovery
(오산시 지침 제27조). The database work runs in the test's thread, at the moments the recorder
reported (time_machine), as `jikimi record` and the minute's health check would do it."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from tools.simcam.flaky import FlakyCamera, FlakySpec
from tools.simcam.rtsp import RtspCameraServer
from tools.simcam.scenes import encode_scene

from jikimi.audit.context import Actor
from jikimi.control import health_queries
from jikimi.control.actions.health import AUTO_REPAIR, check_health
from jikimi.control.models import MaintenanceTicket
from jikimi.control.tests.conftest import Room
from jikimi.engine.recording import Backoff, CameraRecorder, CameraSource, CameraState
from jikimi.engine.recording.tests.conftest import CollectingSink
from jikimi.inventory.models import Device
from jikimi.vault.recording import VaultSink

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]

SYSTEM = Actor.system("camera-health")


def test_flaky_spec_is_read_and_checked() -> None:
    assert FlakySpec.parse("cam3:300:120") == FlakySpec("cam3", 300.0, 120.0)
    for wrong in ("cam3", "cam3:30:60", "cam3:x:1"):
        with pytest.raises(ValueError, match="--flaky"):
            FlakySpec.parse(wrong)


@pytest.mark.django_db
def test_the_flaky_camera_fails_and_recovers_and_its_ticket_opens_then_closes(
    room: Room, settings: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.JIKIMI_CAMERA_FAULT_SECONDS = 1
    settings.JIKIMI_MAINTENANCE_EMAILS = ["cctv@maint.example.kr"]
    scene = encode_scene("testsrc2", width=160, height=120, fps=10, seconds=2, bitrate=200_000)
    server = RtspCameraServer({"cam1": scene})
    server.start()
    flaky = FlakyCamera(server, FlakySpec("cam1", period=4.0, down=2.0))
    sink = CollectingSink()
    camera = CameraSource(
        "cam1",
        server.url("cam1"),
        segment_seconds=1,
        read_timeout=5.0,
        analyze_seconds=0.5,
        backoff=Backoff(initial=0.2, factor=2.0, maximum=0.4, jitter=0.0),
    )
    recorder = CameraRecorder(camera, sink)
    stop = threading.Event()
    thread = threading.Thread(target=recorder.run, args=(stop,), daemon=True)
    thread.start()
    try:
        sink.wait_for(lambda: sink.reached("cam1", CameraState.RECORDING), "recording")
        flaky.start()

        def recovered() -> bool:
            states = [s.state for s in sink.states_of("cam1")]
            return CameraState.RECONNECTING in states and states[-1] is CameraState.RECORDING

        sink.wait_for(recovered, "the camera cut, then recording again")
    finally:
        flaky.stop()
        stop.set()
        thread.join(30)
        server.stop()
    assert sink.gaps and sink.gaps[0].camera == "cam1"  # the cut is a gap with its reason

    # The recorder's statuses, as `jikimi record`'s sink receives them, with the minute's check after each.
    vault = VaultSink(SYSTEM)
    storage = room.camera.storage_name
    statuses = [s for s in sink.states_of("cam1") if s.state is not CameraState.STOPPED]
    cut = next(i for i, s in enumerate(statuses) if s.state is CameraState.RECONNECTING)
    back = next(i for i, s in enumerate(statuses) if i > cut and s.state is CameraState.RECORDING)
    checks = []
    for i, status in enumerate(statuses[: back + 1]):
        with time_machine.travel(status.since, tick=False):
            vault.on_state(type(status)(storage, status.state, status.since, status.detail))
        if i not in (cut, back):
            continue
        # The minute's health check, once the fault has lasted JIKIMI_CAMERA_FAULT_SECONDS (or after recovery).
        with (
            time_machine.travel(status.since + timedelta(seconds=1.5), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            if i == cut:
                [row] = health_queries.camera_rows(Device.objects.filter(pk=room.camera.pk))
                assert row.state == health_queries.RECONNECTING
            checks.append(check_health(SYSTEM))
            if i == cut:
                assert MaintenanceTicket.objects.get().open
    assert checks == [(1, 0), (0, 1)]
    ticket = MaintenanceTicket.objects.get()
    assert ticket.fault == MaintenanceTicket.Fault.CAMERA_DOWN and not ticket.open
    assert ticket.recovered_at is not None and ticket.repair == AUTO_REPAIR
    assert [m.to for m in mailoutbox] == [["cctv@maint.example.kr"]]
