"""R22 (법 제35조③ 단서, 시행령 제41조⑤; issue 13: "every postponement is a letter"): each postponement
is kept with its PDF letter — the old and new dates, the reason and the appeal routes — attached to the
mail, listed for the staff and on the requester's status page, and readable only with that request's
token; an institution's own template wins."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.postponement import postpone
from jikimi.disclosure.models import Postponement, SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import SEOUL
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze
from jikimi.rules.refusal_grounds import APPEAL_ROUTES

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)  # Monday; due on Thursday 2026-12-03
TOKEN = "postponement-letters-token".ljust(43, "x")
OTHER_TOKEN = "postponement-letters-other".ljust(43, "y")


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def with_token(desk: Desk, token: str) -> SubjectRequest:
    return make_request(
        desk.institution,
        locations=[desk.gate],
        status_token_hash=hashlib.sha256(token.encode()).hexdigest(),
    )


def test_the_letter_has_both_dates_the_reason_and_the_appeal_routes(desk: Desk, smtp_inbox: object) -> None:
    request = with_token(desk, TOKEN)
    postpone(desk.actor(desk.alice), request, date(2026, 12, 14), "영상 속 제3자 다수: 마스킹에 시간이 걸림")

    postponement = Postponement.objects.get(request=request)
    assert (postponement.number, postponement.previous_due_on, postponement.new_due_on) == (
        1,
        date(2026, 12, 3),
        date(2026, 12, 14),
    )
    assert postponement.postponed_by == desk.alice
    assert postponement.letter_template == "disclosure/letters/postponement.html"
    pdf = bytes(postponement.letter_pdf)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == postponement.letter_sha256
    text = squeeze(pdf_text(pdf))
    assert "처리기한연장통지서" in text and request.receipt_number in text
    assert "2026-12-03" in text and "2026-12-14" in text
    assert squeeze("영상 속 제3자 다수: 마스킹에 시간이 걸림") in text
    for route in APPEAL_ROUTES:
        assert squeeze(route.name) in text and squeeze(route.contact) in text
    assert "인천광역시" in text


def test_two_postponements_are_two_letters_each_mailed_as_a_pdf(desk: Desk, smtp_inbox: object) -> None:
    request = with_token(desk, TOKEN)
    postpone(desk.actor(desk.bob), request, date(2026, 12, 14), "사유 하나")
    postpone(desk.actor(desk.bob), request, date(2026, 12, 21), "사유 둘")

    first, second = Postponement.objects.filter(request=request).order_by("number")
    assert (first.number, first.previous_due_on, first.new_due_on, first.reason) == (
        1,
        date(2026, 12, 3),
        date(2026, 12, 14),
        "사유 하나",
    )
    assert (second.number, second.previous_due_on, second.new_due_on, second.reason) == (
        2,
        date(2026, 12, 14),
        date(2026, 12, 21),
        "사유 둘",
    )
    assert "사유둘" in squeeze(pdf_text(bytes(second.letter_pdf)))
    assert "사유하나" not in squeeze(pdf_text(bytes(second.letter_pdf)))

    mails = smtp_inbox.received()  # type: ignore[attr-defined]
    assert len(mails) == 2
    for (to, message), kept in zip(mails, (first, second), strict=True):
        assert to == ["hong@example.org"]
        pdfs = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
        assert len(pdfs) == 1
        assert pdfs[0].get_payload(decode=True) == bytes(kept.letter_pdf)
        assert pdfs[0].get_filename() == f"연장통지서-{request.receipt_number}-{kept.number}.pdf"


def test_the_status_page_lists_the_letter_and_only_its_token_opens_it(desk: Desk, smtp_inbox: object) -> None:
    request = with_token(desk, TOKEN)
    with_token(desk, OTHER_TOKEN)
    postpone(desk.actor(desk.bob), request, date(2026, 12, 14), "제3자 마스킹")
    letter_url = reverse("requests:postponement_letter", kwargs={"token": TOKEN, "number": 1})

    client = Client()
    page = client.get(reverse("requests:status", kwargs={"token": TOKEN})).content.decode()
    assert letter_url in page and "처리 기한 연장 1: 2026-12-03 → 2026-12-14" in page
    other_page = client.get(reverse("requests:status", kwargs={"token": OTHER_TOKEN})).content.decode()
    assert "처리 기한 연장" not in other_page

    response = client.get(letter_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(request.postponements.get().letter_pdf)
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_VIEW_REQUEST)
    assert entry.details == {"via": "status_link", "letter": "연장 1"} and entry.actor_id is None

    for token, number in ((OTHER_TOKEN, 1), (TOKEN + "x", 1), (TOKEN, 2)):
        url = reverse("requests:postponement_letter", kwargs={"token": token, "number": number})
        assert client.get(url).status_code == 404


def test_staff_see_the_letters_on_the_request_page_and_reads_are_audited(
    desk: Desk, smtp_inbox: object
) -> None:
    request = with_token(desk, TOKEN)
    postpone(desk.actor(desk.alice), request, date(2026, 12, 14), "제3자 마스킹")
    url = reverse("disclosure:postponement_letter", kwargs={"pk": request.pk, "number": 1})

    client = Client()
    log_in(client, desk.alice)
    page = client.get(reverse("disclosure:request", kwargs={"pk": request.pk})).content.decode()
    table = page.split('id="postponements"', 1)[1].split("</table>", 1)[0]
    assert url in table and "2026-12-03" in table and "2026-12-14" in table and "제3자 마스킹" in table
    response = client.get(url)
    assert response.status_code == 200 and response.content == bytes(request.postponements.get().letter_pdf)
    entry = AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VIEW_REQUEST).latest("sequence")
    assert entry.details == {"via": "page", "letter": "연장 1"} and entry.actor_id == desk.alice.pk

    # Charlie handles 총무과's requests only; this one names 교통행정과's gate.
    log_in(client, desk.charlie)
    assert client.get(url).status_code == 403


def test_an_institution_with_its_own_template_gets_it(
    desk: Desk, smtp_inbox: object, settings: Any, tmp_path: Path
) -> None:
    own = tmp_path / "templates" / "disclosure" / "letters" / desk.institution.slug
    own.mkdir(parents=True)
    (own / "postponement.html").write_text(
        '{% extends "disclosure/letters/postponement.html" %}'
        "{% block heading %}인천 전용 연장 통지서{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    request = with_token(desk, TOKEN)
    postpone(desk.actor(desk.bob), request, date(2026, 12, 14), "제3자 마스킹")
    postponement = request.postponements.get()
    assert postponement.letter_template == f"disclosure/letters/{desk.institution.slug}/postponement.html"
    text = squeeze(pdf_text(bytes(postponement.letter_pdf)))
    assert "인천전용연장통지서" in text and "2026-12-14" in text
