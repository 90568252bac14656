"""Review, approval and refusal of a provision request (R29, R49; 오산시 지침 제32조②③; 군산시 제4조
요청 및 제공절차 "검토 → 승인").

The preparer (HANDLE_PROVISIONS) records who else is in the footage and what providing it would do to
them (법 제18조②: "정보주체 또는 제3자의 이익을 부당하게 침해할 우려가 있을 때를 제외하고"). Then
somebody else decides: the 총괄책임관 (APPROVE_PROVISIONS), or — only for an urgent case on an urgent
ground (may_be_approved_urgently: items 3 and 10) — the head of the control centre
(APPROVE_URGENT_PROVISIONS). The approver is never the preparer: the two signatures of the chain are two
people. The original (unmasked) footage goes only when the requester asked for it with a reason and the
approver grants it with a reason of his own (R49). A refusal states its reasons and ends the case's holds
on the footage (R18: nothing is kept longer than the case needs). Each step one transaction, audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.timezone import now

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure import provision_scope
from jikimi.disclosure.actions.provision_intake import LONGEST_TEXT, ProvisionError, checked
from jikimi.disclosure.models import ProvisionCase
from jikimi.rules.provision_grounds import ground, may_be_approved_urgently
from jikimi.vault.actions.holds import end_holds_for_case

State = ProvisionCase.State
# A refusal may come before the review (a letter with no ground at all); an approval only after it.
REFUSABLE = (State.RECEIVED, State.REVIEWED)


def _fresh(case: ProvisionCase) -> ProvisionCase:
    """The case re-read under a row lock: two officers acting at once do not both pass the state check."""
    return ProvisionCase.objects.select_for_update().select_related("institution", "body").get(pk=case.pk)


def review_provision(
    actor: Actor,
    case: ProvisionCase,
    *,
    third_parties: str,
    harm_assessment: str,
    mask_third_parties: bool,
) -> ProvisionCase:
    """The preparer's review: third parties in the footage, harm to others, whether they are masked."""
    if not provision_scope.may_handle(actor.user, case):
        raise ProvisionError("이 제공 요청을 검토할 권한이 없습니다 (제3자 제공 요청 처리 권한 필요)")
    people = checked(third_parties, "third_parties", "영상 속 제3자", LONGEST_TEXT, required=True)
    harm = checked(
        harm_assessment, "harm_assessment", "정보주체·제3자 권익 침해 검토", LONGEST_TEXT, required=True
    )
    with transaction.atomic():
        case = _fresh(case)
        if case.state not in (State.RECEIVED, State.REVIEWED):
            raise ProvisionError(f"'{case.get_state_display()}' 상태의 요청은 검토할 수 없습니다")
        case.third_parties = people
        case.harm_assessment = harm
        case.mask_third_parties = mask_third_parties
        case.prepared_by = actor.user
        case.prepared_at = now()
        case.state = State.REVIEWED
        case.save(
            update_fields=[
                "third_parties",
                "harm_assessment",
                "mask_third_parties",
                "prepared_by",
                "prepared_at",
                "state",
            ]
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_REVIEW_PROVISION,
            case,
            reason="검토 기록",
            details={"case_number": case.case_number, "mask_third_parties": mask_third_parties},
        )
    return case


@dataclass(frozen=True)
class Approver:
    """Who may decide `case`, as what — or why not (a Korean sentence), for the page to show."""

    kind: str  # ProvisionCase.ApprovalKind value, "" when refused
    refusal: str = ""

    @property
    def may(self) -> bool:
        return bool(self.kind)


