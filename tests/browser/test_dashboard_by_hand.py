"""The home page by hand (issue 12): the 부서 담당자 logs in and lands on what needs doing, reads how
many of his cameras are not recording and follows the count to the list of those cameras; the 관리자
types a 아이디 in Korean letters into the account form and reads, in Korean, why it is refused."""

from __future__ import annotations

import re

import pytest

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_group, make_user
from jikimi.inventory.models import Device
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_department_officer_follows_the_count_of_cameras_not_recording(page, live_server) -> None:
    traffic = make_group("교통행정과", "bus-lane")
    general = make_group("총무과", "city-hall")
    down = add_device(ACTOR, traffic, "버스정류장 1번", source_url="rtsp://cam.invalid/1")
    Device.objects.filter(pk=down.pk).update(status=Device.Status.FAILED)
    add_device(ACTOR, general, "시청 로비")  # 총무과's, never recorded: not his (R36)
    make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")

    log_in(page, live_server, "alice")
    assert page.url == f"{live_server.url}/"  # the login lands on the dashboard
    item = page.locator("[data-item=not_recording]")
    assert re.fullmatch(r"녹화 안 됨\s+1대", item.get_by_role("link").first.inner_text().strip())
    assert "시청 로비" not in page.content()

    item.get_by_role("link", name=re.compile("녹화 안 됨")).click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/vault/?state=down")
    assert "녹화 안 됨 (1대)" in page.locator("caption").inner_text()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    assert "버스정류장 1번" in rows.first.inner_text() and "장애" in rows.first.inner_text()


def test_the_administrator_types_a_korean_username_and_reads_why_it_is_refused(page, live_server) -> None:
    make_user("admin", "administrator", name="최관리")

    log_in(page, live_server, "admin")
    page.locator(".jk-dash-shortcuts").get_by_role("link", name="계정·권한").click()
    page.get_by_role("link", name="계정 만들기").click()
    page.get_by_label("아이디").fill("김철수")
    page.get_by_label("성명").fill("김철수")
    page.get_by_label("소속 기관").select_option(label="인천광역시")
    page.get_by_role("button", name="만들기").click()
    page.wait_for_load_state("networkidle")

    error = page.get_by_role("alert").filter(has_text="아이디:")
    assert "'김철수'에는 영문·숫자와 @ . + - _만 쓸 수 있습니다" in error.inner_text()
    assert "쓸 수 없는 글자: 김, 철, 수" in error.inner_text()
    assert not User.objects.filter(username="김철수").exists()
