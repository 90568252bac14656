"""The operating committee (오산시 지침 제24조): terms enforced by jikimi.rules, meetings, agenda items and
decisions linked to the provisions they reviewed; each change audited."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.actions import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.committee import add_term, appoint_member
from jikimi.control.actions.room import RoomError
from jikimi.control.models import AgendaItem, CommitteeMember, Decision, Meeting
from jikimi.control.tests.room_world import MONDAY_10, room_people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MONDAY_10, tick=False):
        yield


@pytest.fixture
def people():
    return room_people()


def actor(user):
    return Actor.for_user(user, "10.0.0.5")


def a_provision(people):
    """A provision case of 오산시 made through the ORM (the provision actions are disclosure's)."""
    from django.utils import timezone

    from jikimi.disclosure.models import ProvisionCase
    from jikimi.disclosure.tests.ledger_world import police

    now = timezone.now()
    return ProvisionCase.objects.create(
        institution=people["osan"],
        case_number="2026-P0001",
        body=police(people["osan"], "오산경찰서"),
        channel=ProvisionCase.Channel.PAPER,
        state=ProvisionCase.State.APPROVED,
        requester_department="형사과",
        requester_position="경위",
        requester_name="최수사",
        letter_number="형사과-1234",
        letter_date=now.date(),
        legal_ground="7",
        ground_detail="형사소송법 제199조",
        purpose="뺑소니 사건 수사",
        received_at=now,
        received_by=people["privacy"],
        prepared_by=people["privacy"],
        prepared_at=now,
        decided_by=people["privacy"],
        decided_at=now,
        approval_kind=ProvisionCase.ApprovalKind.PRIVACY_OFFICER,
        delivery=ProvisionCase.Delivery.PACKAGE,
    )


def test_an_appointed_member_renews_once_and_no_more(people):
    member = appoint_member(
        actor(people["privacy"]),
        people["osan"],
        name="최위원",
        affiliation="오산시민연대",
        kind="appointed",
        office="member",
        recommended_by="시민사회단체",
        starts_on=date(2023, 1, 1),
        ends_on=date(2024, 12, 31),
    )
    renewal = add_term(
        actor(people["privacy"]), member, starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31)
    )
    assert renewal.renewal
    with pytest.raises(RoomError, match="1회에 한하여 연임"):
        add_term(actor(people["privacy"]), member, starts_on=date(2027, 1, 1), ends_on=date(2028, 12, 31))
    assert member.terms.count() == 2
    assert AuditEntry.objects.filter(action="control.add_term").get().details["renewal"] is True


def test_an_ex_officio_member_has_no_term_and_an_appointed_one_must(people):
    appoint_member(
        actor(people["privacy"]),
        people["osan"],
        name="오서장",
        affiliation="오산경찰서 생활안전과장",
        kind="ex_officio",
        office="member",
    )
    with pytest.raises(RoomError, match="임기"):
        appoint_member(
            actor(people["privacy"]),
            people["osan"],
            name="최위원",
            affiliation="전문가",
            kind="appointed",
            office="member",
        )
    with pytest.raises(RoomError, match="임기는 2년"):
        appoint_member(
            actor(people["privacy"]),
            people["osan"],
            name="최위원",
            affiliation="전문가",
            kind="appointed",
            office="member",
            starts_on=date(2027, 1, 1),
            ends_on=date(2029, 6, 30),
        )
    assert CommitteeMember.objects.count() == 1  # nothing half-written


def test_meeting_agenda_and_decision_linked_to_a_provision_through_the_page(client, people):
    case = a_provision(people)
    log_in(client, people["privacy"])
    url = reverse("control:committee_member", args=["osan"])
    response = client.post(
        url,
        {
            "name": "최위원",
            "affiliation": "전문가",
            "kind": "appointed",
            "office": "member",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    response = client.post(
        reverse("control:committee_meeting", args=["osan"]),
        {"title": "2026년 제2차 운영위원회", "held_on": "2026-12-01", "attendees": [member.pk]},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    response = client.post(
        reverse("control:committee_agenda", args=["osan"]),
        {"meeting": meeting.pk, "topic": "out_of_purpose", "title": "경찰 제공 건 사후 심의"},
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    cases = [case]
    response = client.post(
        reverse("control:committee_decision", args=["osan"]),
        {
            "item": item.pk,
            "resolution": "adopted",
            "text": "제공이 적법했음을 확인",
            "provisions": [c.pk for c in cases],
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert list(decision.provisions.all()) == cases
    page = client.get(reverse("control:committee", args=["osan"])).content.decode()
    assert "보유목적 외 이용·제공 심의" in page and "원안 의결" in page and "최위원" in page
    actions = set(AuditEntry.objects.filter(action__startswith="control.").values_list("action", flat=True))
    assert actions == {
        "control.appoint_member",
        "control.record_meeting",
        "control.add_agenda_item",
        "control.record_decision",
    }


def test_a_term_past_the_limit_is_refused_on_the_page_in_korean(client, people):
    log_in(client, people["privacy"])
    response = client.post(
        reverse("control:committee_member", args=["osan"]),
        {
            "name": "최위원",
            "affiliation": "전문가",
            "kind": "appointed",
            "office": "member",
            "starts_on": "2027-01-01",
            "ends_on": "2029-06-30",
        },
    )
    assert response.status_code == 400
    assert "위촉직 위원의 임기는 2년입니다" in response.content.decode()


def test_the_committee_page_is_refused_to_operators_and_auditors(client, people):
    for who in ("op1", "auditor", "other_head"):
        client.logout()
        log_in(client, people[who])
        assert client.get(reverse("control:committee", args=["osan"])).status_code == 403, who
