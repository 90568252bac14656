"""An account suspended for missing training (R48; 오산시 지침 제28조, 제25조④).

The privacy officer declares the course the officers must take; at once the officer who has not taken
it is refused every footage page, with the course named; the privacy officer reads on the training
page who is suspended and why, records the completion, and the officer opens the footage again.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from jikimi.accounts.testing import make_group, personas
from jikimi.audit.context import Actor
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.calendar, pytest.mark.django_db(transaction=True)]

DAY = datetime(2026, 3, 2, 10, 0, tzinfo=SEOUL)


def test_R48_an_account_suspended_for_missing_training(page, live_server):
    with time_machine.travel(DAY, tick=False):
        people = personas()
        group = make_group("교통행정과", "bus-lane")
        device = add_device(Actor.for_user(people["admin"], "10.0.0.1"), group, "정문 1번")
    play = f"{live_server.url}/vault/devices/{device.pk}/play/"

    with time_machine.travel(DAY, tick=True):
        # The privacy officer declares the course officers must take.
        log_in(page, live_server, "bob")
        page.get_by_role("link", name="교육 이수").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("status")).to_contain_text("등록된 교육 과정이 없어")
        page.get_by_label("과정 이름").fill("영상정보 보호 교육")
        page.get_by_label("관리담당자·접근권한자").check()
        page.get_by_label("유효기간(개월)").fill("12")
        page.get_by_role("button", name="교육 과정 등록").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#training-table")).to_contain_text("김앨리스 (alice)")
        row = page.locator("#training-table tr", has_text="김앨리스 (alice)")
        expect(row).to_contain_text("정지: 영상정보 보호 교육(미이수)")
        page.get_by_role("button", name="로그아웃").click()
        page.wait_for_load_state("networkidle")

        # The officer is refused the footage, and told which course is missing.
        log_in(page, live_server, "alice")
        page.goto(play)
        expect(page.get_by_role("heading", level=1)).to_have_text("이 화면을 볼 권한이 없습니다")
        expect(page.locator("main")).to_contain_text(
            "필수 교육을 이수하지 않아 영상 열람 권한이 정지되어 있습니다: '영상정보 보호 교육'(미이수)"
        )
        page.get_by_role("button", name="로그아웃").click()
        page.wait_for_load_state("networkidle")

        # The privacy officer records her completion with its evidence.
        log_in(page, live_server, "bob")
        page.get_by_role("link", name="교육 이수").first.click()
        page.wait_for_load_state("networkidle")
        page.get_by_label("이수자").select_option(label="김앨리스 (alice)")
        page.get_by_label("교육 과정").select_option(label="영상정보 보호 교육")
        page.get_by_label("이수일").fill("2026-03-02")
        page.get_by_label("증빙").fill("수료증 제2026-12호")
        page.get_by_role("button", name="이수 기록").click()
        page.wait_for_load_state("networkidle")
        row = page.locator("#training-table tr", has_text="김앨리스 (alice)")
        expect(row).to_contain_text("이수 — 이수 2026-03-02, 2027-03-01까지 유효")
        page.get_by_role("button", name="로그아웃").click()
        page.wait_for_load_state("networkidle")

        # The officer opens the footage page again.
        log_in(page, live_server, "alice")
        page.goto(play)
        expect(page.get_by_role("heading", level=1)).to_have_text("영상 열람 — 정문 1번")
