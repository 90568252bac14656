"""The desk's forms keep what the officer typed when a step is refused (KRDS, as the public 청구서 does):
the request's page is shown again with HTTP 400, each form as it was filled in, the error written at
its field and summed up above — the identity check, the postponement, the decision, the fee, closing
and withdrawal. Nothing is saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.actions.identity import verify_identity
from jikimi.disclosure.models import Decision, IdentityCheck, Postponement, SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.disclosure.tests.page_forms import form_on
from jikimi.lib.clock import SEOUL

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)  # Monday; the request is due on 2026-12-03


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def desk_client(desk: Desk, who: str = "alice") -> Client:
    client = Client()
    log_in(client, getattr(desk, who))
    return client


def refused_form(client: Client, url: str, posted: dict[str, str]) -> tuple[str, dict, list[str]]:
    response = client.post(url, posted)
    page = response.content.decode()
    assert response.status_code == 400, page[-2000:]
    values, errors = form_on(page, url)
    return page, values, errors


def test_the_identity_check_keeps_the_method_and_the_notes(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    url = reverse("disclosure:verify_identity", args=[request.pk])
    page, values, errors = refused_form(
        desk_client(desk), url, {"method": "id_card", "document": "", "notes": "창구에서 원본 대조"}
    )
    assert values["method"] == ["id_card"] and values["notes"][0].strip() == "창구에서 원본 대조"
    assert errors == ["확인한 서류: 확인한 서류를 입력하세요"]
    assert "저장하지 않았습니다 — 확인한 서류: 확인한 서류를 입력하세요" in page

    # Refused by the action (a proxy request checked by ID card only): the typed document stays.
    proxy = make_request(
        desk.institution, locations=[desk.gate], subject_is_requester=False, subject_name="홍아들"
    )
    url = reverse("disclosure:verify_identity", args=[proxy.pk])
    _, values, errors = refused_form(desk_client(desk), url, {"method": "id_card", "document": "운전면허증"})
    assert values["document"] == ["운전면허증"] and values["method"] == ["id_card"]
    assert len(errors) == 1 and errors[0].startswith("확인 방법: 대리 청구입니다")
    assert not IdentityCheck.objects.exists()


def test_the_postponement_keeps_the_date_and_the_reason(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    url = reverse("disclosure:postpone", args=[request.pk])
    reason = "영상 속 제3자가 많아 마스킹에 시간이 걸림"
    # 2026-12-12 is a Saturday: refused by the action, at the date's field.
    _, values, errors = refused_form(desk_client(desk), url, {"new_due_on": "2026-12-12", "reason": reason})
    assert values["new_due_on"] == ["2026-12-12"] and values["reason"][0].strip() == reason
    assert errors == ["새 처리 기한: 새 처리 기한(2026-12-12)이 토요일·공휴일입니다: 근무일을 고르세요"]
    _, values, errors = refused_form(desk_client(desk), url, {"new_due_on": "2026-12-14", "reason": ""})
    assert values["new_due_on"] == ["2026-12-14"] and errors == ["연장 사유: 연장 사유를 입력하세요"]
    assert not Postponement.objects.exists()
    request.refresh_from_db()
    assert request.postponed_from is None


def test_the_decision_keeps_its_outcome_and_reasons(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    verify_identity(desk.actor(desk.alice), request, "id_card", "주민등록증")
    url = reverse("disclosure:decide", args=[request.pk])
    page, values, errors = refused_form(
        desk_client(desk, "bob"),
        url,
        {"outcome": "refusal", "reasons": "수사 중인 사건의 영상", "fee_status": "none"},
    )
    assert values["outcome"] == ["refusal"] and values["reasons"][0].strip() == "수사 중인 사건의 영상"
    assert any(error.startswith("거부·제한 사유:") for error in errors), errors
    # The request's page, not a bare panel: its clock and history are there around the form.
    assert "처리 기한 (개인정보 보호법 제35조③, 제36조: 10일)" in page and 'id="history"' in page
    assert not Decision.objects.exists()


def test_the_fee_keeps_what_was_typed(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate], kind=SubjectRequest.Kind.COPY)
    verify_identity(desk.actor(desk.alice), request, "id_card", "주민등록증")
    decision = decide(desk.actor(desk.bob), request, Decision.Outcome.COPY)
    url = reverse("disclosure:decision_fee", args=[decision.pk])
    prefix = f"fee{decision.pk}"
    page, values, errors = refused_form(
        desk_client(desk, "bob"),
        url,
        {
            f"{prefix}-fee_amount": "-500",
            f"{prefix}-fee_status": "paid",
            f"{prefix}-fee_note": "수입증지 확인",
        },
    )
    assert values[f"{prefix}-fee_amount"] == ["-500"] and values[f"{prefix}-fee_status"] == ["paid"]
    assert values[f"{prefix}-fee_note"] == ["수입증지 확인"]
    assert errors and errors[0].startswith("수수료 (원):")
    assert "<details open>" in page  # the fee form is shown opened, at its error
    decision.refresh_from_db()
    assert decision.fee_status == Decision.FeeStatus.NONE


def test_withdrawal_and_closing_show_their_error_at_the_field(desk: Desk) -> None:
    waiting = make_request(desk.institution, locations=[desk.gate])
    url = reverse("disclosure:withdraw", args=[waiting.pk])
    _, values, errors = refused_form(desk_client(desk), url, {"reason": ""})
    assert errors == ["취하 사유: 사유를 입력하세요"] and values["reason"] == [""]
    long = "취" * 2001
    _, values, errors = refused_form(desk_client(desk), url, {"reason": long})
    assert values["reason"] == [long] and errors[0].startswith("취하 사유:")
    waiting.refresh_from_db()
    assert waiting.state == SubjectRequest.State.RECEIVED
