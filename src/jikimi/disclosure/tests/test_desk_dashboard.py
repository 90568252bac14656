"""The staff home page says, to each handler within their scope: "열람 등 청구: N건 처리 중, 기한 임박 M건"
(and those overdue), each linking to the request (법 제35조③, R22; R36)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import SEOUL

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)  # a Tuesday


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def items(user: object) -> tuple[dict[str, int], str]:
    client = Client()
    log_in(client, user)
    response = client.get(reverse("home"))
    found = {i.key: i.count for s in response.context["sections"] if s.key == "requests" for i in s.items}
    return found, response.content.decode()


def test_each_handler_counts_the_requests_of_their_scope(desk: Desk) -> None:
    make_request(
        desk.institution, locations=[desk.gate], receipt_number="2026-00001", due_on=date(2026, 12, 3)
    )
    make_request(
        desk.institution, locations=[desk.gate], receipt_number="2026-00002", due_on=date(2026, 12, 10)
    )
    make_request(
        desk.institution, locations=[desk.hall], receipt_number="2026-00003", due_on=date(2026, 11, 30)
    )
    make_request(
        desk.institution,
        locations=[desk.gate],
        receipt_number="2026-00004",
        due_on=date(2026, 11, 20),
        state=SubjectRequest.State.DECIDED,
    )
    make_request(
        desk.institution,
        receipt_number="2026-00005",
        due_on=date(2026, 11, 20),
        state=SubjectRequest.State.CLOSED,
    )

    bob, html = items(desk.bob)
    assert bob == {"requests_open": 4, "requests_due_soon": 1, "requests_overdue": 1}
    assert "2026-00001 열람 — 기한 2026-12-03 (2일 남음)" in html
    assert "2026-00003 열람 — 기한 2026-11-30 (1일 지남)" in html
    assert reverse("disclosure:index") in html

    alice, html = items(desk.alice)
    assert alice == {"requests_open": 3, "requests_due_soon": 1, "requests_overdue": 0}
    assert "2026-00003" not in html

    charlie, _ = items(desk.charlie)
    assert charlie == {"requests_open": 1, "requests_due_soon": 0, "requests_overdue": 1}


@pytest.mark.parametrize("who", ["operator", "auditor"])
def test_who_handles_no_request_sees_no_section(desk: Desk, who: str) -> None:
    make_request(desk.institution, locations=[desk.gate])
    found, html = items(getattr(desk, who))
    assert found == {} and "열람 등 청구" not in html
