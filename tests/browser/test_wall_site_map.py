"""An operator chooses a site on the live wall's map of sites (issue 17): the marker, reached by keyboard,
fills the wall's tiles with that site's cameras and the device table shows them; he saves the layout.

The map is offline (an inline SVG, no tile server): the page loads nothing from another host. Only
the operator's cameras count (R36): another department's site is not on his map."""

from __future__ import annotations

import pytest

from jikimi.accounts.testing import make_group, make_user
from jikimi.control.models import WallLayout
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_fills_the_wall_from_a_site_on_the_map_and_saves_it(page, live_server):
    safety = make_group("안전총괄과", "safety", purpose="방범 및 시설물관리")
    traffic = make_group("교통행정과", "traffic", purpose="교통정보 수집")
    Location.objects.create(
        device_group=safety, key="park", name="중앙공원", count=2, latitude=37.4563, longitude=126.7052
    )
    Location.objects.create(
        device_group=safety, key="library", name="시립도서관", count=1, latitude=37.47, longitude=126.65
    )
    Location.objects.create(device_group=safety, key="market", name="전통시장", count=1)
    Location.objects.create(
        device_group=traffic, key="crossing", name="시청 사거리", count=1, latitude=37.46, longitude=126.70
    )
    url = "rtsp://127.0.0.1:8554/cam{}"
    park1 = add_device(ACTOR, safety, "공원 1번", location="park", source_url=url.format(1))
    park2 = add_device(ACTOR, safety, "공원 2번", location="park", source_url=url.format(2))
    add_device(ACTOR, safety, "도서관 1번", location="library", source_url=url.format(3))
    add_device(ACTOR, safety, "시장 1번", location="market", source_url=url.format(4))
    add_device(ACTOR, traffic, "사거리 1번", location="crossing", source_url=url.format(5))
    make_user("oper", "operator", departments=["안전총괄과"], name="이관제")
    outside: list[str] = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith(live_server.url) else None,
    )
    log_in(page, live_server, "oper")

    page.goto(f"{live_server.url}/control/wall/?size=4")
    site_map = page.get_by_role("group", name="설치 위치 지도: 좌표가 공개된 위치 2곳")
    assert site_map.is_visible()
    assert site_map.get_by_role("link", name="시립도서관 — 카메라 1대").is_visible()
    assert page.get_by_text("시청 사거리").count() == 0  # another department's site (R36)
    unplaced = page.locator(".jk-site-map-unplaced")
    assert "전통시장 — 카메라 1대" in unplaced.inner_text() and "좌표 미공개" in unplaced.inner_text()

    # By keyboard: the marker takes the focus and Enter chooses it.
    marker = site_map.get_by_role("link", name="중앙공원 — 카메라 2대")
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("status").filter(has_text="중앙공원").is_visible()
    assert page.get_by_label("화면 1").input_value() == str(park1.pk)
    assert page.get_by_label("화면 2").input_value() == str(park2.pk)
    assert page.get_by_label("화면 3").input_value() == ""
    rows = page.locator("tr[data-device]")
    assert rows.all_inner_texts()[0].startswith("공원 1번") and rows.count() == 2
    assert "공원 2번" in rows.nth(1).inner_text()
    chosen = page.get_by_role("link", name="중앙공원 — 카메라 2대")
    assert chosen.get_attribute("aria-current") == "true"

    page.get_by_role("button", name="배치 저장").click()
    page.wait_for_load_state("networkidle")
    layout = WallLayout.objects.get(user__username="oper")
    assert layout.size == 4 and layout.tiles[:2] == [park1.pk, park2.pk]
    assert page.get_by_label("화면 1").input_value() == str(park1.pk)
    assert not outside, outside  # offline: nothing from another host
