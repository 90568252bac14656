"""An existing database migrates without loss: devices move from the vault to the register in place
(same table, same ids, footage still theirs), and free-text locations become the group's locations."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("inventory", "0002_register_order_and_location_overrides"),
    ("vault", "0002_recording_outage"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _old_register(apps: Any, location: str) -> tuple[Any, Any]:
    Institution = apps.get_model("inventory", "Institution")
    Department = apps.get_model("inventory", "Department")
    DeviceGroup = apps.get_model("inventory", "DeviceGroup")
    Location = apps.get_model("inventory", "Location")
    Device = apps.get_model("vault", "Device")
    DayKey = apps.get_model("vault", "DayKey")
    institution = Institution.objects.create(name="시험구", slug="siheomgu")
    department = Department.objects.create(institution=institution, name="행정지원과")
    group = DeviceGroup.objects.create(
        institution=institution,
        key="city-hall",
        name="구청사 CCTV",
        department=department,
        purpose="범죄예방",
        count=7,
        site="구청사",
        retention="45일",
        storage_place="관제실",
    )
    Location.objects.create(device_group=group, name="청사 현관", count=5, position=0)
    Location.objects.create(device_group=group, name="승강기", count=2, retention="14일", position=1)
    lift = Device.objects.create(device_group=group, name="승강기 1호기", location=location)
    loose = Device.objects.create(device_group=group, name="이동형", location="")
    DayKey.objects.create(device=lift, day="2026-11-01", key_id="dev-1-20261101", wrapped_key=b"k")
    return lift, loose


@pytest.mark.django_db(transaction=True)
def test_R16_existing_devices_keep_their_ids_footage_and_the_location_their_name_gave_them() -> None:
    try:
        lift, loose = _old_register(_migrate(BEFORE), "승강기")
        apps = _migrate(_latest())
        Device = apps.get_model("inventory", "Device")
        moved = Device.objects.get(pk=lift.pk)
        assert moved.name == "승강기 1호기" and moved.location.name == "승강기"
        assert moved.location.retention == "14일" and moved.location.key == "migrated-2"
        assert Device.objects.get(pk=loose.pk).location is None
        assert apps.get_model("vault", "DayKey").objects.get().device_id == lift.pk
    finally:
        _migrate(_latest())


@pytest.mark.django_db(transaction=True)
def test_R16_a_location_name_that_matches_nothing_stops_the_migration_naming_the_device() -> None:
    try:
        lift, _ = _old_register(_migrate(BEFORE), "승강기 1호기")
        with pytest.raises(RuntimeError) as stopped:
            _migrate(_latest())
        message = str(stopped.value)
        assert f"기기 {lift.pk}번 '승강기 1호기'" in message and "위치 '승강기 1호기'" in message
        assert "묶음의 위치: 청사 현관, 승강기" in message
    finally:
        # The failed migration was rolled back: put the device where it is, then finish.
        executor = MigrationExecutor(connection)
        applied = executor.loader.applied_migrations
        if ("inventory", "0006_location_key_unique_device_location_ref") in applied and (
            "inventory",
            "0007_device_location_from_name",
        ) not in applied:
            state = executor.loader.project_state(
                ("inventory", "0006_location_key_unique_device_location_ref")
            )
            state.apps.get_model("inventory", "Device").objects.update(location="승강기")
        _migrate(_latest())
