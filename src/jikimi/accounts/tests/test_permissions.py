"""Roles hold permissions within a scope (R36). Charlie (총무과) is refused everything of Alice's (교통행정과)."""

import pytest

from jikimi.accounts.actions import revoke_role
from jikimi.accounts.models import Role
from jikimi.accounts.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    departments_for,
    device_groups_for,
    has_permission,
    institutions_for,
)
from jikimi.accounts.testing import make_department, make_group, make_institution, make_user, personas
from jikimi.audit.context import Actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    people = personas()
    return {
        **people,
        "bus_lane": make_group("교통행정과", "bus-lane"),
        "parking": make_group("교통행정과", "parking"),
        "city_hall": make_group("총무과", "city-hall"),
    }


def test_every_role_has_a_row_in_the_table():
    assert set(ROLE_PERMISSIONS) == set(Role.values)


def test_the_auditor_changes_nothing():
    # The 관리대장 and the yearly figures are read, not written (R26); so are the control room's
    # roster and visitors (R41, 오산시 지침 제22조), and the cameras' health and its inspection log (제27조),
    # and the yearly self-inspection (R8).
    assert ROLE_PERMISSIONS[Role.AUDITOR] == {
        Permission.VIEW_REGISTER,
        Permission.READ_AUDIT,
        Permission.VIEW_LEDGER,
        Permission.VIEW_CONTROL_CENTRE,
        Permission.VIEW_VISITORS,
        Permission.VIEW_HEALTH,
        Permission.VIEW_SELF_INSPECTION,
    }


def test_alice_may_view_and_edit_the_groups_of_her_department(world):
    for perm in (Permission.VIEW_REGISTER, Permission.EDIT_REGISTER):
        assert has_permission(world["alice"], perm, device_group=world["bus_lane"])
        assert has_permission(world["alice"], perm, department=world["bus_lane"].department)


def test_charlie_is_refused_alices_groups(world):
    charlie = world["charlie"]
    for perm in Permission:
        assert not has_permission(charlie, perm, device_group=world["bus_lane"])
        assert not has_permission(charlie, perm, department=world["bus_lane"].department)
    assert has_permission(charlie, Permission.EDIT_REGISTER, device_group=world["city_hall"])
    assert list(device_groups_for(charlie, Permission.VIEW_REGISTER)) == [world["city_hall"]]


def test_alice_lists_exactly_her_departments_groups(world):
    assert set(device_groups_for(world["alice"], Permission.VIEW_REGISTER)) == {
        world["bus_lane"],
        world["parking"],
    }
    assert list(departments_for(world["alice"], Permission.VIEW_REGISTER)) == [world["bus_lane"].department]


def test_a_department_scope_is_not_the_whole_institution(world):
    institution = world["bus_lane"].institution
    assert not has_permission(world["alice"], Permission.VIEW_REGISTER, institution=institution)
    assert has_permission(world["alice"], Permission.VIEW_REGISTER)
    assert list(institutions_for(world["alice"], Permission.VIEW_REGISTER)) == [institution]
    assert not institutions_for(world["alice"], Permission.VIEW_REGISTER, whole_institution=True).exists()


def test_bob_the_privacy_officer_covers_the_whole_institution(world):
    bob = world["bob"]
    for group in (world["bus_lane"], world["city_hall"]):
        assert has_permission(bob, Permission.EDIT_REGISTER, device_group=group)
    institution = world["bus_lane"].institution
    assert has_permission(bob, Permission.PUBLISH_POLICY, institution=institution)
    assert has_permission(bob, Permission.READ_AUDIT, institution=institution)
    # He answers for who may reach personal data: he manages the institution's accounts (issue 12).
    assert has_permission(bob, Permission.MANAGE_ACCOUNTS, institution=institution)
    assert set(device_groups_for(bob, Permission.VIEW_REGISTER)) == {
        world["bus_lane"],
        world["parking"],
        world["city_hall"],
    }


def test_a_device_group_grant_covers_exactly_those_groups(world):
    operator = make_user("dave", "operator", device_groups=[world["parking"]])
    assert has_permission(operator, Permission.VIEW_REGISTER, device_group=world["parking"])
    assert not has_permission(operator, Permission.VIEW_REGISTER, device_group=world["bus_lane"])
    assert not has_permission(operator, Permission.VIEW_REGISTER, department=world["parking"].department)
    assert not has_permission(operator, Permission.EDIT_REGISTER, device_group=world["parking"])
    assert list(device_groups_for(operator, Permission.VIEW_REGISTER)) == [world["parking"]]


def test_a_grant_of_one_institution_covers_nothing_of_another(world):
    gunsan = make_institution("gunsan", "군산시")
    gunsan_group = make_group(make_department("교통행정과", gunsan), "bus", institution=gunsan)
    assert not has_permission(world["bob"], Permission.VIEW_REGISTER, device_group=gunsan_group)
    assert not has_permission(world["alice"], Permission.VIEW_REGISTER, device_group=gunsan_group)
    assert gunsan_group not in device_groups_for(world["bob"], Permission.VIEW_REGISTER)


def test_a_revoked_grant_gives_nothing(world):
    alice = world["alice"]
    revoke_role(Actor(None, "테스트", "test"), alice.role_grants.get(), reason="전출")
    assert not has_permission(alice, Permission.VIEW_REGISTER, device_group=world["bus_lane"])
    assert not device_groups_for(alice, Permission.VIEW_REGISTER).exists()


def test_an_inactive_user_holds_nothing(world):
    bob = world["bob"]
    bob.is_active = False
    assert not has_permission(bob, Permission.VIEW_REGISTER, device_group=world["bus_lane"])
    assert not institutions_for(bob, Permission.VIEW_REGISTER).exists()


def test_a_superuser_manages_accounts_everywhere_and_nothing_else(world):
    root = make_user("root", is_superuser=True, is_staff=True)
    institution = world["bus_lane"].institution
    assert has_permission(root, Permission.MANAGE_ACCOUNTS, institution=institution)
    assert has_permission(root, Permission.MANAGE_ACCOUNTS, institution=make_institution("gunsan", "군산시"))
    for perm in (
        Permission.VIEW_REGISTER,
        Permission.EDIT_REGISTER,
        Permission.PUBLISH_POLICY,
        Permission.READ_AUDIT,
    ):
        assert not has_permission(root, perm, device_group=world["bus_lane"])
        assert not has_permission(root, perm, institution=institution)
    assert not device_groups_for(root, Permission.VIEW_REGISTER).exists()


def test_the_administrator_holds_everything_of_the_institution(world):
    for perm in Permission:
        # Applying for footage is a requesting body's act, never the institution's own administrator's.
        held = perm != Permission.APPLY_FOR_PROVISION
        assert has_permission(world["admin"], perm, device_group=world["city_hall"]) is held


def test_django_permission_names_follow_the_roles(world):
    assert world["admin"].has_perm("accounts.view_user")
    assert not world["alice"].has_perm("accounts.view_user")
    assert world["auditor"].has_perm("audit.view_auditentry")
    assert not world["alice"].has_perm("audit.view_auditentry")
