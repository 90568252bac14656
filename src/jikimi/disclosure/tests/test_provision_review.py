"""Review and decision of a provision request (R29, R49; 오산시 지침 제32조②③): the preparer is never the
approver; the control centre's head decides only urgent item-3/10 cases; a refusal ends the holds."""

from __future__ import annotations

import pytest
import time_machine

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.provision_intake import ProvisionError
from jikimi.disclosure.actions.provision_review import (
    approve_provision,
    approver_for,
    refuse_provision,
    review_provision,
)
from jikimi.disclosure.models import ProvisionCase
from jikimi.disclosure.tests.provision_world import (
    NOW,
    ProvisionWorld,
    file_paper_case,
    kst,
    provision_stores,
    pw,
)
from jikimi.vault.models import LegalHold

__all__ = ["provision_stores", "pw"]

State = ProvisionCase.State


def reviewed(pw: ProvisionWorld, case: ProvisionCase, by=None) -> ProvisionCase:  # type: ignore[no-untyped-def]
    with time_machine.travel(kst(NOW), tick=False):
        return review_provision(
            pw.actor(by or pw.alice),
            case,
            third_parties="보행자 3명, 차량 번호판 2대",
            harm_assessment="제3자는 마스킹하여 제공하면 침해 우려 없음",
            mask_third_parties=True,
        )


def test_the_preparer_reviews_and_the_privacy_officer_approves(pw: ProvisionWorld) -> None:
    case = reviewed(pw, file_paper_case(pw))
    assert case.state == State.REVIEWED and case.prepared_by == pw.alice
    with time_machine.travel(kst(NOW), tick=False):
        case = approve_provision(pw.actor(pw.bob), case, reason="수사 목적 확인, 마스킹 사본 제공")
    assert case.state == State.APPROVED and case.decided_by == pw.bob
    assert case.approval_kind == ProvisionCase.ApprovalKind.PRIVACY_OFFICER
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_APPROVE_PROVISION)
    assert entry.details["approval_kind"] == "privacy_officer" and entry.reason.startswith("수사 목적")
    # The holds stay: the footage is still to be provided.
    assert LegalHold.objects.filter(released_at__isnull=True).count() == 1


def test_the_approver_is_never_the_preparer(pw: ProvisionWorld) -> None:
    case = reviewed(pw, file_paper_case(pw), by=pw.bob)
    assert "검토한 사람은 승인·거부할 수 없습니다" in approver_for(pw.bob, case).refusal
    with pytest.raises(ProvisionError) as refused:
        approve_provision(pw.actor(pw.bob), case, reason="승인")
    assert "검토자와 승인자는 다른 사람" in str(refused.value)
    with pytest.raises(ProvisionError):
        refuse_provision(pw.actor(pw.bob), case, reason="거부")
    case.refresh_from_db()
    assert case.state == State.REVIEWED and case.decided_by is None
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_APPROVE_PROVISION).exists()


def test_nothing_is_approved_before_review(pw: ProvisionWorld) -> None:
    case = file_paper_case(pw)
    with pytest.raises(ProvisionError) as refused:
        approve_provision(pw.actor(pw.bob), case, reason="승인")
    assert "검토가 먼저" in str(refused.value)


@pytest.mark.parametrize("item", ["3", "10"])
def test_the_control_head_approves_an_urgent_item_3_or_10_case(pw: ProvisionWorld, item: str) -> None:
    case = reviewed(pw, file_paper_case(pw, legal_ground=item, urgent=True))
    with time_machine.travel(kst(NOW), tick=False):
        case = approve_provision(pw.actor(pw.hana), case, reason="실종자 수색, 긴급")
    assert case.approval_kind == ProvisionCase.ApprovalKind.URGENT_CONTROL_HEAD


@pytest.mark.parametrize(("item", "urgent"), [("7", True), ("3", False), ("10", False), ("2", True)], ids=str)
def test_the_control_head_is_refused_otherwise(pw: ProvisionWorld, item: str, urgent: bool) -> None:
    case = reviewed(pw, file_paper_case(pw, legal_ground=item, urgent=urgent))
    with pytest.raises(ProvisionError) as refused:
        approve_provision(pw.actor(pw.hana), case, reason="승인")
    assert "제3호·제10호" in str(refused.value) and "총괄책임관이 결정합니다" in str(refused.value)
    case.refresh_from_db()
    assert case.state == State.REVIEWED


def test_an_officer_or_auditor_cannot_decide(pw: ProvisionWorld) -> None:
    case = reviewed(pw, file_paper_case(pw))
    for person in (pw.dora, pw.auditor, pw.other_officer):
        with pytest.raises(ProvisionError) as refused:
            approve_provision(pw.actor(person), case, reason="승인")
        assert "권한이 없습니다" in str(refused.value)


def test_r49_the_original_only_when_asked_with_a_reason(pw: ProvisionWorld) -> None:
    plain = reviewed(pw, file_paper_case(pw))
    with pytest.raises(ProvisionError) as refused:
        approve_provision(pw.actor(pw.bob), plain, reason="승인", original_approved=True)
    assert refused.value.field == "original_approved"
    asked = reviewed(
        pw,
        file_paper_case(pw, original_requested=True, original_reason="법원 증거 제출용 원본 필요"),
    )
    with pytest.raises(ProvisionError) as refused:
        approve_provision(pw.actor(pw.bob), asked, reason="  ", original_approved=True)
    assert refused.value.field == "reason"
    with time_machine.travel(kst(NOW), tick=False):
        done = approve_provision(
            pw.actor(pw.bob), asked, reason="증거능력 확보를 위해 원본 필요", original_approved=True
        )
    assert done.original_approved and done.decision_reason == "증거능력 확보를 위해 원본 필요"


def test_a_refusal_needs_reasons_and_ends_the_holds(pw: ProvisionWorld) -> None:
    case = file_paper_case(pw)
    with pytest.raises(ProvisionError) as refused:
        refuse_provision(pw.actor(pw.bob), case, reason="")
    assert refused.value.field == "reason" and "거부 사유" in str(refused.value)
    assert LegalHold.objects.get().released_at is None
    with time_machine.travel(kst(NOW), tick=False):
        case = refuse_provision(pw.actor(pw.bob), case, reason="요청 범위가 수사 목적에 비해 과도함")
    assert case.state == State.REFUSED and not case.is_open
    assert LegalHold.objects.get().released_at is not None
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_REFUSE_PROVISION)
    assert entry.details["holds_ended"] == 1


def test_a_review_needs_its_findings_and_a_handler(pw: ProvisionWorld) -> None:
    case = file_paper_case(pw)
    with pytest.raises(ProvisionError) as refused:
        review_provision(
            pw.actor(pw.alice), case, third_parties="", harm_assessment="없음", mask_third_parties=True
        )
    assert refused.value.field == "third_parties"
    with pytest.raises(ProvisionError) as refused:
        review_provision(
            pw.actor(pw.hana), case, third_parties="없음", harm_assessment="없음", mask_third_parties=True
        )
    assert "권한이 없습니다" in str(refused.value)
    case.refresh_from_db()
    assert case.state == State.RECEIVED and case.prepared_by is None
