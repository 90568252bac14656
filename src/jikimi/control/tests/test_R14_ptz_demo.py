"""R14 in `make run`: the demo's PTZ camera, its presets marked as the demo's words (the seed registers
state none), and a move through the real ONVIF driver against an in-process simulated camera.

`make run` itself (its background processes) cannot run in CI; this runs its commands on a fresh
database: load_demo, then add_demo_cameras (twice: nothing is added again)."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from tools.simcam.onvif import OnvifPtzServer

from jikimi.accounts.testing import make_user
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.ptz import move_camera
from jikimi.control.ptz_onvif import OnvifTarget, status
from jikimi.inventory.actions.ptz import DEMO_MARK, PtzCameraRefused, add_demo_ptz_views, set_ptz_camera
from jikimi.inventory.device_terms import machine_terms
from jikimi.inventory.models import PrivacyZone, PtzCamera, PtzPreset
from jikimi.rules.ptz import Position
from jikimi.rules.schedule import parse_schedule
from jikimi.vault.management.commands.add_demo_cameras import PTZ_LOGIN, PTZ_ONVIF_ADDRESS, demo_ptz_views

REGISTER = Path(__file__).resolve().parents[4] / "registers" / "incheon.yaml"

pytestmark = pytest.mark.django_db


def test_R14_the_demo_has_one_ptz_camera_with_demo_presets_that_the_real_driver_moves() -> None:
    call_command("load_demo", str(REGISTER), stdout=StringIO())
    call_command("add_demo_cameras", stdout=StringIO())
    again = StringIO()
    call_command("add_demo_cameras", stdout=again)

    camera = PtzCamera.objects.get()
    assert camera.device.source_url == "rtsp://127.0.0.1:8554/cam4"
    assert camera.onvif_address == PTZ_ONVIF_ADDRESS
    location = camera.device.location
    assert location is not None
    # Recorded at any hour the demo is run, so live on the wall (인천's first location with PTZ views,
    # a bus-lane camera, records only on weekday mornings and evenings).
    assert parse_schedule(machine_terms(location.device_group, location)[1]).is_always
    presets = list(location.ptz_presets.order_by("position"))
    zones = list(location.privacy_zones.all())
    assert [p.name for p in presets] == [f"{DEMO_MARK} 입구 방향", f"{DEMO_MARK} 도로 방향"]
    assert [z.name for z in zones] == [f"{DEMO_MARK} 건너편 주택 창문"]
    # Only this location: the register's other locations state no PTZ views.
    assert PtzPreset.objects.count() == 2 and PrivacyZone.objects.count() == 1
    # Each step audited once, the second run adding nothing.
    assert AuditEntry.objects.filter(action="inventory.add_demo_ptz_views").count() == 1
    assert AuditEntry.objects.filter(action="inventory.set_ptz_camera").count() == 1
    assert "이미" in again.getvalue().splitlines()[-1]

    # The camera make run starts (python -m tools.simcam.onvif --user demo --password demo-ptz
    # --preset 1=입구:0.1,-0.2,0), in process on a free port; the camera is registered at that port
    # through the same audited action. Its login is the one sealed with the video address (R42).
    user, password = PTZ_LOGIN
    with OnvifPtzServer(user=user, password=password, presets={"1": ("입구", 0.1, -0.2, 0.0)}) as server:
        set_ptz_camera(Actor.command("test"), camera.device, server.address)
        camera.refresh_from_db()
        head = make_user("ptzhead", "control_head", institution=camera.device.device_group.institution)
        actor = Actor.for_user(head, "10.0.0.7")
        entrance = move_camera(actor, camera, preset=presets[0])
        assert entrance.error == "" and entrance.alert == ""
        assert server.position == pytest.approx((0.1, -0.2, 0.0))
        road = move_camera(actor, camera, preset=presets[1])
        assert road.error == "" and road.alert == ""
        assert server.position == pytest.approx((-0.5, -0.1, 0.3))
    assert AuditEntry.objects.filter(action="control.move_ptz").count() == 2


def test_R14_demo_presets_must_say_they_are_the_demos_and_stay_out_of_privacy_zones() -> None:
    call_command("load_demo", str(REGISTER), stdout=StringIO())
    call_command("add_demo_cameras", stdout=StringIO())
    location = PtzCamera.objects.get().device.location
    assert location is not None
    other = location.device_group.locations.exclude(pk=location.pk).first()
    assert other is not None
    presets, zones = demo_ptz_views()
    presets[0].name = "입구 방향"
    with pytest.raises(PtzCameraRefused, match="데모용 문구:"):
        add_demo_ptz_views(Actor.command("test"), other, presets, zones, "데모")
    presets, zones = demo_ptz_views()
    presets[1].pan, presets[1].tilt = 0.5, 0.2  # into the 건너편 주택 창문
    with pytest.raises(PtzCameraRefused, match="사생활 보호 구역"):
        add_demo_ptz_views(Actor.command("test"), other, presets, zones, "데모")
    assert not other.ptz_presets.exists()


@pytest.mark.xdist_group("realtime")
def test_R14_the_demos_simulated_ptz_camera_starts_at_its_home_preset() -> None:
    """`make run` starts `python -m tools.simcam.onvif … --preset 1=입구:0.1,-0.2,0`: the camera is at its
    first preset when it starts, as a PTZ camera powers on at its home view (at 0,0,0 the minute's check
    raised "승인된 프리셋을 벗어났습니다" on a fresh demo)."""
    user, password = PTZ_LOGIN
    command = [sys.executable, "-m", "tools.simcam.onvif", "--user", user, "--password", password]
    with subprocess.Popen(
        [*command, "--preset", "1=입구:0.1,-0.2,0"], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            address = process.stdout.readline().strip()
            parts = urlsplit(address)
            assert parts.hostname is not None and parts.port is not None
            target = OnvifTarget(parts.hostname, parts.port, user, password)
            assert status(target) == Position(0.1, -0.2, 0.0)
        finally:
            process.terminate()
