"""The institution's fee table for data subjects' requests (R27: 법 제38조③, 시행령 제47조).

A local government sets the fees by its 조례 (시행령 제47조②); the register holds the table as the
institution publishes it, row by row, and never an amount it does not publish: `amount` null is
"공개 문서에 미수록" (금천구 says only that 조례 fees are charged). The fee of a request is computed by
`jikimi.rules.request_fees.request_fee` from these rows (`as_rule_row`).
"""

from __future__ import annotations

from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models.organisation import Institution
from jikimi.rules.request_fees import FeeRow

NOT_PUBLISHED = "공개 문서에 미수록"


class RequestFee(models.Model):
    """One row of the fee table: `amount` won per `unit` of `item` (열람, 사본(파일), 사본(CD), …)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="request_fees")
    # Identity across imports, so that a re-import updates the row in place (and its history).
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 수수료를 가리키는 이름")
    item = models.CharField("수수료 항목", max_length=100, help_text="예: 열람, 사본(파일), 사본(CD)")
    unit = models.CharField(
        "단위", max_length=40, blank=True, help_text="예: 1건, 1매 — 표에 없으면 비워 둡니다"
    )
    amount = models.PositiveIntegerField(
        "금액(원)",
        null=True,
        blank=True,
        help_text="단위마다의 금액 — 기관이 공개하지 않았으면 비워 둡니다 (공개 문서에 미수록)",
    )
    basis = models.CharField("근거", max_length=200, help_text="예: ○○구 수수료 징수 조례 제N조")
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "열람 등 수수료"
        verbose_name_plural = "열람 등 수수료"
        ordering = ["institution", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "key"], name="unique_request_fee_key"),
            models.UniqueConstraint(fields=["institution", "item"], name="unique_request_fee_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item}{f' ({self.unit})' if self.unit else ''}: {self.amount_label}"

    @property
    def amount_label(self) -> str:
        """The amount as people read it: "1,000원", or that the institution does not publish it."""
        return NOT_PUBLISHED if self.amount is None else f"{self.amount:,}원"

    def as_rule_row(self) -> FeeRow:
        return FeeRow(item=self.item, unit=self.unit, amount=self.amount, basis=self.basis)

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): the whole institution."""
        return Scope(self.institution_id)