def approver_for(user: object, case: ProvisionCase) -> Approver:
    """오산시 지침 제32조②③: the 총괄책임관 decides; the control centre's head only urgent item-3/10 cases.
    The approver is never the preparer (the page shows why the preparer cannot decide)."""
    urgent_path = may_be_approved_urgently(case.legal_ground, urgent=case.urgent)
    if has_permission(user, Permission.APPROVE_PROVISIONS, institution=case.institution):
        kind = ProvisionCase.ApprovalKind.PRIVACY_OFFICER
    elif has_permission(user, Permission.APPROVE_URGENT_PROVISIONS, institution=case.institution):
        if not urgent_path:
            return Approver(
                "",
                "통합관제센터장은 긴급한 공익 목적의 요청(개인정보 보호법 제18조제2항제3호·제10호 근거, "
                "긴급 표시)만 승인·거부할 수 있습니다 (오산시 지침 제32조③). 이 요청은 총괄책임관이 결정합니다",
            )
        kind = ProvisionCase.ApprovalKind.URGENT_CONTROL_HEAD
    else:
        return Approver("", "제3자 제공을 승인·거부할 권한이 없습니다 (총괄책임관 또는 통합관제센터장)")
    if case.prepared_by_id is not None and case.prepared_by_id == getattr(user, "pk", None):
        return Approver(
            "",
            "이 요청을 검토한 사람은 승인·거부할 수 없습니다: 검토자와 승인자는 다른 사람이어야 합니다. "
            "다른 승인권자에게 결정을 요청하십시오",
        )
    return Approver(kind)


def approve_provision(
    actor: Actor,
    case: ProvisionCase,
    *,
    reason: str,
    original_approved: bool = False,
) -> ProvisionCase:
    """Approve the reviewed request; the original only when asked for and granted with a reason (R49)."""
    who = approver_for(actor.user, case)
    if not who.may:
        raise ProvisionError(who.refusal)
    why = checked(reason, "reason", "승인 사유", LONGEST_TEXT, required=True)
    with transaction.atomic():
        case = _fresh(case)
        if case.state != State.REVIEWED:
            raise ProvisionError(
                f"'{case.get_state_display()}' 상태의 요청은 승인할 수 없습니다: 담당자의 검토가 먼저입니다"
            )
        who = approver_for(actor.user, case)  # re-asked on the locked row (a review may just have come)
        if not who.may:
            raise ProvisionError(who.refusal)
        if original_approved and not case.original_requested:
            raise ProvisionError(
                "원본 제공: 요청 기관이 원본을 요청하지 않았습니다 (마스킹한 사본을 제공합니다)",
                "original_approved",
            )
        case.state = State.APPROVED
        case.decided_by = actor.user
        case.decided_at = now()
        case.approval_kind = who.kind
        case.decision_reason = why
        case.original_approved = original_approved
        case.save(
            update_fields=[
                "state",
                "decided_by",
                "decided_at",
                "approval_kind",
                "decision_reason",
                "original_approved",
            ]
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_APPROVE_PROVISION,
            case,
            reason=why,
            details={
                "case_number": case.case_number,
                "legal_ground": case.legal_ground,
                "approval_kind": who.kind,
                "original_approved": original_approved,
            },
        )
    return case


def refuse_provision(actor: Actor, case: ProvisionCase, *, reason: str) -> ProvisionCase:
    """Refuse with reasons; the holds placed for the case end with it (R18)."""
    who = approver_for(actor.user, case)
    if not who.may:
        raise ProvisionError(who.refusal)
    why = checked(reason, "reason", "거부 사유", LONGEST_TEXT, required=True)
    with transaction.atomic():
        case = _fresh(case)
        if case.state not in REFUSABLE:
            raise ProvisionError(f"'{case.get_state_display()}' 상태의 요청은 거부할 수 없습니다")
        who = approver_for(actor.user, case)
        if not who.may:
            raise ProvisionError(who.refusal)
        case.state = State.REFUSED
        case.decided_by = actor.user
        case.decided_at = now()
        case.approval_kind = who.kind
        case.decision_reason = why
        case.closed_at = case.decided_at
        case.save(
            update_fields=[
                "state",
                "decided_by",
                "decided_at",
                "approval_kind",
                "decision_reason",
                "closed_at",
            ]
        )
        ended = end_holds_for_case(actor, case.hold_reference, reason=f"제공 거부: {why}")
        record(
            actor,
            AuditEvent.DISCLOSURE_REFUSE_PROVISION,
            case,
            reason=why,
            details={
                "case_number": case.case_number,
                "legal_ground": case.legal_ground,
                "holds_ended": len(ended),
            },
        )
    return case


def ground_label(item: str) -> str:
    """The ground as the approval page shows it: "제7호 범죄의 수사와 …"."""
    found = ground(item)
    return f"제{found.item}호 {found.label}"
