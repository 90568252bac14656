"""The control room's world: 인천광역시's 교통행정과 camera 정문 1번 (site 정문), an operator and a
seconded police officer of 교통행정과, the same pair of 총무과 (who must see nothing of it), and a
private footage store per test (the vault's fixture)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_user
from jikimi.audit.context import Actor
from jikimi.inventory.models import Device
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import admin_group, place, traffic_group, vault_storage

__all__ = ["Room", "room", "vault_storage"]

SETUP = Actor(user=None, label="테스트 준비", client_address="test")


@dataclass
class Room:
    camera: Device
    other_camera: Device
    operator: User
    police: User
    other_operator: User
    other_police: User
    officer: User  # 교통행정과 관리담당자: handles provisions, records repairs
    auditor: User


@pytest.fixture
def room(db: Any) -> Room:
    traffic = traffic_group()
    gate = place(traffic, "gate", "정문")
    camera = add_device(SETUP, traffic, "정문 1번", location=gate)
    hall = admin_group()
    return Room(
        camera=camera,
        other_camera=add_device(SETUP, hall, "본관 1번"),
        operator=make_user(
            "operator", "operator", departments=["교통행정과"], name="관제요원", email="op@example.kr"
        ),
        police=make_user("police", "seconded_police", departments=["교통행정과"], name="김경위"),
        other_operator=make_user("operator2", "operator", departments=["총무과"], name="다른요원"),
        other_police=make_user("police2", "seconded_police", departments=["총무과"], name="박경사"),
        officer=make_user("alice", "officer", departments=["교통행정과"], name="김앨리스"),
        auditor=make_user("auditor", "auditor", name="정감사"),
    )
