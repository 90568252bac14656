"""Fees (법 제38조③, 시행령 제47조; R27): the actual cost set by 조례, nothing where the cause lies with
the institution, paid by 수입증지 or electronic means (or cash at the counter), or waived.

The amount is typed by the officer; the institution's fee table (조례, in the register file) may
suggest it through `suggested_fee`, which an empty amount takes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.permissions import Permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.models import Decision
from jikimi.disclosure.scope import may_answer_for

# A limit checked first: no fee for copying a person's own footage comes near it.
MAX_FEE = 1_000_000


class FeeError(ValueError):
    """A fee that cannot be recorded as given; the message names the field."""


@dataclass(frozen=True)
class FeeInput:
    amount: int | None = None  # 원; None takes `suggested_fee`
    status: str = Decision.FeeStatus.NONE
    payment: str = ""
    cause_institution: bool = False
    note: str = ""


def settled_fee(fee: FeeInput, suggested_fee: int | None = None) -> FeeInput:
    """The fee as it will be recorded, or FeeError naming the bad field."""
    if len(fee.note) > 300:
        raise FeeError("수수료 비고: 300자 이내로 적어 주세요")
    if fee.status not in Decision.FeeStatus.values:
        raise FeeError("수수료 상태: 목록에서 고르세요")
    if fee.payment and fee.payment not in Decision.Payment.values:
        raise FeeError("납부 방법: 목록에서 고르세요")
    amount = fee.amount if fee.amount is not None else suggested_fee
    if fee.cause_institution:
        # 법 제38조③ 단서 (R27): the cause lies with the institution — no fee, whatever was typed.
        return FeeInput(0, Decision.FeeStatus.WAIVED, "", True, fee.note.strip() or "청구 사유가 기관에 있음")
    if amount is None:
        amount = 0
    if not 0 <= amount <= MAX_FEE:
        raise FeeError(f"수수료: 0원 이상 {MAX_FEE:,}원 이하로 적어 주세요")
    status = fee.status
    if status == Decision.FeeStatus.NONE and amount > 0:
        status = Decision.FeeStatus.UNPAID
    if status == Decision.FeeStatus.PAID:
        if amount == 0:
            raise FeeError("수수료: 납부로 기록하려면 금액을 적어 주세요")
        if not fee.payment:
            raise FeeError("납부 방법: 수입증지·전자결제·현금 가운데 고르세요")
    elif fee.payment:
        raise FeeError("납부 방법: 납부한 경우에만 고르세요")
    return FeeInput(
        amount, status, fee.payment if status == Decision.FeeStatus.PAID else "", False, fee.note.strip()
    )


def apply_fee(decision: Decision, fee: FeeInput) -> None:
    decision.fee_amount = fee.amount or 0
    decision.fee_status = fee.status
    decision.fee_payment = fee.payment
    decision.fee_cause_institution = fee.cause_institution
    decision.fee_note = fee.note
    decision.fee_recorded_at = timezone.now()


def fee_details(decision: Decision) -> dict[str, object]:
    return {
        "decision": decision.number,
        "fee_amount": decision.fee_amount,
        "fee_status": decision.fee_status,
        "fee_payment": decision.fee_payment,
        "fee_cause_institution": decision.fee_cause_institution,
    }


def record_fee(
    actor: Actor, decision: Decision, fee: FeeInput, *, suggested_fee: int | None = None
) -> Decision:
    """Record the fee of a decision (paid, waived, still due), audited DISCLOSURE_RECORD_FEE."""
    if actor.user is None or not may_answer_for(actor.user, Permission.HANDLE_REQUESTS, decision.request):
        raise FeeError("수수료를 기록할 권한이 없습니다 (권한: 열람 등 청구 처리)")
    settled = settled_fee(fee, suggested_fee)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("request").get(pk=decision.pk)
        apply_fee(decision, settled)
        decision.save(
            update_fields=[
                "fee_amount",
                "fee_status",
                "fee_payment",
                "fee_cause_institution",
                "fee_note",
                "fee_recorded_at",
            ]
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_RECORD_FEE,
            decision.request,
            reason=settled.note or decision.get_fee_status_display(),
            details=fee_details(decision),
        )
    return decision
