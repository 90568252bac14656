"""An urgent public-interest request approved by the head of the control centre, by hand (issue 14;
오산시 지침 제32조③: "제1항제8호의 공익목적으로 신속한 영상정보의 이용·제공이 필요한 경우에는 통합관제센터 장의
승인으로"; here the law's urgent items, 법 제18조②3호 and 10호). The officer enters a missing-person
search marked urgent on item 3 and reviews it; the centre's head opens it from the menu and approves
it. A second, ordinary case on item 7 is not in his list: it is the 총괄책임관's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jikimi.accounts.testing import make_user
from jikimi.disclosure.models import ProvisionCase
from jikimi.disclosure.tests.intake_world import pdf
from jikimi.inventory.models import Institution
from tests.browser.login import log_in
from tests.browser.test_provision_by_hand import gate_with_footage, review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

__all__ = ["gate_with_footage"]


def enter_case(page, live_server, start, *, ground: str, purpose: str, urgent: bool, letter: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="제3자 제공").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="공문 접수").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("요청 기관", exact=True).select_option(label="인천남동경찰서")
    page.get_by_label("요청자 소속").fill("여성청소년과 실종팀")
    page.get_by_label("요청자 직급").fill("경사")
    page.get_by_label("요청자 성명").fill("최경사")
    page.get_by_label("공문번호").fill(letter)
    page.get_by_label("공문 일자").fill(start.date().isoformat())
    page.get_by_label("요청 공문 (스캔)").set_input_files(
        files=[{"name": "공문.pdf", "mimeType": "application/pdf", "buffer": pdf()}]
    )
    page.get_by_label("제공 근거 (개인정보 보호법 제18조제2항)").select_option(value=ground)
    page.get_by_label("요청 목적").fill(purpose)
    if urgent:
        page.get_by_label("긴급 (공익 목적 신속 제공 필요)").check()
    page.get_by_label("영상 1: 설치장소").select_option(label="정문")
    page.get_by_label("영상 1: 시작").fill((start - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("영상 1: 끝").fill((start + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="접수").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("을(를) 접수했습니다").is_visible()
    review(page, "행인 3명")


def open_case(page, live_server, case: ProvisionCase) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="제3자 제공").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#provisions").get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="승인·거부").click()
    page.wait_for_load_state("networkidle")


def test_the_control_centre_s_head_approves_an_urgent_case_and_only_that(
    page, browser, live_server, gate_with_footage
) -> None:  # type: ignore[no-untyped-def]
    start = gate_with_footage
    make_user("carol", "control_head", Institution.objects.get(), name="정센터장")

    log_in(page, live_server, "alice")
    enter_case(
        page, live_server, start, ground="3", urgent=True, letter="남동서 실종-77",
        purpose="실종 아동 수색: 마지막 목격 장소의 동선 확인",
    )  # fmt: skip
    enter_case(
        page, live_server, start, ground="7", urgent=False, letter="남동서 형사과-88",
        purpose="절도 사건 수사",
    )  # fmt: skip
    urgent = ProvisionCase.objects.get(letter_number="남동서 실종-77")
    ordinary = ProvisionCase.objects.get(letter_number="남동서 형사과-88")

    head_context = browser.new_context(locale="ko-KR")
    head = head_context.new_page()
    head.set_default_timeout(15_000)
    log_in(head, live_server, "carol")

    # The ordinary case is not his: his list shows the urgent case only.
    head.get_by_role("link", name="제3자 제공").first.click()
    head.wait_for_load_state("networkidle")
    listed = head.locator("#provisions").inner_text()
    assert urgent.case_number in listed and ordinary.case_number not in listed

    # The urgent one is: he approves it, and the case says how.
    open_case(head, live_server, urgent)
    assert head.locator("#cannot-decide").count() == 0
    head.get_by_label("승인", exact=True).check()
    head.get_by_label("결정 사유").fill("실종 아동의 생명·신체 보호를 위해 즉시 제공 (제3자 마스킹)")
    head.get_by_role("button", name="결정 기록").click()
    head.wait_for_load_state("networkidle")
    assert head.get_by_text(f"제공 요청 {urgent.case_number}을(를) 승인했습니다").is_visible()
    assert "통합관제센터장 긴급 승인" in head.locator("#decision").inner_text()
    head_context.close()

    urgent.refresh_from_db()
    assert urgent.state == ProvisionCase.State.APPROVED
    assert urgent.approval_kind == ProvisionCase.ApprovalKind.URGENT_CONTROL_HEAD
    assert (urgent.prepared_by.username, urgent.decided_by.username) == ("alice", "carol")
