"""Reminders after a provision, daily, through a real SMTP server: the destruction date to the recipient
and the officer (군산시 제4조), the 30 days to publish to the officer and the privacy officer (법
제18조④, R31) — each at most once a day per case; a provision on item 7 never asks to be published."""

from __future__ import annotations

from datetime import date
from email.header import decode_header, make_header
from email.message import Message

import pytest
import time_machine

from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.provision_after_reminders import send_provision_reminders
from jikimi.disclosure.models import ProvisionCase
from jikimi.disclosure.tasks import send_provision_reminders_daily
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories_provisions import make_provided_case
from jikimi.disclosure.tests.provision_after_world import (
    PROVIDED,
    Police,
    at,
    attachment_store,
    pinned_clock,
    police,
)

__all__ = ["attachment_store", "pinned_clock", "police"]

pytestmark = pytest.mark.django_db(transaction=True)

SYSTEM = Actor.system("send_provision_reminders")


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def mails(inbox: object) -> list[tuple[str, list[str], str]]:
    """(subject, sorted recipients, body) of every mail received."""
    return [
        (subject_of(message), sorted(to), message.get_payload(decode=True).decode("utf-8"))  # type: ignore[union-attr]
        for to, message in inbox.received()  # type: ignore[attr-defined]
    ]


def case(desk: Desk, police: Police, ground: str, destroy_by: date, **fields: object) -> ProvisionCase:
    fields.setdefault("applicant", police.kim)
    with time_machine.travel(PROVIDED, tick=False):
        return make_provided_case(
            desk.institution,
            police.namdong,
            desk.gate_camera,
            officer=desk.alice,
            legal_ground=ground,
            destroy_by=destroy_by,
            **fields,  # type: ignore[arg-type]
        )


def test_destruction_reminded_before_and_after_the_date_once_a_day(
    desk: Desk, police: Police, smtp_inbox: object
) -> None:
    soon = case(desk, police, "7", date(2026, 12, 10))
    case(desk, police, "7", date(2026, 12, 31))  # far off: nothing
    paper = case(desk, police, "7", date(2026, 12, 4), applicant=None, requester_phone="park@court.test")
    with time_machine.travel(at("2026-12-05"), tick=False):
        report = send_provision_reminders(SYSTEM, date(2026, 12, 5))
        assert report.destruction == [paper.case_number, soon.case_number] and report.publication == []
        # Twice the same day: nobody is mailed twice.
        assert send_provision_reminders(SYSTEM, date(2026, 12, 5)).destruction == []
    got = {subject: (to, body) for subject, to, body in mails(smtp_inbox)}
    assert len(got) == 2
    to, body = got[f"[지키미] 제공 영상 파기 기한 임박 — {soon.case_number}"]
    assert to == ["alice@incheon.test", "kim@police.test"]
    assert "파기 기한: 2026-12-10 (5일 남음)" in body and f"/portal/cases/{soon.pk}/destruction" in body
    to, body = got[f"[지키미] 제공 영상 파기 기한 경과 — {paper.case_number}"]
    assert to == ["alice@incheon.test", "park@court.test"]  # the contact the letter gave; no portal link
    assert "1일 지남" in body and "/portal/" not in body
    entry = AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_REMIND_DESTRUCTION).get(
        target_id=str(soon.pk)
    )
    assert entry.details == {
        "case_number": soon.case_number,
        "destroy_by": "2026-12-10",
        "days_left": 5,
        "recipients": ["kim@police.test", "alice"],
    }
    assert entry.actor is None
    # The next day, the daily task reminds again (once).
    with time_machine.travel(at("2026-12-06"), tick=False):
        assert send_provision_reminders_daily.call_local() == {"destruction": 2, "publication": 0}
    assert len(mails(smtp_inbox)) == 4


def test_publication_alarm_to_the_officer_and_privacy_officer_never_for_item_7(
    desk: Desk, police: Police, smtp_inbox: object
) -> None:
    trial = case(desk, police, "8", date(2027, 6, 1))  # publish by 2026-12-31
    investigation = case(desk, police, "7", date(2027, 6, 1))
    assert (trial.publish_by, investigation.publish_by) == (date(2026, 12, 31), None)
    with time_machine.travel(at("2026-12-23"), tick=False):
        assert send_provision_reminders(SYSTEM, date(2026, 12, 23)).publication == []  # 8 days left
    with time_machine.travel(at("2026-12-24"), tick=False):
        assert send_provision_reminders(SYSTEM, date(2026, 12, 24)).publication == [trial.case_number]
    with time_machine.travel(at("2027-01-02"), tick=False):
        assert send_provision_reminders(SYSTEM, date(2027, 1, 2)).publication == [trial.case_number]
    ((first, to, body), (second, _to, late)) = mails(smtp_inbox)
    assert first == f"[지키미] 제3자 제공 공개 기한 임박 — {trial.case_number}"
    assert to == ["alice@incheon.test", "bob@incheon.test"]
    assert "공개 기한: 2026-12-31 (7일 남음)" in body
    assert second.startswith("[지키미] 제3자 제공 공개 기한 경과") and "2일 지남" in late
    assert not AuditEntry.objects.filter(
        action=AuditEvent.DISCLOSURE_REMIND_PUBLICATION, target_id=str(investigation.pk)
    ).exists()
