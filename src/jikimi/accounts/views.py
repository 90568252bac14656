"""Login, logout, password change, and the administrator's account pages.

Each view parses, authorizes, calls one action, renders.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required as django_login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jikimi.accounts import access, actions, queries
from jikimi.accounts.forms import (
    GrantForm,
    LoginForm,
    OptionalReasonForm,
    PasswordChangeForm,
    ReasonForm,
    SecondFactorForm,
    UserCreateForm,
)
from jikimi.accounts.models import RoleGrant, User
from jikimi.accounts.permissions import Permission, is_external_officer, permission_required
from jikimi.audit.context import Actor
from jikimi.audit.queries import entries_about
from jikimi.lib.input_limits import search_text

# ---- login, logout, password ------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = actions.attempt_login(
            Actor.from_request(request), form.cleaned_data["username"], form.cleaned_data["password"]
        )
        if outcome.user is not None:
            auth_login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
            if access.second_factor_required(request):
                return redirect(_with_next("accounts:second_factor", _next_url(request)))
            if outcome.user.must_change_password:
                messages.info(
                    request, "처음 로그인했거나 비밀번호가 초기화되었습니다. 새 비밀번호를 정해 주십시오."
                )
                return redirect("accounts:password_change")
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
        form.add_error(None, outcome.error)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}" if next_url else reverse(name)


def _after_login(request: HttpRequest, next_url: str) -> HttpResponse:
    user: Any = request.user
    if user.must_change_password:
        messages.info(request, "처음 로그인했거나 비밀번호가 초기화되었습니다. 새 비밀번호를 정해 주십시오.")
        return redirect("accounts:password_change")
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


def _second_factor_passed(request: HttpRequest, device: Device) -> None:
    # A new session key once the login is complete, so that a key planted before it is worth nothing.
    request.session.cycle_key()
    otp_login(request, device)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The step after the password (R38): the authenticator app's code, or a recovery code."""
    user: Any = request.user
    next_url = _next_url(request)
    if not user.is_authenticated:
        return redirect(_with_next("accounts:login", next_url))
    if access.second_factor_passed(request):
        return _after_login(request, next_url)
    if not queries.has_second_factor(user):
        if not access.second_factor_required(request):
            return _after_login(request, next_url)
        return redirect(_with_next("accounts:second_factor_enrol", next_url))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = actions.verify_second_factor(Actor.from_request(request), user, form.cleaned_data["code"])
        if outcome.device is not None:
            _second_factor_passed(request, outcome.device)
            if not isinstance(outcome.device, TOTPDevice):
                left = queries.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"복구 코드로 로그인했습니다. 남은 복구 코드는 {left}개입니다. 인증 앱을 잃어버렸다면 "
                    "계정 관리자에게 2단계 인증 초기화를 요청하십시오.",
                )
            return _after_login(request, next_url)
        form.add_error(None, outcome.error)
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


