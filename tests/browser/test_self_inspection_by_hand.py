"""The yearly self-inspection by hand (R8; 표준 개인정보 보호지침 제52조, 오산시 지침 제26조).

Early in 2027 the privacy officer starts the 2026 inspection from the menu: jikimi counts the year's
records into the auto-filled items. He answers an item he checks himself by choosing in its select and
pressing its button, records a finding with its follow-up for an item the figures found wanting, and —
the rest answered and followed up the same way — completes the inspection, which locks it, and
downloads the report to submit.
"""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from jikimi.accounts.testing import make_group, personas
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.self_inspection import answer_item, record_finding
from jikimi.control.models import SelfInspection
from jikimi.lib.clock import SEOUL
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.calendar, pytest.mark.django_db(transaction=True)]

DAY = datetime(2027, 1, 5, 10, 0, tzinfo=SEOUL)


def test_R8_the_privacy_officer_runs_the_years_self_inspection(page, live_server):
    with time_machine.travel(DAY, tick=False):
        people = personas()
        make_group("교통행정과", "bus-lane")
    bob = Actor.for_user(people["bob"], "127.0.0.1")

    with time_machine.travel(DAY, tick=True):
        log_in(page, live_server, "bob")
        page.get_by_role("link", name="자체 점검").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#inspections")).to_contain_text("시작한 자체 점검이 없습니다")
        page.get_by_label("점검 연도").select_option(label="2026년")
        page.get_by_role("button", name="점검 시작").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_have_text("2026년 영상정보처리기기 자체 점검")
        # Nobody signed a month of the access-log review in 2026: the figures say so.
        reviews = page.locator("#item-access_reviews")
        expect(reviews).to_contain_text("점검하지 않은 달")
        expect(reviews).to_contain_text("판정: 부적합")

        # An item the officer checks himself: chosen in the select, recorded with the button.
        opinions = page.locator("#item-opinions")
        expect(opinions).to_contain_text("판정: 미판정")
        opinions.get_by_label("판정").select_option(label="해당없음")
        opinions.get_by_label("비고").fill("2026년에 새로 설치하거나 목적을 추가한 기기 없음")
        opinions.get_by_role("button", name="판정 기록").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text("'설치 전 의견 수렴' 항목의 판정을 기록했습니다")).to_be_visible()
        expect(page.locator("#item-opinions")).to_contain_text("판정: 해당없음")

        # The follow-up of what the figures found: the months not reviewed.
        form = page.locator("#finding-form")
        form.get_by_label("점검 항목").select_option(label="9. 접속기록 월간 점검")
        form.get_by_label("지적 사항").fill("2026년 접속기록 월간 점검 확인이 한 달도 없음")
        form.get_by_label("후속 조치").fill("매월 5일까지 감사자가 전월 점검을 확인하도록 지시")
        form.get_by_label("조치 기한").fill("2027-02-05")
        form.get_by_role("button", name="지적 사항 기록").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#item-access_reviews")).to_contain_text("매월 5일까지 감사자가")

        # The rest, answered and followed up the same way (here through the same actions).
        inspection = SelfInspection.objects.get(year=2026)
        for item in inspection.items.filter(answer=""):
            answer_item(bob, item, answer="conforming", remark="")
        for item in inspection.items.filter(answer="nonconforming").exclude(code="access_reviews"):
            record_finding(
                bob, inspection, item=item, finding=item.remark or "보완 필요", action="담당 부서 시정"
            )

        page.reload()
        page.wait_for_load_state("networkidle")
        page.get_by_label("종합 의견").fill("접속기록 점검과 교육 이수를 보완할 것")
        page.get_by_role("button", name="점검 완료").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("status").first).to_contain_text("2026년 자체 점검을 완료했습니다")
        expect(page.locator("main")).to_contain_text("완료되어 잠겼습니다")
        expect(page.get_by_role("button", name="판정 기록")).to_have_count(0)

        with page.expect_download() as download:
            page.get_by_role("link", name="보고서 PDF 내려받기").click()
        path = download.value.path()
        assert download.value.suggested_filename == "self-inspection-incheon-2026.pdf"
        with open(path, "rb") as report:
            assert report.read(4) == b"%PDF"

    assert AuditEntry.objects.filter(action=AuditEvent.CONTROL_COMPLETE_SELF_INSPECTION).count() == 1
    assert AuditEntry.objects.filter(action=AuditEvent.CONTROL_EXPORT_SELF_INSPECTION).count() == 1
    assert SelfInspection.objects.get(year=2026).locked
