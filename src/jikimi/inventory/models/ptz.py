"""Pan/tilt/zoom: the views the register approves for the cameras at a location, and what they must not
look into (R14: 법 제25조⑤; 오산시 지침 제18조, 제29조①).

The register file states them per location (`ptz:` in docs/register-format.md), as the purpose of the
cameras there decides them; a device at the location is driven through ONVIF at the address of its
`PtzCamera`, with the login sealed with its video address (R42).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models.devices import Device
from jikimi.inventory.models.groups import Location
from jikimi.rules import ptz as rules

_PAN_TILT = [MinValueValidator(rules.PAN_TILT_RANGE[0]), MaxValueValidator(rules.PAN_TILT_RANGE[1])]
_ZOOM = [MinValueValidator(rules.ZOOM_RANGE[0]), MaxValueValidator(rules.ZOOM_RANGE[1])]


class PtzPreset(models.Model):
    """An approved view of the PTZ cameras at a location: a position in the ONVIF generic spaces."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="ptz_presets")
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 프리셋을 가리키는 이름")
    name = models.CharField("프리셋", max_length=100, help_text="예: 정문 방향")
    pan = models.FloatField("팬", validators=_PAN_TILT)
    tilt = models.FloatField("틸트", validators=_PAN_TILT)
    zoom = models.FloatField("줌", validators=_ZOOM)
    tolerance = models.FloatField(
        "허용 오차",
        default=rules.DEFAULT_TOLERANCE,
        validators=[MinValueValidator(0.0), MaxValueValidator(0.5)],
    )
    # The camera's own preset token for this view (ONVIF GotoPreset); empty: moved by its coordinates.
    camera_preset = models.CharField("카메라 프리셋 번호", max_length=64, blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "PTZ 승인 프리셋"
        verbose_name_plural = "PTZ 승인 프리셋"
        ordering = ["location", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["location", "key"], name="unique_ptz_preset_key")]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> rules.Preset:
        return rules.Preset(
            self.key, self.name, rules.Position(self.pan, self.tilt, self.zoom), self.tolerance
        )

    def audit_scope(self) -> Scope:
        return self.location.device_group.audit_scope()


class PrivacyZone(models.Model):
    """What the PTZ cameras at a location must not look into (오산시 지침 제29조①): pan and tilt ranges."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="privacy_zones")
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 구역을 가리키는 이름")
    name = models.CharField("사생활 보호 구역", max_length=100, help_text="예: 아파트 창문")
    pan_min = models.FloatField("팬 시작", validators=_PAN_TILT)
    pan_max = models.FloatField("팬 끝", validators=_PAN_TILT)
    tilt_min = models.FloatField("틸트 시작", validators=_PAN_TILT)
    tilt_max = models.FloatField("틸트 끝", validators=_PAN_TILT)
    zoom_min = models.FloatField("이 줌부터", default=0.0, validators=_ZOOM)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "사생활 보호 구역"
        verbose_name_plural = "사생활 보호 구역"
        ordering = ["location", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["location", "key"], name="unique_privacy_zone_key")]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> rules.PrivacyZone:
        return rules.PrivacyZone(
            self.key, self.name, (self.pan_min, self.pan_max), (self.tilt_min, self.tilt_max), self.zoom_min
        )

    def audit_scope(self) -> Scope:
        return self.location.device_group.audit_scope()


class PtzCamera(models.Model):
    """A device that pans, tilts and zooms, and where its ONVIF device service answers."""

    device = models.OneToOneField(Device, on_delete=models.CASCADE, related_name="ptz")
    # http://host:port/onvif/device_service, without credentials: the login is the device's, sealed
    # with its video address (Device.source_credentials, R42).
    onvif_address = models.CharField("ONVIF 주소", max_length=500)
    profile_token = models.CharField("미디어 프로필", max_length=64, blank=True, help_text="비우면 첫 프로필")

    class Meta:
        verbose_name = "PTZ 카메라"
        verbose_name_plural = "PTZ 카메라"

    def __str__(self) -> str:
        return f"{self.device} (PTZ)"

    def audit_scope(self) -> Scope:
        return self.device.audit_scope()
