"""A request naming sites of two departments (R36, disclosure.scope): each department's officer sees
and handles it; neither department's decision-maker can decide it alone (nor set its fee or read its
letters); an institution-wide grant (the privacy officer) can."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jikimi.accounts.permissions import Permission
from jikimi.accounts.testing import log_in, make_user
from jikimi.disclosure import scope
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request

pytestmark = pytest.mark.django_db

DECIDE = Permission.DECIDE_REQUESTS


def test_each_department_sees_it_neither_decides_it_alone_the_institution_does(desk: Desk) -> None:
    both = make_request(desk.institution, locations=[desk.gate, desk.hall])
    hall_head = make_user("hall-head", "operating_head", desk.institution, device_groups=[desk.admin])

    for officer in (desk.alice, desk.charlie, desk.head, hall_head, desk.bob):
        assert scope.may_handle(officer, both), officer.username
        assert both in scope.requests_for(officer)
    # head decides for 교통행정과's cameras, hall_head for 총무과's: each only half of the request.
    assert not scope.may_answer_for(desk.head, DECIDE, both)
    assert not scope.may_answer_for(hall_head, DECIDE, both)
    assert scope.may_answer_for(desk.bob, DECIDE, both)
    # A request on one department's site only is that department's head's to decide.
    assert scope.may_answer_for(desk.head, DECIDE, make_request(desk.institution, locations=[desk.gate]))

    for user in (desk.alice, desk.charlie):
        client = Client()
        log_in(client, user)
        assert client.get(reverse("disclosure:request", args=[both.pk])).status_code == 200
    for user in (desk.head, hall_head):
        client = Client()
        log_in(client, user)
        assert client.get(reverse("disclosure:decisions", args=[both.pk])).status_code == 200
        refused = client.post(reverse("disclosure:decide", args=[both.pk]), {"outcome": "refusal"})
        assert refused.status_code == 403, user.username
    assert not both.decisions.exists()
