"""A device belongs to the register: to a group and to one of its locations, by key (법 제21조①, R16–R17).

The issue's reproduction: a group keeps 45 days, its location "승강기" 14 days. A device added at
"승강기 1호기" (no such location) silently kept footage 45 days, and renaming the location in the file
moved existing devices from 14 to 45 days without a word. Now the first is refused, the rename keeps
the devices where they are, and every change of the terms existing devices keep is shown first.
"""

from __future__ import annotations

import html
from datetime import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import (
    GroupChangeRefused,
    GroupTermChangesNotConfirmed,
    LocationChange,
    TermChangesNotConfirmed,
    import_register,
    update_device_group,
)
from jikimi.inventory.models import Device, Institution, Location
from jikimi.inventory.register_file import RegisterFileError
from jikimi.vault.actions.devices import DeviceError, add_device
from jikimi.vault.terms import device_terms
from jikimi.vault.tests.conftest import ACTOR, synthetic_segment

pytestmark = pytest.mark.django_db

IMPORTER = Actor.system("test")

REGISTER = """\
format: jikimi-register/1
institution: {name: 시험구, slug: siheomgu}
departments:
  - {key: haengjeongjiwongwa, name: 행정지원과}
  - {key: gyotonghaengjeonggwa, name: 교통행정과}
device_groups:
  - key: city-hall
    name: 구청사 내외·승강기 CCTV
    department: 행정지원과
    legal_bases: [crime, facility_safety]
    purpose: 범죄예방 및 시설안전
    count: 7
    site: 구청사
    recording_hours: 24시간
    retention: 45일
    retention_reason: 청사 안전사고 조사에 필요한 기간
    storage_place: 구청 관제실
    locations:
      - {key: hall, name: 청사 현관, count: 5}
      - {key: elevators, name: 승강기, count: 2, retention: 14일}
  - key: bus-lane
    name: 버스전용차로 단속 CCTV
    department: 교통행정과
    legal_bases: [traffic_enforcement]
    purpose: 버스전용차로 단속
    count: 1
    site: 시청 앞
    recording_hours: 24시간
    retention: 30일
    storage_place: 교통정보센터
    locations:
      - {key: gate, name: 시청 정문}
"""


def load(text: str = REGISTER, **options: Any) -> Any:
    return import_register(IMPORTER, text, "siheomgu.yaml", **options)


def lift_device() -> Device:
    group = Institution.objects.get(slug="siheomgu").device_groups.get(key="city-hall")
    return add_device(ACTOR, group, "승강기 1호기", location="elevators")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def test_R16_a_device_at_a_location_that_overrides_its_group_keeps_the_locations_retention() -> None:
    group = load().institution.device_groups.get(key="city-hall")
    # "승강기 1호기" is no location of the register: refused, with the valid ones.
    with pytest.raises(DeviceError, match=r"'승강기 1호기'.*청사 현관\(hall\), 승강기\(elevators\)"):
        add_device(ACTOR, group, "승강기 1호기", location="승강기 1호기")
    with pytest.raises(DeviceError, match="위치 가운데 하나에 있어야"):
        add_device(ACTOR, group, "승강기 1호기")
    device = add_device(ACTOR, group, "승강기 1호기", location="승강기")
    assert device.location is not None and device.location.key == "elevators"
    assert device_terms(device).retention == "14일"

    # Renaming the location in the file keeps its key: the device stays there, at 14 days.
    load(REGISTER.replace("name: 승강기,", "name: 본관 승강기,"))
    device.refresh_from_db()
    assert device.location is not None and device.location.name == "본관 승강기"
    assert device_terms(device).retention == "14일"
    assert not AuditEntry.objects.filter(action="inventory.device_terms_changed").exists()

    # A file that drops the key (a "new" location of the same name) would move it to 45 days: refused.
    with pytest.raises(RegisterFileError) as refused:
        load(REGISTER.replace("key: elevators", "key: lifts"))
    assert "siheomgu.yaml:19: device_groups[0].locations" in str(refused.value)  # the group's location list
    assert "승강기 1호기 (#" in str(refused.value) and "devices_from: [city-hall/elevators]" in str(
        refused.value
    )
    device.refresh_from_db()
    assert device.location is not None and device.location.key == "elevators"


