"""The officer at the requests desk, as a person meets it (issue 13): from the home page to the list of
requests, into one request, where the identity check (시행령 제46조, R21) is recorded by choosing the
method in the select, typing the document and pressing the button; the page then says the new state."""

from __future__ import annotations

from pathlib import Path

import pytest

from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import IdentityCheck, SubjectRequest
from jikimi.disclosure.tests.factories import make_request
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def request_at_the_gate(settings, tmp_path: Path, live_server) -> SubjectRequest:
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    group = make_group("교통행정과", "bus-lane")
    gate = Location.objects.create(device_group=group, key="gate", name="정문")
    add_device(ACTOR, group, "정문 1번", location=gate)
    return make_request(group.institution, locations=[gate], requester_name="홍길동")


def test_the_officer_records_the_identity_check_by_hand(page, live_server, request_at_the_gate) -> None:
    request = request_at_the_gate
    make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
    log_in(page, live_server, "alice")

    page.get_by_role("link", name="열람 등 청구").first.click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#requests tbody tr").filter(has_text=request.receipt_number)
    assert "홍길동" in row.inner_text() and "접수" in row.inner_text()
    row.get_by_role("link", name=request.receipt_number).click()
    page.wait_for_load_state("networkidle")

    assert page.get_by_role("heading", name=f"청구 {request.receipt_number} — 열람").is_visible()
    assert page.get_by_role("heading", name="정문 / 정문 1번").is_visible()  # the vault was checked
    page.get_by_label("확인 방법").select_option(label="신분증 대조")
    page.get_by_label("확인한 서류").fill("운전면허증")
    page.get_by_role("button", name="본인 확인 기록").click()
    page.wait_for_load_state("networkidle")

    assert page.get_by_text("본인 확인을 기록했습니다 (신분증 대조: 운전면허증)").is_visible()
    assert page.locator("#request-state").inner_text() == "진행 상태: 본인 확인 완료"
    assert page.get_by_role("button", name="본인 확인 기록").count() == 0
    check = IdentityCheck.objects.get(request=request)
    assert (check.method, check.document, check.checked_by.username) == ("id_card", "운전면허증", "alice")
    assert AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VIEW_REQUEST).count() == 2
    assert AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VERIFY_IDENTITY).count() == 1
