"""R22: before the 10 days run out the request's officers are reminded; after, the 개인정보
보호책임자 is told — each at most once a day per request, through a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine

from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.reminders import send_reminders
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.tasks import send_reminders_daily
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import SEOUL

pytestmark = pytest.mark.django_db(transaction=True)

SYSTEM = Actor.system("send_reminders")


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T09:00:00+09:00").astimezone(SEOUL)


@pytest.fixture(autouse=True)
def before_the_days() -> Iterator[None]:
    # The world is built before the days the tests travel to: the audit chain never goes back.
    with time_machine.travel(at("2026-11-30") - timedelta(hours=2), tick=False):
        yield


def mails(inbox: object) -> dict[str, list[str]]:
    """Receipt number (from the subject's end) → recipients."""
    found: dict[str, list[str]] = {}
    for to, message in inbox.received():  # type: ignore[attr-defined]
        from email.header import decode_header, make_header

        subject = str(make_header(decode_header(message["Subject"])))
        found[subject.rsplit(" ", 1)[1]] = sorted(to)
    return found


def test_due_soon_is_reminded_overdue_escalated_each_once_a_day(desk: Desk, smtp_inbox: object) -> None:
    with time_machine.travel(at("2026-12-01"), tick=False):  # a Tuesday
        soon = make_request(
            desk.institution, locations=[desk.gate], receipt_number="2026-00001", due_on=date(2026, 12, 3)
        )
        make_request(
            desk.institution, locations=[desk.gate], receipt_number="2026-00002", due_on=date(2026, 12, 4)
        )
        late = make_request(
            desk.institution, locations=[desk.hall], receipt_number="2026-00003", due_on=date(2026, 11, 30)
        )
        make_request(
            desk.institution,
            locations=[desk.gate],
            receipt_number="2026-00004",
            due_on=date(2026, 11, 30),
            state=SubjectRequest.State.DECIDED,
        )
        make_request(desk.other, receipt_number="2026-00009", due_on=date(2026, 11, 27))

        report = send_reminders(SYSTEM, date(2026, 12, 1))

        assert report.reminded == ["2026-00001"]
        assert sorted(report.escalated) == ["2026-00003", "2026-00009"]
        got = mails(smtp_inbox)
        # Thursday is two working days away: the officers of 정문 are reminded (not 총무과's Charlie).
        assert got["2026-00001"] == ["alice@incheon.test", "bob@incheon.test", "head@incheon.test"]
        assert got["2026-00003"] == ["bob@incheon.test"]  # the privacy officer of 인천
        assert got["2026-00009"] == ["gy@gwangyang.test"]
        assert set(got) == {"2026-00001", "2026-00003", "2026-00009"}
        remind = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_REMIND)
        assert remind.target_id == str(soon.pk) and remind.actor is None
        assert remind.details == {
            "due_on": "2026-12-03",
            "days_left": 2,
            "recipients": ["alice", "bob", "head"],
        }
        escalate = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_ESCALATE, target_id=str(late.pk))
        assert escalate.details == {"due_on": "2026-11-30", "days_left": -1, "recipients": ["bob"]}

        again = send_reminders(SYSTEM, date(2026, 12, 1))
        assert again.reminded == again.escalated == []
        assert len(smtp_inbox.received()) == 3  # type: ignore[attr-defined]

        with time_machine.travel(at("2026-12-02"), tick=False):
            tomorrow = send_reminders(SYSTEM, date(2026, 12, 2))
        assert tomorrow.reminded == ["2026-00001", "2026-00002"]
        assert sorted(tomorrow.escalated) == ["2026-00003", "2026-00009"]


def test_a_weekend_in_between_counts_no_working_days(desk: Desk, smtp_inbox: object) -> None:
    with time_machine.travel(at("2026-12-04"), tick=False):  # a Friday
        make_request(
            desk.institution, locations=[desk.gate], receipt_number="2026-00001", due_on=date(2026, 12, 8)
        )
        make_request(
            desk.institution, locations=[desk.gate], receipt_number="2026-00002", due_on=date(2026, 12, 9)
        )
        report = send_reminders(SYSTEM, date(2026, 12, 4))
        assert report.reminded == ["2026-00001"]  # Monday, Tuesday: two working days; Wednesday three


def test_due_today_is_reminded_not_escalated(desk: Desk, smtp_inbox: object) -> None:
    with time_machine.travel(at("2026-12-03"), tick=False):
        make_request(
            desk.institution, locations=[desk.gate], receipt_number="2026-00001", due_on=date(2026, 12, 3)
        )
        report = send_reminders(SYSTEM, date(2026, 12, 3))
        assert (report.reminded, report.escalated) == (["2026-00001"], [])


def test_the_daily_job_runs_the_same_on_seoul_today(desk: Desk, smtp_inbox: object) -> None:
    with time_machine.travel(at("2026-12-01"), tick=False):
        make_request(
            desk.institution, locations=[desk.gate], receipt_number="2026-00001", due_on=date(2026, 11, 30)
        )
        assert send_reminders_daily.call_local() == {"reminded": 0, "escalated": 1}
        assert send_reminders_daily.call_local() == {"reminded": 0, "escalated": 0}
        assert (
            AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_ESCALATE).actor_label
            == "시스템 작업 send_reminders"
        )
