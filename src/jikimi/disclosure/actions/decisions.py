"""Deciding a request (법 제35조③④, 제36조; R21–R24, R27): one decision, its letter, its audit entry.

`decide` checks everything first — the decider's permission (DECIDE_REQUESTS on the request's sites),
the identity check (R21), that the outcome answers the request's kind, that a refusal or limit has a
ground from the fixed list and its reasons (R22, R23), the offered viewing time and place, the fee
(R27) — and then, in one transaction: the decision, a deletion's destruction (R24), the letter (PDF,
kept with the case), the request's state, the DISCLOSURE_DECIDE entry (and DISCLOSURE_RECORD_FEE when
a fee is recorded). The letter is mailed to the requester after the commit.

A deletion first ends the hold placed for the request at intake (vault audits it): if the decision then
fails, that footage stays under its day keys (or, past its retention, is gone as the requester asked);
the officer decides again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.permissions import Permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions import deletion
from jikimi.disclosure.actions.fees import FeeError, FeeInput, apply_fee, fee_details, settled_fee
from jikimi.disclosure.actions.identity import identity_checked
from jikimi.disclosure.letters import render_letter
from jikimi.disclosure.models import Decision, SubjectRequest
from jikimi.disclosure.models.letters import LETTER_FIELDS
from jikimi.disclosure.notify import notify_requester
from jikimi.disclosure.scope import may_answer_for
from jikimi.rules.refusal_grounds import BY_CODE, UnknownGround, check_grounds
from jikimi.vault.actions.segment_destruction import SegmentDestructionRefused
from jikimi.vault.models import Destruction

Out = Decision.Outcome
K = SubjectRequest.Kind

# Which outcomes answer which request (R20): 존재확인's result only for an existence request, a
# deletion only for a deletion request; "no footage" and a refusal answer any.
OUTCOMES_FOR_KIND: dict[str, frozenset[str]] = {
    K.EXISTENCE: frozenset({Out.FOUND, Out.NOT_FOUND, Out.REFUSAL}),
    K.VIEWING: frozenset({Out.VIEWING_ON_SITE, Out.VIEWING_ONLINE, Out.PARTIAL, Out.NOT_FOUND, Out.REFUSAL}),
    K.COPY: frozenset({Out.COPY, Out.VIEWING_ONLINE, Out.PARTIAL, Out.NOT_FOUND, Out.REFUSAL}),
    K.DELETION: frozenset({Out.DELETION, Out.PARTIAL, Out.NOT_FOUND, Out.REFUSAL}),
}

MAX_REASONS = 2000
MAX_LIMITED = 1000
MAX_PLACE = 200


class DecisionRefused(ValueError):
    """The decision cannot be made as given; the message names the field or the missing step."""


class NotPermitted(DecisionRefused):
    pass


def outcomes_for(kind: str) -> list[tuple[str, str]]:
    """(value, label) of the outcomes that answer a request of `kind`, in the model's order."""
    allowed = OUTCOMES_FOR_KIND.get(kind, frozenset())
    return [(value, str(label)) for value, label in Out.choices if value in allowed]


def _check(
    actor: Actor,
    request: SubjectRequest,
    outcome: str,
    grounds: list[str],
    reasons: str,
    limited: str,
    viewing_at: datetime | None,
    viewing_place: str,
) -> list[str]:
    """The checked ground codes, or DecisionRefused naming what is wrong (limits first)."""
    if len(reasons) > MAX_REASONS:
        raise DecisionRefused(f"사유: {MAX_REASONS:,}자 이내로 적어 주세요")
    if len(limited) > MAX_LIMITED:
        raise DecisionRefused(f"제한하는 내용: {MAX_LIMITED:,}자 이내로 적어 주세요")
    if len(viewing_place) > MAX_PLACE:
        raise DecisionRefused(f"열람 장소: {MAX_PLACE}자 이내로 적어 주세요")
    if actor.user is None or not may_answer_for(actor.user, Permission.DECIDE_REQUESTS, request):
        raise NotPermitted("이 청구를 결정할 권한이 없습니다 (권한: 열람 등 청구 결정·공개 승인)")
    if not request.is_open:
        raise DecisionRefused(f"{request.get_state_display()} 상태의 청구는 결정할 수 없습니다")
    if not identity_checked(request):
        raise DecisionRefused("본인 확인(R21)을 먼저 하세요: 본인 확인 전에는 결정할 수 없습니다")
    if outcome not in Out.values:
        raise DecisionRefused("결정 내용: 목록에서 고르세요")
    if outcome not in OUTCOMES_FOR_KIND[request.kind]:
        raise DecisionRefused(
            f"결정 내용: '{Out(outcome).label}'은(는) {request.get_kind_display()} 청구에 대한 결정이 아닙니다"
        )
    refuses_or_limits = outcome in (Out.REFUSAL, Out.PARTIAL)
    if refuses_or_limits:
        if not grounds:
            raise DecisionRefused("거부·제한 사유: 목록에서 하나 이상 고르세요 (R23)")
        if not reasons:
            raise DecisionRefused("사유: 거부·제한하는 구체적인 사유를 적어 주세요 (법 제35조④, R22)")
    elif grounds:
        raise DecisionRefused("거부·제한 사유: 거부나 일부 허용이 아닌 결정에는 고르지 마세요")
    if outcome == Out.PARTIAL and not limited:
        raise DecisionRefused("제한하는 내용: 일부 허용에서 제한하는 부분을 적어 주세요")
    if outcome == Out.VIEWING_ON_SITE:
        if viewing_at is None:
            raise DecisionRefused("열람 일시: 방문 열람의 날짜와 시각을 적어 주세요")
        if viewing_at <= timezone.now():
            raise DecisionRefused("열람 일시: 지금보다 뒤의 날짜와 시각을 적어 주세요")
        if not viewing_place:
            raise DecisionRefused("열람 장소: 방문 열람 장소를 적어 주세요")
    try:
        return [g.code for g in check_grounds(grounds, request.institution.slug, request.kind)]
    except UnknownGround as error:
        raise DecisionRefused(f"거부·제한 사유: {error}") from error


