"""Where a pan/tilt/zoom camera may look (R14). Pure: plain values in.

- 법 제25조⑤, 오산시 지침 제18조 and 제29조①: a camera is not aimed or turned, and its rotation and
  zoom are not used, beyond the purpose it was installed for ("설치목적을 넘어 카메라를 임의로 조작하거나
  다른 곳을 비추지 않아야 하고"). The register therefore approves a camera's presets (the views its purpose
  needs) and its privacy zones (what it must never look into: windows of homes, a bathroom door).
- R14: every move is logged, and a view that leaves the approved presets raises an alert.

Positions are in the ONVIF generic spaces: pan and tilt from -1 to 1, zoom from 0 (wide) to 1 (tele).
"""

from __future__ import annotations

from dataclasses import dataclass

PAN_TILT_RANGE = (-1.0, 1.0)
ZOOM_RANGE = (0.0, 1.0)
# How far (in the generic space) a read position may be from a preset and still be that preset: a
# camera's motors stop a little off the commanded position (a 2% step is about 7° of a 360° pan).
DEFAULT_TOLERANCE = 0.02


@dataclass(frozen=True)
class Position:
    pan: float
    tilt: float
    zoom: float

    def __str__(self) -> str:
        return f"팬 {self.pan:+.3f}, 틸트 {self.tilt:+.3f}, 줌 {self.zoom:.3f}"


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    position: Position
    tolerance: float = DEFAULT_TOLERANCE  # the register's, per preset


@dataclass(frozen=True)
class PrivacyZone:
    """An area the camera must not look into: pan and tilt ranges, from `zoom_min` on (0: at any zoom).

    A pan range whose minimum exceeds its maximum wraps around the end of the pan space (a zone
    behind the camera, from 0.9 through 1/-1 to -0.9)."""

    key: str
    name: str
    pan: tuple[float, float]
    tilt: tuple[float, float]
    zoom_min: float = 0.0


def _within(value: float, low: float, high: float) -> bool:
    return low <= value <= high


def out_of_range(position: Position) -> list[str]:
    """The coordinates of `position` outside the generic spaces, in Korean (empty: a valid position)."""
    problems = []
    for label, value, (low, high) in (
        ("팬", position.pan, PAN_TILT_RANGE),
        ("틸트", position.tilt, PAN_TILT_RANGE),
        ("줌", position.zoom, ZOOM_RANGE),
    ):
        if not _within(value, low, high):
            problems.append(f"{label} {value}은(는) {low}~{high} 범위여야 합니다")
    return problems


def _pan_distance(a: float, b: float) -> float:
    # The pan space is a circle: -1 and 1 are the same direction.
    span = PAN_TILT_RANGE[1] - PAN_TILT_RANGE[0]
    d = abs(a - b) % span
    return min(d, span - d)


def at_preset(position: Position, preset: Preset, tolerance: float | None = None) -> bool:
    """Whether `position` is `preset`'s view, within `tolerance` (default: the preset's) on each axis."""
    tolerance = preset.tolerance if tolerance is None else tolerance
    return (
        _pan_distance(position.pan, preset.position.pan) <= tolerance
        and abs(position.tilt - preset.position.tilt) <= tolerance
        and abs(position.zoom - preset.position.zoom) <= tolerance
    )


def matching_preset(
    position: Position, presets: list[Preset] | tuple[Preset, ...], tolerance: float | None = None
) -> Preset | None:
    """The approved preset `position` is at (the nearest where presets overlap), or None: outside them all."""
    found = [p for p in presets if at_preset(position, p, tolerance)]
    if not found:
        return None
    return min(
        found,
        key=lambda p: (
            _pan_distance(position.pan, p.position.pan)
            + abs(position.tilt - p.position.tilt)
            + abs(position.zoom - p.position.zoom)
        ),
    )


def in_privacy_zone(position: Position, zone: PrivacyZone) -> bool:
    """Whether the camera, at `position`, looks into `zone`."""
    low, high = zone.pan
    pan_in = (
        _within(position.pan, low, high) if low <= high else (position.pan >= low or position.pan <= high)
    )
    return pan_in and _within(position.tilt, *zone.tilt) and position.zoom >= zone.zoom_min


def privacy_zones_viewed(
    position: Position, zones: list[PrivacyZone] | tuple[PrivacyZone, ...]
) -> list[PrivacyZone]:
    return [zone for zone in zones if in_privacy_zone(position, zone)]


@dataclass(frozen=True)
class ViewCheck:
    """What R14 says of a camera's view after a move."""

    preset: Preset | None  # the approved preset it is at, if any
    zones: tuple[PrivacyZone, ...]  # privacy zones it looks into

    @property
    def alert(self) -> bool:
        return self.preset is None or bool(self.zones)

    def message(self) -> str:
        """The alert in Korean ("" without one)."""
        parts = []
        if self.preset is None:
            parts.append("승인된 프리셋을 벗어났습니다")
        if self.zones:
            parts.append("사생활 보호 구역을 비춥니다: " + ", ".join(z.name for z in self.zones))
        return " — ".join(parts)


def check_view(
    position: Position,
    presets: list[Preset] | tuple[Preset, ...],
    zones: list[PrivacyZone] | tuple[PrivacyZone, ...],
    tolerance: float | None = None,
) -> ViewCheck:
    """R14, 오산시 지침 제29조①: is the view one the register approves, and does it look into a privacy zone?"""
    return ViewCheck(
        matching_preset(position, presets, tolerance), tuple(privacy_zones_viewed(position, zones))
    )


__all__ = [
    "DEFAULT_TOLERANCE",
    "PAN_TILT_RANGE",
    "ZOOM_RANGE",
    "Position",
    "Preset",
    "PrivacyZone",
    "ViewCheck",
    "at_preset",
    "check_view",
    "in_privacy_zone",
    "matching_preset",
    "out_of_range",
    "privacy_zones_viewed",
]
