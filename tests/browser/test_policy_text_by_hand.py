"""The policy's own text by hand in the browser (issue 12): the 총괄책임관 opens a section of the
policy from the register page, reads the Korean error beside an emptied heading, types the new heading
and a two-paragraph text, saves, reads the change in the history as before → after, and sees the new
text in the staff preview of the next version; then corrects a published total."""

from __future__ import annotations

import re

import pytest

from jikimi.accounts.testing import make_user
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import PolicyDocument
from jikimi.inventory.tests.conftest import small_text
from jikimi.vault.tests.test_devices_in_the_register import IMPORTER
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _error_beside(page, label: str) -> str:
    group = page.locator(".form-group", has=page.get_by_label(label))
    return " ".join(group.locator(".jk-errors").all_inner_texts())


def test_the_chief_officer_rewrites_a_section_and_sees_it_in_the_preview(page, live_server):
    institution = import_register(IMPORTER, small_text(), "small.yaml").institution
    make_user("minsu", "privacy_officer", institution=institution, name="박민수")
    log_in(page, live_server, "minsu")

    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name=re.compile("시험시 대장 고치기")).click()
    page.get_by_role("link", name="2번째 절 기타 고치기").click()
    heading = page.get_by_label("제목")
    assert heading.input_value() == "기타"
    assert page.get_by_label("본문").input_value() == "자유롭게 쓴 문단"
    heading.fill("")
    page.get_by_label("변경 사유").fill("2026년 방침 개정")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert "제목:" in _error_beside(page, "제목")
    assert PolicyDocument.objects.get(institution=institution).sections[1]["title"] == "기타"

    heading.fill("영상정보의 보호")
    body = page.get_by_label("본문")
    body.fill("")
    body.press_sequentially("시험시는 영상정보를 안전하게 관리합니다.")
    body.press("Enter")
    body.press("Enter")
    body.press_sequentially("영상정보는 정해진 목적 외에 쓰지 않습니다.")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/register/institutions/{institution.pk}/#policy")
    assert PolicyDocument.objects.get(institution=institution).sections[1] == {
        "title": "영상정보의 보호",
        "body": "시험시는 영상정보를 안전하게 관리합니다.\n\n영상정보는 정해진 목적 외에 쓰지 않습니다.",
    }
    history = page.locator(".jk-history").first.inner_text()
    assert "설치·운영 현황 대장 항목 수정: 2026년 방침 개정" in history
    assert "제목: 기타 → 영상정보의 보호" in history
    assert "본문: 자유롭게 쓴 문단 → 시험시는 영상정보를 안전하게 관리합니다." in history
    assert "body" not in page.locator("main").inner_text()

    page.get_by_role("link", name="방침 공개 화면에서 미리 보기").click()
    page.wait_for_load_state("networkidle")
    preview = page.locator("section", has=page.get_by_role("heading", name="미리보기 (공개 전)")).inner_text()
    assert "영상정보의 보호" in preview
    assert "시험시는 영상정보를 안전하게 관리합니다." in preview
    assert "영상정보는 정해진 목적 외에 쓰지 않습니다." in preview
    assert "자유롭게 쓴 문단" not in preview

    # A published total (설치대수), corrected by hand: a negative count is refused beside its field.
    page.go_back()
    page.get_by_role("link", name="이동형 고치기").click()
    page.get_by_label("대수").fill("-1")
    page.get_by_label("변경 사유").fill("공표 대수 정정")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert "대수:" in _error_beside(page, "대수")
    page.get_by_label("대수").fill("3")
    page.get_by_label("설치 근거").select_option(label="(구분 없음)")
    page.get_by_label("부서").select_option(label="교통행정과")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("row", name=re.compile("^이동형")).inner_text().count("교통행정과") == 1
    assert AuditEntry.objects.filter(action="inventory.change_register_entry").count() == 2
