"""A register manager approves a PTZ preset by hand in the browser (R14; 오산시 지침 제29조①): from the
device group's page to its location's PTZ page, types the preset into the form, reads the Korean error
beside a value outside the ONVIF range, saves, and reads the new preset back on the page."""

from __future__ import annotations

import re

import pytest

from jikimi.accounts.testing import make_user
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import PtzPreset
from jikimi.inventory.tests.conftest import small_text
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PTZ = """ptz:
  - location: city-hall/cheongsa-naeoe
    presets:
      - {key: gate, name: 정문 방향, pan: 0.1, tilt: -0.2, zoom: 0.0}
"""


def _error_beside(page, label: re.Pattern[str]) -> str:  # type: ignore[no-untyped-def]
    group = page.locator(".form-group", has=page.get_by_label(label))
    return " ".join(group.locator(".jk-errors").all_inner_texts())


def test_a_register_manager_adds_a_ptz_preset_by_hand(page, live_server) -> None:  # type: ignore[no-untyped-def]
    institution = import_register(Actor.system("test"), small_text() + PTZ, "small.yaml").institution
    make_user("hana", "officer", institution=institution, departments=["총무과"], name="한하나")
    log_in(page, live_server, "hana")

    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name="청사 방범 CCTV").first.click()
    page.get_by_role("link", name="청사 내외 PTZ 승인 범위").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="PTZ 승인 범위 — 청사 내외").is_visible()
    page.get_by_role("link", name="승인 프리셋 추가").click()

    page.get_by_label(re.compile("^식별자")).fill("parking")
    page.get_by_label(re.compile("^프리셋 이름")).fill("주차장 입구")
    page.get_by_label(re.compile("^팬")).fill("1.5")  # outside the ONVIF space
    page.get_by_label(re.compile("^틸트")).fill("-0.1")
    page.get_by_label(re.compile("^줌")).fill("0.3")
    page.get_by_label(re.compile("^허용 오차")).fill("0.05")
    page.get_by_label(re.compile("^카메라 프리셋 번호")).fill("2")
    page.get_by_label(re.compile("^변경 사유")).fill("주차장 방범 화각 승인")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert "팬: 1.0 이하여야 합니다" in _error_beside(page, re.compile("^팬"))
    assert not PtzPreset.objects.filter(key="parking").exists()

    page.get_by_label(re.compile("^팬")).fill("-0.5")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("PTZ 승인 프리셋을(를) 저장했습니다.").is_visible()
    row = page.locator("#ptz-presets tr", has_text="주차장 입구").inner_text()
    assert all(value in row for value in ("parking", "-0.500", "-0.100", "0.300", "0.050", "2")), row
    assert "주차장 방범 화각 승인" in page.locator(".jk-history").inner_text()
    entry = AuditEntry.objects.get(action="inventory.add_ptz_preset")
    assert entry.actor is not None and entry.actor.username == "hana"
