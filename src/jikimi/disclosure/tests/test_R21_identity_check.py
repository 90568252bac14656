"""R21 (시행령 제46조, 법 제38조①): the identity check is a step of its own — who checked which
document how — and nothing is decided before it; a proxy is checked through the 위임장."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.identity import IdentityNotChecked, require_identity_checked, verify_identity
from jikimi.disclosure.models import IdentityCheck, SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request

pytestmark = pytest.mark.django_db


def test_the_check_is_recorded_audited_and_opens_the_decision(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    with pytest.raises(IdentityNotChecked, match="본인 확인\\(시행령 제46조\\) 전에는 결정할 수 없습니다"):
        require_identity_checked(request)

    check = verify_identity(desk.actor(desk.alice), request, "id_card", " 주민등록증 ", "사진 대조")

    request.refresh_from_db()
    assert request.state == SubjectRequest.State.IDENTITY_VERIFIED
    assert (check.method, check.document, check.notes, check.checked_by) == (
        "id_card",
        "주민등록증",
        "사진 대조",
        desk.alice,
    )
    require_identity_checked(request)  # no longer raises
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_VERIFY_IDENTITY)
    assert entry.actor == desk.alice and entry.target_id == str(request.pk)
    assert entry.details == {"method": "id_card", "document": "주민등록증", "proxy": False}


def test_a_proxy_request_needs_the_proxy_letter(desk: Desk) -> None:
    request = make_request(
        desk.institution, subject_is_requester=False, subject_name="홍길순", relationship="자녀"
    )
    for method in ("id_card", "shared_admin_info"):
        with pytest.raises(RequestError, match="대리 청구입니다 \\(정보주체 홍길순\\).*위임장") as refused:
            verify_identity(desk.actor(desk.bob), request, method, "주민등록증")
        assert refused.value.field == "method"
    verify_identity(desk.actor(desk.bob), request, "proxy_letter", "위임장, 대리인 주민등록증")
    assert IdentityCheck.objects.get(request=request).method == "proxy_letter"
    assert AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_VERIFY_IDENTITY).details["proxy"] is True


def test_a_self_request_is_not_checked_through_a_proxy_letter(desk: Desk) -> None:
    request = make_request(desk.institution)
    with pytest.raises(RequestError, match="본인 청구입니다"):
        verify_identity(desk.actor(desk.bob), request, "proxy_letter", "위임장")


@pytest.mark.parametrize(
    ("method", "document", "notes", "field", "message"),
    [
        ("", "주민등록증", "", "method", "확인 방법을 고르세요"),
        ("passport_scan", "주민등록증", "", "method", "확인 방법을 고르세요"),
        ("id_card", "   ", "", "document", "확인한 서류을\\(를\\) 입력하세요"),
        ("id_card", "가" * 201, "", "document", "확인한 서류은\\(는\\) 200자까지"),
        ("id_card", "주민\x00등록증", "", "document", "제어 문자"),
        ("id_card", "주민등록증", "나" * 2001, "notes", "비고은\\(는\\) 2000자까지"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(
    desk: Desk, method: str, document: str, notes: str, field: str, message: str
) -> None:
    request = make_request(desk.institution)
    with pytest.raises(RequestError, match=message) as refused:
        verify_identity(desk.actor(desk.bob), request, method, document, notes)
    assert refused.value.field == field
    request.refresh_from_db()
    assert request.state == SubjectRequest.State.RECEIVED
    assert (
        not IdentityCheck.objects.exists()
        and not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VERIFY_IDENTITY).exists()
    )


def test_a_request_is_checked_once(desk: Desk) -> None:
    request = make_request(desk.institution)
    verify_identity(desk.actor(desk.bob), request, "id_card", "주민등록증")
    with pytest.raises(RequestError, match="'본인 확인 완료' 상태라 본인 확인을 기록할 수 없습니다"):
        verify_identity(desk.actor(desk.bob), request, "id_card", "운전면허증")
    assert IdentityCheck.objects.count() == 1


def test_the_page_records_the_check_and_says_what_is_wrong(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    client = Client()
    log_in(client, desk.alice)
    url = reverse("disclosure:verify_identity", args=[request.pk])

    refused = client.post(url, {"method": "id_card", "document": ""}, follow=True)
    assert "저장하지 않았습니다 — 확인한 서류: 확인한 서류를 입력하세요" in refused.content.decode()
    assert not IdentityCheck.objects.exists()

    done = client.post(url, {"method": "id_card", "document": "운전면허증"}, follow=True)
    html = done.content.decode()
    assert "본인 확인을 기록했습니다 (신분증 대조: 운전면허증)" in html
    assert "진행 상태: <strong>본인 확인 완료</strong>" in html
    assert 'action="/disclosure/' not in html.split('id="identity-check"')[1].split("</p>")[0]
