"""A police letter on paper, by hand (issue 14; 법 제18조②, 오산시 지침 제32조②): the officer types
the 공문 in, with its scan and the footage asked for; the privacy officer reviews it himself and is told
on the decision page that the preparer cannot decide (his approval is refused, nothing changes); the
officer records her own review; then the privacy officer approves it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from jikimi.accounts.testing import make_group, make_user
from jikimi.disclosure.models import ProvisionCase, RequestingBody
from jikimi.disclosure.tests.intake_world import pdf
from jikimi.disclosure.tests.provision_world import record_segment
from jikimi.inventory.models import Location
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import LegalHold
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gate_with_footage(settings, tmp_path: Path, live_server):  # type: ignore[no-untyped-def]
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    group = make_group("교통행정과", "bus-lane")
    gate = Location.objects.create(device_group=group, key="gate", name="정문")
    camera = add_device(ACTOR, group, "정문 1번", location=gate)
    # Footage of an hour ago, so that nothing depends on the date the suite runs on.
    start = (timezone.now() - timedelta(hours=1)).astimezone(SEOUL).replace(second=0, microsecond=0)
    record_segment(camera, start.replace(tzinfo=None).isoformat())
    RequestingBody.objects.create(
        institution=group.institution, name="인천남동경찰서", kind=RequestingBody.Kind.POLICE
    )
    make_user("alice", "officer", group.institution, departments=["교통행정과"], name="김앨리스")
    make_user("bob", "privacy_officer", group.institution, name="이밥")
    return start


def review(page, findings: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="검토").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("영상 속 제3자").fill(findings)
    page.get_by_label("정보주체·제3자 권익 침해 검토").fill("제3자는 마스킹하여 제공하면 침해 우려 없음")
    page.get_by_label("제3자를 마스킹하여 제공").check()
    page.get_by_role("button", name="검토 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("검토를 기록했습니다").is_visible()


def test_a_paper_letter_is_entered_reviewed_and_approved_by_hand(
    page, browser, live_server, gate_with_footage
) -> None:  # type: ignore[no-untyped-def]
    start = gate_with_footage
    # The officer types the letter in.
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="제3자 제공").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="공문 접수").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("요청 기관", exact=True).select_option(label="인천남동경찰서")
    page.get_by_label("요청자 소속").fill("형사과 강력2팀")
    page.get_by_label("요청자 직급").fill("경위")
    page.get_by_label("요청자 성명").fill("박형사")
    page.get_by_label("공문번호").fill("남동서 형사과-1234")
    page.get_by_label("공문 일자").fill(start.date().isoformat())
    page.get_by_label("요청 공문 (스캔)").set_input_files(
        files=[{"name": "공문.pdf", "mimeType": "application/pdf", "buffer": pdf()}]
    )
    page.get_by_label("제공 근거 (개인정보 보호법 제18조제2항)").select_option(value="7")
    page.get_by_label("요청 목적").fill("절도 사건 수사 (피의자 동선 확인)")
    page.get_by_label("영상 1: 설치장소").select_option(label="정문")
    page.get_by_label("영상 1: 시작").fill((start - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("영상 1: 끝").fill((start + timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="접수").click()
    page.wait_for_load_state("networkidle")

    case = ProvisionCase.objects.get()
    assert page.get_by_text(f"제공 요청 {case.case_number}을(를) 접수했습니다").is_visible()
    assert page.locator("#case-state").inner_text() == "진행 상태: 요청 접수"
    assert "보존 중" in page.locator("#holds").inner_text()
    assert page.get_by_role("heading", name="정문 / 정문 1번", exact=False).is_visible()

    # The privacy officer reviews it himself, and then may not decide it: the page says why.
    bob_context = browser.new_context(locale="ko-KR")
    bob = bob_context.new_page()
    bob.set_default_timeout(15_000)
    log_in(bob, live_server, "bob")
    bob.get_by_role("link", name="제3자 제공").first.click()
    bob.wait_for_load_state("networkidle")
    bob.locator("#provisions").get_by_role("link", name=case.case_number).click()
    bob.wait_for_load_state("networkidle")
    review(bob, "보행자 2명")
    bob.get_by_role("link", name="승인·거부").click()
    bob.wait_for_load_state("networkidle")
    assert "검토한 사람은 승인·거부할 수 없습니다" in bob.locator("#cannot-decide").inner_text()
    bob.get_by_label("승인", exact=True).check()
    bob.get_by_label("결정 사유").fill("수사 협조")
    bob.get_by_role("button", name="결정 기록").click()
    bob.wait_for_load_state("networkidle")
    assert bob.get_by_text("결정을 저장하지 않았습니다").is_visible()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.REVIEWED and case.decided_by is None

    # The officer records her own review: she is now the preparer.
    page.reload()
    page.wait_for_load_state("networkidle")
    review(page, "보행자 2명, 차량 번호판 1대")
    # She holds no approval: her page says so next to the decision link.
    assert page.get_by_text("제3자 제공을 승인·거부할 권한이 없습니다").is_visible()

    # The privacy officer approves, reading the ground's label.
    bob.goto(f"{live_server.url}/provisions/")
    bob.locator("#provisions").get_by_role("link", name=case.case_number).click()
    bob.wait_for_load_state("networkidle")
    bob.get_by_role("link", name="승인·거부").click()
    bob.wait_for_load_state("networkidle")
    assert bob.get_by_text("제7호 범죄의 수사와 공소의 제기 및 유지를 위하여 필요한 경우").first.is_visible()
    assert bob.locator("#cannot-decide").count() == 0
    bob.get_by_label("승인", exact=True).check()
    bob.get_by_label("결정 사유").fill("수사 목적 확인, 제3자 마스킹한 사본으로 제공")
    bob.get_by_role("button", name="결정 기록").click()
    bob.wait_for_load_state("networkidle")
    assert bob.get_by_text(f"제공 요청 {case.case_number}을(를) 승인했습니다").is_visible()
    assert bob.locator("#case-state").inner_text() == "진행 상태: 승인"
    assert "총괄책임관 승인" in bob.locator("#decision").inner_text()
    bob_context.close()

    case.refresh_from_db()
    assert (case.prepared_by.username, case.decided_by.username) == ("alice", "bob")
    assert LegalHold.objects.get().released_at is None  # held until the case ends
