"""Grants are kept for ever: revoking fills revoked_at/by/reason, changing is revoke + grant (R36)."""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse

from jikimi.accounts import actions
from jikimi.accounts.actions import AccountError, grants
from jikimi.accounts.models import RoleGrant
from jikimi.accounts.permissions import Permission, has_permission
from jikimi.accounts.testing import (
    PASSWORD,
    log_in,
    make_department,
    make_group,
    make_institution,
    make_user,
    personas,
)
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return personas()


def as_admin(people):
    return Actor.for_user(people["admin"], "10.0.0.1")


def test_a_grant_is_recorded_with_its_scope(people):
    dave = make_user("dave")
    group = make_group("교통행정과", "bus-lane")
    grant = actions.grant_role(
        as_admin(people),
        dave,
        role="operator",
        institution=make_institution(),
        device_groups=[group],
        reason="관제 근무 배치",
    )
    assert grant.granted_by == people["admin"] and grant.is_active
    entry = AuditEntry.objects.filter(action="accounts.grant_role").last()
    assert entry.details["device_groups"] == ["bus-lane"] and entry.details["role"] == "operator"
    assert entry.reason == "관제 근무 배치" and entry.actor == people["admin"]


def test_revoking_keeps_the_row_with_when_who_and_why(people):
    grant = people["alice"].role_grants.get()
    actions.revoke_role(as_admin(people), grant, reason="총무과로 전출")
    grant.refresh_from_db()
    assert (
        grant.revoked_at is not None
        and grant.revoked_by == people["admin"]
        and grant.revoke_reason == "총무과로 전출"
    )
    assert AuditEntry.objects.filter(
        action="accounts.revoke_role", target_id=str(people["alice"].pk)
    ).exists()
    with pytest.raises(AccountError, match="이미 회수"):
        actions.revoke_role(as_admin(people), grant, reason="다시")


def test_changing_a_role_is_a_revocation_and_a_new_grant(people):
    alice = people["alice"]
    old = alice.role_grants.get()
    new = actions.change_role(
        as_admin(people),
        old,
        role="operating_head",
        departments=[make_department("총무과")],
        reason="인사발령",
    )
    old.refresh_from_db()
    assert old.revoked_at is not None and new.is_active and new.role == "operating_head"
    assert alice.role_grants.count() == 2
    assert not has_permission(alice, Permission.VIEW_REGISTER, department=make_department("교통행정과"))
    assert has_permission(alice, Permission.VIEW_REGISTER, department=make_department("총무과"))


def test_a_failed_change_leaves_the_old_grant_in_force(people):
    alice = people["alice"]
    old = alice.role_grants.get()
    with pytest.raises(AccountError):
        actions.change_role(as_admin(people), old, role="no_such_role", reason="오타")
    old.refresh_from_db()
    assert old.is_active
    assert not AuditEntry.objects.filter(action="accounts.revoke_role").exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_grant_or_revocation_needs_a_reason(people, reason):
    with pytest.raises(AccountError, match="사유"):
        actions.grant_role(
            as_admin(people),
            people["charlie"],
            role="operator",
            institution=make_institution(),
            reason=reason,
        )
    with pytest.raises(AccountError, match="사유"):
        actions.revoke_role(as_admin(people), people["alice"].role_grants.get(), reason=reason)


def test_nobody_grants_a_role_to_themselves(people):
    with pytest.raises(AccountError, match="자기 자신"):
        actions.grant_role(
            as_admin(people), people["admin"], role="auditor", institution=make_institution(), reason="겸직"
        )


def test_the_scope_must_belong_to_the_institution_of_the_grant(people):
    gunsan = make_institution("gunsan", "군산시")
    with pytest.raises(AccountError, match="부서"):
        actions.grant_role(
            as_admin(people),
            people["charlie"],
            role="officer",
            institution=gunsan,
            departments=[make_department("총무과")],
            reason="x",
        )
    with pytest.raises(AccountError, match="기기 묶음"):
        actions.grant_role(
            as_admin(people),
            people["charlie"],
            role="officer",
            institution=gunsan,
            device_groups=[make_group("총무과", "hall")],
            reason="x",
        )


