"""Moves of pan/tilt/zoom cameras and the alerts they raise (R14: 법 제25조⑤; 오산시 지침 제18조①, 제29조①).

Every move is recorded with who, which camera, the view before and after and the reason; the view read
back from the camera after the move is checked against the register's approved presets and privacy
zones (jikimi.rules.ptz), and a view outside them raises an alert on the move that stays open until an
officer with MANAGE_TICKETS records that it was seen to (the camera back at a preset, or why not).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models import Device


class PtzMove(models.Model):
    class Kind(models.TextChoices):
        PRESET = "preset", "승인 프리셋으로 이동"
        POSITION = "position", "좌표 지정 이동"
        NUDGE = "nudge", "연속 이동(조이스틱)"
        # Found by the periodic check: the camera was moved outside jikimi (its own joystick, web page
        # or another controller) — no operator, no reason: R14 is broken whatever the view.
        OBSERVED = "observed", "jikimi 밖의 조작(점검에서 발견)"

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="ptz_moves", verbose_name="기기"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # null: a move found by the periodic check (Kind.OBSERVED)
    at = models.DateTimeField("조작 시각")
    kind = models.CharField("조작 방법", max_length=10, choices=Kind.choices)
    preset_name = models.CharField("요청한 프리셋", max_length=100, blank=True)
    reason = models.CharField("사유", max_length=500)
    # The register's presets and zones change on import: a move keeps the values it was checked against.
    requested = models.CharField("요청한 화각", max_length=100, blank=True)
    from_pan = models.FloatField("이동 전 팬", null=True, blank=True)
    from_tilt = models.FloatField("이동 전 틸트", null=True, blank=True)
    from_zoom = models.FloatField("이동 전 줌", null=True, blank=True)
    to_pan = models.FloatField("이동 후 팬", null=True, blank=True)
    to_tilt = models.FloatField("이동 후 틸트", null=True, blank=True)
    to_zoom = models.FloatField("이동 후 줌", null=True, blank=True)
    matched_preset = models.CharField("일치한 승인 프리셋", max_length=100, blank=True)
    error = models.CharField("조작 실패 사유", max_length=300, blank=True)
    # R14: "" when the view after the move is an approved preset and looks into no privacy zone.
    alert = models.CharField("경보", max_length=500, blank=True)
    alert_closed_at = models.DateTimeField("경보 확인 시각", null=True, blank=True)
    alert_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    alert_note = models.CharField("경보 확인 내용", max_length=500, blank=True)

    class Meta:
        verbose_name = "PTZ 조작"
        verbose_name_plural = "PTZ 조작"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["device", "-at"], name="control_ptz_move_device")]

    def __str__(self) -> str:
        return f"{self.device.name} {self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def audit_scope(self) -> Scope:
        return self.device.audit_scope()

    @property
    def alert_open(self) -> bool:
        return bool(self.alert) and self.alert_closed_at is None

    @staticmethod
    def position_text(pan: float | None, tilt: float | None, zoom: float | None) -> str:
        if pan is None or tilt is None or zoom is None:
            return "(읽지 못함)"
        return f"팬 {pan:+.3f}, 틸트 {tilt:+.3f}, 줌 {zoom:.3f}"

    @property
    def from_text(self) -> str:
        return self.position_text(self.from_pan, self.from_tilt, self.from_zoom)

    @property
    def to_text(self) -> str:
        return self.position_text(self.to_pan, self.to_tilt, self.to_zoom)
