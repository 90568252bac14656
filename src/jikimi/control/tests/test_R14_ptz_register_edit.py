"""R14: the approved presets edited in the register's pages take effect for the control centre's next
move — a view that raised "승인된 프리셋을 벗어났습니다" is, once the register approves it, a preset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from tools.simcam.onvif import OnvifPtzServer

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.context import Actor
from jikimi.control.actions.ptz import move_camera
from jikimi.control.tests.ptz_world import CAMERA_PRESETS, PtzWorld, build
from jikimi.inventory.actions.ptz_views import PtzViewEdit, edit_ptz_view
from jikimi.rules.ptz import Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def ptz(db) -> Iterator[PtzWorld]:
    with OnvifPtzServer(user="admin", password="pw", presets=CAMERA_PRESETS, name="공원 PTZ") as server:
        yield build(server)


def test_R14_a_move_to_a_newly_approved_preset_raises_no_alert(ptz: PtzWorld):
    operator = Actor.for_user(ptz.operator, "10.0.0.7")
    view = Position(-0.8, 0.5, 0.9)
    before = move_camera(operator, ptz.camera, position=view, reason="화재 연기 확인")
    assert before.alert == "승인된 프리셋을 벗어났습니다" and before.matched_preset == ""

    location = ptz.camera.device.location
    assert location is not None
    values = {
        "key": "hill",
        "name": "뒷산 산불 감시",
        "pan": -0.8,
        "tilt": 0.5,
        "zoom": 0.9,
        "tolerance": 0.02,
    }
    edit_ptz_view(
        Actor.system("대장 담당자"), location, PtzViewEdit("presets", values=values), "산불 감시 화각 승인"
    )

    ptz.camera.refresh_from_db()
    after = move_camera(operator, ptz.camera, position=view, reason="산불 감시")
    assert (after.alert, after.matched_preset) == ("", "뒷산 산불 감시")


def test_the_ptz_page_links_to_the_register_page_for_who_may_edit_it(client, ptz: PtzWorld):
    url = reverse("control:ptz_camera", args=[ptz.camera.device_id])
    register_page = reverse("inventory:ptz_views", args=[ptz.camera.device.location_id])
    log_in(client, ptz.operator)  # 관제요원: moves the camera, does not edit the register
    assert register_page not in client.get(url).content.decode()
    admin = make_user("ptzadmin", "administrator", institution=ptz.camera.device.device_group.institution)
    log_in(client, admin)
    page = client.get(url)
    assert page.status_code == 200 and register_page in page.content.decode()
