"""R27 (법 제38조③, 시행령 제47조): the requester pays the institution's own amounts per unit, and
nothing when the cause lies with the institution. Pure: the fee table is passed in as plain rows.

The amounts below are a test's table, not any institution's: jikimi sets only what a 조례 states."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jikimi.rules.request_fees import FeeError, FeeNotPublished, FeeRow, UnknownFeeItem, request_fee

TABLE = (
    FeeRow("열람", "1건", 1_000, "시험구 수수료 조례 제3조"),
    FeeRow("사본(파일)", "1건", 2_000, "시험구 수수료 조례 제3조"),
    FeeRow("사본(CD)", "1매", 5_000, "시험구 수수료 조례 제3조"),
)
NOT_PUBLISHED = (FeeRow("열람", "", None, "금천구 조례 (개인정보처리방침 제14조①)"),)


def test_R27_the_fee_is_the_tables_amount_per_unit_times_the_quantity() -> None:
    assert request_fee(TABLE, "열람", 1, cause_institution=False) == 1_000
    assert request_fee(TABLE, "사본(CD)", 3, cause_institution=False) == 15_000


def test_R27_nothing_is_charged_when_the_cause_lies_with_the_institution() -> None:
    # 법 제38조③ 단서.
    assert request_fee(TABLE, "사본(CD)", 3, cause_institution=True) == 0
    # Even where the institution does not publish its amount.
    assert request_fee(NOT_PUBLISHED, "열람", 1, cause_institution=True) == 0


def test_R27_an_item_the_table_lacks_is_refused_naming_the_items_it_has() -> None:
    with pytest.raises(UnknownFeeItem, match=r"'사본\(USB\)'.*열람, 사본\(파일\), 사본\(CD\)"):
        request_fee(TABLE, "사본(USB)", 1, cause_institution=False)
    # Whoever caused the request: the decision records what was provided, from the table.
    with pytest.raises(UnknownFeeItem):
        request_fee(TABLE, "사본(USB)", 1, cause_institution=True)


def test_R27_without_a_fee_table_every_item_is_unknown_and_the_error_says_so() -> None:
    with pytest.raises(UnknownFeeItem, match="수수료 표가 없습니다"):
        request_fee((), "열람", 1, cause_institution=False)


def test_R27_an_amount_the_institution_does_not_publish_is_never_guessed() -> None:
    with pytest.raises(FeeNotPublished, match="공개 문서에 미수록.*금천구 조례"):
        request_fee(NOT_PUBLISHED, "열람", 1, cause_institution=False)


@pytest.mark.parametrize("quantity", [0, -1])
def test_R27_a_quantity_below_one_is_refused(quantity: int) -> None:
    with pytest.raises(FeeError, match="수량은 1 이상"):
        request_fee(TABLE, "열람", quantity, cause_institution=False)


def test_R27_every_fee_error_is_a_value_error_with_a_korean_message() -> None:
    assert issubclass(UnknownFeeItem, FeeError) and issubclass(FeeNotPublished, FeeError)
    assert issubclass(FeeError, ValueError)


@given(
    amount=st.integers(min_value=0, max_value=100_000),
    quantity=st.integers(min_value=1, max_value=1_000),
    cause_institution=st.booleans(),
)
def test_R27_the_fee_is_linear_in_the_quantity_and_zero_for_the_institutions_cause(
    amount: int, quantity: int, cause_institution: bool
) -> None:
    rows = (FeeRow("열람", "1건", amount, ""),)
    fee = request_fee(rows, "열람", quantity, cause_institution=cause_institution)
    assert fee == (0 if cause_institution else amount * quantity)
