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
from jikimi.inventory.models import Device, Location, PrivacyZone, PtzCamera, PtzPreset
from jikimi.lib import credentials
from jikimi.rules import ptz as rules

# The demo's own words start so (load_demo's marker, issue 16): what the institution states comes
# only from its register file.
DEMO_MARK = "데모용 문구:"


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


def add_demo_ptz_views(
    actor: Actor, location: Location, presets: list[PtzPreset], zones: list[PrivacyZone], reason: str
) -> None:
    """Record presets and privacy zones that the register does not state, for the demo (`make run`).

    The register states a location's approved views only when the institution does (the file's `ptz:`
    section); a demo whose seed states none records its own here, each name marked as the demo's words
    ("데모용 문구: …"), through this audited step, so that nobody reads them as the institution's. A
    location that already has presets is left alone: the register's are never replaced here. A preset
    that looks into one of the zones is refused, as the register file's check does (오산시 지침 제29조①)."""
    names = [p.name for p in presets] + [z.name for z in zones]
    unmarked = [name for name in names if not name.startswith(DEMO_MARK)]
    if unmarked:
        raise PtzCameraRefused(
            f"데모용 프리셋·사생활 보호 구역의 이름은 '{DEMO_MARK}'로 시작해야 합니다 "
            f"(기관의 프리셋은 대장 파일의 ptz: 항목으로만 적습니다): {', '.join(unmarked)}"
        )
    rule_zones = [zone.as_rule() for zone in zones]
    for preset in presets:
        viewed = rules.privacy_zones_viewed(rules.Position(preset.pan, preset.tilt, preset.zoom), rule_zones)
        if viewed:
            raise PtzCameraRefused(
                f"프리셋 '{preset.name}'이(가) 사생활 보호 구역 {', '.join(repr(z.name) for z in viewed)}을(를) "
                "비춥니다 — 승인할 수 없는 화각입니다 (오산시 지침 제29조①) [R14]"
            )
    if location.ptz_presets.exists() or location.privacy_zones.exists():
        return
    with transaction.atomic():
        for position, preset in enumerate(presets):
            preset.location, preset.position = location, position
            preset.full_clean()
            preset.save()
        for position, zone in enumerate(zones):
            zone.location, zone.position = location, position
            zone.full_clean()
            zone.save()
        record(
            actor,
            AuditEvent.INVENTORY_ADD_DEMO_PTZ_VIEWS,
            location,
            details={
                "location": location.name,
                "ptz_presets": [f"{p.name} ({p.as_rule().position})" for p in presets],
                "privacy_zones": [
                    f"{z.name} (팬 {z.pan_min:+.2f}~{z.pan_max:+.2f}, 틸트 {z.tilt_min:+.2f}~{z.tilt_max:+.2f})"
                    for z in zones
                ],
                "reason": reason,
            },
        )


__all__ = ["DEMO_MARK", "PtzCameraRefused", "add_demo_ptz_views", "check_onvif_address", "set_ptz_camera"]