def test_R17_removing_a_location_is_refused_with_its_devices_footage_and_holds() -> None:
    load()
    device = lift_device()
    with time_machine.travel(kst("2026-11-01T12:00:00"), tick=False):
        synthetic_segment(device, kst("2026-11-01T09:00:00"))
    text = REGISTER.replace(
        "      - {key: elevators, name: 승강기, count: 2, retention: 14일}\n", ""
    ).replace("count: 7", "count: 5")
    with pytest.raises(
        RegisterFileError, match=r"위치 '승강기'\(elevators\)을\(를\) 지울 수 없습니다.*영상 1일치"
    ):
        load(text)
    assert Location.objects.filter(key="elevators").exists()


def test_R17_removing_a_group_that_has_devices_is_refused() -> None:
    load()
    lift_device()
    text = (
        REGISTER[: REGISTER.index("  - key: bus-lane")].replace(
            REGISTER[REGISTER.index("  - key: city-hall") : REGISTER.index("  - key: bus-lane")], ""
        )
        + REGISTER[REGISTER.index("  - key: bus-lane") :]
    )
    with pytest.raises(
        RegisterFileError, match=r"기기 묶음 '구청사 내외·승강기 CCTV'\(city-hall\)을\(를\) 지울 수 없습니다"
    ):
        load(text)


def test_a_location_the_file_removes_hands_its_devices_over_by_devices_from() -> None:
    load()
    device = lift_device()
    moved = REGISTER.replace(
        "{key: elevators, name: 승강기, count: 2, retention: 14일}",
        "{key: lifts, name: 승강기, count: 2, retention: 14일, devices_from: [city-hall/elevators]}",
    )
    result = load(moved)
    device.refresh_from_db()
    assert device.location is not None and device.location.key == "lifts"
    assert not Location.objects.filter(key="elevators").exists()
    assert result.term_changes == []  # same 14 days: nothing to confirm
    # The instruction stays in the file; importing it again has nothing more to move.
    again = load(moved)
    assert any("옮길 기기가 없습니다" in str(w) for w in again.warnings)
    # It takes devices only from a location the file removes (never one it keeps).
    with pytest.raises(RegisterFileError, match="파일에 남아 있는 위치"):
        load(moved.replace("devices_from: [city-hall/elevators]", "devices_from: [city-hall/hall]"))


def test_R16_a_retention_change_of_existing_devices_is_shown_first_and_audited_when_confirmed() -> None:
    load()
    device = lift_device()
    shorter = REGISTER.replace("count: 2, retention: 14일", "count: 2, retention: 7일")
    with pytest.raises(TermChangesNotConfirmed) as unconfirmed:
        load(shorter)
    [change] = unconfirmed.value.changes
    assert "승강기 1호기" in str(change) and "보관기간 '14일' → '7일'" in str(change)
    assert Location.objects.get(key="elevators").retention == "14일"

    preview = load(shorter, dry_run=True)
    assert preview.dry_run and [c.retention for c in preview.term_changes] == [("14일", "7일")]
    assert Location.objects.get(key="elevators").retention == "14일"
    assert not AuditEntry.objects.filter(action="inventory.device_terms_changed").exists()

    load(shorter, confirm_term_changes=True)
    assert device_terms(Device.objects.get(pk=device.pk)).retention == "7일"
    entry = AuditEntry.objects.get(action="inventory.device_terms_changed")
    assert entry.details["location"] == "elevators" and entry.details["retention"] == ["14일", "7일"]
    assert entry.details["devices"] == [f"승강기 1호기 (#{device.pk})"]


def test_R16_a_group_retention_change_names_only_the_devices_that_follow_the_group() -> None:
    group = load().institution.device_groups.get(key="city-hall")
    lift_device()
    add_device(ACTOR, group, "현관 1번", location="hall")
    with pytest.raises(TermChangesNotConfirmed) as unconfirmed:
        load(REGISTER.replace("retention: 45일", "retention: 30일"))
    [change] = unconfirmed.value.changes
    assert change.location == "hall" and change.devices[0].startswith("현관 1번")


