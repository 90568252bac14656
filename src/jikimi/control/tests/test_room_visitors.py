"""The controlled room (오산시 지침 제22조, 제31조①; R41): prior approval, entry with an escort on the
approved day, exit through the security check; the head's visitors' page."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.actions import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.room import RoomError
from jikimi.control.actions.visitors import decide_visit, record_entry, record_exit, request_visit
from jikimi.control.models import CHECKLIST, Visit
from jikimi.control.tests.room_world import MONDAY_10, room_people

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(MONDAY_10, tick=False):
        yield


@pytest.fixture
def people():
    return room_people()


def actor(user):
    return Actor.for_user(user, "10.0.0.5")


def a_visit(people, **changes):
    values = {
        "visitor_name": "홍길동",
        "organisation": "오산시의회",
        "purpose": "관제센터 견학",
        "visit_on": TODAY,
        "host": "한센터",
    } | changes
    return request_visit(actor(people["op1"]), people["osan"], **values)


def test_no_entry_without_the_heads_prior_approval(people):
    visit = a_visit(people)
    with pytest.raises(RoomError, match="승인된 방문만"):
        record_entry(actor(people["op1"]), visit, badge="V-01", escort=people["op1"])
    with pytest.raises(RoomError, match="권한이 없습니다"):
        decide_visit(actor(people["op1"]), visit, approve=True)
    decide_visit(actor(people["head"]), visit, approve=False, note="일정 불가")
    with pytest.raises(RoomError, match="승인된 방문만"):
        record_entry(actor(people["op1"]), visit, badge="V-01", escort=people["op1"])
    assert AuditEntry.objects.filter(action="control.refuse_visit").get().reason == "일정 불가"


def test_a_refusal_needs_a_reason_and_a_decision_is_made_once(people):
    visit = a_visit(people)
    with pytest.raises(RoomError, match="의견을"):
        decide_visit(actor(people["head"]), visit, approve=False)
    decide_visit(actor(people["head"]), visit, approve=True)
    with pytest.raises(RoomError, match="이미 처리된"):
        decide_visit(actor(people["head"]), visit, approve=True)


def test_entry_only_on_the_approved_day_and_with_a_staff_escort(people):
    tomorrow = a_visit(people, visit_on=date(2026, 12, 8))
    decide_visit(actor(people["head"]), tomorrow, approve=True)
    with pytest.raises(RoomError, match="방문일"):
        record_entry(actor(people["op1"]), tomorrow, badge="V-01", escort=people["op1"])
    today = a_visit(people)
    decide_visit(actor(people["head"]), today, approve=True)
    with pytest.raises(RoomError, match="동행자"):
        record_entry(actor(people["op1"]), today, badge="V-01", escort=people["officer"])


def test_a_request_for_a_past_day_is_refused(people):
    with pytest.raises(RoomError, match="지난 날짜"):
        a_visit(people, visit_on=date(2026, 12, 6))


def test_the_exit_is_the_security_check_and_both_are_one_record(people):
    visit = a_visit(people)
    decide_visit(actor(people["head"]), visit, approve=True)
    record_entry(actor(people["op1"]), visit, badge="V-01", escort=people["op2"])
    with pytest.raises(RoomError, match="특이 사항을 적으세요"):
        record_exit(actor(people["op1"]), visit, confirmed=["badge_returned"])
    assert Visit.objects.get().state == "inside"  # nothing half-written
    check = record_exit(actor(people["op1"]), visit, confirmed=list(CHECKLIST))
    visit.refresh_from_db()
    assert visit.state == "left" and visit.left_at is not None and check.visit == visit and check.all_clear
    entry = AuditEntry.objects.filter(action="control.visitor_left").get()
    assert entry.details["all_clear"] is True and "출입증 반납" in entry.details["confirmed"]


def test_the_visitors_page_is_the_heads_and_the_auditors_to_read(client, people):
    visit = a_visit(people)
    decide_visit(actor(people["head"]), visit, approve=True)
    for who in ("head", "privacy", "auditor", "op1"):
        client.logout()
        log_in(client, people[who])
        page = client.get(reverse("control:visitors", args=["osan"]))
        assert page.status_code == 200, who
        assert "홍길동" in page.content.decode()
        if who == "auditor":  # reads; no form to change anything
            assert "<form" not in page.content.decode().split('id="container"')[1].split("</main>")[0]
    for who in ("officer", "other_head"):
        client.logout()
        log_in(client, people[who])
        assert client.get(reverse("control:visitors", args=["osan"])).status_code == 403, who


def test_bad_input_on_the_visitors_page_is_refused_in_korean(client, people):
    log_in(client, people["op1"])
    response = client.post(reverse("control:visit_request", args=["osan"]), {"visitor_name": "홍길동"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "소속: 입력하세요" in text and "방문일: 입력하세요" in text
    response = client.post(reverse("control:visit_entry", args=["osan"]), {"visit": "not-a-number"})
    assert response.status_code == 400
    assert not Visit.objects.exists()
