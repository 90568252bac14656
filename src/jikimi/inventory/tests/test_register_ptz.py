"""R14 in the register file: the approved presets and privacy zones of PTZ cameras (오산시 지침 제29조①),
read with Korean errors naming the line and field, written back the same; registers without keep
their bytes."""

from __future__ import annotations

import pytest

from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError, export_register
from jikimi.inventory.tests.conftest import small_text

ACTOR = Actor.system("test")
PTZ = """ptz:
  - location: city-hall/cheongsa-naeoe
    presets:
      - {key: gate, name: 정문 방향, pan: 0.1, tilt: -0.2, zoom: 0.0}
      - {key: parking, name: 주차장, pan: -0.5, tilt: -0.1, zoom: 0.3, tolerance: 0.05, camera_preset: '2'}
    privacy_zones:
      - {key: apartments, name: 건너편 아파트 창문, pan: [0.4, 0.7], tilt: [0.0, 0.5]}
      - {key: behind, name: 민가 방향, pan: [0.9, -0.9], tilt: [-1.0, 1.0], zoom_min: 0.2}
"""


def _import(extra: str) -> models.Institution:
    return import_register(ACTOR, small_text() + extra, "small.yaml").institution


def _problems(extra: str) -> list[str]:
    with pytest.raises(RegisterFileError) as raised:
        _import(extra)
    return [str(p) for p in raised.value.problems]


@pytest.mark.django_db
def test_R14_presets_and_zones_are_read_in_order():
    institution = _import(PTZ)
    location = models.Location.objects.get(device_group__institution=institution, key="cheongsa-naeoe")
    presets = [
        (p.key, p.name, p.pan, p.tilt, p.zoom, p.tolerance, p.camera_preset)
        for p in location.ptz_presets.all()
    ]
    assert presets == [
        ("gate", "정문 방향", 0.1, -0.2, 0.0, 0.02, ""),
        ("parking", "주차장", -0.5, -0.1, 0.3, 0.05, "2"),
    ]
    zones = [
        (z.key, z.pan_min, z.pan_max, z.tilt_min, z.tilt_max, z.zoom_min)
        for z in location.privacy_zones.all()
    ]
    assert zones == [("apartments", 0.4, 0.7, 0.0, 0.5, 0.0), ("behind", 0.9, -0.9, -1.0, 1.0, 0.2)]


@pytest.mark.django_db
def test_R14_export_import_export_is_byte_identical_with_ptz():
    institution = _import(PTZ)
    first = export_register(institution)
    assert "ptz:" in first
    import_register(ACTOR, first, "exported.yaml")
    assert export_register(institution) == first
    # and the plain export (no source file kept) round-trips too
    models.RegisterSource.objects.all().delete()
    plain = export_register(institution)
    assert "- {key: gate, name: 정문 방향, pan: 0.1, tilt: -0.2, zoom: 0.0}" in plain
    import_register(ACTOR, plain, "plain.yaml")
    models.RegisterSource.objects.all().delete()
    assert export_register(institution) == plain


@pytest.mark.django_db
def test_a_register_without_ptz_exports_no_ptz_section():
    institution = _import("")
    models.RegisterSource.objects.all().delete()
    assert "ptz" not in export_register(institution)


@pytest.mark.django_db
def test_R14_removing_the_section_removes_the_presets():
    institution = _import(PTZ)
    _import("")
    assert not models.PtzPreset.objects.filter(location__device_group__institution=institution).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("pan: 0.1, tilt: -0.2, zoom: 0.0", "ptz[0].presets[0].pan (팬): 1.0 이하여야 합니다 (적힌 값: 1.5)"),
        (
            "pan: 0.1, tilt: -0.2, zoom: 0.0",
            "ptz[0].presets[0].zoom (줌): 0.0 이상이어야 합니다 (적힌 값: -0.1)",
        ),
    ],
)
def test_R14_a_value_out_of_range_is_refused_with_its_line_and_field(bad, expected):
    text = PTZ.replace(bad, "pan: 1.5, tilt: -0.2, zoom: -0.1")
    problems = _problems(text)
    assert any(expected in p and "small.yaml:" in p for p in problems), problems


@pytest.mark.django_db
def test_R14_an_unknown_location_is_refused():
    problems = _problems(PTZ.replace("city-hall/cheongsa-naeoe", "city-hall/nowhere"))
    assert any(
        "ptz[0].location" in p and "'city-hall/nowhere'이(가) device_groups에 없습니다" in p for p in problems
    )


@pytest.mark.django_db
def test_R14_a_preset_that_looks_into_a_privacy_zone_is_refused():
    problems = _problems(PTZ.replace("pan: 0.1, tilt: -0.2", "pan: 0.5, tilt: 0.2"))
    assert any("ptz[0].presets[0]" in p and "사생활 보호 구역 '건너편 아파트 창문'" in p for p in problems), (
        problems
    )


@pytest.mark.django_db
def test_R14_a_tilt_range_upside_down_is_refused():
    problems = _problems(PTZ.replace("tilt: [0.0, 0.5]", "tilt: [0.5, 0.0]"))
    assert any("ptz[0].privacy_zones[0].tilt" in p and "[아래, 위]" in p for p in problems), problems


@pytest.mark.django_db
def test_R14_a_duplicate_preset_key_is_refused():
    problems = _problems(PTZ.replace("key: parking", "key: gate"))
    assert any(
        "small.yaml:" in p and "ptz[0].presets[1].key" in p and "이미 있습니다" in p for p in problems
    ), problems


@pytest.mark.django_db
def test_R14_a_location_without_presets_is_refused():
    problems = _problems("ptz:\n  - {location: city-hall/cheongsa-naeoe, presets: []}\n")
    assert any("ptz[0].presets" in p for p in problems), problems
