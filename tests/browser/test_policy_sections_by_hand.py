"""A section's `covers` and the 청구서's boxes by hand in the browser (issue 12): the 총괄책임관 ticks the
시행령 제25조① item a section of the policy already carries, adds the 청구서 (별지) as a section, then
on its 고치기 page ticks the boxes the seed's form has and types its examples; reads the changes in
Korean in the history, and sees the form with those boxes in the staff preview of the next version."""

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


def _tick(page, label: str) -> None:
    """Click a checkbox the way a person does: on its (KRDS-drawn) box and label."""
    box = page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")).first
    size = box.bounding_box()
    assert size is not None and size["width"] >= 16 and size["height"] >= 16, size
    box.click()


def _save(page) -> None:
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")


def test_the_chief_officer_ticks_what_a_section_covers_and_the_request_forms_boxes(page, live_server):
    institution = import_register(IMPORTER, small_text(), "small.yaml").institution
    make_user("minsu", "privacy_officer", institution=institution, name="박민수")
    log_in(page, live_server, "minsu")

    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name=re.compile("시험시 대장 고치기")).click()
    page.get_by_role("link", name="2번째 절 기타 고치기").click()
    covers = page.locator("fieldset", has_text="다루는 방침 항목")
    assert "개인영상정보의 확인 방법 및 장소" in covers.inner_text()
    assert "viewing_method_place" not in covers.inner_text()
    assert page.get_by_text("청구서 선택 항목").count() == 0  # not the 청구서's section
    _tick(page, "개인영상정보의 확인 방법 및 장소")
    page.get_by_label("변경 사유").fill("이 절이 확인 방법 및 장소를 말함")
    _save(page)
    assert page.url.endswith(f"/register/institutions/{institution.pk}/#policy")
    history = page.locator(".jk-history").first.inner_text()
    assert "다루는 방침 항목: (없음) → 개인영상정보의 확인 방법 및 장소" in history
    assert PolicyDocument.objects.get(institution=institution).sections[1]["covers"] == [
        "viewing_method_place"
    ]

    # The 청구서 as a section of its own, then its boxes and examples on its 고치기 page.
    page.get_by_role("link", name="절 추가").click()
    page.get_by_label("제목").fill("[별지] 개인영상정보 열람·존재확인 청구서")
    page.get_by_label("생성 항목").select_option(label="개인영상정보 열람·존재확인 청구서 (별지)")
    page.get_by_label("변경 사유").fill("청구서 서식 추가")
    _save(page)
    page.get_by_role("link", name=re.compile("^3번째 절 .*청구서 고치기$")).click()
    boxes = page.locator("fieldset", has_text="청구서 선택 항목")
    assert [t.strip() for t in boxes.locator("label").all_inner_texts()] == [
        "존재확인",
        "열람",
        "삭제",
        "이용",
        "제공",
    ]
    _tick(page, "존재확인")
    _tick(page, "열람")
    page.get_by_label("기록기간 예시").fill("2014.01.01 18:30 ~ 2014.01.01 19:00")
    page.get_by_label("설치장소 예시").fill("시험시청 정문 CCTV")
    page.get_by_label("청구서에 적힌 방침 이름").fill("시험시 영상정보처리기기 운영관리 방침")
    page.get_by_label("변경 사유").fill("청구서의 선택 항목과 예시")
    _save(page)
    assert (
        page.get_by_role("row", name=re.compile("^3 ")).inner_text().count("청구서 선택 항목: 존재확인, 열람")
        == 1
    )
    history = page.locator(".jk-history").first.inner_text()
    assert "청구서 선택 항목: (없음) → 존재확인, 열람" in history
    assert "설치장소 예시: (없음) → 시험시청 정문 CCTV" in history
    assert "청구서에 적힌 방침 이름: (없음) → 시험시 영상정보처리기기 운영관리 방침" in history
    main = page.locator("main").inner_text()
    assert "choices" not in main and "example_place" not in main and "covers" not in main

    page.get_by_role("link", name="방침 공개 화면에서 미리 보기").click()
    page.wait_for_load_state("networkidle")
    preview = page.locator("section", has=page.get_by_role("heading", name="미리보기 (공개 전)")).inner_text()
    assert "□ 존재확인 □ 열람" in preview and "□ 삭제" not in preview
    assert "시험시청 정문 CCTV" in preview
    assert "「시험시 영상정보처리기기 운영관리 방침」" in preview
    assert AuditEntry.objects.filter(action="inventory.change_register_entry").count() == 2


def test_the_chief_officer_adds_a_fee_row_left_unpublished_then_types_its_amount(page, live_server):
    # R27: the 조례's fee table by hand — an amount the institution does not publish is left empty.
    institution = import_register(IMPORTER, small_text(), "small.yaml").institution
    make_user("minsu", "privacy_officer", institution=institution, name="박민수")
    log_in(page, live_server, "minsu")
    page.goto(f"{live_server.url}/register/institutions/{institution.pk}/")
    assert "대장에 수수료 표가 없습니다" in page.locator("#fees + p + .krds-table-wrap").inner_text()
    page.get_by_role("link", name="수수료 추가").click()
    page.get_by_label("식별자").fill("yeollam")
    page.get_by_label("수수료 항목").fill("열람")
    page.get_by_label("근거").fill("시험시 수수료 조례 제3조")
    page.get_by_label("변경 사유").fill("조례 반영")
    _save(page)
    assert page.url.endswith(f"/register/institutions/{institution.pk}/#fees")
    row = page.get_by_role("row", name=re.compile("^열람"))
    assert "공개 문서에 미수록" in row.inner_text()

    page.get_by_role("link", name="수수료 열람 고치기").click()
    page.get_by_label("금액(원)").fill("-1000")
    page.get_by_label("변경 사유").fill("조례의 금액")
    _save(page)
    errors = page.locator(".form-group", has=page.get_by_label("금액(원)")).locator(".jk-errors")
    assert "금액(원):" in " ".join(errors.all_inner_texts())
    assert institution.request_fees.get().amount is None
    page.get_by_label("금액(원)").fill("1000")
    page.get_by_label("단위").fill("1건")
    _save(page)
    assert "1,000원" in page.get_by_role("row", name=re.compile("^열람")).inner_text()
    history = page.locator(".jk-history").first.inner_text()
    assert "금액(원): (없음) → 1,000원" in history and "단위: (없음) → 1건" in history
    assert "amount" not in page.locator("main").inner_text()
