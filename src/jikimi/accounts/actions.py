"""Every change to accounts and role grants. Each runs in one transaction with its audit entry.

Grants are never edited or deleted: a revocation fills `revoked_at/by/reason` and keeps the row, and a
change of role is a revocation plus a new grant, so the whole history of who could do what stays
(안전성 확보조치 기준 제5조③, R36: at least 3 years).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import Role, RoleGrant, User
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent

# No 0/O, 1/l/I: a one-time password is read aloud or copied from a screen.
_PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


class AccountError(ValueError):
    """A request the rules refuse; the message (Korean) says what is wrong and where."""


def generate_password(length: int = 16) -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(length))


def _need_reason(reason: str, what: str) -> str:
    reason = reason.strip()
    if not reason:
        raise AccountError(f"{what} 사유를 적어 주십시오")
    return reason


def _scope_details(grant: RoleGrant) -> dict[str, Any]:
    return {
        "role": grant.role,
        "institution": grant.institution.slug,
        "departments": sorted(d.name for d in grant.departments.all()),
        "device_groups": sorted(g.key for g in grant.device_groups.all()),
    }


# ---- accounts -------------------------------------------------------------------------------


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
    if not username:
        raise AccountError("아이디를 적어 주십시오")
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
    reason = _need_reason(reason, "계정 비활성화")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise AccountError(f"{user}은(는) 이미 비활성 계정입니다")
        for grant in RoleGrant.objects.filter(user=user, revoked_at__isnull=True):
            _revoke(actor, grant, reason=f"계정 비활성화: {reason}")
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(actor, AuditEvent.ACCOUNTS_DEACTIVATE_USER, user, reason=reason)


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

LOGIN_FAILED_MESSAGE = "아이디 또는 비밀번호가 맞지 않습니다."


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    error: str = ""


def attempt_login(actor: Actor, username: str, password: str) -> LoginOutcome:
    """Check a password, counting consecutive failures and locking the account after too many.

    안전성 확보조치 기준 제5조⑥ (R37): after settings.JIKIMI_LOGIN_FAILURE_LIMIT failures in a row the
    account is locked for settings.JIKIMI_LOCKOUT_MINUTES; while locked even the right password is
    refused. Success, failure and lockout are each recorded. The caller logs the user in.
    """
    now = timezone.now()
    username = username.strip()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            # Hash anyway, so that the time taken does not tell which accounts exist.
            make_password(password)
            record(
                actor,
                AuditEvent.ACCOUNTS_LOGIN_FAILED,
                details={"username": username[:150], "cause": "unknown_user"},
            )
            return LoginOutcome(None, LOGIN_FAILED_MESSAGE)
        if user.locked_until is not None and user.locked_until > now:
            record(
                actor,
                AuditEvent.ACCOUNTS_LOGIN_FAILED,
                user,
                details={
                    "username": username,
                    "cause": "locked",
                    "locked_until": user.locked_until.isoformat(),
                },
            )
            until = timezone.localtime(user.locked_until).strftime("%H:%M")
            return LoginOutcome(
                None,
                f"로그인에 여러 번 실패하여 계정이 잠겼습니다. {until} 이후 다시 시도하거나 시스템 관리자에게 잠금 해제를 요청하십시오.",
            )
        if not user.check_password(password):
            user.failed_login_count += 1
            limit = settings.JIKIMI_LOGIN_FAILURE_LIMIT
            record(
                actor,
                AuditEvent.ACCOUNTS_LOGIN_FAILED,
                user,
                details={
                    "username": username,
                    "cause": "wrong_password",
                    "consecutive_failures": user.failed_login_count,
                },
            )
            if user.failed_login_count >= limit:
                user.locked_until = now + timedelta(minutes=settings.JIKIMI_LOCKOUT_MINUTES)
                record(
                    actor,
                    AuditEvent.ACCOUNTS_LOCKED,
                    user,
                    reason=f"연속 {user.failed_login_count}회 로그인 실패",
                    details={
                        "locked_until": user.locked_until.isoformat(),
                        "minutes": settings.JIKIMI_LOCKOUT_MINUTES,
                    },
                )
                user.failed_login_count = 0
            user.save(update_fields=["failed_login_count", "locked_until"])
            return LoginOutcome(None, LOGIN_FAILED_MESSAGE)
        if not user.is_active:
            record(
                actor,
                AuditEvent.ACCOUNTS_LOGIN_FAILED,
                user,
                details={"username": username, "cause": "inactive"},
            )
            return LoginOutcome(None, LOGIN_FAILED_MESSAGE)
        user.failed_login_count = 0
        user.locked_until = None
        user.save(update_fields=["failed_login_count", "locked_until"])
        record(Actor.for_user(user, actor.client_address), AuditEvent.ACCOUNTS_LOGIN, user)
        return LoginOutcome(user)


def record_logout(actor: Actor) -> None:
    with transaction.atomic():
        record(actor, AuditEvent.ACCOUNTS_LOGOUT, actor.user)


# ---- role grants (R36) ----------------------------------------------------------------------


def grant_role(
    actor: Actor,
    user: User,
    *,
    role: str,
    institution: Any,
    departments: Iterable[Any] = (),
    device_groups: Iterable[Any] = (),
    reason: str,
) -> RoleGrant:
    """Give `user` a role for the whole institution, or only for some departments / device groups."""
    reason = _need_reason(reason, "역할 부여")
    departments = list(departments)
    device_groups = list(device_groups)
    if role not in Role.values:
        raise AccountError(f"역할 '{role}'은(는) 없는 역할입니다")
    if not user.is_active:
        raise AccountError(f"{user}은(는) 비활성 계정이라 역할을 줄 수 없습니다")
    if actor.user is not None and actor.user.pk == user.pk:
        # Least privilege (R36): nobody widens their own rights.
        raise AccountError("자기 자신에게는 역할을 부여할 수 없습니다")
    for department in departments:
        if department.institution_id != institution.pk:
            raise AccountError(f"부서 '{department}'은(는) {institution}의 부서가 아닙니다")
    for group in device_groups:
        if group.institution_id != institution.pk:
            raise AccountError(f"기기 묶음 '{group}'은(는) {institution}의 것이 아닙니다")
    with transaction.atomic():
        grant = RoleGrant.objects.create(
            user=user,
            role=role,
            institution=institution,
            reason=reason[:200],
            granted_at=timezone.now(),
            granted_by=actor.user,
        )
        grant.departments.set(departments)
        grant.device_groups.set(device_groups)
        record(
            actor,
            AuditEvent.ACCOUNTS_GRANT_ROLE,
            user,
            reason=reason,
            details={"grant": grant.pk, **_scope_details(grant)},
        )
    return grant


def _revoke(actor: Actor, grant: RoleGrant, *, reason: str) -> None:
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor.user
    grant.revoke_reason = reason[:200]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(
        actor,
        AuditEvent.ACCOUNTS_REVOKE_ROLE,
        grant.user,
        reason=reason,
        details={"grant": grant.pk, **_scope_details(grant)},
    )


def revoke_role(actor: Actor, grant: RoleGrant, *, reason: str) -> None:
    """End a grant. The row stays, with when, by whom and why (R36)."""
    reason = _need_reason(reason, "역할 회수")
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().select_related("user", "institution").get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise AccountError("이미 회수된 역할입니다")
        _revoke(actor, grant, reason=reason)


def change_role(
    actor: Actor,
    grant: RoleGrant,
    *,
    role: str,
    departments: Iterable[Any] = (),
    device_groups: Iterable[Any] = (),
    reason: str,
) -> RoleGrant:
    """A change of role or scope (e.g. on transfer, R36) = revoke the old grant + grant the new one."""
    reason = _need_reason(reason, "역할 변경")
    with transaction.atomic():
        revoke_role(actor, grant, reason=f"역할 변경: {reason}")
        return grant_role(
            actor,
            grant.user,
            role=role,
            institution=grant.institution,
            departments=departments,
            device_groups=device_groups,
            reason=f"역할 변경: {reason}",
        )