def decide(
    actor: Actor,
    request: SubjectRequest,
    outcome: str,
    *,
    grounds: list[str] | tuple[str, ...] = (),
    reasons: str = "",
    limited: str = "",
    viewing_at: datetime | None = None,
    viewing_place: str = "",
    fee: FeeInput | None = None,
    suggested_fee: int | None = None,
) -> Decision:
    """Decide `request` (module docstring); returns the decision with its letter."""
    reasons, limited, viewing_place = reasons.strip(), limited.strip(), " ".join(viewing_place.split())
    codes = _check(actor, request, outcome, list(grounds), reasons, limited, viewing_at, viewing_place)
    try:
        settled = settled_fee(fee, suggested_fee) if fee is not None else None
    except FeeError as error:
        raise DecisionRefused(str(error)) from error
    if outcome != Out.VIEWING_ON_SITE:
        viewing_at, viewing_place = None, ""
    held: list[Destruction] = []
    if outcome == Out.DELETION:
        blocked = deletion.blockers(request)
        if blocked:
            raise deletion.DeletionBlocked(blocked)
        wait = deletion.not_yet(request)
        if wait:
            raise DecisionRefused(wait)
        held = deletion.end_own_holds(actor, request)
    try:
        with transaction.atomic():
            return _decide(
                actor, request, outcome, codes, reasons, limited, viewing_at, viewing_place, settled, held
            )
    except SegmentDestructionRefused as error:
        raise DecisionRefused(str(error)) from error


def _decide(
    actor: Actor,
    request: SubjectRequest,
    outcome: str,
    codes: list[str],
    reasons: str,
    limited: str,
    viewing_at: datetime | None,
    viewing_place: str,
    fee: FeeInput | None,
    held: list[Destruction],
) -> Decision:
    request = SubjectRequest.objects.select_for_update().select_related("institution").get(pk=request.pk)
    if not request.is_open:
        raise DecisionRefused(f"{request.get_state_display()} 상태의 청구는 결정할 수 없습니다")
    decision = Decision(
        request=request,
        number=request.decisions.count() + 1,
        outcome=outcome,
        grounds=codes,
        reasons=reasons,
        limited=limited,
        viewing_at=viewing_at,
        viewing_place=viewing_place,
        decided_at=timezone.now(),
        decided_by=actor.user,
        decided_by_label=actor.label,
    )
    if fee is not None:
        apply_fee(decision, fee)
    decision.save()
    destroyed = list(held)
    if outcome == Out.DELETION:
        destroyed += deletion.destroy_request_footage(actor, request)
    if destroyed:
        decision.destructions.set(destroyed)
    pdf, sha256, template = render_letter(decision)
    decision.letter_pdf, decision.letter_sha256, decision.letter_template = pdf, sha256, template
    decision.save(update_fields=[*LETTER_FIELDS, "letter_sha256", "letter_template"])
    request.state = SubjectRequest.State.DECIDED
    request.save(update_fields=["state"])
    record(
        actor,
        AuditEvent.DISCLOSURE_DECIDE,
        request,
        reason=(reasons or decision.get_outcome_display())[:300],
        details=_details(decision, destroyed),
    )
    if fee is not None:
        record(
            actor,
            AuditEvent.DISCLOSURE_RECORD_FEE,
            request,
            reason=fee.note or decision.get_fee_status_display(),
            details=fee_details(decision),
        )
    notify_requester(
        request,
        subject="청구 결정 통지",
        body=(
            f"{request.requester_name}님, 접수번호 {request.receipt_number} 청구에 대한 결정 통지서를 보내 드립니다.\n"
            f"결정: {decision.get_outcome_display()}\n"
            "자세한 내용은 첨부한 통지서와 청구 상태 확인 링크에서 볼 수 있습니다.\n"
        ),
        attachments=[(decision.letter_name, pdf, "application/pdf")],
    )
    return decision


def _details(decision: Decision, destroyed: list[Destruction]) -> dict[str, Any]:
    return {
        "decision": decision.number,
        "outcome": decision.outcome,
        "grounds": [BY_CODE[code].citation for code in decision.grounds],
        "limited": decision.limited,
        "viewing_at": decision.viewing_at,
        "viewing_place": decision.viewing_place,
        "destructions": [d.pk for d in destroyed],
        "letter_sha256": decision.letter_sha256,
    }


def read_letter(actor: Actor, decision: Decision, *, via: str) -> bytes:
    """A decision letter read (it holds the requester's personal data): audited as a view of the
    request, by the staff on the request's page (via "page") or by the requester through the status
    link (via "status_link")."""
    with transaction.atomic():
        record(
            actor,
            AuditEvent.DISCLOSURE_VIEW_REQUEST,
            decision.request,
            reason=f"결정 통지서 {decision.number} 열람",
            details={"via": via, "letter": decision.number},
        )
    return bytes(decision.letter_pdf)
