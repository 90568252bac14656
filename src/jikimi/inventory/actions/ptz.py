"""Where a pan/tilt/zoom camera's ONVIF device service answers (R14).

The views it may take are the register's (the `ptz:` section of the file, per location); this records
that a device of the register pans, tilts and zooms and where to reach it. The address is kept without
credentials: the camera's login is the one sealed with its video address (R42, 안전성 확보조치 기준 제7조).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device, PtzCamera
from jikimi.lib import credentials


class PtzCameraRefused(ValueError):
    """The address cannot be recorded; the message says why (in Korean)."""


def check_onvif_address(address: str) -> str:
    address = address.strip()
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PtzCameraRefused(
            f"ONVIF 주소는 http://호스트:포트/onvif/device_service 처럼 적습니다 (적힌 값: '{address}')"
        )
    if credentials.split_credentials(address)[1]:
        raise PtzCameraRefused(
            "ONVIF 주소에는 인증정보를 적지 않습니다 — 카메라의 로그인은 영상 주소의 것을 씁니다 (R42)"
        )
    if len(address) > 500:
        raise PtzCameraRefused(f"ONVIF 주소는 500자 이하여야 합니다 ({len(address)}자)")
    return address


def set_ptz_camera(actor: Actor, device: Device, onvif_address: str, *, profile_token: str = "") -> PtzCamera:
    """Record that `device` is a PTZ camera answering ONVIF at `onvif_address`."""
    address = check_onvif_address(onvif_address)
    profile_token = profile_token.strip()[:64]
    location = device.location
    if location is None or not location.ptz_presets.exists():
        where = f"위치 '{location.name}'" if location is not None else "위치가 없는 기기"
        raise PtzCameraRefused(
            f"{device.name}: {where}에 대장의 승인 프리셋이 없습니다 — 대장 파일의 ptz: 항목에 이 위치의 "
            "프리셋과 사생활 보호 구역을 먼저 적으세요 (R14)"
        )
    with transaction.atomic():
        camera, _ = PtzCamera.objects.update_or_create(
            device=device, defaults={"onvif_address": address, "profile_token": profile_token}
        )
        record(
            actor,
            AuditEvent.INVENTORY_SET_PTZ_CAMERA,
            camera,
            details={"device": device.pk, "onvif_address": address, "profile_token": profile_token},
        )
    return camera


__all__ = ["PtzCameraRefused", "check_onvif_address", "set_ptz_camera"]
