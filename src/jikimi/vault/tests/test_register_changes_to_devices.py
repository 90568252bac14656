"""A change of the register that changes what existing devices keep is shown before it is applied,
and is audited (법 제21조①, R16–R17, R36): a group edit on the staff page, and a device's move.

The register of test_devices_in_the_register: 구청사 keeps 45 days, its location 승강기 14 days.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import GroupTermChangesNotConfirmed, LocationChange, update_device_group
from jikimi.inventory.models import Device, DeviceGroup, Location
from jikimi.inventory.register_file import RegisterFileError
from jikimi.inventory.tests.test_group_pages import edit_data
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import DeviceError, MoveNotConfirmed, add_device, move_device
from jikimi.vault.terms import device_terms
from jikimi.vault.tests.conftest import ACTOR, synthetic_segment
from jikimi.vault.tests.test_devices_in_the_register import IMPORTER, REGISTER, lift_device, load

pytestmark = pytest.mark.django_db

# Every test runs at this instant (footage ages and expiry are counted from it).
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def pinned_clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def city_hall() -> DeviceGroup:
    return load().institution.device_groups.get(key="city-hall")


def footage(device: Device, days_ago: int) -> None:
    synthetic_segment(device, NOW - timedelta(days=days_ago))


def officer(group: DeviceGroup, *more: Any) -> Any:
    return make_user("dana", "officer", institution=group.institution, departments=[group.department, *more])


# -- the group edit (action) --


def test_R16_a_group_edit_that_changes_existing_devices_terms_is_not_applied_without_confirmation() -> None:
    group = city_hall()
    lift = lift_device()
    footage(lift, 3)
    with pytest.raises(GroupTermChangesNotConfirmed) as shown:
        update_device_group(IMPORTER, group, {}, "승강기도 청사와 같게", locations=_lift_at("45일"))
    [change] = shown.value.changes
    assert str(change).startswith("승강기 1호기: 보관기간 14일 → 45일 (영상 1일치")
    assert Location.objects.get(key="elevators").retention == "14일"
    assert not AuditEntry.objects.filter(action="inventory.update_device_group").exists()
    # A flag that does not name what was shown is no confirmation.
    with pytest.raises(GroupTermChangesNotConfirmed):
        update_device_group(
            IMPORTER,
            group,
            {},
            "승강기도 청사와 같게",
            locations=_lift_at("45일"),
            confirm_term_changes="yes",
        )
    update_device_group(
        IMPORTER,
        group,
        {},
        "승강기도 청사와 같게",
        locations=_lift_at("45일"),
        confirm_term_changes=shown.value.fingerprint,
    )
    assert device_terms(Device.objects.get(pk=lift.pk)).retention == "45일"
    entry = AuditEntry.objects.get(action="inventory.device_terms_changed")
    assert entry.reason == "승강기도 청사와 같게"
    assert entry.details["devices"][0]["retention"] == ["14일", "45일"]


def test_R16_a_group_edit_that_affects_no_device_applies_directly() -> None:
    group = city_hall()
    lift_device()  # at 승강기, whose own 14 days do not follow the group
    update_device_group(IMPORTER, group, {"retention": "30일", "retention_reason": ""}, "보관기간 단축")
    assert DeviceGroup.objects.get(pk=group.pk).retention == "30일"
    assert not AuditEntry.objects.filter(action="inventory.device_terms_changed").exists()


def test_R17_shortening_the_retention_names_the_footage_days_the_next_sweep_destroys() -> None:
    group = city_hall()
    door = add_device(ACTOR, group, "현관 1번", location="hall")
    for days_ago in (2, 20, 40):
        footage(door, days_ago)
    with pytest.raises(GroupTermChangesNotConfirmed) as shown:
        update_device_group(IMPORTER, group, {"retention": "14일", "retention_reason": ""}, "단축")
    [change] = shown.value.changes
    assert (change.footage_days, change.due_days, shown.value.shortens) == (3, 2, True)
    assert "그 가운데 2일치는 새 보관기간이 지나 다음 파기 때 파기됩니다" in str(change)


# -- the group edit page --


def test_R16_the_group_edit_page_lists_the_devices_before_applying_and_cannot_be_bypassed(
    client: Any,
) -> None:
    group = city_hall()
    lift = lift_device()
    footage(lift, 3)
    log_in(client, officer(group))
    url = reverse("inventory:group_edit", args=[group.pk])
    data = edit_data(group, reason="승강기 보관기간 조정")
    data["locations-1-retention"] = "45일"
    page = html.unescape(client.post(url, data).content.decode())
    assert "기기 1대의 보관기간·촬영시간이 바뀝니다" in page
    assert "승강기 1호기: 보관기간 14일 → 45일 (영상 1일치)" in page
    assert Location.objects.get(key="elevators").retention == "14일"
    # Ticking the box without the fingerprint of what was shown (a hand-made post) does not apply it.
    client.post(url, {**data, "confirm": "1"})
    assert Location.objects.get(key="elevators").retention == "14일"
    fingerprint = page.split('name="confirm_term_changes" value="')[1].split('"')[0]
    response = client.post(url, {**data, "confirm": "1", "confirm_term_changes": fingerprint})
    assert response.status_code == 302
    assert Location.objects.get(key="elevators").retention == "45일"


def test_R17_the_group_edit_page_refuses_to_remove_a_location_listing_its_devices(client: Any) -> None:
    group = city_hall()
    lift_device()
    log_in(client, officer(group))
    data = edit_data(group, reason="승강기 철거", count=5)
    data["locations-1-DELETE"] = "on"
    page = html.unescape(client.post(reverse("inventory:group_edit", args=[group.pk]), data).content.decode())
    assert "위치 '승강기'(elevators)에 기기 1대(승강기 1호기 (#" in page
    assert Location.objects.filter(key="elevators").exists()


# -- moving a device --


def test_R16_moving_a_device_to_a_location_with_other_terms_needs_confirmation_and_is_audited() -> None:
    group = city_hall()
    door = add_device(ACTOR, group, "현관 1번", location="hall")
    footage(door, 20)
    lift = Location.objects.get(key="elevators")
    with pytest.raises(MoveNotConfirmed) as shown:
        move_device(ACTOR, door, lift, "승강기 안으로 이설")
    assert shown.value.change.shortens and shown.value.change.due_days == 1
    assert Device.objects.get(pk=door.pk).location == Location.objects.get(key="hall")
    move_device(ACTOR, door, lift, "승강기 안으로 이설", confirm_term_changes=True)
    assert device_terms(Device.objects.get(pk=door.pk)).retention == "14일"
    entry = AuditEntry.objects.get(action="vault.move_device")
    assert entry.reason == "승강기 안으로 이설"
    assert entry.details["location"] == ["hall", "elevators"]
    assert entry.details["term_changes"][0]["retention"] == ["45일", "14일"]


def test_R16_a_move_is_refused_without_a_reason_or_to_another_institutions_location() -> None:
    group = city_hall()
    door = add_device(ACTOR, group, "현관 1번", location="hall")
    with pytest.raises(DeviceError, match="사유를 적어야"):
        move_device(ACTOR, door, Location.objects.get(key="elevators"), "  ")
    other = load(REGISTER.replace("slug: siheomgu", "slug: dareungu").replace("name: 시험구", "name: 다른구"))
    elsewhere = Location.objects.get(device_group__institution=other.institution, key="elevators")
    with pytest.raises(DeviceError, match="다른 기관의 위치입니다"):
        move_device(ACTOR, door, elsewhere, "이설", confirm_term_changes=True)
    assert not AuditEntry.objects.filter(action="vault.move_device").exists()


def test_R36_moving_a_device_to_another_departments_group_records_both_departments() -> None:
    group = city_hall()
    door = add_device(ACTOR, group, "현관 1번", location="hall")
    gate = Location.objects.get(key="gate")
    move_device(ACTOR, door, gate, "교통단속용으로 전환", confirm_term_changes=True)
    moved = Device.objects.get(pk=door.pk)
    assert moved.device_group.key == "bus-lane"
    entry = AuditEntry.objects.get(action="vault.move_device")
    assert entry.details["department"] == ["행정지원과", "교통행정과"]
    assert entry.details["device_group"] == ["city-hall", "bus-lane"]


def test_R16_the_device_page_moves_a_device_after_showing_the_shorter_retention(client: Any) -> None:
    group = city_hall()
    door = add_device(ACTOR, group, "현관 1번", location="hall")
    log_in(client, officer(group))
    page = html.unescape(client.get(reverse("vault:device_detail", args=[door.pk])).content.decode())
    assert "설치 위치 옮기기" in page and "승강기 (보관기간 14일)" in page
    url = reverse("vault:device_move", args=[door.pk])
    lift = Location.objects.get(key="elevators")
    shown = html.unescape(client.post(url, {"location": lift.pk, "reason": "이설"}).content.decode())
    assert "현관 1번: 보관기간 45일 → 14일" in shown
    assert "새 보관기간(14일)보다 오래된 영상은 다음 파기 때 파기됩니다" in shown
    response = client.post(url, {"location": lift.pk, "reason": "이설", "confirm": "on"}, follow=True)
    page = html.unescape(response.content.decode())
    assert "위치 '승강기'(으)로 옮겼습니다" in page and "보관기간 14일" in page


def _lift_at(retention: str) -> list[LocationChange]:
    return [
        LocationChange("hall", "청사 현관", 5),
        LocationChange("elevators", "승강기", 2, retention=retention),
    ]


# -- re-scoping a group on import (R36) --

RESCOPED = REGISTER.replace(
    "    name: 구청사 내외·승강기 CCTV\n    department: 행정지원과\n",
    "    name: 구청사 내외·승강기 CCTV\n    department: 교통행정과\n",
)


def test_R36_an_import_that_moves_a_group_with_devices_to_another_department_is_refused() -> None:
    load()
    lift = lift_device()
    footage(lift, 3)
    with pytest.raises(RegisterFileError) as refused:
        load(RESCOPED)
    message = str(refused.value)
    assert "관리부서를 '행정지원과'에서 '교통행정과'(으)로 바꾸면" in message
    assert "승강기 1호기 (#" in message and "영상 1일치" in message
    assert "department_from: 행정지원과" in message
    assert DeviceGroup.objects.get(key="city-hall").department.name == "행정지원과"


def test_R36_a_group_without_devices_changes_department_without_a_marker() -> None:
    load()
    load(RESCOPED)
    assert DeviceGroup.objects.get(key="city-hall").department.name == "교통행정과"
    assert not AuditEntry.objects.filter(action="inventory.device_group_rescoped").exists()


def test_R36_a_deliberate_rescope_is_shown_by_the_dry_run_and_audited() -> None:
    load()
    lift_device()
    deliberate = RESCOPED.replace(
        "    department: 교통행정과\n    legal_bases: [crime",
        "    department: 교통행정과\n    department_from: 행정지원과\n    legal_bases: [crime",
    )
    preview = load(deliberate, dry_run=True)
    assert [str(r) for r in preview.rescopes] == [
        f"기기 묶음 '구청사 내외·승강기 CCTV': 관리부서 '행정지원과' → '교통행정과' — 기기 1대(승강기 1호기 "
        f"(#{Device.objects.get().pk}))의 영상을 볼 수 있는 부서가 바뀝니다"
    ]
    assert DeviceGroup.objects.get(key="city-hall").department.name == "행정지원과"
    load(deliberate)
    assert DeviceGroup.objects.get(key="city-hall").department.name == "교통행정과"
    entry = AuditEntry.objects.get(action="inventory.device_group_rescoped")
    assert entry.details["department"] == ["행정지원과", "교통행정과"]
