"""Postponing the answer (법 제35조③ 단서, 시행령 제41조⑤; R22).

When there is a just cause not to let the requester view within 10 days, the institution may postpone
the viewing, telling the requester in writing the reason and how to object, within the 10 days. The
officer gives the reason and the new date; the request keeps its first due date (`postponed_from`),
each postponement is kept (`Postponement`, with its letter: jikimi.disclosure.letters), and the
requester is mailed the letter with the reason, both dates and the appeal routes
(jikimi.rules.refusal_grounds.APPEAL_ROUTES, the same as the decision letters').
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import RequestError, checked_text
from jikimi.disclosure.letters import render_postponement_letter
from jikimi.disclosure.models import Postponement, SubjectRequest
from jikimi.disclosure.notify import notify_requester
from jikimi.lib.clock import today
from jikimi.lib.public_holidays import holidays_between
from jikimi.rules.refusal_grounds import APPEAL_ROUTES
from jikimi.rules.request_deadlines import is_working_day

MAX_REASON = 2000
# An input limit, not the law's: a new date further than this after the current one is a typing error.
LONGEST_POSTPONEMENT = timedelta(days=60)


def appeal_text() -> str:
    """The appeal routes as lines of the mail (법 제38조⑤ and APPEAL_ROUTES)."""
    routes = "".join(f"- {r.name}: {r.how} {r.contact} ({r.citation})\n" for r in APPEAL_ROUTES)
    return f"이 연장에 이의가 있으면 처리기관에 이의를 신청하거나 (개인정보 보호법 제38조⑤) 다음 방법으로 다툴 수 있습니다.\n{routes}"


def postpone(actor: Actor, request: SubjectRequest, new_due_on: date, reason: str) -> SubjectRequest:
    """Move `request`'s due date to `new_due_on` for `reason`; kept with its letter, audited, the
    requester sent the letter."""
    reason = checked_text(reason, "reason", "연장 사유", MAX_REASON, required=True)
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().select_related("institution").get(pk=request.pk)
        if request.state not in (SubjectRequest.State.RECEIVED, SubjectRequest.State.IDENTITY_VERIFIED):
            raise RequestError(
                f"청구 {request.receipt_number}은(는) '{request.get_state_display()}' 상태라 기한을 연장할 수 "
                "없습니다 (결정 전에만)"
            )
        current = request.due_on
        if new_due_on <= current:
            raise RequestError(
                f"새 처리 기한({new_due_on:%Y-%m-%d})은 지금의 기한({current:%Y-%m-%d})보다 늦어야 합니다",
                "new_due_on",
            )
        if new_due_on > current + LONGEST_POSTPONEMENT:
            raise RequestError(
                f"새 처리 기한은 지금의 기한({current:%Y-%m-%d})부터 {LONGEST_POSTPONEMENT.days}일 안이어야 "
                "합니다",
                "new_due_on",
            )
        if not is_working_day(new_due_on, holidays_between(new_due_on.year, new_due_on.year)):
            raise RequestError(
                f"새 처리 기한({new_due_on:%Y-%m-%d})이 토요일·공휴일입니다: 근무일을 고르세요", "new_due_on"
            )
        request.postponed_from = request.postponed_from or current
        request.postponement_reason = reason
        request.due_on = new_due_on
        request.save(update_fields=["postponed_from", "postponement_reason", "due_on"])
        postponement = Postponement(
            request=request,
            number=Postponement.objects.filter(request=request).count() + 1,
            previous_due_on=current,
            new_due_on=new_due_on,
            reason=reason,
            postponed_by=actor.user,
            postponed_by_label=actor.label,
            postponed_at=timezone.now(),
        )
        pdf, sha256, template = render_postponement_letter(postponement)
        postponement.letter_pdf, postponement.letter_sha256, postponement.letter_template = (
            pdf,
            sha256,
            template,
        )
        postponement.save()
        record(
            actor,
            AuditEvent.DISCLOSURE_POSTPONE,
            request,
            reason=reason,
            details={
                "postponement": postponement.number,
                "due_on": new_due_on,
                "previous_due_on": current,
                "late": current < today(),
                "letter_sha256": sha256,
            },
        )
        notify_requester(
            request,
            subject="처리 기한 연장 통지",
            body=(
                f"{request.requester_name} 님께,\n\n"
                f"{request.receipt_number}번으로 접수한 청구({request.get_kind_display()})의 처리 기한을 "
                f"{current:%Y년 %m월 %d일}에서 {new_due_on:%Y년 %m월 %d일}로 연장합니다 "
                "(개인정보 보호법 제35조③ 단서, 같은 법 시행령 제41조⑤). 첨부한 연장 통지서를 보십시오.\n\n"
                f"연장 사유: {reason}\n\n"
                f"{appeal_text()}\n"
                f"{request.institution.name}"
            ),
            attachments=[(postponement.letter_name, pdf, "application/pdf")],
        )
    return request


def read_postponement_letter(actor: Actor, postponement: Postponement, *, via: str) -> bytes:
    """A postponement letter read (it holds the requester's personal data): audited as a view of the
    request like a decision letter (actions.decisions.read_letter), its `letter` key "연장 <number>"."""
    with transaction.atomic():
        record(
            actor,
            AuditEvent.DISCLOSURE_VIEW_REQUEST,
            postponement.request,
            reason=f"연장 통지서 {postponement.number} 열람",
            details={"via": via, "letter": postponement.letter_label},
        )
    return bytes(postponement.letter_pdf)
