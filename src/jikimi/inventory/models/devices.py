"""The devices of the register: one camera (or file-only source) at a group's location."""

from __future__ import annotations

from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models.groups import Location
from jikimi.lib import credentials


class Device(models.Model):
    """One camera (or a file-only source) of a device group of the register, at one of its locations.

    Devices live in the register beside their group and location (DESIGN: "a device belongs to a group
    and a location"); the vault indexes their footage. The table keeps its first name (vault_device):
    the model moved here from the vault without copying a row.
    """

    class Status(models.TextChoices):
        FILE_ONLY = "file_only", "파일 등록 전용"
        IDLE = "idle", "대기"
        RECORDING = "recording", "녹화 중"
        RECONNECTING = "reconnecting", "재연결 중"
        FAILED = "failed", "장애"

    device_group = models.ForeignKey(
        "DeviceGroup", on_delete=models.PROTECT, related_name="devices", verbose_name="기기 묶음"
    )
    name = models.CharField("기기명", max_length=100)
    # Empty only where the group lists no locations (a group described by its site alone, e.g. 금천구
    # 관내 434개소); otherwise the device is at one of its group's locations, whose retention and
    # recording hours override the group's (jikimi.vault.terms). Set by jikimi.vault.actions.devices,
    # which refuses a location of another group.
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        verbose_name="설치 위치",
    )
    # The URL without its credentials; they are kept sealed in source_credentials and shown to nobody
    # (안전성 확보조치 기준 제7조, R36/R42; jikimi.lib.credentials). Set both through `set_source`.
    source_url = models.CharField(
        "영상 주소", max_length=500, blank=True, help_text="RTSP/HTTP 주소. 비우면 파일 등록 전용"
    )
    source_credentials = models.TextField("영상 주소 인증정보 (암호화)", blank=True, editable=False)
    # The camera's sub-stream (a smaller picture) for the live wall, on the same camera with the same
    # login as source_url (its credentials apply). Empty: the wall shows the main stream the recorder
    # already receives (jikimi.engine.recording.live).
    substream_url = models.CharField(
        "보조 영상 주소",
        max_length=500,
        blank=True,
        help_text="실시간 관제용 보조 스트림(RTSP). 비우면 주 영상",
    )
    enabled = models.BooleanField("사용", default=True)
    status = models.CharField("상태", max_length=20, choices=Status.choices, default=Status.IDLE)
    status_changed_at = models.DateTimeField("상태 변경 시각", null=True, blank=True)
    # R13: a source that carried audio (dropped at ingest) raises this warning until someone clears it.
    health_warning = models.TextField("상태 경고", blank=True)
    health_warning_at = models.DateTimeField("경고 시각", null=True, blank=True)
    created_at = models.DateTimeField("등록 시각", auto_now_add=True)

    class Meta:
        db_table = "vault_device"
        verbose_name = "기기"
        verbose_name_plural = "기기"
        ordering = ["device_group", "name"]
        constraints = [models.UniqueConstraint(fields=["device_group", "name"], name="unique_device_name")]

    def __str__(self) -> str:
        return f"{self.device_group.name} / {self.name}"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): its device group's department and institution."""
        return self.device_group.audit_scope()

    @property
    def storage_name(self) -> str:
        """How objects and key ids name this device: stable, ASCII, never reused (the primary key)."""
        return f"dev-{self.pk}"

    @property
    def file_only(self) -> bool:
        return not self.source_url

    def set_source(self, url: str) -> None:
        """Keep `url` with its credentials (rtsp://user:password@…) sealed apart; the caller saves."""
        bare, userinfo = credentials.split_credentials(url)
        self.source_url = bare
        self.source_credentials = credentials.seal(userinfo, purpose=CREDENTIALS_PURPOSE)

    def connect_url(self) -> str:
        """The URL the recorder connects to, credentials included. Nothing may show or log it."""
        userinfo = credentials.unseal(self.source_credentials, purpose=CREDENTIALS_PURPOSE)
        return credentials.with_credentials(self.source_url, userinfo)

    def connect_substream_url(self) -> str:
        """The sub-stream with the main stream's login, or "" without one. Nothing may show or log it."""
        if not self.substream_url:
            return ""
        userinfo = credentials.unseal(self.source_credentials, purpose=CREDENTIALS_PURPOSE)
        return credentials.with_credentials(self.substream_url, userinfo)

    @property
    def shown_source_url(self) -> str:
        """The URL as pages, the API and the admin show it: credentials, if any, as ***."""
        if not self.source_credentials:
            return self.source_url
        return credentials.with_credentials(self.source_url, credentials.MASK)


# What the associated data of a device's sealed credentials names (jikimi.lib.credentials).
CREDENTIALS_PURPOSE = "inventory.Device.source_credentials"
