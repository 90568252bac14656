"""Requests ready to decide, for the decision tests: a request on a site of the register, with footage
of its window in the vault and (unless asked otherwise) its identity checked.

    request = make_request(kind="deletion", location=gate)          # identity checked
    request = make_request(identity=False)                           # not yet checked
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.context import Actor
from jikimi.disclosure.models import IdentityCheck, SubjectRequest
from jikimi.inventory.models import DeviceGroup, Institution, Location

WINDOW_START = datetime.fromisoformat("2026-11-20T10:00:00+09:00")
NOW = datetime.fromisoformat("2026-11-23T12:00:00+09:00")


def actor(user: User) -> Actor:
    return Actor.for_user(user, "127.0.0.1")


def traffic_group(institution: Institution | None = None) -> DeviceGroup:
    return make_group("교통행정과", "bus-lane", institution)


def gate(group: DeviceGroup | None = None, key: str = "gate", name: str = "정문 앞") -> Location:
    group = group or traffic_group()
    location, _ = Location.objects.get_or_create(
        device_group=group, key=key, defaults={"name": name, "count": 1}
    )
    return location


def people() -> dict[str, User]:
    """The head decides; the officer handles only; the auditor and operator do neither."""
    return {
        "head": make_user("head", "operating_head", departments=["교통행정과"], name="박운영"),
        "officer": make_user("officer", "officer", departments=["교통행정과"], name="김담당"),
        "privacy": make_user("privacy", "privacy_officer", name="이보호"),
        "auditor": make_user("auditor", "auditor", name="감사자"),
        "operator": make_user("operator", "operator", departments=["교통행정과"], name="관제요원"),
    }


def _desk() -> User:
    return User.objects.filter(username="desk").first() or make_user(
        "desk", "officer", departments=["교통행정과"]
    )


_serial = iter(range(1, 100_000))


def make_request(
    *,
    kind: str = SubjectRequest.Kind.VIEWING,
    location: Location | None = None,
    identity: bool = True,
    checked_by: User | None = None,
    start: datetime = WINDOW_START,
    minutes: int = 2,
    email: str = "requester@example.org",
    **fields: Any,
) -> tuple[SubjectRequest, str]:
    """(request, its status token)."""
    location = location or gate()
    token = secrets.token_urlsafe(32)  # the shape of a real status token (status_links)
    request = SubjectRequest.objects.create(
        institution=location.device_group.institution,
        receipt_number=f"2026-{next(_serial):05d}",
        status_token_hash=hashlib.sha256(token.encode()).hexdigest(),
        kind=kind,
        channel=SubjectRequest.Channel.ONLINE,
        requester_name="홍길동",
        requester_email=email,
        period_start=start,
        period_end=start + timedelta(minutes=minutes),
        purpose="교통사고 당시 제 모습 확인",
        received_at=timezone.now(),
        due_on=(timezone.now() + timedelta(days=10)).date(),
        **fields,
    )
    request.locations.add(location)
    if identity:
        IdentityCheck.objects.create(
            request=request,
            method=IdentityCheck.Method.ID_CARD,
            document="주민등록증",
            checked_by=checked_by or _desk(),
            checked_at=timezone.now(),
        )
        request.state = SubjectRequest.State.IDENTITY_VERIFIED
        request.save(update_fields=["state"])
    return request, token


@pytest.fixture
def vault_storage(settings: Any, tmp_path: Path) -> Path:
    """A private footage store and master key (import it into a test module that touches footage)."""
    root = tmp_path / "footage"
    settings.STORAGE_URL = f"file://{root}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    return root


@pytest.fixture
def pinned_clock() -> Any:
    import time_machine

    with time_machine.travel(NOW, tick=False):
        yield
