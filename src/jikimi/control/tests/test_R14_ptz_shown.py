"""R14: the register's pages show a location's approved PTZ presets and privacy zones (read-only: the
register file states them), the device page says whether a device is a PTZ camera (its ONVIF address,
never its login, R42), and the PTZ page is reached from the control centre's front page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from tools.simcam.onvif import OnvifPtzServer

from jikimi.accounts.testing import log_in, make_group, make_user
from jikimi.control.tests.ptz_world import CAMERA_PRESETS, SETUP, PtzWorld, build
from jikimi.vault.actions.devices import add_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def ptz() -> Iterator[PtzWorld]:
    with OnvifPtzServer(user="admin", password="pw", presets=CAMERA_PRESETS, name="공원 PTZ") as server:
        yield build(server)


def _page(user: object, url: str) -> str:
    client = Client()
    log_in(client, user)  # type: ignore[arg-type]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_R14_the_groups_register_page_lists_presets_and_privacy_zones_read_only(ptz: PtzWorld) -> None:
    group = ptz.camera.device.device_group
    chief = make_user("chief", "privacy_officer", institution=group.institution)
    page = _page(chief, reverse("inventory:group_detail", args=[group.pk]))
    section = page.split('id="ptz"')[1].split("<h2")[0]
    assert "공원: 승인 프리셋 2개, 사생활 보호 구역 1곳" in section
    for words in ("정문", "놀이터", "건너편 아파트 창문", "카메라 프리셋 1번", "0.40 ~ 0.70"):
        assert words in section
    assert "대장 파일의 <code>ptz:</code> 항목으로 고칩니다" in section
    assert "<form" not in section and "<input" not in section


def test_R14_a_group_without_ptz_views_shows_no_ptz_section(ptz: PtzWorld) -> None:
    plain = make_group("총무과", "plain", institution=ptz.camera.device.device_group.institution)
    chief = make_user("chief", "privacy_officer", institution=plain.institution)
    page = _page(chief, reverse("inventory:group_detail", args=[plain.pk]))
    assert 'id="ptz"' not in page and "PTZ 승인 프리셋" not in page


def test_R14_the_device_page_says_whether_it_is_a_ptz_camera_without_its_login(ptz: PtzWorld) -> None:
    device = ptz.camera.device
    fixed = add_device(SETUP, device.device_group, "공원 고정", location=device.location)
    chief = make_user("chief", "privacy_officer", institution=device.device_group.institution)
    page = _page(chief, reverse("vault:device_detail", args=[device.pk]))
    row = page.split('id="ptz"')[1].split("</tr>")[0]
    assert f"PTZ 카메라 — ONVIF 주소 {ptz.server.address}" in row
    assert "admin" not in row and "pw@" not in row  # the login is sealed with the video address (R42)
    assert reverse("inventory:group_detail", args=[device.device_group_id]) + "#ptz" in row
    page = _page(chief, reverse("vault:device_detail", args=[fixed.pk]))
    assert "PTZ 카메라로 등록되지 않음" in page.split('id="ptz"')[1].split("</tr>")[0]


def test_R14_the_ptz_page_is_reached_from_the_control_centres_front_page(ptz: PtzWorld) -> None:
    front = _page(ptz.operator, reverse("control:index"))
    duties = front.split('id="duties"')[1].split("</ul>")[0]
    assert "PTZ 조작" in duties and f'href="{reverse("control:ptz")}"' in duties
    listing = _page(ptz.operator, reverse("control:ptz"))
    assert "공원 PTZ" in listing
    # Someone without OPERATE_PTZ sees no such duty.
    auditor = make_user("auditor", "auditor")
    client = Client()
    log_in(client, auditor)
    response = client.get(reverse("control:index"))
    assert "PTZ 조작" not in response.content.decode()
