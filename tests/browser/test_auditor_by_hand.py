"""The auditor (감사 담당) reads the log by hand, exports it and signs off the month (R40, 안전성 확보조치
기준 제8조②): chooses a person and an event in the selects, types a period, presses 조회, reads Korean
event names and details, downloads the XLSX with a reason, opens the monthly review, reads the
after-hours viewing and signs the month off."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from openpyxl import load_workbook
from playwright.sync_api import expect

from jikimi.accounts.testing import personas
from jikimi.audit import actions
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditReview
from jikimi.lib.clock import SEOUL
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.calendar, pytest.mark.django_db(transaction=True)]

REVIEW_DAY = datetime(2026, 12, 10, 10, 0, tzinfo=SEOUL)  # November is reviewed in December


def _seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def _view(user, moment: datetime, purpose: str) -> None:
    with time_machine.travel(moment, tick=False), transaction.atomic():
        record(
            Actor.for_user(user, "10.0.0.7"),
            AuditEvent.VAULT_VIEW_FOOTAGE,
            target_label="정문 1번",
            reason=purpose,
            details={"viewing": 1, "device": 1, "start": moment, "end": moment},
        )


def _november():
    """alice views footage three times in November, once at 22:30; bob once; the auditor had exported
    the log once that month, with a reason."""
    with time_machine.travel(_seoul(2026, 11, 1, 9, 0), tick=False):
        people = personas()
    _view(people["alice"], _seoul(2026, 11, 3, 10, 0), "교통사고 경위 확인")
    _view(people["bob"], _seoul(2026, 11, 4, 11, 0), "민원 처리 확인")
    _view(people["alice"], _seoul(2026, 11, 10, 14, 0), "분실물 위치 확인")
    _view(people["alice"], _seoul(2026, 11, 16, 22, 30), "야간 민원 확인")
    with time_machine.travel(_seoul(2026, 11, 24, 15, 0), tick=False):
        actions.export_log(
            Actor.for_user(people["auditor"], "10.0.0.8"),
            reason="10월 점검 후속 확인",
            described={"action": "vault"},
            count=2,
        )
    return people


def test_R40_the_auditor_filters_exports_and_signs_off_the_month_by_hand(page, live_server):
    _november()
    with time_machine.travel(REVIEW_DAY, tick=True):
        log_in(page, live_server, "auditor")
        page.goto(f"{live_server.url}/audit/")

        # A period typed the wrong way round is explained at its field.
        page.get_by_label("시작일").fill("2026-11-30")
        page.get_by_label("종료일").fill("2026-11-01")
        page.get_by_role("button", name="조회").click()
        expect(page.get_by_role("alert")).to_contain_text("종료일: 종료일이 시작일보다 앞섭니다.")

        page.get_by_label("행위자").select_option(label="김앨리스 (alice)")
        page.get_by_label("행위", exact=True).select_option(label="영상 열람")
        page.get_by_label("시작일").fill("2026-11-01")
        page.get_by_label("종료일").fill("2026-11-30")
        page.get_by_role("button", name="조회").click()
        page.wait_for_load_state("networkidle")

        rows = page.locator("table tbody tr")
        expect(rows).to_have_count(3)
        expect(page.get_by_text("3건", exact=True)).to_be_visible()
        table = page.locator("table tbody").inner_text()
        assert table.count("영상 열람") == 3 and "김앨리스 (alice)" in table and "이밥" not in table
        assert "야간 민원 확인" in table and "시작: 2026-11-16 22:30:00" in table
        assert "vault." not in table and "{" not in table and "viewing" not in table
        assert page.get_by_label("행위자").input_value() == str(
            page.get_by_label("행위자").locator("option", has_text="김앨리스").get_attribute("value")
        )

        # The export is of what the page shows, with a reason typed by hand.
        # Without a reason the browser does not send the form (the server refuses it too: unit tests).
        page.get_by_role("button", name="엑셀로 내려받기").click()
        assert page.get_by_label("내려받는 사유").evaluate("field => field.validity.valueMissing")
        page.get_by_label("내려받는 사유").fill("2026년 11월 접속기록 월간 점검")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="엑셀로 내려받기").click()
        download = download_info.value
        assert re.fullmatch(r"audit-log-\d{8}-\d{6}\.xlsx", download.suggested_filename)
        book = load_workbook(BytesIO(Path(download.path()).read_bytes()))
        sheet = list(book["감사 기록"].iter_rows(values_only=True))
        assert sheet[0][4] == "행위" and len(sheet) == 1 + 3
        assert {row[4] for row in sheet[1:]} == {"영상 열람"}
        assert {row[2] for row in sheet[1:]} == {"김앨리스 (alice)"}
        assert any("2026-11-16 22:30:00" in row[8] for row in sheet[1:])
        about = dict(book["내려받기 정보"].iter_rows(values_only=True))
        assert about["사유"] == "2026년 11월 접속기록 월간 점검"

        # The monthly review of November.
        page.get_by_role("link", name="월간 접속기록 점검").click()
        page.get_by_label("점검 월").fill("2026-11")
        page.get_by_role("button", name="보기").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", name=re.compile("2026년 11월"))).to_be_visible()
        late = page.locator("#after-hours tbody").inner_text()
        assert "김앨리스 (alice)" in late and "야간 민원 확인" in late and "22:30" in late
        assert "교통사고 경위 확인" not in late
        downloads = page.locator("#downloads tbody").inner_text()
        assert "10월 점검 후속 확인" in downloads and "정감사 (auditor)" in downloads
        people = page.locator("#per-person tbody").inner_text()
        assert "김앨리스 (alice)" in people and "이밥 (bob)" in people

        page.get_by_label("점검 의견").fill("야간 열람 1건 사유(야간 민원) 확인, 이상 없음")
        page.get_by_role("button", name="점검 확인").click()
        page.wait_for_load_state("networkidle")
        signed = page.locator(".jk-audit-signed")
        expect(signed).to_contain_text("점검 확인됨: 정감사 (auditor), 2026-12-10")
        expect(signed).to_contain_text("야간 열람 1건 사유(야간 민원) 확인, 이상 없음")
        expect(page.get_by_role("button", name="점검 확인")).to_have_count(0)

        # December is not over: its review lists today's export with its reason, and cannot be signed.
        page.get_by_label("점검 월").fill("2026-12")
        page.get_by_role("button", name="보기").click()
        page.wait_for_load_state("networkidle")
        assert "2026년 11월 접속기록 월간 점검" in page.locator("#downloads tbody").inner_text()
        expect(page.get_by_text("아직 끝나지 않아 점검을 확인할 수 없습니다")).to_be_visible()

    assert AuditReview.objects.get().comment == "야간 열람 1건 사유(야간 민원) 확인, 이상 없음"