def test_R16_an_edit_on_the_group_page_records_which_devices_keep_footage_how_long() -> None:
    group = load().institution.device_groups.get(key="city-hall")
    lift = lift_device()
    door = add_device(ACTOR, group, "현관 1번", location="hall")
    change = {"retention": "30일", "retention_reason": ""}
    with pytest.raises(GroupTermChangesNotConfirmed) as shown:
        update_device_group(IMPORTER, group, change, "보관기간 단축")
    update_device_group(
        IMPORTER, group, change, "보관기간 단축", confirm_term_changes=shown.value.fingerprint
    )
    entry = AuditEntry.objects.get(action="inventory.update_device_group")
    # The lift keeps its location's 14 days; the door follows the group from 45 to 30 days.
    assert entry.details["term_changes"] == [
        {
            "device": door.pk,
            "name": "현관 1번",
            "location": "청사 현관",
            "retention": ["45일", "30일"],
            "recording_hours": ["24시간", "24시간"],
            "footage_days": 0,
            "due_days": 0,
        }
    ]
    assert device_terms(Device.objects.get(pk=lift.pk)).retention == "14일"


def test_the_import_command_previews_and_needs_confirmation(tmp_path: Any) -> None:
    load()
    lift_device()
    path = tmp_path / "siheomgu.yaml"
    path.write_text(
        REGISTER.replace("count: 2, retention: 14일", "count: 2, retention: 7일"), encoding="utf-8"
    )
    out = StringIO()
    call_command("import_register", str(path), "--dry-run", stdout=out)
    assert "바뀜: 기기 묶음 '구청사 내외·승강기 CCTV' 위치 '승강기'" in out.getvalue()
    assert "저장하지 않았습니다" in out.getvalue()
    err = StringIO()
    with pytest.raises(CommandError, match="--confirm-term-changes"):
        call_command("import_register", str(path), stderr=err)
    assert Location.objects.get(key="elevators").retention == "14일"
    call_command("import_register", str(path), "--confirm-term-changes", stdout=StringIO())
    assert Location.objects.get(key="elevators").retention == "7일"


def test_the_add_device_page_offers_the_groups_locations_and_refuses_another_groups(client: Any) -> None:
    institution = load().institution
    bus_lane = institution.device_groups.get(key="bus-lane")
    officer = make_user(
        "dana", "officer", institution=institution, departments=[bus_lane.department, "행정지원과"]
    )
    log_in(client, officer)
    page = client.get(reverse("vault:device_add")).content.decode()
    assert (
        '<optgroup label="구청사 내외·승강기 CCTV — 행정지원과 (시험구)">' in page
        and ">승강기</option>" in page
    )
    lift = Location.objects.get(key="elevators")
    response = client.post(
        reverse("vault:device_add"), {"device_group": bus_lane.pk, "name": "정문 1번", "location": lift.pk}
    )
    assert response.status_code == 200
    assert "다른 기기 묶음의 위치입니다 — 기기 묶음 '버스전용차로 단속 CCTV'의 위치: 시청 정문(gate)" in (
        html.unescape(response.content.decode())
    )
    assert not Device.objects.exists()


def test_after_the_upgrade_the_first_keyed_import_adopts_the_migrated_locations_by_name() -> None:
    load()
    device = lift_device()
    # As migrations 0005 and 0010 leave a database that existed before keys did.
    Location.objects.filter(key="elevators").update(key="migrated-2")
    Institution.objects.get(slug="siheomgu").departments.filter(name="행정지원과").update(key="migrated-1")
    result = load()
    device.refresh_from_db()
    assert device.location is not None and device.location.key == "elevators"
    assert result.term_changes == [] and result.institution.departments.filter(key="migrated-1").count() == 0


def test_the_add_device_command_refuses_an_unknown_group_or_location_listing_the_valid_ones() -> None:
    load()
    with pytest.raises(
        CommandError,
        match=r"대장의 기기 묶음: siheomgu/bus-lane \(버스전용차로 단속 CCTV\), siheomgu/city-hall",
    ):
        call_command("add_device", "승강기 CCTV", "승강기 1호기")
    with pytest.raises(CommandError, match=r"이 묶음의 위치: 청사 현관\(hall\), 승강기\(elevators\)"):
        call_command("add_device", "city-hall", "승강기 1호기", "--location", "승강기 1호기")
    assert not Device.objects.exists()


def test_R17_the_group_page_does_not_remove_a_location_that_has_devices() -> None:
    group = load().institution.device_groups.get(key="city-hall")
    lift_device()
    keep_hall_only = [LocationChange("hall", "청사 현관", 7)]
    with pytest.raises(GroupChangeRefused, match=r"위치 '승강기'\(elevators\)에 기기 1대\(승강기 1호기 \(#"):
        update_device_group(IMPORTER, group, {}, "위치 정리", locations=keep_hall_only)
    assert group.locations.filter(key="elevators").exists()
