"""Reminders of the duties after a provision, run daily (disclosure.tasks):

- 파기 기한 (군산시 제4조; 오산시 지침 제35조③): a provided case not yet reported destroyed, within
  DESTRUCTION_REMINDER_DAYS of its destroy_by or past it — the recipient (the applying officer's account
  or the e-mail the letter gave) and the case's officer are mailed (DISCLOSURE_REMIND_DESTRUCTION);
- 공개 기한 (법 제18조④, R31): a provision to be published and not yet published, within
  PUBLICATION_REMINDER_DAYS of its publish_by or past it — the case's officer and the institution's
  개인정보 보호책임자 are mailed (DISCLOSURE_REMIND_PUBLICATION).

Each at most once a day per case (destruction_reminded_on, publication_reminded_on; checked again under
the row lock), as the requests' reminders (actions/reminders.py). Each case is its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.provision_after import (
    case_officers,
    locked,
    mail_after_commit,
    privacy_officers,
    provided_on,
    recipient_addresses,
)
from jikimi.disclosure.models import ProvisionCase
from jikimi.rules.provision_duties import (
    DESTRUCTION_REMINDER_DAYS,
    PUBLICATION_REMINDER_DAYS,
    Stage,
    days_text,
    reminder_stage,
)


@dataclass
class DutyReminderReport:
    destruction: list[str] = field(default_factory=list)  # case numbers
    publication: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Duty:
    event: AuditEvent
    due_field: str  # "destroy_by" / "publish_by"
    sent_field: str  # "destruction_reminded_on" / "publication_reminded_on"
    lead_days: int
    pending: Callable[[ProvisionCase], bool]  # still owed, checked again under the row lock
    people: Callable[[ProvisionCase], tuple[list[str], list[str]]]  # (addresses, names for the audit)
    text: Callable[[ProvisionCase, date, Stage], tuple[str, str]]  # (subject, body)


def _destruction_people(case: ProvisionCase) -> tuple[list[str], list[str]]:
    outside = recipient_addresses(case)
    officers = case_officers(case)
    return sorted(set(outside) | {u.email for u in officers}), outside + [u.username for u in officers]


def _publication_people(case: ProvisionCase) -> tuple[list[str], list[str]]:
    users = {u.pk: u for u in case_officers(case) + privacy_officers(case)}
    ordered = sorted(users.values(), key=lambda u: u.username)
    return sorted({u.email for u in ordered}), [u.username for u in ordered]


def _destruction_text(case: ProvisionCase, today: date, stage: Stage) -> tuple[str, str]:
    assert case.destroy_by is not None
    late = stage == Stage.OVERDUE
    lead = (
        "제공받은 영상의 파기 기한이 지났는데 파기 통보가 없습니다. 영상을 파기하고 파기 사실을 알려 주십시오."
        if late
        else "제공받은 영상의 파기 기한이 다가옵니다. 목적을 이루었으면 즉시 파기하고 파기 사실을 알려 주십시오."
    )
    portal = ""
    if case.applicant is not None:
        portal = f"온라인 통보: {settings.PUBLIC_BASE_URL}{reverse('portal:destruction', args=[case.pk])}\n"
    body = (
        f"{case.body.name} 귀하\n\n{lead}\n"
        "(제공받은 자는 제공 목적을 달성한 후 즉시 파기하고 통보합니다. 인수증에 적힌 이용 기간·방법을 지켜 "
        "주십시오 — 개인정보 보호법 제18조⑤)\n\n"
        f"사건번호: {case.case_number}\n"
        f"제공 일자: {provided_on(case):%Y-%m-%d}\n"
        f"파기 기한: {case.destroy_by:%Y-%m-%d} ({days_text(case.destroy_by, today)})\n"
        f"{portal}"
        f"\n{case.institution.name}\n"
    )
    what = "경과" if late else "임박"
    return f"[지키미] 제공 영상 파기 기한 {what} — {case.case_number}", body


def _publication_text(case: ProvisionCase, today: date, stage: Stage) -> tuple[str, str]:
    assert case.publish_by is not None
    late = stage == Stage.OVERDUE
    url = f"{settings.PUBLIC_BASE_URL}{reverse('provisions:after', args=[case.pk])}"
    lead = (
        "공개 기한(제공한 날부터 30일, 개인정보 보호법 제18조④)이 지났는데 공개하지 않은 제3자 제공입니다."
        if late
        else "제공한 날부터 30일 안에 공개해야 하는 제3자 제공입니다 (개인정보 보호법 제18조④)."
    )
    body = (
        f"{lead}\n\n사건번호: {case.case_number}\n제공받은 기관: {case.body.name}\n"
        f"공개 기한: {case.publish_by:%Y-%m-%d} ({days_text(case.publish_by, today)})\n공개: {url}\n"
    )
    what = "경과" if late else "임박"
    return f"[지키미] 제3자 제공 공개 기한 {what} — {case.case_number}", body


_DESTRUCTION = _Duty(
    AuditEvent.DISCLOSURE_REMIND_DESTRUCTION,
    "destroy_by",
    "destruction_reminded_on",
    DESTRUCTION_REMINDER_DAYS,
    lambda case: case.state == ProvisionCase.State.PROVIDED and case.destroy_by is not None,
    _destruction_people,
    _destruction_text,
)
_PUBLICATION = _Duty(
    AuditEvent.DISCLOSURE_REMIND_PUBLICATION,
    "publish_by",
    "publication_reminded_on",
    PUBLICATION_REMINDER_DAYS,
    lambda case: (
        case.publish_by is not None
        and case.published_at is None
        and case.state in (ProvisionCase.State.PROVIDED, ProvisionCase.State.CLOSED)
    ),
    _publication_people,
    _publication_text,
)


def _send(actor: Actor, case: ProvisionCase, today: date, duty: _Duty) -> bool:
    with transaction.atomic():
        case = locked(case)
        due: Any = getattr(case, duty.due_field)
        if getattr(case, duty.sent_field) == today or not duty.pending(case):
            return False
        stage = reminder_stage(due, today, duty.lead_days)
        if stage is None:
            return False
        addresses, names = duty.people(case)
        setattr(case, duty.sent_field, today)
        case.save(update_fields=[duty.sent_field])
        record(
            actor,
            duty.event,
            case,
            details={
                "case_number": case.case_number,
                duty.due_field: due,
                "days_left": (due - today).days,
                "recipients": names,
            },
        )
        subject, body = duty.text(case, today, stage)
        mail_after_commit(subject, body, addresses, case.case_number)
    return True


def send_provision_reminders(actor: Actor, today: date) -> DutyReminderReport:
    """Remind of every destruction and publication due soon or overdue (module doc); what was sent."""
    report = DutyReminderReport()
    destroying = ProvisionCase.objects.filter(
        state=ProvisionCase.State.PROVIDED, destroy_by__isnull=False
    ).order_by("destroy_by", "pk")
    for case in destroying:
        if _send(actor, case, today, _DESTRUCTION):
            report.destruction.append(case.case_number)
    publishing = ProvisionCase.objects.filter(
        state__in=(ProvisionCase.State.PROVIDED, ProvisionCase.State.CLOSED),
        publish_by__isnull=False,
        published_at__isnull=True,
    ).order_by("publish_by", "pk")
    for case in publishing:
        if _send(actor, case, today, _PUBLICATION):
            report.publication.append(case.case_number)
    return report
