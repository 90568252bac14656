"""A decision on a request, its letter and its fee (법 제35조③④, 제36조, 제38조③; R22–R24, R27)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.disclosure.models.letters import SealedLetter
from jikimi.disclosure.models.requests import SubjectRequest


class Decision(SealedLetter):
    """What was decided on a request, why, and the letter that told the requester (R22)."""

    class Outcome(models.TextChoices):
        FOUND = "found", "존재확인: 영상 있음"
        NOT_FOUND = "not_found", "영상 없음"
        VIEWING_ON_SITE = "viewing_on_site", "열람 (방문 열람)"
        VIEWING_ONLINE = "viewing_online", "열람 (마스킹한 영상 온라인 열람)"
        COPY = "copy", "사본 교부 (마스킹한 사본)"
        DELETION = "deletion", "삭제"
        PARTIAL = "partial", "일부 허용 (일부 제한)"
        REFUSAL = "refusal", "거부"

    class FeeStatus(models.TextChoices):
        NONE = "none", "수수료 없음"
        UNPAID = "unpaid", "미납"
        PAID = "paid", "납부"
        WAIVED = "waived", "면제"

    class Payment(models.TextChoices):
        # 시행령 제47조 (R27): 수입증지 (지방자치단체는 수입증지 또는 전자결제), 현금.
        REVENUE_STAMP = "revenue_stamp", "수입증지"
        ELECTRONIC = "electronic", "전자결제"
        CASH = "cash", "현금"

    request = models.ForeignKey(SubjectRequest, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveIntegerField("결정 번호", help_text="청구 안에서 1부터")
    outcome = models.CharField("결정 내용", max_length=20, choices=Outcome.choices)
    # R23: codes of jikimi.rules.refusal_grounds, in the list's order.
    grounds = models.JSONField("거부·제한 사유 (근거)", default=list, blank=True)
    reasons = models.TextField("사유", blank=True)
    limited = models.TextField("제한하는 내용", blank=True)
    viewing_at = models.DateTimeField("열람 일시", null=True, blank=True)
    viewing_place = models.CharField("열람 장소", max_length=200, blank=True)
    decided_at = models.DateTimeField("결정 시각")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by_label = models.CharField("결정한 사람", max_length=200)

    # 법 제36조 (R24): what the deletion destroyed (vault destruction records, R19).
    destructions = models.ManyToManyField(
        "vault.Destruction", blank=True, related_name="+", verbose_name="파기 기록"
    )

    # The letter as sent: kept with the case (R22, R26), encrypted at rest (SealedLetter).
    letter_sha256 = models.CharField("통지서 SHA-256", max_length=64, editable=False)
    letter_template = models.CharField("통지서 양식", max_length=200, editable=False)

    # 법 제38조③, 시행령 제47조 (R27): actual cost by 조례; 0 where the cause lies with the institution.
    fee_amount = models.PositiveIntegerField("수수료 (원)", default=0)
    fee_status = models.CharField(
        "수수료 상태", max_length=10, choices=FeeStatus.choices, default=FeeStatus.NONE
    )
    fee_payment = models.CharField("납부 방법", max_length=20, choices=Payment.choices, blank=True)
    fee_cause_institution = models.BooleanField("청구 사유가 기관에 있음 (수수료 0원)", default=False)
    fee_note = models.CharField("수수료 비고", max_length=300, blank=True)
    fee_recorded_at = models.DateTimeField("수수료 기록 시각", null=True, blank=True)

    class Meta:
        verbose_name = "청구 결정"
        verbose_name_plural = "청구 결정"
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="disclosure_decision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request.receipt_number} 결정 {self.number}: {self.get_outcome_display()}"

    def audit_scope(self) -> Scope:
        return self.request.audit_scope()

    @property
    def letter_name(self) -> str:
        return f"결정통지서-{self.request.receipt_number}-{self.number}.pdf"

    @property
    def refuses_or_limits(self) -> bool:
        """R22: these carry reasons and the appeal route."""
        return self.outcome in (self.Outcome.REFUSAL, self.Outcome.PARTIAL)
