"""An officer adds a device at a location whose retention overrides its group's (금천구: 청사 45일,
승강기 14일): the form offers only the register's locations, the device page shows the location's
retention and hours, and the reconciliation counts it at that location (법 제21조①, R16)."""

from __future__ import annotations

import pytest

from jikimi.accounts.testing import make_user
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import Device
from jikimi.vault.tests.test_devices_in_the_register import IMPORTER, REGISTER
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_R16_an_officer_adds_a_device_at_the_lifts_and_the_device_keeps_14_days(page, live_server):
    institution = import_register(IMPORTER, REGISTER, "siheomgu.yaml").institution
    make_user("gina", "officer", institution=institution, departments=["행정지원과"], name="김지나")
    log_in(page, live_server, "gina")
    page.goto(f"{live_server.url}/vault/devices/add/")
    page.get_by_label("기기 묶음").select_option(label="구청사 내외·승강기 CCTV — 행정지원과 (시험구)")
    page.get_by_label("기기명").fill("승강기 1호기")
    location = page.get_by_label("설치 위치")
    # Only the register's locations of the groups Gina may manage: 청사 현관, 승강기 (not 시청 정문).
    assert location.locator("option").all_inner_texts() == [
        "위치 없음 (위치를 나열하지 않는 묶음)",
        "청사 현관",
        "승강기",
    ]
    location.select_option(label="승강기")
    page.get_by_role("button", name="등록").click()
    page.wait_for_load_state("networkidle")
    device = Device.objects.get(name="승강기 1호기")
    assert page.url.endswith(f"/vault/devices/{device.pk}/")
    summary = page.locator("p.jk-muted").first.inner_text()
    assert "보관기간 14일" in summary and "촬영 시간 24시간" in summary and "위치 '승강기'" in summary
    page.goto(f"{live_server.url}/register/reconciliation/")
    row = page.get_by_role("row", name="└ 승강기 (elevators)")
    assert row.locator("td").all_inner_texts()[:3] == ["2", "1", "0"]
