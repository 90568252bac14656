"""법 제38조③, 시행령 제47조 (R27): the fee is recorded on the decision — paid (수입증지, 전자결제, 현금)
or waived — and is 0 where the cause lies with the institution."""

from __future__ import annotations

import pytest

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import DecisionRefused, decide
from jikimi.disclosure.actions.fees import FeeError, FeeInput, record_fee
from jikimi.disclosure.models import Decision, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import (
    actor,
    make_request,
    people,
    pinned_clock,  # noqa: F401 (fixture)
)
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze

pytestmark = pytest.mark.usefixtures("pinned_clock")
Out, Fee, Pay = Decision.Outcome, Decision.FeeStatus, Decision.Payment


def _copy_decision(persons, fee=None, suggested_fee=None) -> Decision:
    request, _ = make_request(kind=SubjectRequest.Kind.COPY)
    return decide(actor(persons["head"]), request, Out.COPY, fee=fee, suggested_fee=suggested_fee)


def test_cause_with_the_institution_forces_the_fee_to_zero(db):
    decision = _copy_decision(people(), FeeInput(amount=5000, cause_institution=True))
    assert (decision.fee_amount, decision.fee_status, decision.fee_cause_institution) == (0, Fee.WAIVED, True)
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_RECORD_FEE)
    assert entry.details["fee_amount"] == 0 and entry.details["fee_cause_institution"] is True
    assert "기관에있어부담하지않음" in squeeze(pdf_text(bytes(decision.letter_pdf)))


def test_an_amount_without_payment_is_due_and_the_suggested_fee_fills_an_empty_amount(db):
    persons = people()
    assert _copy_decision(persons, FeeInput(amount=3000)).fee_status == Fee.UNPAID
    decision = _copy_decision(persons, FeeInput(), suggested_fee=2500)
    assert (decision.fee_amount, decision.fee_status) == (2500, Fee.UNPAID)
    assert _copy_decision(persons).fee_status == Fee.NONE  # no fee given: none recorded


def test_payment_is_recorded_later_with_its_means(db):
    persons = people()
    decision = _copy_decision(persons, FeeInput(amount=3000))
    decision = record_fee(
        actor(persons["officer"]), decision, FeeInput(amount=3000, status=Fee.PAID, payment=Pay.REVENUE_STAMP)
    )
    assert (decision.fee_status, decision.fee_payment) == (Fee.PAID, Pay.REVENUE_STAMP)
    entries = AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_RECORD_FEE).order_by("pk")
    assert entries.last().details["fee_payment"] == Pay.REVENUE_STAMP


def test_a_waiver_is_recorded(db):
    persons = people()
    decision = _copy_decision(persons, FeeInput(amount=3000))
    decision = record_fee(
        actor(persons["head"]), decision, FeeInput(amount=3000, status=Fee.WAIVED, note="기초생활수급자")
    )
    assert decision.fee_status == Fee.WAIVED and decision.fee_note == "기초생활수급자"


@pytest.mark.parametrize(
    ("fee", "message"),
    [
        (FeeInput(amount=-1), "수수료: 0원 이상"),
        (FeeInput(amount=1_000_001), "수수료: 0원 이상"),
        (FeeInput(amount=3000, status=Fee.PAID), "납부 방법"),
        (FeeInput(amount=0, status=Fee.PAID, payment=Pay.CASH), "금액을 적어"),
        (FeeInput(amount=3000, payment=Pay.CASH), "납부한 경우에만"),
        (FeeInput(amount=3000, status="gift"), "수수료 상태"),
        (FeeInput(amount=3000, note="가" * 301), "수수료 비고"),
    ],
)
def test_bad_fees_are_refused_with_the_field_named_and_nothing_saved(db, fee, message):
    persons = people()
    request, _ = make_request(kind=SubjectRequest.Kind.COPY)
    with pytest.raises(DecisionRefused, match=message):
        decide(actor(persons["head"]), request, Out.COPY, fee=fee)
    assert not Decision.objects.exists()
    decision = _copy_decision(persons)
    with pytest.raises(FeeError, match=message):
        record_fee(actor(persons["officer"]), decision, fee)
    decision.refresh_from_db()
    assert decision.fee_status == Fee.NONE


@pytest.mark.parametrize("who", ["auditor", "operator"])
def test_only_request_handlers_record_fees(db, who):
    persons = people()
    decision = _copy_decision(persons)
    with pytest.raises(FeeError, match="권한"):
        record_fee(actor(persons[who]), decision, FeeInput(amount=0, status=Fee.WAIVED))


def _fee_table(institution) -> None:
    from jikimi.inventory.models import RequestFee

    RequestFee.objects.create(
        institution=institution,
        key="copy-file",
        item="사본(파일)",
        unit="1건",
        amount=2000,
        basis="수수료 조례 제3조",
    )
    RequestFee.objects.create(
        institution=institution, key="viewing", item="열람", unit="1건", amount=None, basis=""
    )


def _decision_form(request, **fields):
    from jikimi.disclosure.decision_forms import DecisionForm

    return DecisionForm({"outcome": Out.COPY, "fee_status": Fee.UNPAID, **fields}, subject_request=request)


def test_the_fee_is_computed_from_the_institutions_table_by_item_and_quantity(db):
    request, _ = make_request(kind=SubjectRequest.Kind.COPY)
    _fee_table(request.institution)
    form = _decision_form(request, fee_item="사본(파일)", fee_quantity="3")
    assert form.is_valid(), form.errors
    assert form.fee().amount == 6000 and form.fee().note == "사본(파일) × 3"
    # 법 제38조③ 단서: the cause lies with the institution — nothing, whatever the table says.
    free = _decision_form(request, fee_item="사본(파일)", fee_quantity="3", fee_cause_institution="on")
    assert free.is_valid() and free.fee().amount == 0
    # The form offers the table as the register states it, unpublished amounts said so.
    labels = [label for _, label in form.fields["fee_item"].choices]
    assert "사본(파일) — 2,000원 / 1건 (수수료 조례 제3조)" in labels and "열람 — 금액 미수록 / 1건" in labels


def test_an_item_whose_amount_is_not_published_asks_for_the_amount_by_name(db):
    request, _ = make_request(kind=SubjectRequest.Kind.COPY)
    _fee_table(request.institution)
    form = _decision_form(request, fee_item="열람")
    assert not form.is_valid()
    assert "미수록" in form.errors["fee_item"][0] and "금액을 직접 입력" in form.errors["fee_item"][0]
    typed = _decision_form(request, fee_item="열람", fee_amount="1000")
    assert typed.is_valid() and typed.fee().amount == 1000
