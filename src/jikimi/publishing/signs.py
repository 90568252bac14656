"""안내판 (signs): one printable sign per installation site, with what 법 제25조④ and 시행령 제24조 require.

A sign stands at its place and tells the people there about the devices there: one sign per location of
a device group (its devices, its coverage and hours), one per group described by its site alone (금천구
"관내 434개소"), and one per building at its entrance for the locations the register puts in a building
(R10). A sign never says "위치 목록 23곳": it names the place it stands at.

R9: 설치 목적 및 장소, 촬영 범위 및 시간, 관리책임자(부서) 및 연락처, and where the work is outsourced,
the contractor's name and contact (R34, 시행령 제26조②). A QR code leads to the public policy page.
A sign the register cannot fill is refused with the list of what is missing: a sign without a contact
number would not tell anyone where to ask.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

import segno
from django.conf import settings
from django.urls import reverse

from jikimi.inventory.models import DeviceGroup, Institution, Location
from jikimi.publishing.content import is_contact


class SignIncomplete(ValueError):
    """The register lacks a fact the sign must show."""


@dataclass(frozen=True)
class Sign:
    institution: str
    group_key: str
    title: str
    purpose: str
    place: str
    coverage: str
    hours: str
    manager: str
    contact: str
    contractors: tuple[tuple[str, str], ...]
    policy_url: str
    missing: tuple[str, ...] = field(default=())
    # R10 (시행령 제24조①단서): a sign at a building's entrance covers every device in the building.
    building: str = ""
    group_names: tuple[str, ...] = field(default=())
    count: int | None = 0  # None: a location's count is not published
    # A location's sign: its key (URL) and the devices the register places there.
    location_key: str = ""
    devices: tuple[str, ...] = field(default=())

    @property
    def qr_svg_uri(self) -> str:
        return segno.make(self.policy_url, error="m").svg_data_uri(scale=4, border=2)


def policy_url(institution: Institution) -> str:
    return settings.PUBLIC_BASE_URL + reverse("publishing:policy", args=[institution.slug])


def building_sign_url(institution_slug: str, building: str) -> str:
    """The building's entrance sign. A building's name is data ("민원동/별관", "#2 창고", "100% 안전관"):
    it goes in the query string, percent-encoded, never into the path."""
    # quote(…, safe="") as the template's urlencode:'' filter does, so page and code agree.
    return (
        reverse("publishing:building_sign_pdf", args=[institution_slug])
        + "?building="
        + quote(building, safe="")
    )


def _manager_and_contact(group: DeviceGroup) -> tuple[str, str]:
    managers = list(group.managers.all())
    manager = " ".join(p for p in (group.department_name, *(m.position or m.name for m in managers[:1])) if p)
    phones = [m.phone for m in managers] + [s.phone for s in group.staff.all()]
    if group.department is not None:  # none where the published text gives no department (issue 16)
        phones.append(group.department.phone)
    contact = next((phone for phone in phones if is_contact(phone)), "")
    return manager, contact


def sign_for(group: DeviceGroup) -> Sign:
    """The sign of one device group; `missing` lists what the register lacks (R9)."""
    institution = group.institution
    manager, contact = _manager_and_contact(group)
    contractors = tuple((c.company, c.contact) for c in group.contractors.all())
    place = group.site or ", ".join(location.name for location in group.locations.all())
    missing = []
    if not group.purpose:
        missing.append("설치 목적")
    if not place:
        missing.append("설치 장소")
    if not group.recording_hours:
        missing.append("촬영 시간")
    if not contact:
        missing.append("관리책임자 연락처 (관리책임자·관리담당자 또는 관리부서의 전화번호)")
    for company, company_contact in contractors:
        if not is_contact(company_contact):
            missing.append(f"수탁자 '{company}'의 연락처 (R34)")
    return Sign(
        institution=institution.name,
        group_key=group.key,
        title=group.name,
        purpose=group.purpose,
        place=place,
        coverage=group.coverage or place,
        hours=group.recording_hours,
        manager=manager,
        contact=contact,
        contractors=contractors,
        policy_url=policy_url(institution),
        missing=tuple(missing),
    )


def location_sign(group: DeviceGroup, location: Location) -> Sign:
    """The sign at one location of a group: its place, coverage, hours and devices (R9)."""
    base = sign_for(group)
    hours = location.recording_hours or group.recording_hours
    missing = [item for item in base.missing if item not in ("설치 장소", "촬영 시간")]
    if not hours:
        missing.append("촬영 시간")
    return Sign(
        institution=base.institution,
        group_key=group.key,
        title=f"{group.name} — {location.name}",
        purpose=base.purpose,
        place=location.name,
        coverage=location.coverage or group.coverage or location.name,
        hours=hours,
        manager=base.manager,
        contact=base.contact,
        contractors=base.contractors,
        policy_url=base.policy_url,
        missing=tuple(missing),
        group_names=(group.name,),
        count=location.count,
        location_key=location.key,
        devices=tuple(device.name for device in location.devices.all()),
    )


def site_signs(groups: list[DeviceGroup]) -> list[Sign]:
    """One sign per place where devices stand (법 제25조④: 설치 목적 및 장소 …): each location of a group
    outside a building (those in a building are on the building's entrance sign, R10), or the group's
    site when the register lists no locations."""
    signs: list[Sign] = []
    for group in groups:
        locations = list(group.locations.all())
        if not locations:
            signs.append(sign_for(group))
            continue
        signs.extend(
            location_sign(group, location) for location in locations if not location.building.strip()
        )
    return signs


def complete_location_sign(group: DeviceGroup, location: Location) -> Sign:
    sign = location_sign(group, location)
    if sign.missing:
        raise SignIncomplete(
            f"'{group.name}' {location.name} 안내판을 만들 수 없습니다. 대장에 없는 항목: {', '.join(sign.missing)}"
        )
    return sign


def _joined(values: list[str]) -> str:
    return ", ".join(dict.fromkeys(value for value in values if value))


def building_signs(groups: list[DeviceGroup]) -> list[Sign]:
    """R10 (시행령 제24조①단서): one sign per building, at its entrance, for every device in it.

    Only where the register says which building a location is in (Location.building); a register
    without buildings keeps one sign per device group. Each group's purpose, hours, manager and
    contact, and contractors are on the building's sign (R9, R34).
    """
    by_building: dict[str, list[tuple[DeviceGroup, list[Location]]]] = {}
    for group in groups:
        located: dict[str, list[Location]] = {}
        for location in group.locations.all():
            if location.building.strip():
                located.setdefault(location.building.strip(), []).append(location)
        for building, locations in located.items():
            by_building.setdefault(building, []).append((group, locations))
    signs = []
    for building, entries in by_building.items():
        group_signs = [sign_for(group) for group, _locations in entries]
        locations = [location for _group, located in entries for location in located]
        managers = _joined(
            [f"{sign.manager} ({sign.contact})" if sign.contact else sign.manager for sign in group_signs]
        )
        contractors = tuple(dict.fromkeys(pair for sign in group_signs for pair in sign.contractors))
        missing = [
            f"{sign.title}: {item}" for sign in group_signs for item in sign.missing if item != "설치 장소"
        ]
        signs.append(
            Sign(
                institution=group_signs[0].institution,
                group_key="",
                title=f"{building} 출입구",
                purpose=_joined([sign.purpose for sign in group_signs]),
                place=building,
                coverage=_joined([location.coverage or location.name for location in locations]),
                hours=_joined([sign.hours for sign in group_signs]),
                manager=managers,
                contact=_joined([sign.contact for sign in group_signs]),
                contractors=contractors,
                policy_url=group_signs[0].policy_url,
                missing=tuple(missing),
                building=building,
                group_names=tuple(group.name for group, _locations in entries),
                count=_count(locations),
            )
        )
    return signs


def _count(locations: list[Location]) -> int | None:
    """The devices at these locations; None when the register does not give a location's count."""
    counts = [location.count for location in locations]
    return None if None in counts else sum(count for count in counts if count is not None)


def building_sign(groups: list[DeviceGroup], building: str) -> Sign | None:
    return next((sign for sign in building_signs(groups) if sign.building == building), None)


def complete_sign(group: DeviceGroup) -> Sign:
    sign = sign_for(group)
    if sign.missing:
        raise SignIncomplete(
            f"'{group.name}'({group.key}) 안내판을 만들 수 없습니다. 대장에 없는 항목: {', '.join(sign.missing)}"
        )
    return sign
