"""The live wall's map of sites (issue 17: cameras chosen "by group, site and a map of sites").

Offline by design: the control room's screens may have no internet, and a tile server would learn
where the institution's cameras are. The map is an inline SVG of the sites whose coordinates the
institution published (Location.latitude/longitude), projected and fitted to their own bounds; sites
without them are listed beside it as 좌표 미공개 — never placed by a guess.

Only the cameras the operator may watch count (R36, R47: the devices given are already scoped), and
a site appears only where he may watch at least one of its cameras.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from jikimi.inventory.models import Device, Location

WIDTH = 640
HEIGHT = 400
PADDING = 48
KM_PER_DEGREE = 111.32  # of latitude (and of longitude at the equator), WGS84 mean
_SCALE_STEPS_KM = (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200)


@dataclass(frozen=True)
class Site:
    location: Location
    cameras: int  # the operator's watchable cameras there
    x: float = 0.0
    y: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.location.name} — 카메라 {self.cameras}대"

    @property
    def label_left(self) -> bool:
        """A marker near the right edge writes its name to its left, inside the map."""
        return self.x > WIDTH * 0.7


@dataclass(frozen=True)
class ScaleBar:
    km: float
    pixels: float

    @property
    def label(self) -> str:
        return f"{self.km * 1000:g} m" if self.km < 1 else f"{self.km:g} km"


@dataclass(frozen=True)
class SiteMap:
    placed: list[Site]
    unplaced: list[Site]  # 좌표 미공개
    scale: ScaleBar | None
    width: int = WIDTH
    height: int = HEIGHT


def site_map(devices: Iterable[Device]) -> SiteMap:
    """The sites of `devices` (already the operator's), placed where they have coordinates."""
    counts: dict[int, int] = {}
    locations: dict[int, Location] = {}
    for device in devices:
        if device.location_id is None or device.location is None:
            continue
        locations[device.location_id] = device.location
        counts[device.location_id] = counts.get(device.location_id, 0) + 1
    ordered = sorted(locations.values(), key=lambda loc: (loc.name, loc.pk))
    unplaced = [Site(loc, counts[loc.pk]) for loc in ordered if not loc.has_coordinates]
    points = [loc for loc in ordered if loc.has_coordinates]
    if not points:
        return SiteMap([], unplaced, None)
    lats = [float(loc.latitude or 0) for loc in points]
    lons = [float(loc.longitude or 0) for loc in points]
    # Equirectangular, longitude shrunk by the cosine of the middle latitude: over a city or a county
    # (tens of km) this is as true as any map projection the eye could tell apart, and needs no library.
    shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(lons) - min(lons)) * shrink
    span_y = max(lats) - min(lats)
    usable_w, usable_h = WIDTH - 2 * PADDING, HEIGHT - 2 * PADDING
    if span_x == 0 and span_y == 0:
        scale = usable_w / 0.01  # one place: a 1 km-wide view around it
    else:
        scale = min(usable_w / span_x if span_x else math.inf, usable_h / span_y if span_y else math.inf)
    # Centred: the drawing's middle is the map's middle.
    mid_lon, mid_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    placed = [
        Site(
            loc,
            counts[loc.pk],
            round(WIDTH / 2 + (float(loc.longitude or 0) - mid_lon) * shrink * scale, 1),
            round(HEIGHT / 2 - (float(loc.latitude or 0) - mid_lat) * scale, 1),
        )
        for loc in points
    ]
    return SiteMap(placed, unplaced, _scale_bar(scale))


def _scale_bar(pixels_per_degree: float) -> ScaleBar:
    """A round distance that draws between 40 and 160 pixels."""
    pixels_per_km = pixels_per_degree / KM_PER_DEGREE
    chosen = _SCALE_STEPS_KM[0]
    for km in _SCALE_STEPS_KM:
        if km * pixels_per_km <= 160:
            chosen = km
    return ScaleBar(chosen, round(chosen * pixels_per_km, 1))


__all__ = ["Site", "SiteMap", "site_map"]
