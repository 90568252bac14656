"""Ending a request: closed after its decision, or withdrawn by the requester (청구 취하).

Either way the legal hold placed at intake on the footage the request names (법 제21조③, R18) ends
with it: `vault.actions.holds.end_holds_for_case` destroys the hold key (its copies with it) and
records the destruction. The hold is ended after the request's own transaction commits, not inside
it: ending a hold deletes ciphertext, which no database rollback brings back, so a request that
failed to close must never have lost its footage. Should ending the hold fail, the request stays
closed and the hold still ends on its end date (the retention sweep); the caller is told.

Either way the requester is told by mail, with the reason (after commit: notify_requester).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import RequestError, checked_text
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.notify import notify_requester
from jikimi.vault.actions.holds import HoldEnding, end_holds_for_case

log = logging.getLogger(__name__)

MAX_REASON = 2000


@dataclass(frozen=True)
class Ending:
    request: SubjectRequest
    holds_ended: list[HoldEnding] = field(default_factory=list)
    hold_problem: str = ""  # why the holds could not be ended now (they end on their end date)


def _end(
    actor: Actor,
    request: SubjectRequest,
    reason: str,
    *,
    allowed: tuple[str, ...],
    state: str,
    event: AuditEvent,
    verb: str,
) -> Ending:
    reason = checked_text(reason, "reason", f"{verb} 사유", MAX_REASON, required=True)
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().select_related("institution").get(pk=request.pk)
        if request.state not in allowed:
            raise RequestError(
                f"청구 {request.receipt_number}은(는) '{request.get_state_display()}' 상태라 {verb}할 수 없습니다"
            )
        previous = request.state
        request.state = state
        request.closed_at = timezone.now()
        request.save(update_fields=["state", "closed_at"])
        record(
            actor,
            event,
            request,
            reason=reason,
            details={"previous_state": previous},
        )
        withdrawn = event == AuditEvent.DISCLOSURE_WITHDRAW
        what = f"{request.receipt_number}번으로 접수한 청구({request.get_kind_display()})"
        notify_requester(
            request,
            subject="청구 취하 확인" if withdrawn else "청구 종결 안내",
            body=(
                f"{request.requester_name} 님께,\n\n"
                + (f"{what}의 취하를 처리했습니다." if withdrawn else f"{what}를 종결했습니다.")
                + f"\n\n사유: {reason}\n\n{request.institution.name}"
            ),
        )
    try:
        ended = end_holds_for_case(actor, request.hold_reference, reason=f"청구 {verb}: {reason}")
    except Exception as error:  # the request is closed; the hold ends on its end date instead
        log.exception("request %s: its holds were not ended", request.receipt_number)
        return Ending(
            request, [], f"분리 보관을 지금 해제하지 못했습니다 (보존 종료일에 해제됩니다): {error}"
        )
    return Ending(request, ended)


def close_request(actor: Actor, request: SubjectRequest, reason: str) -> Ending:
    """Close a decided request (종결); its intake hold ends. Audited DISCLOSURE_CLOSE."""
    return _end(
        actor,
        request,
        reason,
        allowed=(SubjectRequest.State.DECIDED,),
        state=SubjectRequest.State.CLOSED,
        event=AuditEvent.DISCLOSURE_CLOSE,
        verb="종결",
    )


def withdraw_request(actor: Actor, request: SubjectRequest, reason: str) -> Ending:
    """The requester withdraws the request before its decision (청구 취하); its hold ends. Audited."""
    return _end(
        actor,
        request,
        reason,
        allowed=(SubjectRequest.State.RECEIVED, SubjectRequest.State.IDENTITY_VERIFIED),
        state=SubjectRequest.State.WITHDRAWN,
        event=AuditEvent.DISCLOSURE_WITHDRAW,
        verb="취하",
    )
