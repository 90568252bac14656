"""Reads for the account pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jikimi.accounts.models import RoleGrant, User
from jikimi.accounts.permissions import Permission, institutions_for


def manageable_institutions(admin: Any) -> QuerySet[Any]:
    """Institutions whose accounts `admin` manages (an institution-wide administrator grant, or superuser)."""
    return institutions_for(admin, Permission.MANAGE_ACCOUNTS, whole_institution=True)


def manageable_users(admin: Any, search: str = "") -> QuerySet[User]:
    """Accounts of the institutions `admin` manages; a superuser also sees accounts of no institution."""
    users = (
        User.objects.select_related("institution", "department")
        .prefetch_related("role_grants")
        .order_by("institution__name", "username")
    )
    if admin.is_active and admin.is_superuser:
        scoped = users
    else:
        scoped = users.filter(institution__in=manageable_institutions(admin))
    if search:
        scoped = scoped.filter(Q(username__icontains=search) | Q(name__icontains=search))
    return scoped


def may_manage(admin: Any, user: User) -> bool:
    return manageable_users(admin).filter(pk=user.pk).exists()


def grants_of(user: User) -> QuerySet[RoleGrant]:
    """All the user's grants, active and revoked, newest first (R36: the history is kept)."""
    return (
        RoleGrant.objects.filter(user=user)
        .select_related("institution", "granted_by", "revoked_by")
        .prefetch_related("departments", "device_groups")
        .order_by("-granted_at", "-id")
    )


def grant_history(institutions: QuerySet[Any]) -> QuerySet[RoleGrant]:
    """Every grant of these institutions, active and revoked, newest first."""
    return (
        RoleGrant.objects.filter(institution__in=institutions)
        .select_related("user", "institution", "granted_by", "revoked_by")
        .prefetch_related("departments", "device_groups")
        .order_by("-granted_at", "-id")
    )


def has_second_factor(user: Any) -> bool:
    """Whether `user` has a confirmed authenticator app (R38)."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())
