"""R14 (법 제25조⑤; 오산시 지침 제18조①, 제29조①): a location's approved PTZ presets and privacy zones
edited in the register's pages — each form with its Korean errors naming the field, the same checks as
the file's `ptz:` section, one audit entry per change with the values before and after, the export
round-trip kept, and a register-less role refused."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from jikimi.accounts.models import Role
from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.display import details_text
from jikimi.audit.models import AuditEntry
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.actions.entries import EntryRefused
from jikimi.inventory.actions.ptz_views import PtzViewEdit, edit_ptz_view
from jikimi.inventory.register_file import export_register
from jikimi.inventory.tests.conftest import person, small_text

ACTOR = Actor.system("test")
PTZ = """ptz:
  - location: city-hall/cheongsa-naeoe
    presets:
      - {key: gate, name: 정문 방향, pan: 0.1, tilt: -0.2, zoom: 0.0}
    privacy_zones:
      - {key: apartments, name: 건너편 아파트 창문, pan: [0.4, 0.7], tilt: [0.0, 0.5]}
"""
PRESET = {
    "key": "parking",
    "name": "주차장",
    "pan": "-0.5",
    "tilt": "-0.1",
    "zoom": "0.3",
    "tolerance": "0.05",
    "camera_preset": "2",
    "reason": "주차장 방범 화각 승인",
}
ZONE = {
    "key": "shop",
    "name": "상가 탈의 공간 창",
    "pan_min": "-0.9",
    "pan_max": "-0.7",
    "tilt_min": "0.1",
    "tilt_max": "0.4",
    "zoom_min": "0",
    "reason": "민원: 상가 창문",
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution(db) -> models.Institution:
    return import_register(ACTOR, small_text() + PTZ, "small.yaml").institution


@pytest.fixture
def location(institution) -> models.Location:
    return models.Location.objects.get(device_group__institution=institution, key="cheongsa-naeoe")


@pytest.fixture
def manager(client, institution):
    """An officer of 총무과, whose group city-hall this is: EDIT_REGISTER over it."""
    user = person("manager", institution, "총무과")
    log_in(client, user)
    return user


def _post(client, name: str, location: models.Location, data: dict[str, str], key: str = ""):
    args = [location.pk, key] if key else [location.pk]
    return client.post(reverse(f"inventory:{name}", args=args), data)


def _errors(response) -> str:
    return html.unescape(response.content.decode())


# -- presets ---------------------------------------------------------------------------------------------


def test_R14_a_preset_is_added_shown_exported_and_audited(client, manager, institution, location):
    page = client.get(reverse("inventory:ptz_views", args=[location.pk]))
    assert page.status_code == 200 and "정문 방향" in page.content.decode()
    response = _post(client, "ptz_preset_add", location, PRESET)
    assert response.status_code == 302 and response["Location"] == reverse(
        "inventory:ptz_views", args=[location.pk]
    )
    preset = location.ptz_presets.get(key="parking")
    assert (preset.name, preset.pan, preset.tilt, preset.zoom, preset.tolerance, preset.camera_preset) == (
        "주차장",
        -0.5,
        -0.1,
        0.3,
        0.05,
        "2",
    )
    assert [p.key for p in location.ptz_presets.all()] == ["gate", "parking"]
    entry = AuditEntry.objects.get(action="inventory.add_ptz_preset")
    assert entry.actor == manager and entry.reason == "주차장 방범 화각 승인"
    assert entry.target_type == "inventory.PtzPreset" and entry.target_id == f"{location.pk}/parking"
    assert entry.details["changes"]["pan"] == [None, -0.5]
    assert entry.details["location"] == "청사 내외"
    text = details_text(entry.action, entry.details, entry.target_type)
    assert "팬: 없음 → -0.5" in text or "팬 없음 → -0.5" in text, text
    page = client.get(reverse("inventory:ptz_views", args=[location.pk])).content.decode()
    assert "주차장" in page and "주차장 방범 화각 승인" in page  # the row and its history
    exported = export_register(institution)
    assert (
        "{key: parking, name: 주차장, pan: -0.5, tilt: -0.1, zoom: 0.3, tolerance: 0.05, camera_preset: '2'}"
        in exported
    )


def test_R14_the_export_still_round_trips_byte_identical_after_browser_edits(
    client, manager, institution, location
):
    _post(client, "ptz_preset_add", location, PRESET)
    _post(client, "privacy_zone_add", location, ZONE)
    _post(client, "ptz_preset_edit", location, {**PRESET, "name": "정문", "reason": "이름 정리"}, key="gate")
    for source in (True, False):
        if not source:
            models.RegisterSource.objects.all().delete()
        first = export_register(institution)
        import_register(ACTOR, first, "exported.yaml")
        if not source:
            models.RegisterSource.objects.all().delete()
        assert export_register(institution) == first


def test_R14_a_preset_is_changed_with_before_and_after_and_its_key_kept(client, manager, location):
    data = {**PRESET, "key": "other", "name": "정문 (북측)", "tolerance": "0.02", "camera_preset": ""}
    data.update(pan="0.12", tilt="-0.2", zoom="0")
    response = _post(client, "ptz_preset_edit", location, data, key="gate")
    assert response.status_code == 302
    preset = location.ptz_presets.get(key="gate")  # the key is the identity: not changed by the form
    assert (preset.name, preset.pan) == ("정문 (북측)", 0.12)
    entry = AuditEntry.objects.get(action="inventory.change_ptz_preset")
    assert entry.details["changes"] == {"name": ["정문 방향", "정문 (북측)"], "pan": [0.1, 0.12]}
    assert entry.target_id == f"{location.pk}/gate"


def test_R14_the_form_shows_the_stored_values(client, manager, location):
    page = client.get(reverse("inventory:ptz_preset_edit", args=[location.pk, "gate"])).content.decode()
    assert 'value="정문 방향"' in page and 'value="0.1"' in page and 'value="-0.2"' in page
    assert client.get(reverse("inventory:ptz_preset_edit", args=[location.pk, "nothing"])).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("key", "", "식별자: 적어야 합니다"),
        ("key", "정문", "식별자: 영문·숫자·-·_만 쓸 수 있습니다"),
        ("key", "gate", "식별자: 식별자 'gate'은(는) 위치 '청사 내외'의 PTZ 승인 프리셋에 이미 있습니다"),
        ("name", "", "프리셋 이름: 적어야 합니다"),
        ("name", "가" * 101, "프리셋 이름: 100자 이하여야 합니다"),
        ("pan", "1.5", "팬: 1.0 이하여야 합니다"),
        ("pan", "-2", "팬: -1.0 이상이어야 합니다"),
        ("pan", "왼쪽", "팬: 숫자로 적으세요"),
        ("pan", "nan", "팬: 숫자로 적으세요"),
        ("tilt", "1.01", "틸트: 1.0 이하여야 합니다"),
        ("tilt", "", "틸트: 적어야 합니다"),
        ("zoom", "-0.1", "줌: 0.0 이상이어야 합니다"),
        ("zoom", "2", "줌: 1.0 이하여야 합니다"),
        ("tolerance", "0.6", "허용 오차: 0.5 이하여야 합니다"),
        ("tolerance", "-0.01", "허용 오차: 0.0 이상이어야 합니다"),
        ("camera_preset", "9" * 65, "카메라 프리셋 번호: 64자 이하여야 합니다"),
        ("reason", "", "변경 사유: 적어야 합니다"),
    ],
)
def test_each_bad_preset_field_is_named_in_korean_and_nothing_is_written(
    client, manager, location, field, value, message
):
    response = _post(client, "ptz_preset_add", location, {**PRESET, field: value})
    assert response.status_code == 400
    assert message in _errors(response)
    assert not location.ptz_presets.filter(key="parking").exists()
    assert not AuditEntry.objects.filter(action__startswith="inventory.add_ptz").exists()


def test_R14_a_preset_inside_a_privacy_zone_is_refused(client, manager, location):
    # 오산시 지침 제29조①: the register cannot approve a view into what it protects.
    response = _post(client, "ptz_preset_add", location, {**PRESET, "pan": "0.5", "tilt": "0.2"})
    assert response.status_code == 400
    page = _errors(response)
    assert "프리셋 '주차장'이(가) 사생활 보호 구역 '건너편 아파트 창문'" in page
    assert "오산시 지침 제29조①" in page
    assert not location.ptz_presets.filter(key="parking").exists()


def test_a_preset_is_removed_with_its_values_in_the_audit(client, manager, location):
    _post(client, "ptz_preset_add", location, PRESET)
    response = _post(
        client, "ptz_preset_edit", location, {"remove": "1", "reason": "주차장 폐쇄"}, key="parking"
    )
    assert response.status_code == 302
    assert not location.ptz_presets.filter(key="parking").exists()
    entry = AuditEntry.objects.get(action="inventory.remove_ptz_preset")
    assert entry.details["changes"]["name"] == ["주차장", None] and entry.reason == "주차장 폐쇄"


def test_R14_the_last_preset_stays_while_privacy_zones_need_it(client, manager, location):
    response = _post(client, "ptz_preset_edit", location, {"remove": "1", "reason": "정리"}, key="gate")
    assert response.status_code == 400
    assert "마지막 승인 프리셋입니다 — 사생활 보호 구역이 남아 있어" in _errors(response)
    assert location.ptz_presets.filter(key="gate").exists()


def test_the_last_view_removed_takes_the_location_out_of_the_ptz_section(institution, location):
    edit_ptz_view(ACTOR, location, PtzViewEdit("privacy_zones", key="apartments", remove=True), "정리")
    edit_ptz_view(ACTOR, location, PtzViewEdit("presets", key="gate", remove=True), "PTZ 철거")
    assert not location.ptz_presets.exists()
    models.RegisterSource.objects.all().delete()
    assert "ptz:" not in export_register(institution)


def test_R14_a_preset_is_added_at_a_location_without_any(institution):
    other = models.Location.objects.filter(device_group__institution=institution).exclude(
        key="cheongsa-naeoe"
    )[0]
    values = {k: v for k, v in PRESET.items() if k != "reason"}
    values.update(pan=-0.5, tilt=-0.1, zoom=0.3, tolerance=0.05)
    edit_ptz_view(ACTOR, other, PtzViewEdit("presets", values=values), "신규 PTZ")
    assert other.ptz_presets.get().key == "parking"
    with pytest.raises(EntryRefused, match="승인 프리셋을 먼저 추가하세요"):
        third = models.Location.objects.filter(device_group__institution=institution).exclude(
            pk__in=[other.pk, models.Location.objects.get(key="cheongsa-naeoe").pk]
        )[0]
        edit_ptz_view(ACTOR, third, PtzViewEdit("privacy_zones", values={"key": "z"}), "구역")


# -- privacy zones ---------------------------------------------------------------------------------------


def test_R14_a_privacy_zone_is_added_shown_and_audited(client, manager, institution, location):
    response = _post(client, "privacy_zone_add", location, ZONE)
    assert response.status_code == 302
    zone = location.privacy_zones.get(key="shop")
    assert (zone.pan_min, zone.pan_max, zone.tilt_min, zone.tilt_max, zone.zoom_min) == (
        -0.9,
        -0.7,
        0.1,
        0.4,
        0.0,
    )
    entry = AuditEntry.objects.get(action="inventory.add_privacy_zone")
    assert entry.target_type == "inventory.PrivacyZone" and entry.details["changes"]["pan_min"] == [
        None,
        -0.9,
    ]
    assert "팬 시작" in details_text(entry.action, entry.details, entry.target_type)
    assert "{key: shop, name: 상가 탈의 공간 창, pan: [-0.9, -0.7], tilt: [0.1, 0.4]}" in export_register(
        institution
    )


def test_R14_a_pan_range_may_wrap_behind_the_camera(client, manager, location):
    # rules.ptz.PrivacyZone: pan from 0.9 through ±1 to -0.9 is one zone behind the camera.
    response = _post(client, "privacy_zone_add", location, {**ZONE, "pan_min": "0.9", "pan_max": "-0.9"})
    assert response.status_code == 302
    assert (
        "카메라 뒤쪽을 지남"
        in client.get(reverse("inventory:ptz_views", args=[location.pk])).content.decode()
    )


def test_a_privacy_zone_is_changed_and_removed_with_before_and_after(client, manager, location):
    data = {
        "name": "건너편 아파트 창문",
        "pan_min": "0.4",
        "pan_max": "0.8",
        "tilt_min": "0",
        "tilt_max": "0.5",
    }
    data.update(zoom_min="0.2", reason="화각 재측정")
    assert _post(client, "privacy_zone_edit", location, data, key="apartments").status_code == 302
    entry = AuditEntry.objects.get(action="inventory.change_privacy_zone")
    assert entry.details["changes"] == {"pan_max": [0.7, 0.8], "zoom_min": [0.0, 0.2]}
    removed = _post(
        client, "privacy_zone_edit", location, {"remove": "1", "reason": "건물 철거"}, key="apartments"
    )
    assert removed.status_code == 302 and not location.privacy_zones.exists()
    assert AuditEntry.objects.get(action="inventory.remove_privacy_zone").details["changes"]["pan_max"] == [
        0.8,
        None,
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("key", "", "식별자: 적어야 합니다"),
        (
            "key",
            "apartments",
            "식별자: 식별자 'apartments'은(는) 위치 '청사 내외'의 사생활 보호 구역에 이미 있습니다",
        ),
        ("name", "", "구역 이름: 적어야 합니다"),
        ("pan_min", "-1.2", "팬 시작: -1.0 이상이어야 합니다"),
        ("pan_max", "1.2", "팬 끝: 1.0 이하여야 합니다"),
        ("tilt_min", "x", "틸트 시작: 숫자로 적으세요"),
        ("tilt_max", "0.05", "틸트 끝: 틸트 끝(0.05)은 틸트 시작(0.1) 이상이어야 합니다"),
        ("tilt_max", "", "틸트 끝: 적어야 합니다"),
        ("zoom_min", "1.5", "이 줌부터: 1.0 이하여야 합니다"),
        ("reason", "", "변경 사유: 적어야 합니다"),
    ],
)
def test_each_bad_zone_field_is_named_in_korean_and_nothing_is_written(
    client, manager, location, field, value, message
):
    response = _post(client, "privacy_zone_add", location, {**ZONE, field: value})
    assert response.status_code == 400
    assert message in _errors(response)
    assert not location.privacy_zones.filter(key="shop").exists()
    assert not AuditEntry.objects.filter(action="inventory.add_privacy_zone").exists()


def test_R14_a_zone_over_an_approved_preset_is_refused(client, manager, location):
    # The approved 정문 방향 (0.1, -0.2) would look into it: the register would contradict itself.
    response = _post(
        client, "privacy_zone_add", location, {**ZONE, "pan_min": "0", "pan_max": "0.2", "tilt_min": "-0.3"}
    )
    assert response.status_code == 400
    assert "사생활 보호 구역 '상가 탈의 공간 창'을(를) 비춥니다" in _errors(response)
    assert not location.privacy_zones.filter(key="shop").exists()


def test_the_action_names_a_bad_tilt_order_at_its_field(location):
    # The form checks the order first; the action (the file's check) does too, for any other caller.
    values = {"key": "z", "name": "구역", "pan_min": 0.1, "pan_max": 0.2, "tilt_min": 0.5, "tilt_max": 0.1}
    with pytest.raises(EntryRefused) as refused:
        edit_ptz_view(ACTOR, location, PtzViewEdit("privacy_zones", values=values), "구역")
    assert [p.field for p in refused.value.problems] == ["tilt_max"]
    assert "틸트 범위는 [아래, 위] 순서로" in str(refused.value)


# -- who may ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.AUDITOR])
def test_R36_a_role_without_register_rights_is_refused_every_form(client, institution, location, role):
    log_in(client, person("nobody", institution, "총무과", role))
    for name, key in (
        ("ptz_views", ""),
        ("ptz_preset_add", ""),
        ("ptz_preset_edit", "gate"),
        ("privacy_zone_add", ""),
        ("privacy_zone_edit", "apartments"),
    ):
        url = reverse(f"inventory:{name}", args=[location.pk, key] if key else [location.pk])
        assert client.get(url).status_code == 403, name
        if name != "ptz_views":  # the list page answers GET only
            assert client.post(url, {**PRESET, **ZONE}).status_code == 403, name
    assert location.ptz_presets.count() == 1 and location.privacy_zones.count() == 1
    assert not AuditEntry.objects.filter(action__contains="ptz_preset").exists()


def test_R36_an_officer_of_another_department_is_refused(client, institution, location):
    log_in(client, person("alice", institution, "교통행정과"))
    assert client.get(reverse("inventory:ptz_views", args=[location.pk])).status_code == 403
    assert _post(client, "ptz_preset_add", location, PRESET).status_code == 403
    assert not location.ptz_presets.filter(key="parking").exists()


def test_the_group_page_links_each_location_to_its_ptz_page(client, manager, location):
    page = client.get(reverse("inventory:group_detail", args=[location.device_group_id])).content.decode()
    assert reverse("inventory:ptz_views", args=[location.pk]) in page
