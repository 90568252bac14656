"""Logging in: the password with its lockouts per account and per address (R37), the second factor
(R38), logging out. Every outcome is recorded."""

from __future__ import annotations

import time
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

from jikimi.accounts.actions.refusals import AccountError, need_reason
from jikimi.accounts.contracts import contract_refusal
from jikimi.accounts.models import LoginAddressThrottle, User
from jikimi.accounts.permissions import is_external_officer
from jikimi.accounts.queries import has_second_factor
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.lib.clock import SEOUL

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


def attempt_login(actor: Actor, username: str, password: str, *, external_only: bool = False) -> LoginOutcome:
    """Check a password, counting failures per account and per client address.

    안전성 확보조치 기준 제5조⑥ (R37): after settings.JIKIMI_LOGIN_FAILURE_LIMIT failures in a row the
    account is locked for settings.JIKIMI_LOCKOUT_MINUTES, and after JIKIMI_ADDRESS_FAILURE_LIMIT failures
    from one address within the window that address is refused for JIKIMI_ADDRESS_LOCKOUT_MINUTES,
    whichever accounts it tried. While either holds even the right password is refused. Every path
    hashes the password once and answers LOGIN_FAILED_MESSAGE, so neither the page nor the time it
    takes tells whether an account exists or is locked. Success, failure and lockouts are each
    recorded. The caller logs the user in (and then asks for the second factor).

    `external_only` is the portal's login (jikimi.disclosure, reachable from outside the institution's
    networks): there only an investigating body's officer may log in; a staff account is refused with
    the same message even with its right password, so that the portal tells the internet nothing about
    staff passwords (R38: staff pages stay inside).
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
        elif external_only and not is_external_officer(user):
            details["cause"] = "not_external"
        elif refused := contract_refusal(user, now.astimezone(SEOUL).date()):
            # R33: a contractor's account works only under a contract in force with its five clauses.
            # The password was right, so the reason is told: the person learns nothing he may not know.
            details["cause"] = "contract"
            record(actor, AuditEvent.ACCOUNTS_LOGIN_FAILED, user, reason=refused, details=details)
            return LoginOutcome(None, refused)
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
    reason = need_reason(reason, "2단계 인증 초기화")
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
