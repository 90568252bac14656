"""Every change to accounts and role grants. Each runs in one transaction with its audit entry.

Grants are never edited or deleted: a revocation fills `revoked_at/by/reason` and keeps the row, and a
change of role is a revocation plus a new grant, so the whole history of who could do what stays
(안전성 확보조치 기준 제5조③, R36: at least 3 years).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jikimi.accounts.models import LoginAddressThrottle, Role, RoleGrant, User
from jikimi.accounts.queries import has_second_factor
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

# One message for every refusal: an unknown username, a wrong password, a locked account, an inactive
# one and a refused address all read the same, so that the page tells nobody which accounts exist.
LOGIN_FAILED_MESSAGE = (
    "로그인하지 못했습니다. 아이디나 비밀번호가 맞지 않거나, 로그인 실패가 거듭되어 잠시 로그인이 "
    "막혔을 수 있습니다. 잠시 후 다시 시도하거나 시스템 관리자에게 잠금 해제를 요청하십시오."
)


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    error: str = ""


def _address_throttle(address: str, now: datetime) -> LoginAddressThrottle:
    throttle, _ = LoginAddressThrottle.objects.select_for_update().get_or_create(
        address=address[:100], defaults={"window_started_at": now}
    )
    return throttle


def _address_blocked(throttle: LoginAddressThrottle, now: datetime) -> bool:
    return throttle.blocked_until is not None and throttle.blocked_until > now


def _count_address_failure(actor: Actor, throttle: LoginAddressThrottle, now: datetime) -> None:
    """One more failure from this address; at the limit within the window, the address is refused."""
    window = timedelta(minutes=settings.JIKIMI_ADDRESS_FAILURE_WINDOW_MINUTES)
    if throttle.window_started_at + window <= now:
        throttle.window_started_at, throttle.failures = now, 0
    throttle.failures += 1
    if throttle.failures >= settings.JIKIMI_ADDRESS_FAILURE_LIMIT:
        minutes = settings.JIKIMI_ADDRESS_LOCKOUT_MINUTES
        throttle.blocked_until = now + timedelta(minutes=minutes)
        record(
            actor,
            AuditEvent.ACCOUNTS_ADDRESS_BLOCKED,
            reason=f"{settings.JIKIMI_ADDRESS_FAILURE_WINDOW_MINUTES}분 안에 {throttle.failures}회 로그인 실패",
            details={
                "address": throttle.address,
                "blocked_until": throttle.blocked_until.isoformat(),
                "minutes": minutes,
            },
        )
        throttle.window_started_at, throttle.failures = throttle.blocked_until, 0
    throttle.save()


def attempt_login(actor: Actor, username: str, password: str) -> LoginOutcome:
    """Check a password, counting failures per account and per client address.

    안전성 확보조치 기준 제5조⑥ (R37): after settings.JIKIMI_LOGIN_FAILURE_LIMIT failures in a row the
    account is locked for settings.JIKIMI_LOCKOUT_MINUTES, and after JIKIMI_ADDRESS_FAILURE_LIMIT failures
    from one address within the window that address is refused for JIKIMI_ADDRESS_LOCKOUT_MINUTES,
    whichever accounts it tried. While either holds even the right password is refused. Every path
    hashes the password once and answers LOGIN_FAILED_MESSAGE, so neither the page nor the time it
    takes tells whether an account exists or is locked. Success, failure and lockouts are each
    recorded. The caller logs the user in (and then asks for the second factor).
    """
    now = timezone.now()
    username = username.strip()
    with transaction.atomic():
        throttle = _address_throttle(actor.client_address, now)
        user = User.objects.select_for_update().filter(username=username).first()
        if user is None:
            make_password(password)  # the same work as checking a real account's password
            password_ok = False
        else:
            password_ok = user.check_password(password)
        details: dict[str, Any] = {"username": username[:150]}
        if _address_blocked(throttle, now):
            details["cause"] = "address_blocked"
        elif user is None:
            details["cause"] = "unknown_user"
        elif user.is_locked:
            details.update(
                cause="locked", locked_until=user.locked_until.isoformat() if user.locked_until else ""
            )
        elif not password_ok:
            details["cause"] = "wrong_password"
        elif not user.is_active:
            details["cause"] = "inactive"
        else:
            user.failed_login_count = 0
            user.locked_until = None
            user.save(update_fields=["failed_login_count", "locked_until"])
            record(Actor.for_user(user, actor.client_address), AuditEvent.ACCOUNTS_LOGIN, user)
            return LoginOutcome(user)
        if details["cause"] == "wrong_password" and user is not None:
            user.failed_login_count += 1
            details["consecutive_failures"] = user.failed_login_count
        record(actor, AuditEvent.ACCOUNTS_LOGIN_FAILED, user, details=details)
        if details["cause"] == "wrong_password" and user is not None:
            if user.failed_login_count >= settings.JIKIMI_LOGIN_FAILURE_LIMIT:
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
        if details["cause"] != "address_blocked":
            _count_address_failure(actor, throttle, now)
        return LoginOutcome(None, LOGIN_FAILED_MESSAGE)


# ---- second factor (안전성 확보조치 기준 제6조, R38) -------------------------------------------------

RECOVERY_DEVICE_NAME = "복구 코드"
TOTP_DEVICE_NAME = "인증 앱"


@dataclass(frozen=True)
class SecondFactorOutcome:
    """A passed step names the device to mark the session with (django_otp.login); else `error` says why."""

    device: Device | None
    error: str = ""
    recovery_codes: tuple[str, ...] = ()  # only at enrolment: shown once


def _totp_matches(device: TOTPDevice, token: str) -> bool:
    """Whether `token` is the code of `device` now (within its tolerance), without saving anything."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not (token.isdigit() and totp.verify(int(token), device.tolerance, device.last_t + 1)):
        return False
    device.last_t = totp.t()  # a code is good once: the next login needs the next one
    device.drift = totp.drift
    return True


