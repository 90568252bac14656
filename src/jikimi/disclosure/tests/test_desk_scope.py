"""Who handles which request (R36): the institution's whole-scope handlers see all of its requests,
a department's or group's officers those naming one of their sites, nobody else any; every staff URL
of a request answers 404 (or 403 without the permission at all) to the others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.models import AuditEntry
from jikimi.disclosure import queries, scope
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request

pytestmark = pytest.mark.django_db


def receipts(user: object) -> set[str]:
    return set(scope.requests_for(user).values_list("receipt_number", flat=True))


def test_each_handler_sees_the_requests_of_their_scope(desk: Desk) -> None:
    gate = make_request(desk.institution, locations=[desk.gate], receipt_number="2026-00001")
    hall = make_request(desk.institution, locations=[desk.hall], receipt_number="2026-00002")
    both = make_request(desk.institution, locations=[desk.gate, desk.hall], receipt_number="2026-00003")
    typed = make_request(desk.institution, place_text="시장 앞 사거리", receipt_number="2026-00004")
    elsewhere = make_request(desk.other, receipt_number="2026-00001")

    assert receipts(desk.bob) == {"2026-00001", "2026-00002", "2026-00003", "2026-00004"}
    assert receipts(desk.alice) == {gate.receipt_number, both.receipt_number}
    assert receipts(desk.head) == {gate.receipt_number, both.receipt_number}
    assert receipts(desk.charlie) == {hall.receipt_number, both.receipt_number}
    # A typed place only: the institution-wide handlers first, not every department.
    assert typed.receipt_number not in receipts(desk.alice) | receipts(desk.charlie)
    assert receipts(desk.operator) == receipts(desk.auditor) == set()
    assert set(scope.requests_for(desk.other_officer)) == {elsewhere}


def test_a_location_of_another_institution_opens_nothing(desk: Desk) -> None:
    # A request of 광양시 naming (wrongly) 인천's site: 인천's department officers still do not see it.
    stray = make_request(desk.other, locations=[desk.gate])
    assert stray not in scope.requests_for(desk.alice)
    assert stray in scope.requests_for(desk.other_officer)


def test_the_people_to_remind_are_those_who_handle_it(desk: Desk) -> None:
    gate = make_request(desk.institution, locations=[desk.gate])
    assert [u.username for u in queries.handlers_of(gate)] == ["alice", "bob", "head"]
    assert [u.username for u in queries.privacy_officers(desk.institution)] == ["bob"]


def urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("GET", reverse("disclosure:request", args=[pk])),
        ("POST", reverse("disclosure:verify_identity", args=[pk])),
        ("POST", reverse("disclosure:postpone", args=[pk])),
        ("POST", reverse("disclosure:close", args=[pk])),
        ("POST", reverse("disclosure:withdraw", args=[pk])),
    ]


@pytest.mark.parametrize("who", ["operator", "auditor", "charlie", "other_officer"])
def test_everyone_else_is_refused_at_every_url_and_nothing_changes(desk: Desk, who: str) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    client = Client()
    log_in(client, getattr(desk, who))
    index = client.get(reverse("disclosure:index"))
    if who in ("operator", "auditor"):
        assert index.status_code == 403
    else:
        assert index.status_code == 200
        assert request.receipt_number not in index.content.decode()
    for method, url in urls(request.pk):
        data = {"method": "id_card", "document": "주민등록증", "reason": "사유", "new_due_on": "2030-01-02"}
        response = client.get(url) if method == "GET" else client.post(url, data)
        assert response.status_code in (403, 404), (who, url, response.status_code)
        assert "홍길동" not in response.content.decode()
    request.refresh_from_db()
    assert request.state == SubjectRequest.State.RECEIVED
    assert not AuditEntry.objects.filter(target_type="disclosure.SubjectRequest").exists()


def test_anonymous_is_sent_to_log_in(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    for _method, url in [("GET", reverse("disclosure:index")), *urls(request.pk)]:
        response = Client().get(url)
        assert response.status_code in (302, 405)
