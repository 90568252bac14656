"""Incidents (오산시 지침 제21조③; R18 hold, R40 audit): logged by the operator with a bookmark, told to
the seconded police at once, reported to 112 with time and receiver, held, followed up and closed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.incidents import (
    IncidentError,
    close_incident,
    follow_up,
    log_incident,
    read_notice,
    report_incident,
)
from jikimi.control.models import Incident, IncidentNotice
from jikimi.control.tests.conftest import Room
from jikimi.vault.models import HeldSegment, LegalHold
from jikimi.vault.tests.conftest import synthetic_segment

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def actor(user: object) -> Actor:
    return Actor(user=user, label=str(user), client_address="10.0.0.5")


def _logged(room: Room) -> Incident:
    with time_machine.travel(kst("2026-11-23T09:30:00")):
        for minute in range(5):
            synthetic_segment(room.camera, kst(f"2026-11-23T09:1{minute}:00"))
        return log_incident(
            actor(room.operator),
            room.camera,
            kind=Incident.Kind.CRIME,
            seen_at=kst("2026-11-23T09:12:30"),
            description="남성 2명 몸싸움, 1명 쓰러짐",
        )


def test_logging_holds_the_footage_around_the_bookmark_and_tells_the_police(room: Room) -> None:
    incident = _logged(room)
    assert incident.number == "2026-0001"
    hold = LegalHold.objects.get(pk=incident.hold_id)
    assert (hold.start, hold.end) == (kst("2026-11-23T09:02:30"), kst("2026-11-23T09:22:30"))
    assert hold.case_reference == "관제 사건 2026-0001" and hold.active
    assert HeldSegment.objects.filter(hold=hold).count() == 5  # every minute of the window that exists
    # 즉시 보고: the police officer of 교통행정과, not 총무과's
    assert [n.recipient for n in IncidentNotice.objects.filter(incident=incident)] == [room.police]
    entry = AuditEntry.objects.get(action="control.log_incident")
    assert entry.details["notified"] == [room.police.pk] and entry.details["hold"] == hold.pk
    assert AuditEntry.objects.filter(action="vault.place_hold").count() == 1


def test_numbers_run_per_year(room: Room) -> None:
    first = _logged(room)
    with time_machine.travel(kst("2026-11-23T10:00:00")):
        second = log_incident(
            actor(room.operator),
            room.camera,
            kind="fire",
            seen_at=kst("2026-11-23T09:59:00"),
            description="연기",
        )
    assert (first.number, second.number) == ("2026-0001", "2026-0002")


def test_reading_the_notice_is_recorded_once(room: Room) -> None:
    incident = _logged(room)
    notice = IncidentNotice.objects.get(incident=incident)
    assert read_notice(actor(room.police), notice) is True
    assert read_notice(actor(room.police), notice) is False
    assert AuditEntry.objects.filter(action="control.read_incident_notice").count() == 1


def test_report_follow_up_and_closure_keeping_the_hold(room: Room) -> None:
    incident = _logged(room)
    with time_machine.travel(kst("2026-11-23T09:35:00")):
        report_incident(
            actor(room.police),
            incident,
            channel=Incident.Channel.POLICE_112,
            receiver="112지령실 경위 홍길동",
            reported_at=kst("2026-11-23T09:33:00"),
        )
        with pytest.raises(IncidentError, match="이미 통보"):
            report_incident(
                actor(room.police),
                incident,
                channel="112",
                receiver="누구",
                reported_at=kst("2026-11-23T09:34:00"),
            )
        follow_up(actor(room.police), incident, "지구대 출동, 2명 임의동행")
        closed = close_incident(
            actor(room.police),
            incident,
            note="경찰 인계 완료",
            hold_decision=Incident.HoldDecision.KEEP,
            keep_until=date(2027, 3, 31),
        )
    assert closed.state == Incident.State.CLOSED and closed.report_receiver == "112지령실 경위 홍길동"
    hold = LegalHold.objects.get(pk=incident.hold_id)
    assert hold.active and hold.ends_on == date(2027, 3, 31)  # kept, for the police's request to come
    actions = list(AuditEntry.objects.filter(action__startswith="control.").values_list("action", flat=True))
    assert actions == [
        "control.log_incident",
        "control.report_incident",
        "control.follow_up_incident",
        "control.close_incident",
    ]


def test_closure_may_release_the_hold(room: Room) -> None:
    incident = _logged(room)
    with time_machine.travel(kst("2026-11-23T10:00:00")):
        close_incident(actor(room.police), incident, note="오인 신고", hold_decision="release")
    hold = LegalHold.objects.get(pk=incident.hold_id)
    assert not hold.active and hold.release_reason.startswith("관제 사건 2026-0001 종결")
    with pytest.raises(IncidentError, match="종결"):
        follow_up(actor(room.police), Incident.objects.get(pk=incident.pk), "더 적을 것")


def test_what_cannot_be_logged(room: Room) -> None:
    with time_machine.travel(kst("2026-11-23T09:30:00")):
        with pytest.raises(IncidentError, match="상황"):
            log_incident(
                actor(room.operator), room.camera, kind="crime", seen_at=timezone.now(), description=" "
            )
        with pytest.raises(IncidentError, match="늦을 수 없"):
            log_incident(
                actor(room.operator),
                room.camera,
                kind="crime",
                seen_at=timezone.now() + timedelta(hours=1),
                description="미래",
            )
    assert not Incident.objects.exists() and not LegalHold.objects.exists()
