"""Changing a device group through the audited action: checked by the same rules as an import."""

from __future__ import annotations

import pytest

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import GroupChangeRefused, LocationChange, update_device_group


def actor():
    return Actor.system("test")


def test_it_changes_the_group_and_records_before_and_after(bus_lane):
    update_device_group(
        actor(), bus_lane, {"retention": "30일", "coverage": "50m 이내"}, "정기점검 결과 반영"
    )
    bus_lane.refresh_from_db()
    assert bus_lane.retention == "30일" and bus_lane.coverage == "50m 이내"
    entry = AuditEntry.objects.get(action="inventory.update_device_group")
    assert entry.reason == "정기점검 결과 반영"
    assert entry.details["changes"] == {
        "retention": ["준영구", "30일"],
        "coverage": ["100m 이내", "50m 이내"],
    }
    assert entry.target_id == str(bus_lane.pk)


def test_it_replaces_the_location_list(bus_lane):
    wanted = [
        LocationChange("yulmokdong-yudong3geori", "율목동 유동3거리", 2),
        LocationChange("ganseok-remianjaiap", "간석 레미안자이앞", 2),
    ]
    update_device_group(actor(), bus_lane, {}, "위치 정리", locations=wanted)
    assert [(loc.name, loc.count) for loc in bus_lane.locations.all()] == [
        ("율목동 유동3거리", 2),
        ("간석 레미안자이앞", 2),
    ]
    entry = AuditEntry.objects.get(action="inventory.update_device_group")
    before, after = entry.details["changes"]["locations"]
    assert "부평구 신라저축은행 (2대)" in before and after == [
        "율목동 유동3거리 (2대)",
        "간석 레미안자이앞 (2대)",
    ]


def refused(group, changes, reason="점검", **kwargs):
    entries = AuditEntry.objects.count()
    values = {
        name: getattr(group, name) for name in ("count", "retention", "retention_reason", "recording_hours")
    }
    locations = list(group.locations.values_list("name", "count"))
    with pytest.raises(GroupChangeRefused) as raised:
        update_device_group(actor(), group, changes, reason, **kwargs)
    group.refresh_from_db()
    assert {name: getattr(group, name) for name in values} == values, "nothing may change"
    assert list(group.locations.values_list("name", "count")) == locations
    assert AuditEntry.objects.count() == entries
    return raised.value.problems


def test_it_requires_a_reason(bus_lane):
    [problem] = refused(bus_lane, {"retention": "30일"}, reason="  ")
    assert problem.field == "reason"


def test_it_refuses_a_long_retention_without_a_reason_r16(bus_lane):
    [problem] = refused(bus_lane, {"retention": "60일", "retention_reason": ""})
    assert problem.rule == "R16" and problem.field == "retention_reason"


def test_it_keeps_recording_hours_without_machine_meaning_and_warns(bus_lane):
    # Issue 16: the published words are kept; the warning says what the recorder does meanwhile.
    from jikimi.inventory.checks import unread_phrases_of

    update_device_group(Actor.system("test"), bus_lane, {"recording_hours": "산불기간"}, "점검")
    bus_lane.refresh_from_db()
    assert bus_lane.recording_hours == "산불기간"
    [phrase] = unread_phrases_of(bus_lane.institution)
    assert phrase.text == "산불기간" and "recording_schedule" in phrase.message()
    update_device_group(Actor.system("test"), bus_lane, {"recording_schedule": "필요시"}, "녹화 일정 지정")
    assert unread_phrases_of(bus_lane.institution) == []
    [problem] = refused(bus_lane, {"recording_schedule": "가끔"})
    assert problem.field == "recording_schedule"


def test_it_refuses_a_count_that_does_not_match_the_complete_location_list_r6(bus_lane):
    [problem] = refused(bus_lane, {"count": 5})
    assert problem.rule == "R6"


def test_it_refuses_a_privacy_space_r2(bus_lane):
    wanted = [
        LocationChange("yulmokdong-yudong3geori", "율목동 유동3거리", 3),
        LocationChange("toilet", "공중화장실 내부", 1, space_type="toilet"),
    ]
    [problem] = refused(bus_lane, {}, locations=wanted)
    assert problem.rule == "R2" and problem.path == ("locations", 1)


def test_it_refuses_a_negative_count(bus_lane):
    problems = refused(bus_lane, {"count": -1, "locations_complete": False})
    assert any(p.field == "count" for p in problems)


def test_it_refuses_fields_that_come_only_with_the_register_file(bus_lane):
    [problem] = refused(bus_lane, {"legal_bases": ["crime"]})
    assert problem.field == "legal_bases"


def test_a_count_change_that_makes_the_published_totals_stale_is_a_warning(institution):
    hall = institution.device_groups.get(key="city-hall")
    update = update_device_group(actor(), hall, {"count": 36}, "증설")
    hall.refresh_from_db()
    assert hall.count == 36
    [warning] = update.warnings
    assert warning.rule == "R6" and "'고정형' 39대" in warning.message and "40대" in warning.message
    entry = AuditEntry.objects.get(action="inventory.update_device_group")
    assert entry.details["warnings"] == [warning.message]
