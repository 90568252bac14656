"""Postponements of a request's answer and their letters (법 제35조③ 단서, 시행령 제41조⑤; R22)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.disclosure.models.letters import SealedLetter
from jikimi.disclosure.models.requests import SubjectRequest


class Postponement(SealedLetter):
    """One postponement: the due date before and after, why, who, and the letter that told the
    requester (kept with the case, R22, R26). The request keeps only the current due date."""

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="postponements")
    number = models.PositiveIntegerField("연장 번호", help_text="청구 안에서 1부터")
    previous_due_on = models.DateField("이전 처리 기한")
    new_due_on = models.DateField("새 처리 기한")
    reason = models.TextField("연장 사유")
    postponed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    postponed_by_label = models.CharField("연장한 사람", max_length=200)
    postponed_at = models.DateTimeField("연장 시각")

    letter_sha256 = models.CharField("통지서 SHA-256", max_length=64, editable=False)
    letter_template = models.CharField("통지서 양식", max_length=200, editable=False)

    class Meta:
        verbose_name = "처리 기한 연장"
        verbose_name_plural = "처리 기한 연장"
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "number"], name="disclosure_postponement_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request.receipt_number} 연장 {self.number}: {self.new_due_on:%Y-%m-%d}"

    def audit_scope(self) -> Scope:
        return self.request.audit_scope()

    @property
    def letter_name(self) -> str:
        return f"연장통지서-{self.request.receipt_number}-{self.number}.pdf"

    @property
    def letter_label(self) -> str:
        """How the audit log names this letter (`letter` key), beside decision letters' numbers."""
        return f"연장 {self.number}"
