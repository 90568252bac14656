"""Who may read and verify the log, and which part of it (R36, R40).

audit sits below accounts (DESIGN.md layers; the import-linter contract): every app records into the
log, accounts included, so audit may not import accounts. Two questions are asked of accounts without
importing it:

- whether the user may read the log at all: Django's `user.has_perm("audit.view_auditentry")`, which
  jikimi.accounts answers from the user's roles (READ_AUDIT) — superusers included, who get no back
  door (jikimi.accounts.permissions);
- which entries: the `ReadableScope` of the provider jikimi.accounts registers when Django starts
  (`provide_readable_scope`, called from AccountsConfig.ready). An entry is shown only to a reader whose
  READ_AUDIT grants cover its institution, department or device group (jikimi.audit.scope). Without a
  provider nobody reads anything: the check fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from jikimi.audit.models import AuditEntry
from jikimi.audit.scope import NOTHING, ReadableScope

READ_LOG = "audit.view_auditentry"

View = TypeVar("View", bound=Callable[..., HttpResponse])

ScopeProvider = Callable[[Any], ReadableScope]
_provider: list[ScopeProvider] = []


def provide_readable_scope(provider: ScopeProvider) -> None:
    """Register the function that says which entries a user may read (jikimi.accounts does, once)."""
    _provider[:] = [provider]


def readable_scope(user: Any) -> ReadableScope:
    """The entries `user` may read; nothing for a user who may not read the log or with no provider."""
    if not _provider or not may_read_log(user):
        return NOTHING
    return _provider[0](user)


def readable_entries(user: Any) -> QuerySet[AuditEntry]:
    """Every entry `user` may read (the auditor's page, the admin, any export start from here)."""
    scope = readable_scope(user)
    if scope.is_empty:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(scope.as_q())


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
