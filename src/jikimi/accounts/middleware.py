"""The login rules that hold for every view, other apps' included (the Django admin and /api/ too).

In settings.MIDDLEWARE, in this order:
- UntrustedForwardingMiddleware first: a forwarded scheme header counts only from a trusted proxy;
- IdleSessionMiddleware right after SessionMiddleware: a signed-in session's idle clock restarts with
  its activity, written at most once a minute;
- after AuthenticationMiddleware: InternalNetworkMiddleware, django_otp's OTPMiddleware,
  SecondFactorRequiredMiddleware, then PasswordChangeRequiredMiddleware.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from jikimi.accounts import access
from jikimi.audit.context import client_address
from jikimi.lib.networks import address_in

Handler = Callable[[HttpRequest], HttpResponse]
log = logging.getLogger("jikimi.accounts")


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class UntrustedForwardingMiddleware:
    """Drops the forwarded-scheme header (SECURE_PROXY_SSL_HEADER) unless a trusted proxy sent it,
    so that a client reaching the server directly cannot pass plain HTTP off as HTTPS."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
        if header and not address_in(
            str(request.META.get("REMOTE_ADDR", "")), settings.JIKIMI_TRUSTED_PROXIES
        ):
            request.META.pop(header[0], None)
        return self.get_response(request)


# How often a signed-in session's expiry is pushed forward: the idle limit (R38) is kept to within this,
# and a live wall's tiles (some 60 requests a second for 16 cameras) cost no session write each.
SESSION_REFRESH_SECONDS = 60
_REFRESHED = "_refreshed"


class IdleSessionMiddleware:
    """제6조④ (R38): a session ends after SESSION_COOKIE_AGE without activity. Django keeps that with
    SESSION_SAVE_EVERY_REQUEST, one database write per request; this writes a signed-in session again
    only when its last refresh is over SESSION_REFRESH_SECONDS old (or when the view changed it)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.modified:
            return response
        now = int(time.time())
        if now - int(session.get(_REFRESHED, 0)) >= SESSION_REFRESH_SECONDS:
            session[_REFRESHED] = now  # marks it modified: SessionMiddleware saves it, cookie and all
        return response


class InternalNetworkMiddleware:
    """Outside the institution's networks only the public and citizens' pages and the requesting bodies'
    portal answer (R38, 제6조①; access.is_open_from_outside); everything else answers 403, unless
    JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS lets staff in."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            access.is_internal(request)
            or access.is_open_from_outside(request)
            or settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS
        ):
            return self.get_response(request)
        log.info("refused %s from outside the internal networks: %s", request.path, client_address(request))
        message = "기관 내부망 밖에서는 직원용 화면과 API를 쓸 수 없습니다. 기관 내부망에서 접속하십시오."
        if _is_api(request):
            return JsonResponse({"detail": message}, status=403)
        return render(request, "accounts/outside_network.html", {"message": message}, status=403)


class SecondFactorRequiredMiddleware:
    """A session whose user must pass a second factor (access.second_factor_required) reaches nothing
    but the login steps until it has: pages send it to the code page, the API answers 403."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not access.second_factor_passed(request)
            and access.view_name(request) not in access.LOGIN_STEP_VIEW_NAMES
            and not access.is_open_to_everyone(request)
            and access.second_factor_required(request)
        ):
            if _is_api(request):
                return JsonResponse(
                    {
                        "detail": "2단계 인증을 마치지 않은 세션입니다. 로그인 화면에서 인증 코드를 입력하십시오."
                    },
                    status=403,
                )
            return redirect(
                f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)


# Paths a user who must change the password may still reach.
_ALLOWED_NAMES = (
    "accounts:password_change",
    "accounts:logout",
    "accounts:login",
    "accounts:second_factor",
    "accounts:second_factor_enrol",
)


class PasswordChangeRequiredMiddleware:
    """Sends a user who must change the password (a new account, a reset) to the change page first."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in _ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(("/static/", "/healthz")):
                return redirect("accounts:password_change")
        return self.get_response(request)
