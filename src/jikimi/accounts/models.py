"""Per-person accounts (R37: no shared accounts) and role grants scoped to departments and device groups.

A grant is never edited or deleted: a change is a revocation and a new grant, so the whole history of
who could do what is kept (안전성 확보조치 기준 제5조③, R36: at least 3 years).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from jikimi.audit.scope import Scope

# Django permission names that templates and the Django admin ask about, answered by jikimi's roles
# (jikimi.accounts.permissions), so that nobody needs Django's own permission tables.
_DJANGO_PERMISSIONS = {
    "accounts.view_user": "manage_accounts",
    "accounts.view_rolegrant": "manage_accounts",
    "audit.view_auditentry": "read_audit",
    "disclosure.view_ledgerentry": "view_ledger",
    "vault.view_device": "view_footage",
    "inventory.view_devicegroup": "view_register",
    "disclosure.view_subjectrequest": "handle_requests",
    "disclosure.view_provisioncase": "handle_provisions",
    # The control centre's head decides urgent provisions without handling any (오산시 지침 제32조③).
    "disclosure.approve_provisioncase": "approve_urgent_provisions",
    # The control centre (오산시 지침 제21조③, 제27조, 제31조④).
    "control.view_incident": "log_incidents",
    "control.report_incident": "report_incidents",
    "control.view_maintenanceticket": "view_health",
}


class User(AbstractUser):
    """One person. Staff of the institution, a contractor's employee or an auditor."""

    name = models.CharField("성명", max_length=60)
    institution = models.ForeignKey(
        "inventory.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="소속 기관",
    )
    department = models.ForeignKey(
        "inventory.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="소속 부서",
    )
    position = models.CharField("직위", max_length=60, blank=True)
    phone = models.CharField("전화번호", max_length=40, blank=True)
    # R37: lockout after repeated failures.
    failed_login_count = models.PositiveIntegerField("연속 로그인 실패", default=0)
    locked_until = models.DateTimeField("잠금 해제 시각", null=True, blank=True)
    must_change_password = models.BooleanField("비밀번호 변경 필요", default=False)

    class Meta:
        verbose_name = "사용자"
        verbose_name_plural = "사용자"

    def __str__(self) -> str:
        return f"{self.name or self.username} ({self.username})"

    def audit_scope(self) -> Scope:
        """Entries about this person (account, logins, grants) are their institution's and department's (R36)."""
        return Scope(self.institution_id, self.department_id)

    @property
    def is_locked(self) -> bool:
        """Locked after repeated login failures (R37) until `locked_until`."""
        return self.locked_until is not None and self.locked_until > timezone.now()

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        if perm in _DJANGO_PERMISSIONS:
            # The roles alone answer these, for superusers too: a superuser is no back door to the
            # audit log, footage or the register (jikimi.accounts.permissions).
            from jikimi.accounts.permissions import Permission, has_permission

            return self.is_active and has_permission(self, Permission(_DJANGO_PERMISSIONS[perm]))
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and any(
            p.startswith(app_label + ".") and self.has_perm(p) for p in _DJANGO_PERMISSIONS
        ):
            return True
        return super().has_module_perms(app_label)


class Role(models.TextChoices):
    """The roles of DESIGN.md."""

    ADMINISTRATOR = "administrator", "시스템 관리자"
    PRIVACY_OFFICER = "privacy_officer", "개인정보 보호책임자(총괄책임관)"
    OPERATING_HEAD = "operating_head", "운영책임자"
    OFFICER = "officer", "관리담당자·접근권한자"
    OPERATOR = "operator", "관제요원"
    CONTROL_HEAD = "control_head", "통합관제센터장"
    # 오산시 지침 제21조③: the police officer seconded to the control centre (상황실 근무 경찰공무원), to
    # whom operators report what they see and who passes it on to 112 or the 재난상황실.
    SECONDED_POLICE = "seconded_police", "상황실 근무 경찰공무원"
    AUDITOR = "auditor", "감사자"
    CONTRACTOR = "contractor", "수탁자"
    # An investigating body's officer (경찰·검찰 등): applies online for footage of his own body's cases
    # (jikimi.disclosure: ExternalRequester links the account to its RequestingBody).
    REQUESTING_OFFICER = "requesting_officer", "제공 요청 기관 담당자"


class GrantHistoryIsKept(RuntimeError):
    """R36: the grant/change/revoke history of access rights is kept (at least 3 years); never deleted."""


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def delete(self) -> Any:
        raise GrantHistoryIsKept("역할 부여 이력은 지울 수 없습니다 (회수하십시오)")


class RoleGrant(models.Model):
    """A role held by a user, for the whole institution or only some departments / device groups.

    Created by `jikimi.accounts.actions.grant_role`; the only later change is the revocation.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField("역할", max_length=30, choices=Role.choices)
    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="role_grants"
    )
    # Both empty: the role holds for the whole institution.
    departments = models.ManyToManyField(
        "inventory.Department",
        through="GrantDepartment",
        blank=True,
        related_name="role_grants",
        verbose_name="부서 범위",
    )
    device_groups = models.ManyToManyField(
        "inventory.DeviceGroup",
        through="GrantDeviceGroup",
        blank=True,
        related_name="role_grants",
        verbose_name="기기 묶음 범위",
    )
    reason = models.CharField("사유", max_length=200, blank=True)
    granted_at = models.DateTimeField("부여 일시")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="부여자",
    )
    revoked_at = models.DateTimeField("회수 일시", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="회수자",
    )
    revoke_reason = models.CharField("회수 사유", max_length=200, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = "역할 부여"
        verbose_name_plural = "역할 부여 이력"
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise GrantHistoryIsKept("역할 부여 이력은 지울 수 없습니다 (회수하십시오)")


# The scope of a grant is part of its history (R36): a department or device group named in a grant,
# even a revoked one, cannot be deleted from under it. (Same tables as Django's automatic ones.)


class GrantDepartment(models.Model):
    rolegrant = models.ForeignKey(RoleGrant, on_delete=models.PROTECT)
    department = models.ForeignKey("inventory.Department", on_delete=models.PROTECT)

    class Meta:
        db_table = "accounts_rolegrant_departments"
        unique_together = [("rolegrant", "department")]  # as Django's automatic table had it

    def __str__(self) -> str:
        return f"{self.rolegrant_id}: {self.department_id}"


class GrantDeviceGroup(models.Model):
    rolegrant = models.ForeignKey(RoleGrant, on_delete=models.PROTECT)
    devicegroup = models.ForeignKey("inventory.DeviceGroup", on_delete=models.PROTECT)

    class Meta:
        db_table = "accounts_rolegrant_device_groups"
        unique_together = [("rolegrant", "devicegroup")]

    def __str__(self) -> str:
        return f"{self.rolegrant_id}: {self.devicegroup_id}"


class LoginAddressThrottle(models.Model):
    """Failed logins from one client address, whichever accounts they tried (R37).

    The per-account lockout alone lets one password be tried against every account; counting per
    address as well refuses the address after settings.JIKIMI_ADDRESS_FAILURE_LIMIT failures within the
    window. A table rather than a cache: the app runs in several processes and has no shared cache.
    """

    address = models.CharField("접속지", max_length=100, unique=True)
    window_started_at = models.DateTimeField("집계 시작")
    failures = models.PositiveIntegerField("실패 횟수", default=0)
    blocked_until = models.DateTimeField("차단 해제 시각", null=True, blank=True)

    class Meta:
        verbose_name = "접속지별 로그인 실패"
        verbose_name_plural = "접속지별 로그인 실패"

    def __str__(self) -> str:
        return f"{self.address}: {self.failures}회"
