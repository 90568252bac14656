"""A site's coordinates in the register (issue 17: the control centre's map of sites).

WGS84 degrees as the institution publishes them, null when it does not — never invented. Checked on
import with the file's line and field (Korea's bounds, both or neither), written back only when set so
that export → import → export keeps its bytes, with or without coordinates.
"""

from __future__ import annotations

import pytest

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import LocationChange, import_register, update_device_group
from jikimi.inventory.actions.groups import GroupChangeRefused
from jikimi.inventory.register_file import RegisterFileError, export_register

from .conftest import small_text

SYSTEM = Actor.system("test")
YULMOK = "- {key: yulmokdong-yudong3geori, name: 율목동 유동3거리, count: 1}"


def _with(location_line: str) -> str:
    text = small_text()
    assert YULMOK in text
    return text.replace(YULMOK, location_line)


def _problems(text: str) -> list[str]:
    with pytest.raises(RegisterFileError) as raised:
        import_register(SYSTEM, text, "coords.yaml")
    return raised.value.listed()


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_coordinates_are_imported_and_exported_back_byte_identical(db):
    text = _with(
        "- {key: yulmokdong-yudong3geori, name: 율목동 유동3거리, count: 1, "
        "latitude: 37.4563, longitude: 126.7052}"
    )
    institution = import_register(SYSTEM, text, "coords.yaml").institution
    site = models.Location.objects.get(key="yulmokdong-yudong3geori")
    assert (site.latitude, site.longitude) == (37.4563, 126.7052)
    first = export_register(institution)
    assert "latitude: 37.4563, longitude: 126.7052}" in first
    import_register(SYSTEM, first, "exported.yaml")
    assert export_register(institution) == first
    # The plain export (no kept source) writes them on the location's line as well, and reads back.
    models.RegisterSource.objects.all().delete()
    plain = export_register(institution)
    assert "name: 율목동 유동3거리, count: 1, latitude: 37.4563, longitude: 126.7052}" in plain
    import_register(SYSTEM, plain, "plain.yaml")
    assert export_register(institution) == plain


def test_a_register_without_coordinates_writes_none(institution):
    text = export_register(institution)
    assert "latitude" not in text and "longitude" not in text
    assert set(models.Location.objects.values_list("latitude", "longitude")) == {(None, None)}


def test_coordinates_set_on_the_register_are_added_to_the_officers_file(institution):
    models.Location.objects.filter(key="ganseok-remianjaiap").update(latitude=37.4661, longitude=126.7068)
    text = export_register(institution)
    [line] = [line for line in text.splitlines() if "ganseok-remianjaiap" in line]
    assert "latitude: 37.4661" in line and "longitude: 126.7068" in line
    import_register(SYSTEM, text, "again.yaml")
    assert export_register(institution) == text


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("latitude: 40.1, longitude: 126.7", "latitude (위도): 위도는 대한민국 범위(33~39) 안이어야 합니다"),
        ("latitude: 126.7, longitude: 37.45", "위도는 대한민국 범위(33~39) 안이어야 합니다 (적힌 값: 126.7)"),
        (
            "latitude: 37.45, longitude: 140",
            "longitude (경도): 경도는 대한민국 범위(124~132) 안이어야 합니다",
        ),
        ("latitude: 37.45", "longitude (경도): 위도와 경도는 함께 적거나 함께 비워 둡니다"),
        ("longitude: 126.7", "latitude (위도): 위도와 경도는 함께 적거나 함께 비워 둡니다"),
        ('latitude: "37.45", longitude: 126.7', "latitude (위도): 숫자여야 합니다"),
        ("latitude: .nan, longitude: 126.7", "위도는 대한민국 범위"),
    ],
)
def test_bad_coordinates_are_refused_naming_file_line_and_field(db, written, expected):
    text = _with(f"- {{key: yulmokdong-yudong3geori, name: 율목동 유동3거리, count: 1, {written}}}")
    problems = _problems(text)
    line = _line_of(text, "yulmokdong-yudong3geori")
    assert any(p.startswith(f"coords.yaml:{line}: ") and expected in p for p in problems), problems
    assert not models.Institution.objects.exists()  # all or nothing


def test_null_coordinates_mean_not_published(db):
    text = _with(
        "- {key: yulmokdong-yudong3geori, name: 율목동 유동3거리, count: 1, latitude: null, longitude: null}"
    )
    import_register(SYSTEM, text, "coords.yaml")
    site = models.Location.objects.get(key="yulmokdong-yudong3geori")
    assert not site.has_coordinates


def _locations(group: models.DeviceGroup, **coordinates: float | None) -> list[LocationChange]:
    out = []
    for loc in group.locations.all():
        values = {name: getattr(loc, name) for name in LocationChange.__dataclass_fields__}
        if loc.key == "yulmokdong-yudong3geori":
            values.update(coordinates)
        out.append(LocationChange(**values))
    return out


def test_the_group_edit_sets_a_sites_coordinates_audited(institution, bus_lane):
    actor = Actor.system("officer")
    update_device_group(
        actor,
        bus_lane,
        {},
        "공공데이터포털 CCTV정보 확인",
        locations=_locations(bus_lane, latitude=37.4563, longitude=126.7052),
    )
    site = bus_lane.locations.get(key="yulmokdong-yudong3geori")
    assert (site.latitude, site.longitude) == (37.4563, 126.7052)
    entry = AuditEntry.objects.filter(action="inventory.update_device_group").latest("id")
    before, after = entry.details["changes"]["locations"]
    assert "율목동 유동3거리" in before[0] and "37.4563" not in before[0]
    assert "위도 37.4563, 경도 126.7052" in after[0]


def test_the_group_edit_refuses_half_or_foreign_coordinates(institution, bus_lane):
    with pytest.raises(GroupChangeRefused, match="함께 적거나"):
        update_device_group(SYSTEM, bus_lane, {}, "확인", locations=_locations(bus_lane, latitude=37.45))
    with pytest.raises(GroupChangeRefused, match="대한민국 범위"):
        update_device_group(
            SYSTEM, bus_lane, {}, "확인", locations=_locations(bus_lane, latitude=35.6, longitude=139.7)
        )
    assert not bus_lane.locations.filter(latitude__isnull=False).exists()


def test_the_group_edit_page_carries_the_coordinates(client, alice, bus_lane):
    from django.urls import reverse

    from jikimi.accounts.testing import log_in
    from jikimi.inventory.tests.test_group_pages import edit_data

    log_in(client, alice)
    url = reverse("inventory:group_edit", args=[bus_lane.pk])
    page = client.get(url).text
    assert 'name="locations-0-latitude"' in page and 'name="locations-0-longitude"' in page
    half = client.post(url, edit_data(bus_lane, reason="좌표", **{"locations-0-latitude": "37.4563"}))
    assert half.status_code == 200 and "위도와 경도는 함께 적거나 함께 비워 둡니다" in half.text
    response = client.post(
        url,
        edit_data(
            bus_lane,
            reason="공공데이터포털 CCTV정보 확인",
            **{"locations-0-latitude": "37.4563", "locations-0-longitude": "126.7052"},
        ),
    )
    assert response.status_code == 302
    site = bus_lane.locations.get(key="yulmokdong-yudong3geori")
    assert (site.latitude, site.longitude) == (37.4563, 126.7052)
    again = client.get(url).text  # shown back as written
    assert 'value="37.4563"' in again and 'value="126.7052"' in again
