"""The register file's `ptz:` section (R14): checked against the file, written, and exported.

Each entry names a location of the file ("group-key/location-key") and lists the presets the register
approves for the PTZ cameras there and the privacy zones they must not look into. An approved preset
that looks into one of its location's privacy zones contradicts itself and is refused (오산시 지침
제29조①). Written only when present, so that a register without PTZ keeps its bytes on export.
"""

from __future__ import annotations

from typing import Any

from jikimi.inventory import models
from jikimi.inventory.register_file.checking import Collector
from jikimi.inventory.register_file.schema import PtzEntry, RegisterEntry
from jikimi.rules import ptz as rules


def check_ptz(entry: RegisterEntry, out: Collector) -> None:
    """References and uniqueness of the `ptz:` section; each problem with its line."""
    locations = {f"{g.key}/{loc.key}" for g in entry.device_groups for loc in g.locations}
    seen: set[str] = set()
    for index, item in enumerate(entry.ptz):
        if item.location not in locations:
            out.add(
                ("ptz", index, "location"),
                f"위치 '{item.location}'이(가) device_groups에 없습니다 — '기기 묶음 식별자/위치 식별자'로 적으세요",
            )
        elif item.location in seen:
            out.add(("ptz", index, "location"), f"위치 '{item.location}'의 PTZ 항목이 이미 앞에 있습니다")
        seen.add(item.location)
        lists: tuple[tuple[str, list[Any]], ...] = (
            ("presets", list(item.presets)),
            ("privacy_zones", list(item.privacy_zones)),
        )
        for list_name, items in lists:
            keys: set[str] = set()
            for position, thing in enumerate(items):
                if thing.key in keys:
                    out.add(
                        ("ptz", index, list_name, position, "key"),
                        f"식별자 '{thing.key}'이(가) 이 위치에 이미 있습니다 (위치 안에서 하나여야 합니다)",
                    )
                keys.add(thing.key)
        zones = [_zone(zone) for zone in item.privacy_zones]
        for position, preset in enumerate(item.presets):
            viewed = rules.privacy_zones_viewed(rules.Position(preset.pan, preset.tilt, preset.zoom), zones)
            if viewed:
                out.add(
                    ("ptz", index, "presets", position),
                    f"프리셋 '{preset.name}'이(가) 사생활 보호 구역 "
                    f"{', '.join(repr(z.name) for z in viewed)}을(를) 비춥니다 — 승인할 수 없는 화각입니다 "
                    "(오산시 지침 제29조①) [R14]",
                )


def _zone(zone: Any) -> rules.PrivacyZone:
    return rules.PrivacyZone(
        zone.key, zone.name, (zone.pan[0], zone.pan[1]), (zone.tilt[0], zone.tilt[1]), zone.zoom_min
    )


def write_ptz(entry: RegisterEntry, locations: dict[tuple[str, str], models.Location]) -> None:
    """Replace the presets and zones of the file's locations (inside the import's transaction).

    Nothing points at a preset or a zone (moves record the values they were checked against), so they
    are replaced, not matched."""
    by_location: dict[int, PtzEntry] = {}
    for item in entry.ptz:
        group_key, _, location_key = item.location.partition("/")
        by_location[locations[(group_key, location_key)].pk] = item
    ids = [location.pk for location in locations.values()]
    models.PtzPreset.objects.filter(location_id__in=ids).delete()
    models.PrivacyZone.objects.filter(location_id__in=ids).delete()
    presets, zones = [], []
    for location_id, item in by_location.items():
        for position, preset in enumerate(item.presets):
            presets.append(
                models.PtzPreset(
                    location_id=location_id,
                    position=position,
                    **{
                        n: getattr(preset, n)
                        for n in ("key", "name", "pan", "tilt", "zoom", "tolerance", "camera_preset")
                    },
                )
            )
        for position, zone in enumerate(item.privacy_zones):
            zones.append(
                models.PrivacyZone(
                    location_id=location_id,
                    position=position,
                    key=zone.key,
                    name=zone.name,
                    pan_min=zone.pan[0],
                    pan_max=zone.pan[1],
                    tilt_min=zone.tilt[0],
                    tilt_max=zone.tilt[1],
                    zoom_min=zone.zoom_min,
                )
            )
    for made in (*presets, *zones):
        made.full_clean(exclude=["location"])
    models.PtzPreset.objects.bulk_create(presets)
    models.PrivacyZone.objects.bulk_create(zones)


def ptz_data(institution: models.Institution) -> list[dict[str, Any]]:
    """The `ptz:` section of the institution's register, in the register's order (empty: none)."""
    locations = (
        models.Location.objects.filter(
            device_group__institution=institution,
            pk__in=models.PtzPreset.objects.values("location_id"),
        )
        .select_related("device_group")
        .prefetch_related("ptz_presets", "privacy_zones")
        .order_by("device_group__position", "device_group__id", "position", "id")
    )
    out = []
    for location in locations:
        presets = []
        for preset in location.ptz_presets.all():
            one: dict[str, Any] = {
                "key": preset.key,
                "name": preset.name,
                "pan": preset.pan,
                "tilt": preset.tilt,
                "zoom": preset.zoom,
            }
            if preset.tolerance != rules.DEFAULT_TOLERANCE:
                one["tolerance"] = preset.tolerance
            if preset.camera_preset:
                one["camera_preset"] = preset.camera_preset
            presets.append(one)
        zones = []
        for zone in location.privacy_zones.all():
            z: dict[str, Any] = {
                "key": zone.key,
                "name": zone.name,
                "pan": [zone.pan_min, zone.pan_max],
                "tilt": [zone.tilt_min, zone.tilt_max],
            }
            if zone.zoom_min:
                z["zoom_min"] = zone.zoom_min
            zones.append(z)
        item: dict[str, Any] = {"location": f"{location.device_group.key}/{location.key}", "presets": presets}
        if zones:
            item["privacy_zones"] = zones
        out.append(item)
    return out


__all__ = ["check_ptz", "ptz_data", "write_ptz"]
