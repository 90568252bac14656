"""The fee for a data subject's request (R27: 법 제38조③, 시행령 제47조).

The requester pays the actual cost (실비) of viewing or copying, in the amounts a local government
sets by its 조례 (시행령 제47조②); nothing when the cause of the request lies with the institution
(법 제38조③ 단서). The amounts are the institution's own (its register's fee table, passed in as
plain rows): this module invents none. A row whose amount the institution does not publish
(`amount=None`) names a fee that is charged but cannot be computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FeeRow:
    """One row of an institution's fee table: `amount` won per `unit` of `item` (None: not published)."""

    item: str  # e.g. 열람, 사본(파일), 사본(CD)
    unit: str  # e.g. 1건, 1매, 1개; "" when the table states none
    amount: int | None
    basis: str  # e.g. ○○구 수수료 조례 제N조


class FeeError(ValueError):
    """A fee that cannot be computed; the message says why, in Korean."""


class UnknownFeeItem(FeeError):
    pass


class FeeNotPublished(FeeError):
    pass


def request_fee(rows: Sequence[FeeRow], item: str, quantity: int, *, cause_institution: bool) -> int:
    """The fee in won for `quantity` units of `item` by the institution's table `rows`.

    0 when the cause of the request lies with the institution (법 제38조③ 단서), whatever the table says.
    The item must be one of the table's in every case: the decision records what was provided.
    """
    if quantity < 1:
        raise FeeError(f"수량은 1 이상이어야 합니다 (받은 값: {quantity})")
    row = next((r for r in rows if r.item == item), None)
    if row is None:
        known = ", ".join(r.item for r in rows) or "없음 — 대장에 수수료 표가 없습니다"
        raise UnknownFeeItem(f"수수료 항목 '{item}'이(가) 기관의 수수료 표에 없습니다 (있는 항목: {known})")
    if cause_institution:
        return 0  # 법 제38조③ 단서: 청구의 사유가 기관에 있으면 수수료를 받지 않는다
    if row.amount is None:
        basis = f" ({row.basis})" if row.basis else ""
        raise FeeNotPublished(f"수수료 항목 '{item}'의 금액이 공개 문서에 미수록입니다{basis}")
    if row.amount < 0:
        raise FeeError(f"수수료 항목 '{item}'의 금액이 음수입니다: {row.amount}")
    return row.amount * quantity
