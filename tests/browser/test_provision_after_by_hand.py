"""What follows a provision, as people do it (issue 14): the officer opens the provided case from the
제3자 제공 list, publishes it for the public page (법 제18조④) from the draft and records the notice to
the data subject (오산시 지침 제35조②) by choosing and typing; the police officer who received the
footage logs in at the portal, opens his case and reports its destruction; the case is closed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from jikimi.accounts.testing import PASSWORD, make_group, make_user
from jikimi.disclosure.models import ProvisionCase, RequestingBody
from jikimi.disclosure.tests.factories_provisions import make_provided_case
from jikimi.disclosure.tests.portal_world import make_officer
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in
from tests.browser.test_portal_by_hand import portal_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case(settings, tmp_path: Path, live_server) -> ProvisionCase:
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    group = make_group("교통행정과", "bus-lane")
    gate = Location.objects.create(device_group=group, key="gate", name="정문")
    camera = add_device(ACTOR, group, "정문 1번", location=gate)
    alice = make_user("alice", "officer", group.institution, ["교통행정과"], name="김앨리스")
    bob = make_user("bob", "privacy_officer", group.institution, name="이밥")
    police = RequestingBody.objects.create(
        institution=group.institution, name="인천남동경찰서", kind=RequestingBody.Kind.POLICE
    )
    kim = make_officer("police-kim", "김경위", police, bob)
    return make_provided_case(
        group.institution,
        police,
        camera,
        officer=alice,
        legal_ground="8",  # 재판: published, and told to the data subject
        provided_at=timezone.now() - timedelta(days=3),
        destroy_by=timezone.localdate() + timedelta(days=10),
        applicant=kim.external_requester,
    )


def test_publication_notice_and_the_recipient_s_destruction_report(page, live_server, case) -> None:
    today = timezone.localdate()
    log_in(page, live_server, "alice")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="제3자 제공").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="파기 통보 · 정보주체 통지 · 공개").click()
    page.wait_for_load_state("networkidle")
    publish_by = case.publish_by
    assert publish_by is not None
    assert f"공개 기한 {publish_by:%Y-%m-%d}" in page.locator("#publication").inner_text()

    # Publication: the draft says the ground, not the request's purpose (it names a person).
    assert page.get_by_label("공개하는 목적").input_value() == "법원의 재판업무 수행을 위하여 필요한 경우"
    page.get_by_label("공개하는 항목").fill("CCTV 녹화영상 (기기 1대)")
    page.get_by_role("button", name="공개", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert "공개했습니다" in page.content()
    assert "공개함" in page.locator("#publication").inner_text()

    # The notice to the data subject.
    page.get_by_label("정보주체 통지", exact=True).select_option(label="통지함")
    page.get_by_label("통지 일자").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("통지 방법").fill("등기우편")
    page.get_by_label("통지 내용 또는 통지하지 못한 사유").fill("영상을 법원에 제공한 사실과 그 근거")
    page.get_by_role("button", name="정보주체 통지 기록").click()
    page.wait_for_load_state("networkidle")
    assert f"{today:%Y-%m-%d}, 등기우편" in page.locator("#subject-notice").inner_text()
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state("networkidle")

    # The police officer reports the destruction at the portal.
    portal_log_in(page, live_server, "police-kim", PASSWORD)
    page.get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="파기 통보하기").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("파기 일자").fill(f"{today + timedelta(days=1):%Y-%m-%d}")  # a day not yet come
    page.get_by_label("파기 방법").fill("저장매체에서 복원이 불가능한 방법으로 영구 삭제")
    page.get_by_role("button", name="파기 통보").click()
    page.wait_for_load_state("networkidle")
    assert "오늘보다 뒤입니다" in page.locator("#form-errors").inner_text()
    page.get_by_label("파기 일자").fill(f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="파기 통보").click()
    page.wait_for_load_state("networkidle")
    assert "사건이 종결되었습니다" in page.locator("#destruction-done").inner_text()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.CLOSED and case.destroyed_on == today
