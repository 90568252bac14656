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
    "accounts.view_course": "manage_training",  # the menu's 교육 이수 (R48)
    "accounts.view_contract": "manage_contracts",  # the menu's 위탁 계약 (R33)
    "audit.view_auditentry": "read_audit",
    "disclosure.view_ledgerentry": "view_ledger",
    "vault.view_device": "view_footage",
    "inventory.view_devicegroup": "view_register",
    "disclosure.view_subjectrequest": "handle_requests",
    "disclosure.view_provisioncase": "handle_provisions",
    # The control centre's head decides urgent provisions without handling any (오산시 지침 제32조③).
    "disclosure.approve_provisioncase": "approve_urgent_provisions",
    # The control centre's page (오산시 지침 제21조: who is on duty) and its menu item.
    "control.view_shift": "view_control_centre",
    "control.view_liveviewing": "watch_live",  # the live wall (issue 17)
    # The control centre (오산시 지침 제21조③, 제27조, 제31조④).
    "control.view_incident": "log_incidents",
    "control.report_incident": "report_incidents",
    "control.view_maintenanceticket": "view_health",
    "control.view_selfinspection": "view_self_inspection",  # the yearly self-inspection (R8)
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
    # R47, 오산시 지침 제16조③, 제21조③: a police officer seconded to the control centre by the 경찰서장
    # (상황실 근무 경찰공무원): sees the 방범 cameras only (jikimi.control.live_queries); operators report
    # what they see to him and he passes it on to 112 or the 재난상황실 (jikimi.control incidents).
    SECONDED_POLICE = "seconded_police", "파견 경찰관(통합관제센터)"
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


# ---- training (오산시 지침 제28조, 제25조④; R48) -------------------------------------------------


class Course(models.Model):
    """A course the institution requires of the holders of some roles (오산시 지침 제28조①).

    Required of whoever holds one of `roles` in the institution; a completion holds `validity_months`.
    Recorded by jikimi.accounts.actions.training; read by jikimi.accounts.training.
    """

    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="courses", verbose_name="기관"
    )
    name = models.CharField("교육 과정", max_length=100)
    roles = models.JSONField("이수 대상 역할", default=list)  # Role values
    validity_months = models.PositiveSmallIntegerField("유효기간(개월)", default=12)
    created_at = models.DateTimeField("등록 일시")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="등록자"
    )

    class Meta:
        verbose_name = "교육 과정"
        verbose_name_plural = "교육 과정"
        ordering = ["institution", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="unique_course_name")]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)

    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles if role in Role.values]


class TrainingCompletion(models.Model):
    """One person's completion of a course, with the evidence (수료증, 출석부…). Never edited: a later
    completion is a new row, and the latest counts."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions"
    )
    completed_on = models.DateField("이수일")
    evidence = models.CharField("증빙", max_length=200)
    recorded_at = models.DateTimeField("기록 일시")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="기록자"
    )

    class Meta:
        verbose_name = "교육 이수"
        verbose_name_plural = "교육 이수"
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} — {self.course} ({self.completed_on})"


# ---- outsourcing contracts (시행령 제26조, 오산시 지침 제25조; R33–R35) ------------------------------


class Contract(models.Model):
    """A written outsourcing contract (위탁 계약) and where each clause of 시행령 제26조① stands in it.

    A clause is recorded as present by saying where it is ("제7조"); blank means not recorded. The
    contractor's staff (ContractStaff) work only while the contract is in force and all five clauses
    are recorded (R33; jikimi.accounts.contracts).
    """

    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="contracts", verbose_name="기관"
    )
    contractor_name = models.CharField("수탁자", max_length=100)
    # The register's record of the same 위탁 (inventory.Contractor, 시행령 제26조: the published
    # policy names it), where the register has one with this contractor's name; kept when the register
    # is re-imported without it (SET_NULL: the contract stands on its own).
    contractor = models.ForeignKey(
        "inventory.Contractor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name="대장의 위탁",
    )
    task = models.CharField("위탁업무", max_length=200)
    contact = models.CharField("수탁자 연락처", max_length=60, blank=True)
    period_start = models.DateField("위탁기간 시작")
    period_end = models.DateField("위탁기간 끝")
    # 시행령 제26조① 제1호–제5호: where the contract says it (jikimi.rules.people_duties.CONTRACT_CLAUSES).
    clause_purpose_scope = models.CharField("목적 및 범위(계약서 위치)", max_length=100, blank=True)
    clause_subcontract_limit = models.CharField("재위탁 제한(계약서 위치)", max_length=100, blank=True)
    clause_access_safety = models.CharField("접근 제한 등 안전조치(계약서 위치)", max_length=100, blank=True)
    clause_inspection = models.CharField("관리 현황 점검(계약서 위치)", max_length=100, blank=True)
    clause_liability = models.CharField("손해배상 등 책임(계약서 위치)", max_length=100, blank=True)
    # The nearest threshold of CONTRACT_ALERT_DAYS already alerted (each is sent once).
    alerted_days = models.PositiveSmallIntegerField("종료 알림 발송(일 전)", null=True, blank=True)
    created_at = models.DateTimeField("등록 일시")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="등록자"
    )

    class Meta:
        verbose_name = "위탁 계약"
        verbose_name_plural = "위탁 계약"
        ordering = ["institution", "-period_end", "contractor_name"]

    def __str__(self) -> str:
        return (
            f"{self.contractor_name} ({self.task}, {self.period_start:%Y.%m.%d}~{self.period_end:%Y.%m.%d})"
        )

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)

    def clause_where(self) -> dict[str, str]:
        """Where each clause stands, by the keys of jikimi.rules.people_duties.CONTRACT_CLAUSES."""
        return {
            "purpose_scope": self.clause_purpose_scope,
            "subcontract_limit": self.clause_subcontract_limit,
            "access_safety": self.clause_access_safety,
            "inspection": self.clause_inspection,
            "liability": self.clause_liability,
        }


class ContractStaff(models.Model):
    """A contractor's employee working under a contract. Released, not deleted: who worked when stays."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contract_staff"
    )
    assigned_at = models.DateTimeField("배정 일시")
    released_at = models.DateTimeField("해제 일시", null=True, blank=True)

    class Meta:
        verbose_name = "수탁자 직원"
        verbose_name_plural = "수탁자 직원"
        ordering = ["contract", "assigned_at"]

    def __str__(self) -> str:
        return f"{self.contract.contractor_name}: {self.user}"


class ContractorInspection(models.Model):
    """수탁자 점검 (시행령 제26조④, 오산시 지침 제25조③): what was inspected, found, and done after."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="inspections")
    inspected_on = models.DateField("점검일")
    inspected = models.TextField("점검 내용")
    findings = models.TextField("점검 결과")
    follow_up = models.TextField("후속 조치", blank=True)
    recorded_at = models.DateTimeField("기록 일시")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name="기록자"
    )

    class Meta:
        verbose_name = "수탁자 점검"
        verbose_name_plural = "수탁자 점검"
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract.contractor_name} 점검 ({self.inspected_on})"
