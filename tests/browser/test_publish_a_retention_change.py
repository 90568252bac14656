"""An officer changes a retention period, publishes a new policy version and finds the change in the
신구비교표 (R7); a colleague of another department is refused the same group (R36).

Runs against the real 인천광역시 register (registers/incheon.yaml) in a live server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from jikimi.accounts.testing import make_user
from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.inventory.testing import record_retention_reasons
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = Path(__file__).resolve().parents[2] / "registers" / "incheon.yaml"


@pytest.fixture
def incheon(live_server):
    call_command("import_register", str(REGISTER))
    institution = Institution.objects.get(slug="incheon")
    record_retention_reasons(institution)  # R16: 인천 publishes none for 3개월 and 준영구
    call_command(
        "publish_policy", "incheon", announced="2026-11-01", effective="2026-11-10", reason="최초 공개"
    )
    return institution


def test_an_officer_publishes_a_retention_change_and_finds_it_in_the_comparison(page, live_server, incheon):
    make_user("alice", "privacy_officer", institution=incheon)
    bus_lane = DeviceGroup.objects.get(institution=incheon, name="버스전용차로 단속 CCTV")
    assert bus_lane.retention == "준영구"

    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/register/groups/{bus_lane.pk}/edit/")
    page.get_by_label("보관 기간", exact=True).fill("90일")
    page.get_by_label("30일 초과 보관 사유").fill("단속 이의신청 기간 동안 증거 보존")
    page.get_by_label("변경 사유").fill("보관기간 재검토 결과 반영")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    bus_lane.refresh_from_db()
    assert bus_lane.retention == "90일"

    page.goto(f"{live_server.url}/publishing/incheon/")
    page.get_by_label("공고일").fill("2026-11-20")
    page.get_by_label("시행일").fill("2026-11-27")
    page.get_by_label("변경 사유").fill("버스전용차로 단속 CCTV 보관기간 변경")
    page.get_by_role("button", name="새 버전 공개").click()
    page.wait_for_load_state("networkidle")
    # The confirmation shows what will be published before anything is (issue 12).
    assert page.get_by_text("공개 확인").first.is_visible()
    page.get_by_role("button", name="공개 확정").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/policy/incheon/compare/1/2/")
    old_cells = page.locator(".jk-diff-old").all_inner_texts()
    new_cells = page.locator(".jk-diff-new").all_inner_texts()
    assert any("준영구" in text for text in old_cells), old_cells
    assert any("90일" in text for text in new_cells), new_cells
    assert page.get_by_text(re.compile("버스전용차로")).first.is_visible()


def test_an_officer_of_another_department_is_refused_the_group(page, live_server, incheon):
    make_user("charlie", "officer", institution=incheon, departments=["총무과"])
    bus_lane = DeviceGroup.objects.get(institution=incheon, name="버스전용차로 단속 CCTV")

    log_in(page, live_server, "charlie")
    for path in (f"/register/groups/{bus_lane.pk}/", f"/register/groups/{bus_lane.pk}/edit/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 403, path
    page.goto(f"{live_server.url}/register/")
    assert page.get_by_text("버스전용차로 단속 CCTV").count() == 0
    bus_lane.refresh_from_db()
    assert bus_lane.retention == "준영구"
