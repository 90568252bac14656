"""Camera health: maintenance tickets for faults and the periodic check of normal operation
(오산시 지침 제27조 유지보수, 제31조④ 정상작동 점검 기록).

A ticket is opened by the periodic health check (control.actions.health.check_health) when a camera
has been down or reconnecting longer than settings.JIKIMI_CAMERA_FAULT_SECONDS, its stream's frame
rate, bitrate or clock is out of bounds, a recorder stopped beating, or a recorder's CPU, backlog or
store headroom is past its limit; it is mailed to the maintenance contact. It closes when the camera records again (the outage
the recorder wrote for the interval is linked) or when the repair is recorded by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models import Device, Institution
from jikimi.vault.models import RecordingOutage


class MaintenanceTicket(models.Model):
    class Fault(models.TextChoices):
        CAMERA_DOWN = "camera_down", "카메라 장애(영상 끊김)"
        RECORDER_DOWN = "recorder_down", "녹화기 중지"
        STREAM_DEGRADED = "stream_degraded", "영상 이상(프레임률·비트레이트·시계)"
        RECORDER_LOAD = "recorder_load", "녹화기 과부하·저장 공간 부족"

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    fault = models.CharField("장애 구분", max_length=15, choices=Fault.choices)
    # A camera's fault names the camera; a recorder's names the recorder (its devices in `description`).
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets", verbose_name="기기"
    )
    recorder = models.CharField("녹화기", max_length=64, blank=True)
    fault_since = models.DateTimeField("장애 시작")
    opened_at = models.DateTimeField("접수 시각")
    description = models.CharField("장애 내용", max_length=500)
    mailed_to = models.JSONField("알린 주소", default=list)
    closed_at = models.DateTimeField("종결 시각", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the camera (or recorder) was seen working again by the health check.
    recovered_at = models.DateTimeField("복구 확인 시각", null=True, blank=True)
    outage = models.ForeignKey(
        RecordingOutage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="녹화 중단 기록",
    )
    repair = models.CharField("수리 내용", max_length=500, blank=True)
    repaired_by = models.CharField("수리자", max_length=100, blank=True)

    class Meta:
        verbose_name = "유지보수 접수"
        verbose_name_plural = "유지보수 접수"
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["closed_at", "fault"], name="control_ticket_open")]

    def __str__(self) -> str:
        return f"{self.get_fault_display()} {self.device.name if self.device else self.recorder}"

    def audit_scope(self) -> Scope:
        if self.device is not None:
            return self.device.audit_scope()
        return Scope(institution_id=self.institution_id)

    @property
    def open(self) -> bool:
        return self.closed_at is None


class InspectionCheck(models.Model):
    """제31조④: an officer's (or the maintenance contractor's) check of a camera, or of them all."""

    class Result(models.TextChoices):
        NORMAL = "normal", "정상"
        FAULT = "fault", "이상"

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="기기"
    )
    checked_on = models.DateField("점검일")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    items = models.CharField("점검 항목", max_length=300, help_text="예: 화각, 초점, 야간 화질, 음성 꺼짐")
    result = models.CharField("결과", max_length=10, choices=Result.choices)
    note = models.CharField("조치·비고", max_length=500, blank=True)
    recorded_at = models.DateTimeField("입력 시각", auto_now_add=True)

    class Meta:
        verbose_name = "정상작동 점검"
        verbose_name_plural = "정상작동 점검"
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.checked_on} {self.get_result_display()}"

    def audit_scope(self) -> Scope:
        if self.device is not None:
            return self.device.audit_scope()
        return Scope(institution_id=self.institution_id)
