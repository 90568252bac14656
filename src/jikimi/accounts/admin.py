"""The Django admin: for system administrators only, read-only, scoped, and never a back door (R36).

- Only superusers (`jikimi create_admin` without an institution) open it; `is_staff` opens nothing, so
  an institution's administrator, who works through jikimi's own pages, cannot reach another
  institution's records through it.
- Every page is read-only for everybody (jikimi.lib.readonly_admin): changes go through the Korean
  pages, whose actions apply the law's checks and write the audit entry in the same transaction.
- A superuser is no back door: each page shows only what jikimi's roles let the user see
  (jikimi.accounts.permissions) — accounts and grants for account management, the register only in
  institutions where they hold a grant to see it, the audit log only within their READ_AUDIT scope.
  Footage, legal holds and destructions are not in the admin at all, and no page shows a secret
  (password hashes, camera credentials).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jikimi.accounts.models import Contract, ContractorInspection, ContractStaff, RoleGrant, User
from jikimi.accounts.permissions import Permission, institutions_for
from jikimi.lib.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

ADMIN_REFUSED = "관리자 화면(/admin/)은 시스템 관리자(최고관리자)만 쓸 수 있습니다. 업무 화면을 이용하십시오."


def is_system_administrator(user: Any) -> bool:
    return bool(user.is_active and user.is_superuser)


class InstitutionScopedAdmin(ReadOnlyAdmin):
    """Read-only, showing only rows of the institutions where the user holds `permission` institution-wide.

    `institution_field` is the lookup from the model to its institution.
    """

    permission: Permission = Permission.VIEW_REGISTER
    institution_field: str = "institution"

    def _institutions(self, request: HttpRequest) -> QuerySet[Any]:
        return institutions_for(request.user, self.permission, whole_institution=True)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        rows = super().get_queryset(request)
        return rows.filter(**{f"{self.institution_field}__in": self._institutions(request)})

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not self._institutions(request).exists():
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)


@admin.register(User)
class UserAdmin(InstitutionScopedAdmin):
    permission = Permission.MANAGE_ACCOUNTS
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
    # The password hash is a secret too (R42).
    exclude = ["password", "user_permissions", "groups"]


@admin.register(RoleGrant)
class RoleGrantAdmin(InstitutionScopedAdmin):
    permission = Permission.MANAGE_ACCOUNTS
    list_display = ["user", "role", "institution", "granted_at", "granted_by", "revoked_at", "revoked_by"]
    list_filter = ["role", "institution"]
    search_fields = ["user__username", "user__name", "reason", "revoke_reason"]


class ContractStaffInline(ReadOnlyInline):
    model = ContractStaff
    fields = ("user", "assigned_at", "released_at")


class ContractorInspectionInline(ReadOnlyInline):
    model = ContractorInspection
    fields = ("inspected_on", "inspected", "findings", "follow_up", "recorded_by")


@admin.register(Contract)
class ContractAdmin(InstitutionScopedAdmin):
    """시행령 제26조: the contracts, their five clauses, staff and 수탁자 점검 — for whoever manages the
    institution's contracts (accounts.contract_views is the page of record)."""

    permission = Permission.MANAGE_CONTRACTS
    list_display = ["contractor_name", "task", "period_start", "period_end", "institution"]
    list_filter = ["institution"]
    search_fields = ["contractor_name", "task"]
    inlines = [ContractStaffInline, ContractorInspectionInline]


# Django's groups would grant Django permissions beside jikimi's roles; jikimi does not use them.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _system_administrators_only(request: HttpRequest) -> bool:
    return is_system_administrator(request.user)


def _login_through_jikimi(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # The admin's own login form would skip the lockout and the audit of logins (R37). A user who is
    # logged in already and is not a system administrator is refused, not sent round to log in again.
    if request.user.is_authenticated:
        raise PermissionDenied(ADMIN_REFUSED)
    return redirect_to_login(request.get_full_path())


def _password_change_through_jikimi(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    # The admin's own password form would change the password without the audit entry and the
    # password rules' page of record (R37): the one place to change it is jikimi's.
    return redirect("accounts:password_change")


admin.site.has_permission = _system_administrators_only  # type: ignore[method-assign]
admin.site.login = _login_through_jikimi  # type: ignore[method-assign]
admin.site.password_change = _password_change_through_jikimi  # type: ignore[method-assign,assignment]
admin.site.password_change_done = _password_change_through_jikimi  # type: ignore[method-assign,assignment]
