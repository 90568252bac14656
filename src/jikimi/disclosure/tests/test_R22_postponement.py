"""R22 (법 제35조③ 단서, 시행령 제41조⑤): a postponement gives a reason and a later date, is audited,
and the requester is told both with the way to object (through a real SMTP server)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from email.header import decode_header, make_header

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.postponement import postpone
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import SEOUL

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)  # Monday; due on Thursday 2026-12-03


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def subject(message: object) -> str:
    return str(make_header(decode_header(message["Subject"])))  # type: ignore[index]


def body(message: object) -> str:
    """The text part of the mail (the letter is attached beside it)."""
    for part in message.walk():  # type: ignore[attr-defined]
        if part.get_content_type() == "text/plain":
            return str(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
    raise AssertionError("no text part")


def test_the_new_date_and_reason_are_kept_audited_and_mailed(desk: Desk, smtp_inbox: object) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    assert request.due_on == date(2026, 12, 3)

    postpone(desk.actor(desk.alice), request, date(2026, 12, 14), "영상 속 제3자 다수: 마스킹에 시간이 걸림")

    request.refresh_from_db()
    assert (request.due_on, request.postponed_from) == (date(2026, 12, 14), date(2026, 12, 3))
    assert request.postponement_reason == "영상 속 제3자 다수: 마스킹에 시간이 걸림"
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_POSTPONE)
    assert entry.reason == "영상 속 제3자 다수: 마스킹에 시간이 걸림"
    postponement = request.postponements.get()
    assert entry.details == {
        "postponement": 1,
        "due_on": "2026-12-14",
        "previous_due_on": "2026-12-03",
        "late": False,
        "letter_sha256": postponement.letter_sha256,
    }
    ((to, message),) = smtp_inbox.received()  # type: ignore[attr-defined]
    assert to == ["hong@example.org"]
    assert subject(message) == "[인천광역시] 처리 기한 연장 통지 (접수번호 2026-00001)"
    text = body(message)
    assert "2026년 12월 03일에서 2026년 12월 14일로 연장" in text
    assert "연장 사유: 영상 속 제3자 다수: 마스킹에 시간이 걸림" in text
    assert "행정심판" in text and "행정소송" in text and "118" in text and "분쟁조정위원회" in text


def test_a_second_postponement_keeps_the_first_due_date(desk: Desk, smtp_inbox: object) -> None:
    request = make_request(desk.institution)
    postpone(desk.actor(desk.bob), request, date(2026, 12, 14), "사유 하나")
    postpone(desk.actor(desk.bob), request, date(2026, 12, 21), "사유 둘")
    request.refresh_from_db()
    assert (request.due_on, request.postponed_from, request.postponement_reason) == (
        date(2026, 12, 21),
        date(2026, 12, 3),
        "사유 둘",
    )


@pytest.mark.parametrize(
    ("new_due_on", "reason", "field", "message"),
    [
        (date(2026, 12, 14), "  ", "reason", "연장 사유을\\(를\\) 입력하세요"),
        (date(2026, 12, 3), "사유", "new_due_on", "지금의 기한\\(2026-12-03\\)보다 늦어야 합니다"),
        (date(2026, 12, 1), "사유", "new_due_on", "보다 늦어야 합니다"),
        (date(2027, 3, 1), "사유", "new_due_on", "60일 안이어야"),
        (date(2026, 12, 12), "사유", "new_due_on", "토요일·공휴일"),
        (date(2026, 12, 25), "사유", "new_due_on", "토요일·공휴일"),  # 성탄절
    ],
)
def test_a_bad_postponement_is_refused_naming_the_field(
    desk: Desk, smtp_inbox: object, new_due_on: date, reason: str, field: str, message: str
) -> None:
    request = make_request(desk.institution)
    with pytest.raises(RequestError, match=message) as refused:
        postpone(desk.actor(desk.bob), request, new_due_on, reason)
    assert refused.value.field == field
    request.refresh_from_db()
    assert request.due_on == date(2026, 12, 3) and request.postponed_from is None
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_POSTPONE).exists()
    assert not request.postponements.exists()
    assert smtp_inbox.received() == []  # type: ignore[attr-defined]


def test_a_decided_request_is_not_postponed(desk: Desk, smtp_inbox: object) -> None:
    request = make_request(desk.institution, state=SubjectRequest.State.DECIDED)
    with pytest.raises(RequestError, match="결정 전에만"):
        postpone(desk.actor(desk.bob), request, date(2026, 12, 14), "사유")


def test_the_page_postpones_and_shows_the_new_clock(desk: Desk, smtp_inbox: object) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    client = Client()
    log_in(client, desk.alice)
    url = reverse("disclosure:postpone", args=[request.pk])
    refused = client.post(url, {"new_due_on": "2026-12-14", "reason": ""}, follow=True).content.decode()
    assert "저장하지 않았습니다 — 연장 사유: 연장 사유를 입력하세요" in refused
    html = client.post(
        url, {"new_due_on": "2026-12-14", "reason": "제3자 마스킹"}, follow=True
    ).content.decode()
    assert "처리 기한을 2026-12-14로 연장했습니다. 청구인에게 전자우편으로 알렸습니다." in html
    assert "원래 기한 2026-12-03 — 사유: 제3자 마스킹" in html
    assert "21일 남음" in html
    history = html.split('id="history"', 1)[1]
    assert "처리 기한 연장" in history and "이전 처리 기한: 2026-12-03" in history
