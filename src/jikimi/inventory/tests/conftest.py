"""Shared test material: a small register file, and the personas of EXAMPLES.md.

Alice is an officer of 교통행정과, Bob is on Alice's team, Charlie is an officer of 총무과 and must be
refused everything of 교통행정과's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jikimi.accounts.models import Role, User
from jikimi.accounts.testing import make_user
from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register

DATA = Path(__file__).parent / "data"
SMALL = DATA / "small.yaml"
INVENTORY_MODELS = (
    models.Institution,
    models.Department,
    models.Officer,
    models.Contractor,
    models.DeviceGroup,
    models.Location,
    models.DeclaredTotal,
    models.PolicyDocument,
    models.PolicyRevision,
    models.RequestFee,
)


def small_text() -> str:
    return SMALL.read_text(encoding="utf-8")


def table_counts() -> dict[str, int]:
    counts = {m.__name__: m.objects.count() for m in INVENTORY_MODELS}
    counts["managers"] = models.DeviceGroup.managers.through.objects.count()
    counts["contractor_links"] = models.DeviceGroup.contractors.through.objects.count()
    return counts


@pytest.fixture
def institution(db) -> models.Institution:
    return import_register(Actor.system("test"), small_text(), "small.yaml").institution


def person(username: str, institution: models.Institution, department: str, role: str = Role.OFFICER) -> User:
    """A user holding `role` for one department of the test register (granted through the audited action)."""
    return make_user(
        username, role, institution=institution, departments=[institution.departments.get(name=department)]
    )


@pytest.fixture
def alice(institution) -> User:
    return person("alice", institution, "교통행정과")


@pytest.fixture
def bob(institution) -> User:
    return person("bob", institution, "교통행정과", Role.OPERATOR)


@pytest.fixture
def charlie(institution) -> User:
    return person("charlie", institution, "총무과")


@pytest.fixture
def bus_lane(institution) -> models.DeviceGroup:
    return institution.device_groups.get(key="bus-lane")
