"""Factories for tests of every app: institutions, departments, device groups and people with roles.

    from jikimi.accounts.testing import PASSWORD, make_user, make_group

    group = make_group("교통행정과", "bus-lane")                        # 인천광역시 (slug "incheon") by default
    alice = make_user("alice", "officer", departments=["교통행정과"])   # officer of 교통행정과
    log_in(client, alice)                                               # a Django test client, logged in

Grants are written with `jikimi.accounts.actions.grant_role`, so they are audited like real ones.
Needs the database (pytest's `db` fixture or a django TestCase).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password

from jikimi.accounts.actions import grant_role
from jikimi.accounts.models import User
from jikimi.audit.context import Actor
from jikimi.inventory.models import Department, DeviceGroup, Institution

# Long enough for the password validators; every user made here has it.
PASSWORD = "correct-horse-battery"  # noqa: S105 (tests only)

_FIXTURE_ACTOR = Actor(user=None, label="테스트 준비", client_address="test")


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose (R42); hashing the shared test password once keeps the suites quick.
    return make_password(PASSWORD)


def make_institution(slug: str = "incheon", name: str = "인천광역시") -> Institution:
    institution, _ = Institution.objects.get_or_create(slug=slug, defaults={"name": name})
    return institution


def make_department(name: str, institution: Institution | None = None) -> Department:
    institution = institution or make_institution()
    found = Department.objects.filter(institution=institution, name=name).first()
    if found is not None:
        return found
    # The register file's key: any slug unique in the institution will do for a test.
    key = f"department-{Department.objects.filter(institution=institution).count() + 1}"
    return Department.objects.create(institution=institution, key=key, name=name)


def make_group(
    department: str | Department, key: str, institution: Institution | None = None, **fields: Any
) -> DeviceGroup:
    """A device group of `department` with plausible register values; `fields` override them."""
    institution = institution or make_institution()
    if isinstance(department, str):
        department = make_department(department, institution)
    defaults: dict[str, Any] = {
        "name": f"{department.name} {key} CCTV",
        "department": department,
        "legal_bases": ["crime"],
        "purpose": "범죄예방",
        "count": 3,
        "site": "시청 본관",
        "recording_hours": "24시간",
        "retention": "30일",
        "storage_place": "통합관제센터",
    }
    defaults.update(fields)
    group, _ = DeviceGroup.objects.get_or_create(institution=institution, key=key, defaults=defaults)
    return group


def _departments(names: Iterable[str | Department], institution: Institution) -> list[Department]:
    return [d if isinstance(d, Department) else make_department(d, institution) for d in names]


def make_user(
    username: str,
    role: str | None = None,
    institution: Institution | None = None,
    departments: Iterable[str | Department] = (),
    device_groups: Iterable[DeviceGroup] = (),
    **fields: Any,
) -> User:
    """An active user who logs in with PASSWORD, holding `role` (a jikimi.accounts.models.Role value).

    With neither departments nor device groups the role covers the whole institution. Department
    names are created in the institution when missing. `fields` set other User fields (name, is_superuser…).
    """
    institution = institution or make_institution()
    department_list = _departments(departments, institution)
    fields.setdefault("name", username.capitalize())
    user = User(username=username, institution=institution, **fields)
    if department_list and "department" not in fields:
        user.department = department_list[0]
    user.password = _password_hash()
    user.save()
    if role:
        grant_role(
            _FIXTURE_ACTOR,
            user,
            role=role,
            institution=institution,
            departments=department_list,
            device_groups=list(device_groups),
            reason="테스트 준비",
        )
    return user


def personas() -> dict[str, User]:
    """The house personas (EXAMPLES.md): Alice and Charlie are officers of different departments.

    alice   — officer (관리담당자) of 교통행정과
    bob     — privacy officer (개인정보 보호책임자) of the whole institution
    charlie — officer of 총무과: must be refused everything of 교통행정과
    admin   — administrator (시스템 관리자) of the institution
    auditor — auditor (감사자) of the institution
    """
    return {
        "alice": make_user("alice", "officer", departments=["교통행정과"], name="김앨리스"),
        "bob": make_user("bob", "privacy_officer", name="이밥"),
        "charlie": make_user("charlie", "officer", departments=["총무과"], name="박찰리"),
        "admin": make_user("admin", "administrator", name="최관리"),
        "auditor": make_user("auditor", "auditor", name="정감사"),
    }


def log_in(client: Any, user: User) -> None:
    """Log `user` in on a Django test client, as far as the login steps the product requires.

    Every test logs in through here, so that a login step the product adds (a second factor)
    is added in one place.
    """
    client.force_login(user)
