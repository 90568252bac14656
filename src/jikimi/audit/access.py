"""Who may read and verify the log: READ_AUDIT (R40), asked through Django's permission API.

audit sits below accounts (DESIGN.md layers; the import-linter contract): every app records into the
log, accounts included, so audit may not import accounts. It asks Django's `user.has_perm` for
"audit.view_auditentry", which jikimi.accounts answers from the user's roles (READ_AUDIT) — superusers
included, who get no back door (jikimi.accounts.permissions).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

READ_LOG = "audit.view_auditentry"

View = TypeVar("View", bound=Callable[..., HttpResponse])


def may_read_log(user: Any) -> bool:
    return bool(user.has_perm(READ_LOG))


def auditor_required(view: View) -> View:
    """Log in first (a user who must change the password is sent there by the middleware), then 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_read_log(request.user):
            raise PermissionDenied("감사 기록 열람·검증 권한이 없습니다")
        return view(request, *args, **kwargs)

    return cast(View, login_required(wrapper))
