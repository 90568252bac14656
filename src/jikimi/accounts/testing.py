"""Factories for tests of every app: institutions, departments, device groups and people with roles.

    from jikimi.accounts.testing import PASSWORD, make_user, make_group

    group = make_group("교통행정과", "bus-lane")                        # 인천광역시 (slug "incheon") by default
    alice = make_user("alice", "officer", departments=["교통행정과"])   # officer of 교통행정과
    log_in(client, alice)                                               # a Django test client, logged in

Grants are written with `jikimi.accounts.actions.grant_role`, so they are audited like real ones.
Needs the database (pytest's `db` fixture or a django TestCase).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.contrib.auth.hashers import make_password
from django.test import RequestFactory
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jikimi.accounts import access, actions
from jikimi.accounts.actions import grant_role
from jikimi.accounts.models import User
from jikimi.audit.context import Actor, client_address
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


def current_code(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now, as a person would type it (django_otp's TOTP,
    on time.time(): a clock pinned by time_machine is the clock the server checks against).

    A code is good once, so when this time step's code is used up (a second login within 30 seconds,
    or under a frozen clock) this is the next step's, as a phone running a little fast would show:
    the device's tolerance accepts it and its drift follows."""
    now_step = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    # This step's code when unused (a step that ends before the server checks it is still within the
    # tolerance behind), else the first unused one after it.
    wanted = max(now_step, device.last_t + 1)
    if wanted > now_step + device.tolerance:
        raise AssertionError(f"{device.user}: no unused TOTP code within the device's tolerance now")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + wanted - now_step)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def enrol_second_factor(user: User, client_address: str = "127.0.0.1") -> TOTPDevice:
    """Register an authenticator app for `user` through the real enrolment action."""
    key = random_hex(20)
    code = current_code(TOTPDevice(user=user, key=key))
    outcome = actions.enrol_second_factor(Actor.for_user(user, client_address), user, key=key, token=code)
    assert isinstance(outcome.device, TOTPDevice), outcome.error
    return outcome.device


def log_in(client: Any, user: User) -> None:
    """Log `user` in on a Django test client, through every login step the product requires.

    The password step is Django's force_login (every test user's password is PASSWORD; the password
    form has its own tests). The second factor, when the user needs one, is the real thing: an
    authenticator app is enrolled through the real action if the user has none, and the code it shows
    now is posted to the real verification page, from the client's own address.
    """
    client.force_login(user)
    request = RequestFactory().get("/", **getattr(client, "defaults", {}))
    request.user = user
    if not access.second_factor_required(request):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = enrol_second_factor(user, client_address(request))
    # As a person does: open the code page (its form carries the CSRF token), then send the code.
    page = client.get(reverse("accounts:second_factor"))
    token = page.cookies.get("csrftoken") or client.cookies.get("csrftoken")
    form = {"code": current_code(device)}
    if token is not None:
        form["csrfmiddlewaretoken"] = token.value
    response = client.post(reverse("accounts:second_factor"), form)
    assert response.status_code == 302, f"{user}: the second factor was refused ({response.status_code})"


def make_contract_in_force(contractor: User, name: str = "㈜지킴", task: str = "CCTV 유지보수") -> Any:
    """A contract of `contractor`'s institution in force for a century with all five clauses of
    시행령 제26조① recorded (R33), `contractor` on its staff: what a contractor account needs to work."""
    from datetime import date

    from jikimi.rules.people_duties import CONTRACT_CLAUSES

    contract = actions.record_contract(
        _FIXTURE_ACTOR,
        institution=contractor.institution,
        contractor_name=name,
        task=task,
        period_start=date(2000, 1, 1),
        period_end=date(2099, 12, 31),
        clauses={clause.key: f"제{n}조" for n, clause in enumerate(CONTRACT_CLAUSES, start=1)},
    )
    actions.assign_staff(_FIXTURE_ACTOR, contract, contractor)
    return contract
