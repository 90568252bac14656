"""The provision tests' world: 인천광역시 with 교통행정과 (group bus-lane, site 정문, camera 정문 1번) and
총무과 (group city-hall, site 본관 현관, camera 현관 1번); 광양시 apart. Bodies: 인천남동경찰서 (police),
(주)한빛보험 (private). People: Alice, officer of 교통행정과 (HANDLE_PROVISIONS over bus-lane only);
Dora, officer of the whole institution; Bob, privacy officer (총괄책임관: handles and approves); Hana,
head of the control centre (urgent approval only); the auditor (none of these)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_group, make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.disclosure.actions.provision_intake import file_provision
from jikimi.disclosure.models import ProvisionCase, RequestingBody
from jikimi.disclosure.tests.intake_world import jpeg, kst, pdf, upload
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.inventory.models import Device, DeviceGroup, Institution, Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import store_live_segment

__all__ = ["NOW", "ProvisionWorld", "file_paper_case", "jpeg", "kst", "pdf", "pw", "upload"]

SETUP = Actor(user=None, label="테스트 준비", client_address="test")
# The morning of 2026-11-23 (Seoul): the footage was recorded at 09:10, the letter arrives at 14:00.
NOW = "2026-11-23T14:00"
BUILT = "2026-11-23T08:00"


@dataclass
class ProvisionWorld:
    institution: Institution
    traffic: DeviceGroup
    admin: DeviceGroup
    gate: Location
    hall: Location
    gate_camera: Device
    hall_camera: Device
    police: RequestingBody
    insurer: RequestingBody
    alice: User
    dora: User
    bob: User
    hana: User
    auditor: User
    other: Institution
    other_officer: User

    def actor(self, user: User) -> Actor:
        return Actor.for_user(user, "127.0.0.1")


def record_segment(device: Device, start_text: str) -> bytes:
    """One minute of footage of `device` from `start_text` (Seoul), stored as the recorder would."""
    data = secrets.token_bytes(200)
    start = kst(start_text)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        store_live_segment(
            Actor.system("recorder"),
            device,
            EngineSegment(
                index=0,
                start=start,
                end=start + timedelta(seconds=60),
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
                frames=1,
                had_audio=False,
            ),
        )
    return data


@pytest.fixture
def provision_stores(settings: Any, tmp_path: Path) -> Path:
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    return tmp_path


@pytest.fixture
def pw(db: Any, provision_stores: Path) -> Iterator[ProvisionWorld]:
    # Built on the morning of the footage: the audit chain's entries then never go back in time.
    with time_machine.travel(kst(BUILT), tick=False):
        world = _build()
    record_segment(world.gate_camera, "2026-11-23T09:10")
    record_segment(world.hall_camera, "2026-11-23T09:10")
    yield world


def _build() -> ProvisionWorld:
    incheon = make_institution()
    traffic = make_group("교통행정과", "bus-lane", incheon)
    admin = make_group("총무과", "city-hall", incheon)
    gate = Location.objects.create(device_group=traffic, key="gate", name="정문")
    hall = Location.objects.create(device_group=admin, key="hall", name="본관 현관")
    gwangyang = make_institution("gwangyang", "광양시")
    return ProvisionWorld(
        institution=incheon,
        traffic=traffic,
        admin=admin,
        gate=gate,
        hall=hall,
        gate_camera=add_device(SETUP, traffic, "정문 1번", location=gate),
        hall_camera=add_device(SETUP, admin, "현관 1번", location=hall),
        police=RequestingBody.objects.create(
            institution=incheon, name="인천남동경찰서", kind=RequestingBody.Kind.POLICE
        ),
        insurer=RequestingBody.objects.create(
            institution=incheon, name="(주)한빛보험", kind=RequestingBody.Kind.PRIVATE
        ),
        alice=make_user("alice", "officer", incheon, ["교통행정과"], name="김앨리스"),
        dora=make_user("dora", "officer", incheon, name="최도라"),
        bob=make_user("bob", "privacy_officer", incheon, name="이밥"),
        hana=make_user("hana", "control_head", incheon, name="정하나"),
        auditor=make_user("auditor", "auditor", incheon),
        other=gwangyang,
        other_officer=make_user("gy-officer", "privacy_officer", gwangyang),
    )


def paper_fields(world: ProvisionWorld, **changes: Any) -> dict[str, Any]:
    """A police letter asking for 정문's footage of 09:00–09:30 on 2026-11-23."""
    fields: dict[str, Any] = {
        "channel": ProvisionCase.Channel.PAPER,
        "requester_name": "박형사",
        "requester_department": "형사과",
        "requester_position": "경위",
        "requester_phone": "032-123-4567",
        "letter_number": "남동서 형사과-1234",
        "letter_date": date(2026, 11, 23),
        "legal_ground": "7",
        "purpose": "절도 사건 수사(피의자 동선 확인)",
        "footage": [(world.gate, kst("2026-11-23T09:00"), kst("2026-11-23T09:30"))],
        "letter": upload("공문.pdf", pdf(), "application/pdf"),
    }
    fields.update(changes)
    return fields


def file_paper_case(
    world: ProvisionWorld, by: User | None = None, body: RequestingBody | None = None, **changes: Any
) -> ProvisionCase:
    with time_machine.travel(kst(NOW), tick=False):
        return file_provision(
            world.actor(by or world.alice),
            world.institution,
            body or world.police,
            **paper_fields(world, **changes),
        )


def at(text: str) -> datetime:
    return kst(text)
