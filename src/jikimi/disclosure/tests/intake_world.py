"""The intake tests' world: an institution with a published policy, a group with two sites and a camera
at each, files of each kind made byte by byte, and a private store and master key per test."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jikimi.accounts.testing import make_group, make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.inventory.models import Device, Institution, Location
from jikimi.lib.clock import SEOUL
from jikimi.publishing.models import PolicyVersion
from jikimi.vault.actions.devices import add_device

SETUP = Actor(user=None, label="테스트", client_address="test")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SEOUL)


def publish_stub(institution: Institution) -> None:
    """A published version row: all the public request page asks of publishing (its institution is listed)."""
    today = timezone.localdate()
    PolicyVersion.objects.create(
        institution=institution,
        number=1,
        announced_on=today,
        effective_on=today,
        reason="최초 공개",
        published_at=timezone.now(),
        published_by_label="테스트",
        content={},
        html="<p>방침</p>",
        content_sha256="0" * 64,
    )


def jpeg(size: int = 300) -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x11" * max(0, size - 15) + b"\xff\xd9"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name: str, content: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class World:
    def __init__(self) -> None:
        self.institution = make_institution("incheon", "인천광역시")
        publish_stub(self.institution)
        self.group = make_group("교통행정과", "bus-lane", self.institution, retention="30일")
        self.gate = Location.objects.create(device_group=self.group, key="gate", name="시청 정문 앞")
        self.park = Location.objects.create(device_group=self.group, key="park", name="중앙공원 입구")
        self.gate_camera: Device = add_device(SETUP, self.group, "정문 1번", location=self.gate)
        self.park_camera: Device = add_device(SETUP, self.group, "공원 1번", location=self.park)
        self.officer = make_user("officer", "officer", self.institution, name="김담당")
        self.stranger = make_user("stranger", "officer", make_institution("osan", "오산시"), name="오산 담당")


@pytest.fixture
def intake_stores(settings: Any, tmp_path: Path) -> Path:
    """A private footage store, attachment store and master key for each test."""
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = ""
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    return tmp_path


@pytest.fixture
def intake_world(db: Any, intake_stores: Path) -> Iterator[World]:
    yield World()


def form_data(world: World, **changes: Any) -> dict[str, Any]:
    """A 청구서 as a citizen fills it in on 2026-11-23 (Seoul), for footage of that morning."""
    data: dict[str, Any] = {
        "requester_name": "홍길동",
        "requester_birth_date": "1980-05-05",
        "requester_address": "인천광역시 남동구 정각로 29",
        "requester_phone": "010-1234-5678",
        "requester_email": "hong@example.kr",
        "subject": "self",
        "subject_name": "",
        "relationship": "",
        "period_start": "2026-11-23T09:00",
        "period_end": "2026-11-23T09:30",
        "locations": [str(world.gate.pk)],
        "place_text": "",
        "kind": "copy",
        "purpose": "교통사고 당시 상황 확인",
        "id_card": upload("신분증.jpg", jpeg()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}
