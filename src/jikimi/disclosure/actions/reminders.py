"""Reminders before the 10-day limit and escalation after it (법 제35조③, 제36조; 시행령 제41조⑤; R22).

Run daily (disclosure.tasks). A request not answered yet:

- due within two working days (the due day counted, today's not): the officers who hold
  HANDLE_REQUESTS over it are mailed (DISCLOSURE_REMIND);
- past its due date: the institution's 개인정보 보호책임자 are mailed (DISCLOSURE_ESCALATE).

Each at most once a day per request (`reminded_on`, `escalated_on`), so running the job twice, or
catching up after a missed day, mails nobody twice. Each request is its own transaction: one that
fails does not hold back the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure import queries
from jikimi.disclosure.models import SubjectRequest

log = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    reminded: list[str] = field(default_factory=list)  # receipt numbers
    escalated: list[str] = field(default_factory=list)


def _mail(subject: str, body: str, to: list[str], receipt: str) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, None, to)
        except OSError as error:
            log.error("request %s: reminder to %s failed: %s", receipt, ", ".join(to), error)

    if to:
        transaction.on_commit(send)
    else:
        log.warning("request %s: nobody with an address to tell", receipt)


def _body(request: SubjectRequest, today: date, lead: str) -> str:
    url = f"{settings.PUBLIC_BASE_URL}{reverse('disclosure:request', args=[request.pk])}"
    left = (request.due_on - today).days
    when = f"{left}일 남음" if left >= 0 else f"{-left}일 지남"
    return (
        f"{lead}\n\n"
        f"접수번호: {request.receipt_number}\n"
        f"청구 내용: {request.get_kind_display()}\n"
        f"진행 상태: {request.get_state_display()}\n"
        f"처리 기한: {request.due_on:%Y-%m-%d} ({when})\n"
        f"처리: {url}\n"
    )


@dataclass(frozen=True)
class _Notice:
    """One kind of notice: who gets it, when it is due, the day it was last sent, what it says."""

    event: AuditEvent
    sent_field: str  # "reminded_on" or "escalated_on"
    applies: Callable[[SubjectRequest, date], bool]  # still due, checked again under the row lock
    recipients: Callable[[SubjectRequest], Iterable[Any]]
    subject: str
    lead: str


_REMIND = _Notice(
    AuditEvent.DISCLOSURE_REMIND,
    "reminded_on",
    lambda request, today: request.state in queries.WAITING,
    queries.handlers_of,
    "[지키미] 열람 등 청구 처리 기한 임박",
    "처리 기한이 가까운 열람 등 청구가 있습니다. 10일 안에 결정하거나, 정당한 사유가 있으면 "
    "사유와 함께 기한을 연장하고 청구인에게 알리세요 (개인정보 보호법 제35조③).",
)
_ESCALATE = _Notice(
    AuditEvent.DISCLOSURE_ESCALATE,
    "escalated_on",
    queries.is_overdue,
    lambda request: queries.privacy_officers(request.institution),
    "[지키미] 열람 등 청구 처리 기한 경과",
    "개인정보 보호책임자께: 처리 기한(10일, 개인정보 보호법 제35조③·제36조)이 지났는데 "
    "결정되지 않은 열람 등 청구입니다. 처리 상황을 확인하세요.",
)


def _send(actor: Actor, request: SubjectRequest, today: date, notice: _Notice) -> bool:
    """Send `notice` about `request` unless it went out today or no longer applies; audited."""
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().select_related("institution").get(pk=request.pk)
        if getattr(request, notice.sent_field) == today or not notice.applies(request, today):
            return False
        people = [u for u in notice.recipients(request) if u.email]
        setattr(request, notice.sent_field, today)
        request.save(update_fields=[notice.sent_field])
        record(
            actor,
            notice.event,
            request,
            details={
                "due_on": request.due_on,
                "days_left": (request.due_on - today).days,
                "recipients": [u.username for u in people],
            },
        )
        _mail(
            f"{notice.subject} — {request.receipt_number}",
            _body(request, today, notice.lead),
            sorted(u.email for u in people),
            request.receipt_number,
        )
    return True


def send_reminders(actor: Actor, today: date) -> ReminderReport:
    """Remind and escalate every unanswered request as the module's doc says; returns what was sent."""
    report = ReminderReport()
    holidays = queries.holidays_around(today)
    waiting = SubjectRequest.objects.filter(state__in=queries.WAITING).order_by("due_on", "pk")
    for request in waiting:
        if queries.is_overdue(request, today):
            if _send(actor, request, today, _ESCALATE):
                report.escalated.append(request.receipt_number)
        elif queries.due_soon(request, today, holidays) and _send(actor, request, today, _REMIND):
            report.reminded.append(request.receipt_number)
    return report
