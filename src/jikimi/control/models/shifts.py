"""The control centre's roster and handovers (오산시 지침 제21조①: monitoring in shifts, 365 days, 24 hours)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope


class Shift(models.Model):
    """One planned shift: a stretch of time and the people on duty in it (관제요원, 공무원, 파견 경찰)."""

    class Kind(models.TextChoices):
        DAY = "day", "주간"
        NIGHT = "night", "야간"
        OTHER = "other", "기타(탄력 근무)"  # 제21조① 단서: 내부 환경에 따라 탄력적으로

    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("근무 구분", max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField("시작")
    ends_at = models.DateTimeField("끝")
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="편성자"
    )
    planned_at = models.DateTimeField("편성 시각")

    class Meta:
        verbose_name = "근무조"
        verbose_name_plural = "근무표"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="control_shift_ends"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)


class ShiftMember(models.Model):
    """A person on a shift, with the capacity they serve in."""

    class Duty(models.TextChoices):
        OPERATOR = "operator", "관제요원"
        OFFICIAL = "official", "담당 공무원"
        POLICE = "police", "파견 경찰관"  # 제21조③: reports incidents on to 112

    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="근무자"
    )
    duty = models.CharField("근무 형태", max_length=10, choices=Duty.choices)

    class Meta:
        verbose_name = "근무자"
        verbose_name_plural = "근무자"
        constraints = [models.UniqueConstraint(fields=["shift", "person"], name="control_shift_member_once")]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_duty_display()})"


class Handover(models.Model):
    """What the outgoing shift hands to the incoming one, written at each change (제21조①)."""

    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    from_shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="인계 근무조"
    )
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="인계자"
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="인수자"
    )
    notes = models.TextField("인계 사항")
    open_matters = models.TextField("미결 사항", blank=True)
    written_at = models.DateTimeField("작성 시각")

    class Meta:
        verbose_name = "근무 인계"
        verbose_name_plural = "근무 인계"
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"인계 {self.written_at:%Y-%m-%d %H:%M}"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)
