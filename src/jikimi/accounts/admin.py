"""The Django admin shows accounts and grants read-only.

Changes go through the Korean account pages, whose actions write the audit entry in the same
transaction; an edit here would bypass it. Grants are never deleted (R36), accounts never either
(the audit log refers to them): deactivate instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from jikimi.accounts.models import RoleGrant, User
from jikimi.lib.readonly_admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = [
        "username",
        "name",
        "institution",
        "department",
        "is_active",
        "locked_until",
        "last_login",
    ]
    list_filter = ["is_active", "institution"]
    search_fields = ["username", "name"]
    exclude = ["password", "user_permissions", "groups"]


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "institution", "granted_at", "granted_by", "revoked_at", "revoked_by"]
    list_filter = ["role", "institution"]
    search_fields = ["user__username", "user__name", "reason", "revoke_reason"]


def _login_through_jikimi(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # The admin's own login form would skip the lockout and the audit of logins (R37).
    return redirect_to_login(request.get_full_path())


admin.site.login = _login_through_jikimi  # type: ignore[method-assign]
