"""Shifts and handovers (오산시 지침 제21조): who is on duty now, the coming week's gaps as warnings,
handovers and the shift-change security check (제22조③), each audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.actions import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.room import RoomError
from jikimi.control.actions.shifts import hand_over, plan_shift
from jikimi.control.models import Handover, SecurityCheck, Shift
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


def test_the_centre_shows_who_is_on_duty_now_and_the_gaps_of_the_week(client, people):
    start = MONDAY_10 - timedelta(hours=1)
    plan_shift(
        actor(people["head"]),
        people["osan"],
        kind="day",
        starts_at=start,
        ends_at=start + timedelta(hours=12),
        members=[(people["op1"], "operator"), (people["head"], "official")],
    )
    log_in(client, people["op2"])
    page = client.get(reverse("control:centre", args=["osan"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "지금 근무 중" in text and "김관제" in text and "관제요원" in text
    # 21:00 Monday onwards is uncovered: a warning, not silence (365일 24시간).
    assert "근무표에 빈 시간이 있습니다" in text and "2026-12-07(월요일) 21:00" in text
    # The menu's one entry leads to the centre's front page, which leads here.
    assert reverse("control:index") in text
    front = client.get(reverse("control:index")).content.decode()
    assert reverse("control:centre", args=["osan"]) in front


def test_nobody_on_duty_is_said_loudly(client, people):
    log_in(client, people["head"])
    text = client.get(reverse("control:centre", args=["osan"])).content.decode()
    assert "지금 근무표에 배치된 근무자가 없습니다" in text


def test_the_head_plans_a_shift_through_the_page_and_it_is_audited(client, people):
    log_in(client, people["head"])
    response = client.post(
        reverse("control:shift_plan", args=["osan"]),
        {
            "kind": "night",
            "starts_at": "2026-12-07T21:00",
            "ends_at": "2026-12-08T09:00",
            "person_1": people["op2"].pk,
            "duty_1": "operator",
            "duty_2": "operator",
            "duty_3": "operator",
            "duty_4": "operator",
        },
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert shift.members.get().person == people["op2"]
    entry = AuditEntry.objects.filter(action="control.plan_shift").get()
    assert entry.details["members"] == ["이야간 (관제요원)"]


def test_a_shift_with_a_person_without_room_rights_or_double_booked_is_refused(client, people):
    start = MONDAY_10
    with pytest.raises(RoomError, match="근무 권한"):
        plan_shift(
            actor(people["head"]),
            people["osan"],
            kind="day",
            starts_at=start,
            ends_at=start + timedelta(hours=8),
            members=[(people["officer"], "official")],
        )
    plan_shift(
        actor(people["head"]),
        people["osan"],
        kind="day",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        members=[(people["op1"], "operator")],
    )
    with pytest.raises(RoomError, match="겹치는 근무조"):
        plan_shift(
            actor(people["head"]),
            people["osan"],
            kind="other",
            starts_at=start + timedelta(hours=4),
            ends_at=start + timedelta(hours=10),
            members=[(people["op1"], "operator")],
        )
    with pytest.raises(RoomError, match="24시간"):
        plan_shift(
            actor(people["head"]),
            people["osan"],
            kind="other",
            starts_at=start,
            ends_at=start + timedelta(hours=25),
            members=[(people["op2"], "operator")],
        )


def test_an_operator_may_not_plan_shifts(client, people):
    log_in(client, people["op1"])
    assert client.post(reverse("control:shift_plan", args=["osan"]), {}).status_code == 403


def test_a_handover_is_written_at_the_change_and_audited(client, people):
    log_in(client, people["op1"])
    response = client.post(
        reverse("control:handover", args=["osan"]),
        {
            "received_by": people["op2"].pk,
            "notes": "3번 카메라 화질 저하, 유지보수 요청함",
            "open_matters": "112 회신 대기",
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.handed_by, handover.received_by) == (people["op1"], people["op2"])
    entry = AuditEntry.objects.filter(action="control.hand_over").get()
    assert entry.details["open_matters"] is True
    page = client.get(reverse("control:centre", args=["osan"])).content.decode()
    assert "김관제 → 이야간" in page and "112 회신 대기" in page


def test_a_handover_to_oneself_or_without_notes_is_refused_with_the_reason(client, people):
    log_in(client, people["op1"])
    response = client.post(
        reverse("control:handover", args=["osan"]), {"received_by": people["op1"].pk, "notes": "없음"}
    )
    assert response.status_code == 400
    assert "자기 자신에게 인계할 수 없습니다" in response.content.decode()
    response = client.post(reverse("control:handover", args=["osan"]), {"received_by": people["op2"].pk})
    assert response.status_code == 400 and "인계 사항: 입력하세요" in response.content.decode()
    assert not Handover.objects.exists()
    with pytest.raises(RoomError, match="근무 권한"):
        hand_over(actor(people["op1"]), people["osan"], received_by=people["officer"], notes="인계")


def test_the_shift_change_check_records_what_was_confirmed(client, people):
    log_in(client, people["op2"])
    unticked = client.post(
        reverse("control:shift_check", args=["osan"]),
        {"person": people["op1"].pk, "confirmed": ["no_recording_device", "no_storage_media"]},
    )
    assert unticked.status_code == 400 and "특이 사항을 적으세요" in unticked.content.decode()
    response = client.post(
        reverse("control:shift_check", args=["osan"]),
        {
            "person": people["op1"].pk,
            "confirmed": [
                "no_recording_device",
                "no_storage_media",
                "no_printouts",
                "screens_locked",
                "badge_returned",
            ],
        },
    )
    assert response.status_code == 302
    check = SecurityCheck.objects.get()
    assert check.occasion == "shift_change" and check.all_clear
    assert AuditEntry.objects.filter(action="control.security_check").get().details["all_clear"] is True


def test_another_institutions_head_and_an_officer_are_refused(client, people):
    log_in(client, people["other_head"])
    assert client.get(reverse("control:centre", args=["osan"])).status_code == 403
    client.logout()
    log_in(client, people["officer"])
    assert client.get(reverse("control:centre", args=["osan"])).status_code == 403
    assert client.get(reverse("control:centre_index")).status_code == 403
