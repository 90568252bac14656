"""A PTZ camera of the register driven through a simulated camera's ONVIF service (tools.simcam.onvif).

안전총괄과's 방범 group, its location 공원 with two approved presets (정문: by the camera's own preset 1;
놀이터: by coordinates) and a privacy zone (건너편 아파트 창문); device 공원 PTZ whose video login
(admin / pw) is the camera's ONVIF login; an operator of 안전총괄과, the centre's head, and an
operator of 총무과 who may not move it."""

from __future__ import annotations

from dataclasses import dataclass

from tools.simcam.onvif import OnvifPtzServer

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.context import Actor
from jikimi.inventory.actions.ptz import set_ptz_camera
from jikimi.inventory.models import PrivacyZone, PtzCamera, PtzPreset
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import place

SETUP = Actor(user=None, label="테스트 준비", client_address="test")
# The camera's own presets (its memory); "1" is the register's 정문, "9" a view the register never approved.
CAMERA_PRESETS = {"1": ("정문", 0.1, -0.2, 0.0), "9": ("아무데나", -0.8, 0.5, 0.9)}


@dataclass
class PtzWorld:
    server: OnvifPtzServer
    camera: PtzCamera
    gate: PtzPreset
    playground: PtzPreset
    operator: User
    head: User
    other_operator: User


def build(server: OnvifPtzServer) -> PtzWorld:
    safety = make_group("안전총괄과", "safety", purpose="방범 및 시설물관리")
    park = place(safety, "park", "공원")
    gate = PtzPreset.objects.create(
        location=park, key="gate", name="정문", pan=0.1, tilt=-0.2, zoom=0.0, camera_preset="1", position=0
    )
    playground = PtzPreset.objects.create(
        location=park, key="playground", name="놀이터", pan=-0.5, tilt=-0.1, zoom=0.3, position=1
    )
    PrivacyZone.objects.create(
        location=park,
        key="apartments",
        name="건너편 아파트 창문",
        pan_min=0.4,
        pan_max=0.7,
        tilt_min=0.0,
        tilt_max=0.5,
    )
    device = add_device(
        SETUP, safety, "공원 PTZ", location=park, source_url="rtsp://admin:pw@127.0.0.1:8554/cam1"
    )
    camera = set_ptz_camera(SETUP, device, server.address)
    make_group("총무과", "hall", institution=safety.institution)
    return PtzWorld(
        server=server,
        camera=camera,
        gate=gate,
        playground=playground,
        operator=make_user("ptzop", "operator", departments=["안전총괄과"], name="관제요원"),
        head=make_user("ptzhead", "control_head", name="센터장"),
        other_operator=make_user("hallop", "operator", departments=["총무과"], name="다른요원"),
    )
