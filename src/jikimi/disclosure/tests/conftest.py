"""The desk's world: 인천광역시 with 교통행정과 (group bus-lane, site 정문) and 총무과 (group city-hall,
site 본관 현관); 광양시 apart. Alice handles 교통행정과's requests, Charlie 총무과's, Bob (privacy
officer) all of 인천's; the operator and the auditor handle none."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_group, make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.disclosure.tests.intake_world import intake_stores, intake_world
from jikimi.inventory.models import Device, DeviceGroup, Institution, Location
from jikimi.vault.actions.devices import add_device

__all__ = ["Desk", "desk", "intake_stores", "intake_world", "vault_storage"]

SETUP = Actor(user=None, label="테스트 준비", client_address="test")


@dataclass
class Desk:
    institution: Institution
    traffic: DeviceGroup
    admin: DeviceGroup
    gate: Location
    hall: Location
    gate_camera: Device
    hall_camera: Device
    alice: User
    charlie: User
    bob: User
    head: User  # operating head of bus-lane only
    operator: User
    auditor: User
    other: Institution
    other_officer: User

    def actor(self, user: User) -> Actor:
        return Actor.for_user(user, "127.0.0.1")


@pytest.fixture(autouse=True)
def vault_storage(settings: Any, tmp_path: Path) -> None:
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"


@pytest.fixture
def desk(db: Any) -> Desk:
    incheon = make_institution()
    traffic = make_group("교통행정과", "bus-lane", incheon)
    admin = make_group("총무과", "city-hall", incheon)
    gate = Location.objects.create(device_group=traffic, key="gate", name="정문")
    hall = Location.objects.create(device_group=admin, key="hall", name="본관 현관")
    gwangyang = make_institution("gwangyang", "광양시")
    return Desk(
        institution=incheon,
        traffic=traffic,
        admin=admin,
        gate=gate,
        hall=hall,
        gate_camera=add_device(SETUP, traffic, "정문 1번", location=gate),
        hall_camera=add_device(SETUP, admin, "현관 1번", location=hall),
        alice=make_user(
            "alice", "officer", incheon, ["교통행정과"], name="김앨리스", email="alice@incheon.test"
        ),
        charlie=make_user(
            "charlie", "officer", incheon, ["총무과"], name="박찰리", email="charlie@incheon.test"
        ),
        bob=make_user("bob", "privacy_officer", incheon, name="이밥", email="bob@incheon.test"),
        head=make_user("head", "operating_head", incheon, device_groups=[traffic], email="head@incheon.test"),
        operator=make_user("operator", "operator", incheon, ["교통행정과"]),
        auditor=make_user("auditor", "auditor", incheon),
        other=gwangyang,
        other_officer=make_user("gy-officer", "privacy_officer", gwangyang, email="gy@gwangyang.test"),
    )
