"""Closing a decided request, or withdrawing one before its decision (청구 취하): audited, and the
legal hold placed at intake on the footage it names ends with it (R18)."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.closing import close_request, withdraw_request
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.tests.conftest import SETUP, Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import today
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.models import Destruction, LegalHold
from jikimi.vault.tests.conftest import synthetic_segment

pytestmark = pytest.mark.django_db(transaction=True)


def held(desk: Desk, request: SubjectRequest) -> LegalHold:
    """The hold the intake places: the request's window on its devices, under its reference."""
    synthetic_segment(desk.gate_camera, request.period_start + timedelta(minutes=5))
    return place_hold(
        SETUP,
        desk.gate_camera,
        request.period_start - timedelta(hours=1),
        request.period_end + timedelta(hours=1),
        basis=f"열람 등 청구 {request.receipt_number}",
        requester=request.requester_name,
        ends_on=today() + timedelta(days=60),
        case_reference=request.hold_reference,
    )


def test_closing_a_decided_request_ends_its_hold_and_tells_the_requester(
    desk: Desk, smtp_inbox: object
) -> None:
    request = make_request(desk.institution, locations=[desk.gate], state=SubjectRequest.State.DECIDED)
    hold = held(desk, request)
    other = place_hold(
        SETUP,
        desk.gate_camera,
        request.period_start,
        request.period_end,
        basis="수사기관 보존 요청",
        requester="경찰서",
        ends_on=today() + timedelta(days=60),
        case_reference="police:1",
    )

    ending = close_request(desk.actor(desk.alice), request, "사본 교부 완료")

    request.refresh_from_db()
    assert request.state == SubjectRequest.State.CLOSED and request.closed_at is not None
    assert [e.hold.pk for e in ending.holds_ended] == [hold.pk] and ending.hold_problem == ""
    hold.refresh_from_db()
    other.refresh_from_db()
    assert hold.released_at is not None and other.released_at is None
    assert Destruction.objects.filter(hold=hold).exists()
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_CLOSE)
    assert (entry.reason, entry.details) == ("사본 교부 완료", {"previous_state": "decided"})
    ended = AuditEntry.objects.get(action=AuditEvent.VAULT_END_HOLD_FOR_CASE)
    assert request.hold_reference in ended.reason and "청구 종결: 사본 교부 완료" in ended.reason
    ((to, message),) = smtp_inbox.received()  # type: ignore[attr-defined]
    assert to == ["hong@example.org"]
    assert "청구 종결 안내" in str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode("utf-8")
    assert request.receipt_number in body and "종결했습니다" in body and "사유: 사본 교부 완료" in body


def test_withdrawing_before_the_decision_ends_the_hold_and_tells_the_requester(
    desk: Desk, smtp_inbox: object
) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    hold = held(desk, request)
    withdraw_request(desk.actor(desk.bob), request, "청구인이 전화로 취하")
    request.refresh_from_db()
    hold.refresh_from_db()
    assert request.state == SubjectRequest.State.WITHDRAWN and hold.released_at is not None
    assert AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_WITHDRAW).reason == "청구인이 전화로 취하"
    ((to, _message),) = smtp_inbox.received()  # type: ignore[attr-defined]
    assert to == ["hong@example.org"]


@pytest.mark.parametrize(
    ("state", "step", "message"),
    [
        (SubjectRequest.State.RECEIVED, close_request, "'접수' 상태라 종결할 수 없습니다"),
        (SubjectRequest.State.IDENTITY_VERIFIED, close_request, "종결할 수 없습니다"),
        (SubjectRequest.State.CLOSED, close_request, "'종결' 상태라 종결할 수 없습니다"),
        (SubjectRequest.State.DECIDED, withdraw_request, "'결정 통지' 상태라 취하할 수 없습니다"),
        (SubjectRequest.State.WITHDRAWN, withdraw_request, "취하할 수 없습니다"),
    ],
)
def test_a_request_ends_only_from_the_right_state_and_keeps_its_hold(
    desk: Desk, state: str, step: object, message: str
) -> None:
    request = make_request(desk.institution, locations=[desk.gate], state=state)
    hold = held(desk, request)
    with pytest.raises(RequestError, match=message):
        step(desk.actor(desk.bob), request, "사유")  # type: ignore[operator]
    hold.refresh_from_db()
    assert hold.released_at is None
    request.refresh_from_db()
    assert request.state == state


def test_a_reason_is_required(desk: Desk) -> None:
    request = make_request(desk.institution, state=SubjectRequest.State.DECIDED)
    with pytest.raises(RequestError, match="종결 사유을\\(를\\) 입력하세요") as refused:
        close_request(desk.actor(desk.bob), request, " ")
    assert refused.value.field == "reason"


def test_the_page_closes_and_withdraws(desk: Desk) -> None:
    decided = make_request(desk.institution, locations=[desk.gate], state=SubjectRequest.State.DECIDED)
    waiting = make_request(desk.institution, locations=[desk.gate], requester_email="")
    client = Client()
    log_in(client, desk.alice)
    page = client.get(reverse("disclosure:request", args=[decided.pk])).content.decode()
    assert "종결 사유" in page and "취하 사유" not in page
    html = client.post(
        reverse("disclosure:close", args=[decided.pk]), {"reason": "열람 완료"}, follow=True
    ).content.decode()
    assert "청구를 종결했습니다." in html and "진행 상태: <strong>종결</strong>" in html
    refused = client.post(reverse("disclosure:withdraw", args=[waiting.pk]), {"reason": ""}, follow=True)
    assert "저장하지 않았습니다 — 사유: 사유를 입력하세요" in refused.content.decode()
    html = client.post(
        reverse("disclosure:withdraw", args=[waiting.pk]), {"reason": "방문 취하"}, follow=True
    ).content.decode()
    assert "청구를 취하 처리했습니다." in html and timezone.localdate().isoformat() in html
