"""The status link's letter downloads are limited per client address, like the public form (issue 13:
"the form resists abuse: rate limits per address"): past JIKIMI_REQUEST_LETTER_READS_PER_ADDRESS_PER_HOUR
letters an hour the address gets a Korean page with HTTP 429 — decision and postponement letters count
together, another address is not held back, and the next hour opens again. Nothing is served or audited
past the limit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.actions.identity import verify_identity
from jikimi.disclosure.actions.postponement import postpone
from jikimi.disclosure.models import Decision
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import SEOUL

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)
TOKEN = "letter-limit-token".ljust(43, "x")


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def letters(desk: Desk, settings: Any) -> tuple[str, str]:
    settings.JIKIMI_REQUEST_LETTER_READS_PER_ADDRESS_PER_HOUR = 3
    request = make_request(
        desk.institution,
        locations=[desk.gate],
        status_token_hash=hashlib.sha256(TOKEN.encode()).hexdigest(),
    )
    postpone(desk.actor(desk.alice), request, date(2026, 12, 14), "제3자 마스킹")
    verify_identity(desk.actor(desk.alice), request, "id_card", "주민등록증", "")
    decide(desk.actor(desk.bob), request, Decision.Outcome.NOT_FOUND)
    return (
        reverse("requests:letter", kwargs={"token": TOKEN, "number": 1}),
        reverse("requests:postponement_letter", kwargs={"token": TOKEN, "number": 1}),
    )


def reads() -> int:
    return AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VIEW_REQUEST).count()


def test_past_the_limit_an_address_gets_a_korean_429(letters: tuple[str, str]) -> None:
    decision_letter, postponement_letter = letters
    client = Client(REMOTE_ADDR="203.0.113.7")
    for url in (decision_letter, postponement_letter, decision_letter):
        assert client.get(url).status_code == 200
    for url in (decision_letter, postponement_letter):
        refused = client.get(url)
        page = refused.content.decode()
        assert refused.status_code == 429 and refused["Content-Type"].startswith("text/html")
        assert "한 시간에 통지서를 3번까지" in page and "%PDF" not in page
        assert refused["Retry-After"] == "3600"
    assert reads() == 3  # the refused reads served nothing and were not audited as reads

    # Another address is not held back by this one.
    assert Client(REMOTE_ADDR="198.51.100.9").get(decision_letter).status_code == 200


def test_the_next_hour_opens_again(letters: tuple[str, str]) -> None:
    decision_letter, _ = letters
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert client.get(decision_letter).status_code == 200
    assert client.get(decision_letter).status_code == 429
    with time_machine.travel(NOW + timedelta(hours=1, minutes=1), tick=False):
        assert client.get(decision_letter).status_code == 200


def test_staff_reads_do_not_count(letters: tuple[str, str], desk: Desk) -> None:
    decision_letter, _ = letters
    staff = Client()
    log_in(staff, desk.bob)
    staff_url = reverse("disclosure:letter", kwargs={"pk": Decision.objects.get().request_id, "number": 1})
    for _ in range(4):
        assert staff.get(staff_url).status_code == 200
    assert Client().get(decision_letter).status_code == 200
