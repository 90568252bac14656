"""The decision panel and its endpoints (R22, R27, R36): who may decide, record a fee, read a letter;
the requester reads his letters through the status link only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from jikimi.accounts.models import User
from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.models import Decision, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import (
    NOW,
    actor,
    make_request,
    people,
    pinned_clock,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.usefixtures("pinned_clock")
Out = Decision.Outcome


def _decide_url(request: SubjectRequest) -> str:
    return reverse("disclosure:decide", kwargs={"pk": request.pk})


def test_the_head_decides_through_the_form(client, db):
    head = people()["head"]
    request, _ = make_request()
    log_in(client, head)
    page = client.get(reverse("disclosure:decisions", kwargs={"pk": request.pk}))
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        "결정하고 통지서 만들기" in body and "열람 (방문 열람)" in body and "법률에 따라 열람이 금지" in body
    )
    response = client.post(
        _decide_url(request),
        {
            "outcome": Out.VIEWING_ON_SITE,
            "viewing_at": (NOW + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "viewing_place": "관제센터 1층",
            "fee_amount": "3000",
            "fee_status": "unpaid",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.viewing_place == "관제센터 1층" and decision.fee_amount == 3000
    assert decision.viewing_at == NOW + timedelta(days=2)


def test_a_refusal_without_a_ground_is_shown_again_with_the_error(client, db):
    request, _ = make_request()
    log_in(client, people()["head"])
    response = client.post(
        _decide_url(request), {"outcome": Out.REFUSAL, "reasons": "사유", "fee_status": "none"}
    )
    # Shown again on the request's page, as typed, with the error at its field.
    assert response.status_code == 400
    assert "거부·제한 사유: 목록에서 하나 이상 고르세요" in response.content.decode()
    assert not Decision.objects.exists()


def test_an_unknown_outcome_is_named(client, db):
    request, _ = make_request(kind=SubjectRequest.Kind.EXISTENCE)
    log_in(client, people()["head"])
    response = client.post(_decide_url(request), {"outcome": Out.DELETION, "fee_status": "none"})
    assert "결정 내용: 이 청구에 대한 결정 가운데 고르세요" in response.content.decode()


def test_a_handling_officer_sees_the_decisions_but_cannot_decide(client, db):
    request, _ = make_request()
    log_in(client, people()["officer"])
    page = client.get(reverse("disclosure:decisions", kwargs={"pk": request.pk}))
    assert page.status_code == 200 and "결정하고 통지서 만들기" not in page.content.decode()
    assert client.post(_decide_url(request), {"outcome": Out.VIEWING_ONLINE}).status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["auditor", "operator"])
def test_auditor_and_operator_are_refused_everything(client, db, who):
    request, _ = make_request()
    decision = decide(actor(people()["head"]), request, Out.VIEWING_ONLINE)
    log_in(client, User.objects.get(username=who))
    assert client.get(reverse("disclosure:decisions", kwargs={"pk": request.pk})).status_code == 403
    assert client.post(_decide_url(request), {"outcome": Out.VIEWING_ONLINE}).status_code == 403
    assert client.get(reverse("disclosure:letter", kwargs={"pk": request.pk, "number": 1})).status_code == 403
    fee = reverse("disclosure:decision_fee", kwargs={"pk": decision.pk})
    assert client.post(fee, {f"fee{decision.pk}-fee_status": "waived"}).status_code == 403


def test_staff_read_the_letter_and_the_read_is_audited(client, db):
    persons = people()
    request, _ = make_request()
    decision = decide(actor(persons["head"]), request, Out.VIEWING_ONLINE)
    log_in(client, persons["officer"])
    response = client.get(reverse("disclosure:letter", kwargs={"pk": request.pk, "number": 1}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(decision.letter_pdf)
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_VIEW_REQUEST)
    assert entry.details == {"via": "page", "letter": 1} and entry.actor_id == persons["officer"].pk


def test_the_fee_is_recorded_from_the_panel(client, db):
    persons = people()
    request, _ = make_request(kind=SubjectRequest.Kind.COPY)
    decision = decide(actor(persons["head"]), request, Out.COPY)
    log_in(client, persons["officer"])
    prefix = f"fee{decision.pk}"
    response = client.post(
        reverse("disclosure:decision_fee", kwargs={"pk": decision.pk}),
        {
            f"{prefix}-fee_amount": "3000",
            f"{prefix}-fee_status": "paid",
            f"{prefix}-fee_payment": "electronic",
        },
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.fee_amount, decision.fee_status, decision.fee_payment) == (3000, "paid", "electronic")


def test_the_requester_reads_his_letter_through_the_status_link_only(client, db):
    persons = people()
    request, token = make_request()
    other, other_token = make_request()
    decision = decide(actor(persons["head"]), request, Out.VIEWING_ONLINE)
    url = reverse("requests:letter", kwargs={"token": token, "number": 1})
    response = client.get(url)
    assert response.status_code == 200 and response.content == bytes(decision.letter_pdf)
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_VIEW_REQUEST)
    assert entry.details["via"] == "status_link" and entry.actor_id is None
    assert (
        client.get(reverse("requests:letter", kwargs={"token": other_token, "number": 1})).status_code == 404
    )
    assert (
        client.get(reverse("requests:letter", kwargs={"token": token + "x", "number": 1})).status_code == 404
    )
    assert client.get(reverse("requests:letter", kwargs={"token": token, "number": 2})).status_code == 404


def test_the_status_page_part_lists_the_letters(db):
    request, token = make_request()
    decide(actor(people()["head"]), request, Out.VIEWING_ONLINE)
    html = render_to_string(
        "disclosure/public/_letters.html",
        {"subject_request": request, "status_token": token},
        request=RequestFactory().get("/"),
    )
    assert reverse("requests:letter", kwargs={"token": token, "number": 1}) in html
    assert "열람 (마스킹한 영상 온라인 열람)" in html