def test_grants_and_their_users_cannot_be_deleted(people):
    with pytest.raises(ProtectedError), transaction.atomic():
        people["alice"].delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        make_institution().delete()
    assert RoleGrant.objects.filter(user=people["alice"]).exists()


def test_deactivating_an_account_revokes_its_grants(people):
    actions.deactivate_user(as_admin(people), people["alice"], reason="퇴직")
    alice = people["alice"]
    alice.refresh_from_db()
    assert not alice.is_active
    assert alice.role_grants.get().revoke_reason == "계정 비활성화: 퇴직"
    assert AuditEntry.objects.filter(action="accounts.deactivate_user").exists()


def test_a_reset_password_works_once_and_must_be_changed(people, client):
    password = actions.reset_password(as_admin(people), people["alice"], reason="분실")
    alice = people["alice"]
    alice.refresh_from_db()
    assert (
        alice.must_change_password and alice.check_password(password) and not alice.check_password(PASSWORD)
    )
    assert len(password) >= 16
    assert password not in str(AuditEntry.objects.get(action="accounts.reset_password").details)


def test_unlocking_clears_the_lock_and_is_recorded(people):
    alice = people["alice"]
    alice.failed_login_count = 3
    alice.locked_until = alice.date_joined
    alice.save()
    actions.unlock_user(as_admin(people), alice, reason="본인 확인")
    alice.refresh_from_db()
    assert alice.locked_until is None and alice.failed_login_count == 0
    assert AuditEntry.objects.get(action="accounts.unlock_user").reason == "본인 확인"


def test_a_new_account_gets_a_one_time_password_and_no_duplicate_username(people):
    user, password = actions.create_user(
        as_admin(people), username="erin", name="한에린", institution=make_institution()
    )
    assert user.must_change_password and user.check_password(password)
    with pytest.raises(AccountError, match="이미"):
        actions.create_user(
            as_admin(people), username="erin", name="다른 사람", institution=make_institution()
        )
    assert verify_log().ok


def test_a_grant_row_cannot_be_deleted_even_by_code(people):
    from jikimi.accounts.models import GrantHistoryIsKept

    with pytest.raises(GrantHistoryIsKept):
        people["alice"].role_grants.get().delete()
    with pytest.raises(GrantHistoryIsKept):
        RoleGrant.objects.all().delete()


def test_a_grant_and_its_audit_entry_commit_or_fail_together(people, monkeypatch):
    def broken_record(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(grants, "record", broken_record)
    with pytest.raises(RuntimeError):
        actions.grant_role(
            as_admin(people), people["charlie"], role="auditor", institution=make_institution(), reason="x"
        )
    assert not RoleGrant.objects.filter(user=people["charlie"], role="auditor").exists()


def test_a_department_or_group_named_in_a_grant_cannot_be_deleted(people):
    group = make_group("교통행정과", "bus-lane")
    actions.grant_role(
        as_admin(people),
        people["charlie"],
        role="operator",
        institution=make_institution(),
        device_groups=[group],
        reason="x",
    )
    with pytest.raises(ProtectedError), transaction.atomic():
        group.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        make_department("교통행정과").delete()


def test_an_identical_second_grant_is_refused(people):
    # Issue 12: the same role over the same scope, granted twice, had to be revoked twice.
    first = {
        "role": "auditor",
        "institution": make_institution(),
        "departments": [make_department("총무과")],
        "reason": "감사 배정",
    }
    actions.grant_role(as_admin(people), people["charlie"], **first)
    with pytest.raises(AccountError, match="이미 같은 범위"):
        actions.grant_role(as_admin(people), people["charlie"], **first)
    wider = {**first, "departments": []}
    actions.grant_role(as_admin(people), people["charlie"], **wider)  # another scope is another grant
    assert (
        RoleGrant.objects.filter(user=people["charlie"], role="auditor", revoked_at__isnull=True).count() == 2
    )


def test_the_grant_form_chooses_no_role_by_itself(client, people):
    log_in(client, people["admin"])
    page = client.get(reverse("accounts:user_detail", args=[people["charlie"].pk])).content.decode()
    assert '<option value="" selected>(역할을 고르세요)</option>' in page


def test_the_privacy_officer_manages_his_institutions_accounts(client, people):
    log_in(client, people["bob"])
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert has_permission(people["bob"], Permission.MANAGE_ACCOUNTS, institution=make_institution())
