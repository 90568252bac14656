"""The register by hand in the browser (issue 12): a 부서 담당자 adds a device group with the same law
checks as the file, adds its locations with the "위치 추가" button, ticks the KRDS checkboxes by
clicking them, reads the Korean error next to a bad field, saves, sees the history as before → after,
and registers a device at one of the new locations. The 총괄책임관 adds a 관리책임자 with contacts."""

from __future__ import annotations

import re

import pytest

from jikimi.accounts.testing import make_user
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import Device, DeviceGroup
from jikimi.vault.tests.test_devices_in_the_register import IMPORTER, REGISTER
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tick(page, label: str) -> None:
    """Click a checkbox the way a person does: on its (KRDS-drawn) box and label, which must be visible."""
    box = page.locator("label", has_text=re.compile(f"^{re.escape(label)}$")).first
    size = box.bounding_box()
    assert size is not None and size["width"] >= 16 and size["height"] >= 16, size
    box.click()


def _error_beside(page, label: str) -> str:
    group = page.locator(".form-group", has=page.get_by_label(label, exact=True))
    return " ".join(group.locator(".jk-errors").all_inner_texts())


def test_a_department_officer_adds_a_group_its_locations_and_a_device_by_hand(page, live_server):
    institution = import_register(IMPORTER, REGISTER, "siheomgu.yaml").institution
    make_user("gina", "officer", institution=institution, departments=["행정지원과"], name="김지나")
    log_in(page, live_server, "gina")

    page.goto(f"{live_server.url}/register/")
    page.get_by_role("link", name=re.compile("시험구 대장 고치기")).click()
    page.get_by_role("link", name="기기 묶음 추가").click()
    page.get_by_label("식별자").fill("alley")
    page.get_by_label("이름", exact=True).fill("방범용")
    page.get_by_label("관리부서").select_option(label="행정지원과")
    page.get_by_label("설치 목적").fill("골목길 범죄예방")
    page.get_by_label("설치 대수").fill("3")
    page.get_by_label("설치 위치", exact=True).fill("구청 뒤 골목길")
    page.get_by_label("촬영 시간", exact=True).fill("상시(24시간)")
    page.get_by_label("보관 기간", exact=True).fill("30일")
    page.get_by_label("보관 장소", exact=True).fill("구청 관제센터")
    page.get_by_label("변경 사유").fill("골목길 방범용 신규 설치")
    # R1: no legal basis ticked — refused as the file import refuses it, said beside the field.
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    legal = " ".join(page.locator("fieldset", has_text="설치 근거").locator(".jk-errors").all_inner_texts())
    assert "설치 근거" in legal and "[R1]" in legal
    assert not DeviceGroup.objects.filter(key="alley").exists()
    _tick(page, "법 제25조① 2호: 범죄의 예방 및 수사를 위하여 필요한 경우")
    assert page.get_by_label("법 제25조① 2호: 범죄의 예방 및 수사를 위하여 필요한 경우").is_checked()
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    group = DeviceGroup.objects.get(institution=institution, key="alley")
    assert page.url.endswith(f"/register/groups/{group.pk}/")
    # Hours are said once: "상시(24시간)", not "상시(24시간) (24시간)".
    hours = page.get_by_role("row", name=re.compile("^촬영 시간")).inner_text()
    assert "상시(24시간)" in hours and "(24시간) (24시간)" not in hours

    # Three locations and more, with the add button; the 위치 목록 완비 and 삭제 boxes clicked.
    page.get_by_role("link", name="고치기", exact=True).click()
    rows = page.locator("#location-rows tr")
    assert rows.count() == 1
    for _ in range(3):
        page.get_by_role("button", name="위치 추가").click()
    assert rows.count() == 4
    for number, (key, name) in enumerate(
        [("gate", "정문"), ("back", "후문"), ("alley-end", "골목 끝"), ("spare", "예비")], start=1
    ):
        page.get_by_label(f"{number}번 위치 식별자").fill(key)
        page.get_by_label(f"{number}번 위치 위치").fill(name)
    _tick(page, "위치 목록 완비")
    assert page.get_by_label("위치 목록 완비").is_checked()
    rows.nth(3).locator("label", has_text="삭제").click()
    assert rows.nth(3).get_by_role("checkbox").is_checked()
    # Published words are kept as written (issue 16); the machine's schedule must read (R4).
    page.get_by_label("녹화 일정(기계용)", exact=True).fill("아무 때나")
    page.get_by_label("변경 사유").fill("설치 위치 확정")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert "[R4]" in _error_beside(page, "녹화 일정(기계용)")
    assert group.locations.count() == 0  # nothing half-written
    # The page keeps what was typed: the rows, the ticks.
    assert page.get_by_label("위치 목록 완비").is_checked()
    assert page.get_by_label("3번 위치 위치").input_value() == "골목 끝"
    page.get_by_label("녹화 일정(기계용)", exact=True).fill("")
    page.get_by_label("촬영 시간", exact=True).fill("24시간")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/register/groups/{group.pk}/")
    group.refresh_from_db()
    assert group.locations_complete and [loc.key for loc in group.locations.all()] == [
        "gate",
        "back",
        "alley-end",
    ]
    history = page.locator(".jk-history").inner_text()
    assert "설치·운영 현황 수정: 설치 위치 확정" in history
    assert "위치 목록 완비: 아니오 → 예" in history
    assert "촬영 시간: 상시(24시간) → 24시간" in history
    assert "locations_complete" not in page.locator("main").inner_text()

    # A device at one of the new locations; the group is told apart from its namesakes.
    page.goto(f"{live_server.url}/vault/")
    page.get_by_role("link", name="기기 등록").click()
    page.get_by_label("기기 묶음").select_option(label="방범용 — 행정지원과 (시험구)")
    page.get_by_label("기기명").fill("정문 1호기")
    page.get_by_label("설치 위치").select_option(label="정문")
    page.get_by_role("button", name="등록").click()
    page.wait_for_load_state("networkidle")
    device = Device.objects.get(name="정문 1호기")
    assert device.location is not None and device.location.key == "gate"
    assert AuditEntry.objects.filter(action="inventory.add_register_entry", target_id=str(group.pk)).exists()


def test_the_privacy_officer_adds_a_manager_with_contacts_and_reads_a_bad_email(page, live_server):
    institution = import_register(IMPORTER, REGISTER, "siheomgu.yaml").institution
    make_user("minsu", "privacy_officer", institution=institution, name="박민수")
    log_in(page, live_server, "minsu")
    page.goto(f"{live_server.url}/register/institutions/{institution.pk}/")
    page.get_by_role("link", name="담당자 추가").click()
    page.get_by_label("식별자").fill("cctv-lead")
    page.get_by_label("소속 부서").select_option(label="행정지원과")
    page.get_by_label("성명").fill("이영희")
    page.get_by_label("직위").fill("정보팀장")
    page.get_by_label("전화번호").fill("02-2627-1234")
    page.get_by_label("이메일").fill("메일 아님")
    page.get_by_label("변경 사유").fill("CCTV 관리책임자 지정")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert "이메일 주소" in _error_beside(page, "이메일")
    page.get_by_label("이메일").fill("lee@example.go.kr")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/register/institutions/{institution.pk}/")
    assert page.get_by_role("row", name=re.compile("이영희")).inner_text().count("02-2627-1234") == 1
    assert AuditEntry.objects.get(action="inventory.add_register_entry").reason == "CCTV 관리책임자 지정"