_ENROLMENT_KEY = "jikimi_second_factor_key"


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Register an authenticator app: its secret as text and QR code, confirmed by a code it shows;
    then the recovery codes, shown once. Only from inside the institution's networks (R38): from
    outside, a stolen password alone must not be enough to register the thief's phone."""
    user: Any = request.user
    next_url = _next_url(request)
    if not user.is_authenticated:
        return redirect(_with_next("accounts:login", next_url))
    if queries.has_second_factor(user):
        return redirect(_with_next("accounts:second_factor", next_url))
    if not access.is_internal(request) and not access.may_enrol_from_outside(user):
        message = (
            "2단계 인증(인증 앱) 등록은 기관 내부망에서만 할 수 있습니다. "
            "기관 안에서 로그인해 등록한 뒤에 외부에서 접속하십시오."
        )
        return render(request, "accounts/outside_network.html", {"message": message}, status=403)
    key = request.session.get(_ENROLMENT_KEY) or random_hex(20)
    request.session[_ENROLMENT_KEY] = key
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = actions.enrol_second_factor(
                Actor.from_request(request), user, key=key, token=form.cleaned_data["code"]
            )
        except actions.AccountError as error:
            messages.error(request, str(error))
            return redirect(_with_next("accounts:second_factor", next_url))
        if outcome.device is not None:
            del request.session[_ENROLMENT_KEY]
            _second_factor_passed(request, outcome.device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {
                    "codes": outcome.recovery_codes,
                    "continue_url": next_url or reverse("accounts:second_factor"),
                },
            )
        form.add_error(None, outcome.error)
    device = TOTPDevice(user=user, key=key)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
    }
    return render(request, "accounts/second_factor_enrol.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # An investigating body's officer goes back to the portal's login, which answers where he is.
    portal_officer = is_external_officer(request.user)
    if request.user.is_authenticated:
        actions.record_logout(Actor.from_request(request))
    auth_logout(request)
    messages.success(request, "로그아웃했습니다.")
    return redirect(access.PORTAL_LOGIN_VIEW_NAME if portal_officer else settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@django_login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    # Django's login_required on purpose: ours would send a user who must change the password here again.
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.change_password(Actor.from_request(request), user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "비밀번호를 바꾸었습니다.")
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request, "accounts/password_change.html", {"form": form, "forced": user.must_change_password}
    )


# ---- the administrator's pages (Permission.MANAGE_ACCOUNTS) -----------------------------------


def _managed_user(request: HttpRequest, user_id: int) -> User:
    user = get_object_or_404(User, pk=user_id)
    if not queries.may_manage(request.user, user):
        raise PermissionDenied("이 계정을 관리할 권한이 없습니다")
    return user


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    search = search_text(request.GET.get("q", ""))  # inputs have limits: short, nothing unprintable
    users = queries.manageable_users(request.user, search)
    return render(request, "accounts/user_list.html", {"users": users, "search": search})


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None, institutions=queries.manageable_institutions(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = actions.create_user(
                Actor.from_request(request),
                username=data["username"],
                name=data["name"],
                institution=data["institution"],
                department=data["department"],
                position=data["position"],
                phone=data["phone"],
                email=data["email"],
                reason=data["reason"],
            )
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            # Shown once, in this response only: never in a URL, a message or the log.
            return render(
                request,
                "accounts/one_time_password.html",
                {"account": user, "password": password, "created": True},
            )
    return render(request, "accounts/user_form.html", {"form": form})


def _detail(
    request: HttpRequest, user: User, grant_form: GrantForm | None = None, status: int = 200
) -> HttpResponse:
    institutions = queries.manageable_institutions(request.user)
    if grant_form is None:
        initial = {"institution": user.institution_id} if user.institution_id else {}
        grant_form = GrantForm(institutions=institutions, initial=initial)
    context = {
        "account": user,
        "grants": queries.grants_of(user),
        "grant_form": grant_form,
        "entries": entries_about(User._meta.label, str(user.pk)),
        "has_second_factor": queries.has_second_factor(user),
    }
    return render(request, "accounts/user_detail.html", context, status=status)


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_GET
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    return _detail(request, _managed_user(request, user_id))


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_POST
def user_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    form = GrantForm(request.POST, institutions=queries.manageable_institutions(request.user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            grant = actions.grant_role(
                Actor.from_request(request),
                user,
                role=data["role"],
                institution=data["institution"],
                departments=data["departments"],
                device_groups=data["device_groups"],
                reason=data["reason"],
            )
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{user}에게 '{grant.get_role_display()}' 역할을 부여했습니다.")
            return redirect("accounts:user_detail", user_id=user.pk)
    return _detail(request, user, grant_form=form, status=400)


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_POST
def grant_revoke(request: HttpRequest, user_id: int, grant_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    grant = get_object_or_404(RoleGrant, pk=grant_id, user=user)
    if not queries.manageable_institutions(request.user).filter(pk=grant.institution_id).exists():
        raise PermissionDenied("이 기관의 역할을 회수할 권한이 없습니다")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "역할을 회수하려면 회수 사유를 적어 주십시오.")
        return redirect("accounts:user_detail", user_id=user.pk)
    try:
        actions.revoke_role(Actor.from_request(request), grant, reason=form.cleaned_data["reason"])
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"'{grant.get_role_display()}' 역할을 회수했습니다.")
    return redirect("accounts:user_detail", user_id=user.pk)


@sensitive_post_parameters()
@never_cache
@permission_required(Permission.MANAGE_ACCOUNTS)
@require_POST
def user_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    form = OptionalReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    password = actions.reset_password(Actor.from_request(request), user, reason=reason)
    return render(
        request, "accounts/one_time_password.html", {"account": user, "password": password, "created": False}
    )


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    form = OptionalReasonForm(request.POST)
    actions.unlock_user(
        Actor.from_request(request), user, reason=form.cleaned_data["reason"] if form.is_valid() else ""
    )
    messages.success(request, f"{user}의 잠금을 풀었습니다.")
    return redirect("accounts:user_detail", user_id=user.pk)


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_POST
def user_reset_second_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    """A lost or replaced phone: the account manager removes the user's second factor, with a reason."""
    user = _managed_user(request, user_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "2단계 인증을 초기화하려면 사유를 적어 주십시오.")
        return redirect("accounts:user_detail", user_id=user.pk)
    try:
        actions.reset_second_factor(Actor.from_request(request), user, reason=form.cleaned_data["reason"])
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{user}의 2단계 인증을 초기화했습니다. 다음 로그인 때 기관 내부망에서 다시 등록합니다."
        )
    return redirect("accounts:user_detail", user_id=user.pk)


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_POST
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _managed_user(request, user_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "계정을 비활성화하려면 사유를 적어 주십시오.")
        return redirect("accounts:user_detail", user_id=user.pk)
    try:
        actions.deactivate_user(Actor.from_request(request), user, reason=form.cleaned_data["reason"])
    except actions.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{user} 계정을 비활성화하고 역할을 모두 회수했습니다.")
    return redirect("accounts:user_detail", user_id=user.pk)


@permission_required(Permission.MANAGE_ACCOUNTS)
@require_GET
def grant_history(request: HttpRequest) -> HttpResponse:
    grants = queries.grant_history(queries.manageable_institutions(request.user))
    return render(request, "accounts/grant_history.html", {"grants": grants})
