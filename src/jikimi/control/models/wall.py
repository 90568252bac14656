"""The live wall (오산시 지침 제12조①, 제19조): each operator's saved layouts, and each live viewing.

A live viewing is what an audited playback is for stored footage (R41): who watched which cameras,
from where, when, until when; one audit entry per camera (jikimi.control.actions.live). The recorder's
live window is served only to the viewing's own person while it is open (jikimi.control.wall_views).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# 1, 4, 9 and 16 cameras (issue 17).
WALL_SIZES = (1, 4, 9, 16)


class WallLayout(models.Model):
    """An operator's layout: its size and the camera of each tile (device pks, None for an empty tile)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wall_layouts")
    name = models.CharField("이름", max_length=60, default="기본")
    size = models.PositiveSmallIntegerField(
        "화면 분할", choices=[(n, f"{n}분할") for n in WALL_SIZES], default=4
    )
    tiles = models.JSONField("화면별 기기", default=list, blank=True)
    updated_at = models.DateTimeField("저장 시각", auto_now=True)

    class Meta:
        verbose_name = "관제 화면 배치"
        verbose_name_plural = "관제 화면 배치"
        ordering = ["user", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_wall_layout_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.size}분할)"

    @property
    def device_ids(self) -> list[int]:
        return [int(pk) for pk in self.tiles if pk]


class LiveViewing(models.Model):
    """One opening of the wall (or of one camera full-size with its last minutes): audited (R41)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="live_viewings")
    devices = models.ManyToManyField("inventory.Device", related_name="live_viewings", verbose_name="기기")
    size = models.PositiveSmallIntegerField("화면 분할", default=1)
    replay = models.BooleanField("최근 영상 다시 보기", default=False)
    # Devices watched outside their group's recording hours under 오산시 지침 제19조② (pks).
    off_hours_devices = models.JSONField("운영시간 외 공익 관제 기기", default=list, blank=True)
    client_address = models.CharField("접속 위치", max_length=100, blank=True)
    started_at = models.DateTimeField("시작", auto_now_add=True)
    expires_at = models.DateTimeField("만료")

    class Meta:
        verbose_name = "실시간 관제 열람"
        verbose_name_plural = "실시간 관제 열람"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"실시간 관제 #{self.pk}"
