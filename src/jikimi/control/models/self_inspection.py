"""The yearly self-inspection (표준 개인정보 보호지침 제52조, 오산시 지침 제26조·제34조; R8).

One inspection per institution and year. Its items are the checklist of jikimi.rules.self_inspection:
an auto-filled item keeps the figures counted when the inspection started (a snapshot: the report says
what the records said then, not what they say after a correction), each item the officer's answer and
remark, and the findings with their follow-up. Completing it locks it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.rules.self_inspection import ANSWER_LABELS, SOURCE_LABELS, Answer, Source


class SelfInspection(models.Model):
    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("점검 연도")
    started_at = models.DateTimeField("시작 시각")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField("완료 시각", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField("종합 의견", blank=True)

    class Meta:
        verbose_name = "자체 점검"
        verbose_name_plural = "자체 점검"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"], name="control_self_inspection_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}년 영상정보처리기기 자체 점검"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)

    @property
    def locked(self) -> bool:
        return self.completed_at is not None


class SelfInspectionItem(models.Model):
    class AnswerChoice(models.TextChoices):
        CONFORMING = Answer.CONFORMING.value, ANSWER_LABELS[Answer.CONFORMING]
        NONCONFORMING = Answer.NONCONFORMING.value, ANSWER_LABELS[Answer.NONCONFORMING]
        NOT_APPLICABLE = Answer.NOT_APPLICABLE.value, ANSWER_LABELS[Answer.NOT_APPLICABLE]

    class SourceChoice(models.TextChoices):
        AUTO = Source.AUTO.value, SOURCE_LABELS[Source.AUTO]
        OFFICER = Source.OFFICER.value, SOURCE_LABELS[Source.OFFICER]

    inspection = models.ForeignKey(SelfInspection, on_delete=models.PROTECT, related_name="items")
    code = models.CharField("항목", max_length=40)  # jikimi.rules.self_inspection.CheckItem.code
    position = models.PositiveSmallIntegerField("순서")
    source = models.CharField("점검 방식", max_length=10, choices=SourceChoice.choices)
    figures = models.JSONField("자동 점검 수치", default=dict, blank=True)
    notes = models.JSONField("자동 점검 내역", default=list, blank=True)  # what the figures count, by name
    proposed = models.CharField(
        "자동 판정", max_length=20, choices=AnswerChoice.choices, blank=True
    )  # blank: the officer's item
    answer = models.CharField("판정", max_length=20, choices=AnswerChoice.choices, blank=True)
    remark = models.TextField("비고", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField("판정 시각", null=True, blank=True)

    class Meta:
        verbose_name = "자체 점검 항목"
        verbose_name_plural = "자체 점검 항목"
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="control_self_inspection_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.inspection} — {self.code}"

    def audit_scope(self) -> Scope:
        return Scope(self.inspection.institution_id)


class SelfInspectionFinding(models.Model):
    """지적 사항 and 후속 조치 of one item (or of the inspection as a whole)."""

    inspection = models.ForeignKey(SelfInspection, on_delete=models.PROTECT, related_name="findings")
    item = models.ForeignKey(
        SelfInspectionItem, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    finding = models.TextField("지적 사항")
    action = models.TextField("후속 조치")
    due_on = models.DateField("조치 기한", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("기록 시각")

    class Meta:
        verbose_name = "자체 점검 지적 사항"
        verbose_name_plural = "자체 점검 지적 사항"
        ordering = ["inspection", "recorded_at", "pk"]

    def __str__(self) -> str:
        return self.finding[:40]

    def audit_scope(self) -> Scope:
        return Scope(self.inspection.institution_id)
