"""The live wall's map of sites (issue 17: cameras chosen "by group, site and a map of sites").

An offline SVG of the sites whose coordinates the institution published, each a focusable marker
labelled with its name and the operator's camera count; choosing one fills the wall's tiles with its
cameras (saved only when the operator saves the layout). Sites without coordinates are listed as
좌표 미공개. Only the cameras the operator may watch count (R36, R47).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_group, make_user
from jikimi.control.models import WallLayout
from jikimi.control.site_map import HEIGHT, PADDING, WIDTH, site_map
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    """안전총괄과's park (2 cameras) and library (1) with coordinates, its market (1) without;
    교통행정과's crossing with coordinates (another department's: not the safety operator's)."""
    safety = make_group("안전총괄과", "safety", purpose="방범 및 시설물관리")
    traffic = make_group("교통행정과", "traffic", purpose="교통정보 수집")
    park = Location.objects.create(
        device_group=safety, key="park", name="중앙공원", count=2, latitude=37.4563, longitude=126.7052
    )
    library = Location.objects.create(
        device_group=safety, key="library", name="시립도서관", count=1, latitude=37.4700, longitude=126.6500
    )
    Location.objects.create(device_group=safety, key="market", name="전통시장", count=1)
    crossing = Location.objects.create(
        device_group=traffic,
        key="crossing",
        name="시청 사거리",
        count=1,
        latitude=37.4600,
        longitude=126.7000,
    )
    url = "rtsp://127.0.0.1:8554/cam{}"
    return {
        "park": park,
        "library": library,
        "crossing": crossing,
        "park1": add_device(ACTOR, safety, "공원 1번", location="park", source_url=url.format(1)),
        "park2": add_device(ACTOR, safety, "공원 2번", location="park", source_url=url.format(2)),
        "library1": add_device(ACTOR, safety, "도서관 1번", location="library", source_url=url.format(3)),
        "market1": add_device(ACTOR, safety, "시장 1번", location="market", source_url=url.format(4)),
        "crossing1": add_device(ACTOR, traffic, "사거리 1번", location="crossing", source_url=url.format(5)),
    }


def _tiles(page: str) -> list[str]:
    """The camera chosen in each tile's select ("" for an empty tile)."""
    out = []
    for select in re.findall(r'<select name="tile_\d+">(.*?)</select>', page, re.S):
        found = re.search(r'<option value="(\d+)" selected>', select)
        out.append(found.group(1) if found else "")
    return out


@pytest.fixture
def operator(client: Client):
    user = make_user("op", "operator", departments=["안전총괄과"])
    log_in(client, user)
    return user


def test_the_projection_fits_the_sites_to_the_map_north_up(sites):
    from jikimi.control.live_queries import watchable_devices

    head = make_user("head", "control_head")
    drawn = site_map(watchable_devices(head))
    by_name = {s.location.name: s for s in drawn.placed}
    assert set(by_name) == {"중앙공원", "시립도서관", "시청 사거리"}
    assert [s.location.name for s in drawn.unplaced] == ["전통시장"]
    for site in drawn.placed:
        assert (
            PADDING - 0.1 <= site.x <= WIDTH - PADDING + 0.1
            and PADDING - 0.1 <= site.y <= HEIGHT - PADDING + 0.1
        )
    # North up, east right: the library is north-west of the park.
    assert by_name["시립도서관"].y < by_name["중앙공원"].y and by_name["시립도서관"].x < by_name["중앙공원"].x
    # Fitted: the widest span touches the padding on both sides.
    xs = [s.x for s in drawn.placed]
    assert min(xs) == pytest.approx(PADDING, abs=0.2) and max(xs) == pytest.approx(WIDTH - PADDING, abs=0.2)
    assert by_name["중앙공원"].cameras == 2 and by_name["중앙공원"].label == "중앙공원 — 카메라 2대"
    assert drawn.scale is not None and 40 <= drawn.scale.pixels <= 160


def test_one_site_is_drawn_in_the_middle():
    assert site_map([]).placed == [] and site_map([]).scale is None


def test_the_wall_page_draws_only_the_operators_sites(sites, operator, client: Client):
    page = client.get(reverse("control:wall"), {"size": 4}).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'aria-label="중앙공원 — 카메라 2대"' in svg and 'aria-label="시립도서관 — 카메라 1대"' in svg
    assert "시청 사거리" not in page  # 교통행정과's: not his (R36)
    unplaced = page[page.index("좌표 미공개</h3>") :]
    assert "전통시장 — 카메라 1대" in unplaced
    # Offline: nothing is fetched from elsewhere for the map.
    assert not re.search(r"(src|href)=\"https?://", page)


def test_choosing_a_site_fills_the_tiles_with_its_cameras_unsaved(sites, operator, client: Client):
    page = client.get(reverse("control:wall"), {"size": 4}).text
    [href] = re.findall(r'<a href="([^"]+)" class="jk-site-map-site[^"]*" aria-label="중앙공원', page)
    chosen = client.get(reverse("control:wall") + href.replace("&amp;", "&")).text
    assert "지도에서 고른 &lsquo;중앙공원&rsquo;의 기기로 화면을 채웠습니다" in chosen
    assert _tiles(chosen) == [str(sites["park1"].pk), str(sites["park2"].pk), "", ""]
    rows = re.findall(r'<tr data-device="(\d+)"', chosen)
    assert rows == [str(sites["park1"].pk), str(sites["park2"].pk)]
    assert 'aria-current="true"' in chosen
    assert not WallLayout.objects.exists()  # saved only when the operator saves


def test_a_site_with_more_cameras_than_tiles_says_how_many_were_left_out(sites, operator, client: Client):
    chosen = client.get(reverse("control:wall"), {"size": 1, "location": sites["park"].pk, "fill": 1}).text
    assert "1분할이라 1대는 넣지 못했습니다" in chosen
    assert _tiles(chosen) == [str(sites["park1"].pk)]


def test_another_departments_site_fills_nothing(sites, operator, client: Client):
    chosen = client.get(
        reverse("control:wall"), {"size": 4, "location": sites["crossing"].pk, "fill": 1}
    ).text
    assert "채웠습니다" not in chosen and "사거리 1번" not in chosen


def test_no_coordinates_at_all_says_so(operator, client: Client):
    group = make_group("안전총괄과", "safety", purpose="방범 및 시설물관리")
    Location.objects.create(device_group=group, key="gate", name="정문", count=1)
    add_device(ACTOR, group, "정문 1번", location="gate", source_url="rtsp://127.0.0.1:8554/cam1")
    page = client.get(reverse("control:wall")).text
    assert "<svg" not in page and "좌표가 공개된 설치 위치가 없습니다" in page
    assert "정문 — 카메라 1대" in page
