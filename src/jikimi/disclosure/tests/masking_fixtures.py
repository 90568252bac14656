"""A world for the masked-copy tests: a camera at a site of 교통행정과 whose footage (two real faces,
from ../shared/testdata, made with PyAV) is in the vault, a 사본 request on that site with its
identity checked, and the people who handle and decide it. Huey runs tasks at once (immediate mode).

Test modules import the fixtures they use by name (pytest finds fixtures in a module's namespace).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.context import Actor
from jikimi.disclosure.models import IdentityCheck, MaskingJob, SubjectRequest
from jikimi.engine.masking.tests.conftest import FACES, face_crops, resize
from jikimi.engine.synthetic import textured_background, write_clip
from jikimi.inventory.models import Device, Location
from jikimi.vault.actions.devices import add_device

ACTOR = Actor(user=None, label="테스트", client_address="test")
# The recording: 2026-11-23 09:00:00–09:00:02 (KST), two faces, 320×240 at 15 fps, keyframe every second.
RECORDED_AT = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
CLOCK = datetime.fromisoformat("2026-11-23T12:00:00+09:00")
WIDTH, HEIGHT, FPS, SECONDS = 320, 240, 15, 2


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


@pytest.fixture(scope="session")
def two_faces_footage(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[tuple[int, int, int, int]]]:
    """A camera's clip of two still faces (left and right) over a textured background, and where they are."""
    if not FACES.is_dir():
        pytest.skip(f"test data not found at {FACES}")
    crops = face_crops()
    background = textured_background(WIDTH, HEIGHT)
    layers, placed = [], []
    for crop, x in ((crops[13], 30), (crops[16], 190)):  # crops with exactly one face
        h = 110
        w = int(crop.shape[1] * h / crop.shape[0])
        layers.append((resize(crop, w, h), x, 60))
        placed.append((x, 60, x + w, 60 + h))

    def paint(_: int, rgb: np.ndarray) -> None:
        rgb[:] = background
        for image, x, y in layers:
            rgb[y : y + image.shape[0], x : x + image.shape[1]] = image

    path = write_clip(
        tmp_path_factory.mktemp("clips") / "two-faces.mp4",
        width=WIDTH,
        height=HEIGHT,
        fps=FPS,
        seconds=SECONDS,
        paint=paint,
        crf=12,
        audio=None,
    )
    return path, placed


@pytest.fixture(autouse=True)
def private_vault(settings: Any, tmp_path: Path) -> None:
    """A store and master key of the test's own; Huey runs each task when it is enqueued."""
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_AUDIT_SIGNING_KEY_PATH = tmp_path / "keys" / "signing.key"
    settings.DISCLOSURE_MASKING_MODE = "fast"


@pytest.fixture
def immediate_huey() -> Iterator[None]:
    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before


@dataclass
class World:
    device: Device
    other_device: Device
    location: Location
    request: SubjectRequest
    token: str
    officer: User  # 교통행정과: handles requests
    head: User  # 교통행정과 운영책임자: decides them
    stranger: User  # 총무과 officer: nothing of 교통행정과's
    auditor: User


def make_request(
    location: Location, *, kind: str = SubjectRequest.Kind.COPY, serial: int = 1
) -> tuple[SubjectRequest, str]:
    token = secrets.token_urlsafe(32)
    request = SubjectRequest.objects.create(
        institution=location.device_group.institution,
        receipt_number=f"2026-{serial:05d}",
        status_token_hash=hashlib.sha256(token.encode()).hexdigest(),
        kind=kind,
        channel=SubjectRequest.Channel.ONLINE,
        requester_name="홍길동",
        requester_email="hong@example.com",
        period_start=kst("2026-11-23T08:59:00"),
        period_end=kst("2026-11-23T09:01:00"),
        purpose="교통사고 당시 제 모습 확인",
        received_at=timezone.now(),
        due_on=timezone.localdate() + timedelta(days=10),
    )
    request.locations.add(location)
    return request, token


def check_identity(request: SubjectRequest, officer: User) -> None:
    IdentityCheck.objects.create(
        request=request,
        method=IdentityCheck.Method.ID_CARD,
        document="주민등록증",
        checked_by=officer,
        checked_at=timezone.now(),
    )


@pytest.fixture(name="world")
def world_fixture(db: Any, two_faces_footage: tuple[Path, Any]) -> Iterator[World]:
    with time_machine.travel(CLOCK, tick=True):
        group = make_group("교통행정과", "bus-lane")
        location = Location.objects.create(device_group=group, key="gate", name="정문 앞 교차로")
        device = add_device(ACTOR, group, "정문 1번", location=location)
        other = add_device(ACTOR, make_group("총무과", "city-hall"), "청사 1번")
        call_command(
            "ingest_file",
            "--device",
            str(device.pk),
            "--start",
            RECORDED_AT.isoformat(),
            str(two_faces_footage[0]),
            stdout=StringIO(),
        )
        officer = make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
        request, token = make_request(location)
        check_identity(request, officer)
        yield World(
            device=device,
            other_device=other,
            location=location,
            request=request,
            token=token,
            officer=officer,
            head=make_user("dora", "operating_head", departments=["교통행정과"], name="박도라"),
            stranger=make_user("charlie", "officer", departments=["총무과"], name="최찰리"),
            auditor=make_user("auditor", "auditor", name="감사자"),
        )


def officer_actor(user: User) -> Actor:
    return Actor.for_user(user, "127.0.0.1")


def rendered_job(world: World, django_capture_on_commit_callbacks: Any) -> MaskingJob:
    """A job started by the officer and rendered by the (immediate) task."""
    from jikimi.disclosure.actions.masking import start_masking

    with django_capture_on_commit_callbacks(execute=True):
        job = start_masking(officer_actor(world.officer), world.request, world.device)
    job.refresh_from_db()
    return job
