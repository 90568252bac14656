"""The portal tests' world, on top of the provision world (provision_world.pw): two police stations of
인천광역시 — 인천남동경찰서 (pw.police) with its officer 김경위 (kim), 인천중부경찰서 with 이경사 (lee) —
and 광양시's own 인천남동경찰서 (the same name, another institution) with 박경장 (park)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jikimi.accounts.models import Role, User
from jikimi.accounts.testing import make_user
from jikimi.disclosure.models import ExternalRequester, RequestingBody
from jikimi.disclosure.tests.provision_world import ProvisionWorld

OUTSIDE = "203.0.113.9"  # TEST-NET-3: a police station on the internet
INSIDE = "10.20.30.40"


@dataclass
class Portal:
    pw: ProvisionWorld
    other_police: RequestingBody
    far_police: RequestingBody  # 광양시's body of the same name as pw.police
    kim: User
    lee: User
    park: User


def make_officer(username: str, name: str, body: RequestingBody, created_by: User, **fields: Any) -> User:
    """An officer's account as the account page leaves it after the first login (role + link)."""
    user = make_user(username, Role.REQUESTING_OFFICER, body.institution, name=name, **fields)
    ExternalRequester.objects.create(
        user=user,
        body=body,
        department="형사과",
        position="경위",
        phone="032-000-0000",
        created_by=created_by,
    )
    return user


@pytest.fixture(autouse=True)
def office_network(settings: Any) -> None:
    settings.JIKIMI_INTERNAL_NETWORKS = ["127.0.0.0/8", "10.20.0.0/16"]
    settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS = False


@pytest.fixture
def portal(pw: ProvisionWorld) -> Portal:
    other_police = RequestingBody.objects.create(
        institution=pw.institution, name="인천중부경찰서", kind=RequestingBody.Kind.POLICE
    )
    far_police = RequestingBody.objects.create(
        institution=pw.other, name=pw.police.name, kind=RequestingBody.Kind.POLICE
    )
    return Portal(
        pw=pw,
        other_police=other_police,
        far_police=far_police,
        kim=make_officer("kim", "김경위", pw.police, pw.bob),
        lee=make_officer("lee", "이경사", other_police, pw.bob),
        park=make_officer("park", "박경장", far_police, pw.other_officer),
    )