def _normalized_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _second_factor_failed(
    actor: Actor, user: User, throttle: LoginAddressThrottle, now: datetime, cause: str, error: str
) -> SecondFactorOutcome:
    record(actor, AuditEvent.ACCOUNTS_SECOND_FACTOR_FAILED, user, details={"cause": cause})
    if cause != "address_blocked":
        _count_address_failure(actor, throttle, now)
    return SecondFactorOutcome(None, error)


def enrol_second_factor(actor: Actor, user: User, *, key: str, token: str) -> SecondFactorOutcome:
    """Register the authenticator app whose secret `key` (hex) the user was shown, confirmed by a code
    it shows now, and issue recovery codes (django-otp static tokens, each good once), returned to be
    shown once. The enrolment, or the failed attempt, is recorded."""
    now = timezone.now()
    token = _normalized_code(token)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        throttle = _address_throttle(actor.client_address, now)
        if _address_blocked(throttle, now):
            return _second_factor_failed(actor, user, throttle, now, "address_blocked", LOGIN_FAILED_MESSAGE)
        if has_second_factor(user):
            raise AccountError(
                "2단계 인증이 이미 등록되어 있습니다. 인증 앱을 바꾸려면 계정 관리자에게 초기화를 요청하십시오."
            )
        device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
        if not _totp_matches(device, token):
            return _second_factor_failed(
                actor,
                user,
                throttle,
                now,
                "wrong_code_at_enrolment",
                "인증 코드가 맞지 않습니다. 인증 앱에 지금 표시된 6자리 숫자를 입력하십시오 (휴대전화의 시각이 맞는지도 확인하십시오).",
            )
        TOTPDevice.objects.filter(user=user).delete()
        device.save()
        codes = _issue_recovery_codes(user)
        record(
            actor,
            AuditEvent.ACCOUNTS_SECOND_FACTOR_ENROLLED,
            user,
            details={"device": device.persistent_id, "recovery_codes": len(codes)},
        )
    return SecondFactorOutcome(device, recovery_codes=tuple(codes))


def _issue_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < settings.JIKIMI_RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(actor: Actor, user: User, code: str) -> SecondFactorOutcome:
    """The step after the password: the app's current code, or one recovery code (then used up).

    Failures are recorded and count against the client address like password failures; django-otp
    also slows down repeated failures on the device itself.
    """
    now = timezone.now()
    code = _normalized_code(code)
    with transaction.atomic():
        throttle = _address_throttle(actor.client_address, now)
        if _address_blocked(throttle, now):
            return _second_factor_failed(actor, user, throttle, now, "address_blocked", LOGIN_FAILED_MESSAGE)
        is_app_code = code.isdigit() and len(code) == 6
        device: Device | None
        if is_app_code:
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        wrong = (
            "인증 코드가 맞지 않습니다. 인증 앱에 지금 표시된 6자리 숫자나, 복구 코드 하나를 입력하십시오."
        )
        if device is None:
            return _second_factor_failed(actor, user, throttle, now, "no_device", wrong)
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            return _second_factor_failed(
                actor,
                user,
                throttle,
                now,
                "device_throttled",
                "인증 코드를 여러 번 틀려 잠시 입력할 수 없습니다. 잠시 뒤에 다시 시도하십시오.",
            )
        if not device.verify_token(code):
            return _second_factor_failed(
                actor, user, throttle, now, "wrong_code" if is_app_code else "wrong_recovery_code", wrong
            )
        record(
            Actor.for_user(user, actor.client_address),
            AuditEvent.ACCOUNTS_SECOND_FACTOR_VERIFIED,
            user,
            details={"method": "totp" if is_app_code else "recovery_code"},
        )
        if not is_app_code:
            left = StaticToken.objects.filter(device=device).count()
            record(
                Actor.for_user(user, actor.client_address),
                AuditEvent.ACCOUNTS_RECOVERY_CODE_USED,
                user,
                details={"recovery_codes_left": left},
            )
    return SecondFactorOutcome(device)


def reset_second_factor(actor: Actor, user: User, *, reason: str) -> None:
    """An account manager removes a user's authenticator app and recovery codes (a lost phone): the user
    enrols again at the next login, from inside the institution's networks. Never one's own."""
    reason = _need_reason(reason, "2단계 인증 초기화")
    if actor.user is not None and actor.user.pk == user.pk:
        raise AccountError(
            "자기 자신의 2단계 인증은 초기화할 수 없습니다. 다른 계정 관리자에게 요청하십시오."
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        apps = TOTPDevice.objects.filter(user=user)
        recovery = StaticDevice.objects.filter(user=user)
        if not apps.exists() and not recovery.exists():
            raise AccountError(f"{user}에게는 등록된 2단계 인증이 없습니다")
        details = {"authenticator_apps": apps.count(), "recovery_devices": recovery.count()}
        apps.delete()
        recovery.delete()
        record(actor, AuditEvent.ACCOUNTS_SECOND_FACTOR_RESET, user, reason=reason, details=details)


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
