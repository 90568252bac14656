"""The 총괄책임관 (privacy officer) publishes by hand: changes the register, presses 공개, reads the
confirmation with the change, confirms; tries again unchanged and reads "변경 내용 없음"; withdraws the
announced version with a reason, and the public page shows it withdrawn (R5, R7).

Runs against the real 인천광역시 register in a live server. The dates are taken from today's date, so
the version is announced and not yet in force whatever the day.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from jikimi.accounts.testing import make_user
from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.inventory.testing import record_retention_reasons
from jikimi.lib import clock
from jikimi.publishing.models import PolicyVersion
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = Path(__file__).resolve().parents[2] / "registers" / "incheon.yaml"


@pytest.fixture
def incheon(live_server):
    call_command("import_register", str(REGISTER))
    record_retention_reasons(Institution.objects.get(slug="incheon"))  # R16: 인천 publishes none
    today = clock.today()
    call_command(
        "publish_policy",
        "incheon",
        announced=(today - timedelta(days=30)).isoformat(),
        effective=(today - timedelta(days=20)).isoformat(),
        reason="최초 공개",
    )
    return Institution.objects.get(slug="incheon")


def publish_form(page, announced: str, effective: str, reason: str) -> None:
    page.get_by_label("공고일").fill(announced)
    page.get_by_label("시행일").fill(effective)
    page.get_by_label("변경 사유").fill(reason)
    page.get_by_role("button", name="새 버전 공개").click()
    page.wait_for_load_state("networkidle")


def test_the_privacy_officer_confirms_is_refused_an_unchanged_version_and_withdraws(
    page, live_server, incheon
):
    make_user("alice", "privacy_officer", institution=incheon)
    bus_lane = DeviceGroup.objects.get(institution=incheon, name="버스전용차로 단속 CCTV")
    today = clock.today()
    announced, effective = today.isoformat(), (today + timedelta(days=10)).isoformat()

    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/register/groups/{bus_lane.pk}/edit/")
    page.get_by_label("보관 기간", exact=True).fill("90일")
    page.get_by_label("30일 초과 보관 사유").fill("단속 이의신청 기간 동안 증거 보존")
    page.get_by_label("변경 사유").fill("보관기간 재검토 결과 반영")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/publishing/incheon/")
    publish_form(page, announced, effective, "버스전용차로 단속 CCTV 보관기간 변경")
    # The confirmation: the version, its 시행일, the change against 제1판 — nothing published yet.
    assert page.get_by_role("heading", name="공개 확인: 인천광역시 방침 제2판").is_visible()
    assert any("90일" in text for text in page.locator(".jk-diff-new").all_inner_texts())
    assert PolicyVersion.objects.filter(institution=incheon).count() == 1
    page.get_by_role("button", name="공개 확정").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("제2판을 공개했습니다").is_visible()

    # The same again: nothing changed since 제2판.
    publish_form(page, announced, effective, "다시 공개")
    assert page.get_by_text("변경 내용 없음").first.is_visible()
    assert PolicyVersion.objects.filter(institution=incheon).count() == 2

    # 제2판 is announced, not in force: withdraw it, with a reason.
    page.get_by_label("제2판 철회 사유").fill("보관기간 근거 재검토")
    page.get_by_role("button", name="제2판 철회").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("제2판을 철회했습니다").is_visible()

    page.goto(f"{live_server.url}/policy/incheon/")
    notice = page.locator(".jk-withdrawn").first
    assert "제2판" in notice.inner_text() and "보관기간 근거 재검토" in notice.inner_text()
    assert "현행 제1판이 계속 시행됩니다" in notice.inner_text()
