"""Sends a user who must change the password (a new account, a reset) to the change page first.

Covers every view, including other apps' views that use Django's own login_required.
Add after AuthenticationMiddleware: "jikimi.accounts.middleware.PasswordChangeRequiredMiddleware".
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths a user who must change the password may still reach.
_ALLOWED_NAMES = ("accounts:password_change", "accounts:logout", "accounts:login")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse(name) for name in _ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(("/static/", "/healthz")):
                return redirect("accounts:password_change")
        return self.get_response(request)
