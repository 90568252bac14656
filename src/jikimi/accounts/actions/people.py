"""People's accounts: created, deactivated, passwords reset and changed, unlocked; the first administrator."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from jikimi.accounts.actions.grants import ensure_official_owner, grant_role, revoke_grant
from jikimi.accounts.actions.refusals import AccountError, need_reason
from jikimi.accounts.models import Role, RoleGrant, User
from jikimi.accounts.usernames import username_problem
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent

_PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def create_user(
    actor: Actor,
    *,
    username: str,
    name: str,
    institution: Any | None,
    department: Any | None = None,
    position: str = "",
    phone: str = "",
    email: str = "",
    reason: str = "",
) -> tuple[User, str]:
    """A new personal account (R37: one per person, never shared) with a one-time password.

    Returns the user and the password, which is shown once and must be changed at first login.
    """
    username = username.strip()
    name = name.strip()
    problem = username_problem(username)
    if problem:
        raise AccountError(problem)
    if not name:
        raise AccountError("성명을 적어 주십시오 (계정은 사람마다 하나입니다)")
    if department is not None and (institution is None or department.institution_id != institution.pk):
        raise AccountError(f"부서 '{department}'은(는) 선택한 기관의 부서가 아닙니다")
    password = generate_password()
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise AccountError(f"아이디 '{username}'은(는) 이미 있습니다")
        user = User(
            username=username,
            name=name,
            institution=institution,
            department=department,
            position=position.strip(),
            phone=phone.strip(),
            email=email.strip(),
            must_change_password=True,
        )
        user.set_password(password)
        user.save()
        record(
            actor,
            AuditEvent.ACCOUNTS_CREATE_USER,
            user,
            reason=reason,
            details={
                "username": username,
                "institution": institution.slug if institution else None,
                "department": department.name if department else None,
            },
        )
    return user, password


def deactivate_user(actor: Actor, user: User, *, reason: str) -> None:
    """Close an account (e.g. on leaving or transfer, R36): it can no longer log in, and its grants end."""
    reason = need_reason(reason, "계정 비활성화")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise AccountError(f"{user}은(는) 이미 비활성 계정입니다")
        institutions = set()
        for grant in RoleGrant.objects.filter(user=user, revoked_at__isnull=True):
            revoke_grant(actor, grant, reason=f"계정 비활성화: {reason}")
            institutions.add(grant.institution_id)
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(actor, AuditEvent.ACCOUNTS_DEACTIVATE_USER, user, reason=reason)
        for institution_id in sorted(institutions):
            ensure_official_owner(institution_id)  # R35: not the last official owner of an outsourcing one


def reset_password(actor: Actor, user: User, *, reason: str = "") -> str:
    """A new one-time password for `user`, who must change it at the next login. Returned, shown once."""
    password = generate_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        record(actor, AuditEvent.ACCOUNTS_RESET_PASSWORD, user, reason=reason)
    return password


def change_password(actor: Actor, user: User, new_password: str) -> None:
    """The user's own change (the form has checked the old password and the password rules)."""
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        record(actor, AuditEvent.ACCOUNTS_CHANGE_PASSWORD, user)


def unlock_user(actor: Actor, user: User, *, reason: str = "") -> None:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        was_locked_until = user.locked_until
        user.locked_until = None
        user.failed_login_count = 0
        user.save(update_fields=["locked_until", "failed_login_count"])
        record(
            actor,
            AuditEvent.ACCOUNTS_UNLOCK_USER,
            user,
            reason=reason,
            details={"locked_until": was_locked_until.isoformat() if was_locked_until else None},
        )


@dataclass(frozen=True)
class AdministratorSetUp:
    user: User
    password: str  # one-time: shown once, changed at the first login
    created: bool


def set_up_administrator(
    actor: Actor, *, username: str, name: str, institution: Any | None
) -> AdministratorSetUp:
    """An administrator to start with (`jikimi create_admin`), or the same account reset and unlocked.

    With an institution the account gets the institution-wide ADMINISTRATOR role (unless it holds it)
    and no access to the Django admin; without one it becomes a superuser, which manages accounts only
    (jikimi.accounts.permissions) and alone opens the read-only admin (jikimi.accounts.admin).
    Each step is recorded: creation or password reset, the account's changes, the grant.
    """
    with transaction.atomic():
        user = User.objects.filter(username=username.strip()).first()
        created = user is None
        if user is None:
            user, password = create_user(
                actor, username=username, name=name, institution=institution, reason="create_admin"
            )
        else:
            password = reset_password(actor, user, reason="create_admin")
        user = User.objects.select_for_update().get(pk=user.pk)
        changed: dict[str, Any] = {}
        if user.name != name.strip():
            changed["name"] = [user.name, name.strip()]
            user.name = name.strip()
        if not user.is_active:
            changed["is_active"] = [False, True]
            user.is_active = True
        if user.locked_until or user.failed_login_count:
            changed["unlocked"] = True
            user.locked_until, user.failed_login_count = None, 0
        # R36: the Django admin is for system administrators (superusers) only; an institution's
        # administrator works through jikimi's pages, so the institution's account is not staff.
        staff = institution is None or user.is_superuser
        if user.is_staff != staff:
            changed["is_staff"] = [user.is_staff, staff]
            user.is_staff = staff
        if institution is None and not user.is_superuser:
            changed["is_superuser"] = [False, True]
            user.is_superuser = True
        if changed:
            user.save()
            record(actor, AuditEvent.ACCOUNTS_UPDATE_USER, user, reason="create_admin", details=changed)
        if (
            institution is not None
            and not RoleGrant.objects.filter(
                user=user,
                role=Role.ADMINISTRATOR,
                institution=institution,
                revoked_at__isnull=True,
                departments__isnull=True,
                device_groups__isnull=True,
            ).exists()
        ):
            grant_role(
                actor, user, role=Role.ADMINISTRATOR, institution=institution, reason="create_admin 명령"
            )
    return AdministratorSetUp(user, password, created)


# ---- login (R37) ----------------------------------------------------------------------------

# One message for every refusal: an unknown username, a wrong password, a locked account, an inactive
# one and a refused address all read the same, so that the page tells nobody which accounts exist.
