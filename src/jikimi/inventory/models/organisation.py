"""The institution and the people and bodies its register names: departments, officers, contractors."""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.rules.retention import STANDARD_DESTRUCTION_GRACE_DAYS


class Institution(models.Model):
    """A public body that operates video devices (군산시, 인천광역시, …)."""

    name = models.CharField("기관명", max_length=100, unique=True)
    slug = models.SlugField(
        "식별자", max_length=60, unique=True, help_text="URL에 쓰는 영문 식별자 (예: gunsan)"
    )
    scope_statement = models.CharField(
        "적용 범위", max_length=200, blank=True, help_text="예: 본청 및 소속기관을 포함하며"
    )
    address = models.CharField("주소", max_length=200, blank=True)
    phone = models.CharField("대표전화", max_length=40, blank=True)
    website = models.URLField("홈페이지", blank=True)
    head_title = models.CharField("기관장 직함", max_length=60, blank=True, help_text="서식의 '○○시장 귀하'")
    source = models.TextField("출처", blank=True, help_text="이 대장의 근거가 된 공개 문서")
    notes = models.TextField("비고", blank=True)
    # R17: expired footage is destroyed within this many days (표준지침: 5). The policy states it and
    # the retention sweep's deadline counts it (jikimi.rules.retention.destruction_deadline).
    destruction_grace_days = models.PositiveSmallIntegerField(
        "파기 기한 (만료 후 일수)",
        default=STANDARD_DESTRUCTION_GRACE_DAYS,
        validators=[MaxValueValidator(30)],
        help_text="보관기간 만료 후 며칠 안에 파기하는지 (표준지침: 5일)",
    )
    # R1: bases the policy states once for the whole institution rather than on every group (issue 16):
    # a group that states none rests on these. Codes of jikimi.rules.purposes (FixedPurpose, MobilePurpose).
    legal_bases = models.JSONField("설치 근거 (고정형 전체)", default=list, blank=True)
    mobile_legal_bases = models.JSONField("설치 근거 (이동형 전체)", default=list, blank=True)
    # 이동형 devices may rest on an internal rule the institution names (e.g. its own 운영 규정).
    mobile_rule = models.CharField(
        "이동형 운영 근거 규정",
        max_length=200,
        blank=True,
        help_text="예: 「○○군 이동형 영상정보처리기기 운영 규정」",
    )

    class Meta:
        verbose_name = "기관"
        verbose_name_plural = "기관"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return Scope(self.pk)


class Department(models.Model):
    """A department (부서) or affiliated body (소속기관, 동 주민센터) of the institution."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="departments")
    # Identity across imports: accounts, grants and groups point at the department, so a renamed
    # department (조직 개편) is updated in place. The file's references use the name, as people write.
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 부서의 변하지 않는 이름")
    name = models.CharField("부서명", max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    phone = models.CharField("전화번호", max_length=40, blank=True)
    # How the department runs its devices, where the policy says so ("자체" / "위탁", issue 16): empty
    # when it does not — never assumed. The contractor only where the policy names it.
    operation = models.CharField(
        "운영 방식",
        max_length=12,
        blank=True,
        choices=[("own", "자체"), ("outsourced", "위탁")],
        help_text="공개 문서가 밝힌 때만: 자체 운영 또는 위탁 운영",
    )
    operator = models.ForeignKey(
        "Contractor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="operated_departments",
        verbose_name="운영 수탁자",
    )
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "부서"
        verbose_name_plural = "부서"
        ordering = ["institution", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="unique_department_name"),
            models.UniqueConstraint(fields=["institution", "key"], name="unique_department_key"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return Scope(self.institution_id, self.pk)


class Officer(models.Model):
    """A person named in the register: 관리책임자, 관리담당자, 접근권한자, 개인정보 보호책임자."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="officers")
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 사람을 가리키는 이름")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )
    name = models.CharField("성명", max_length=60, blank=True, help_text="공개 문서가 직위만 밝히면 비워 둠")
    position = models.CharField("직위", max_length=60, blank=True)
    grade = models.CharField("직급", max_length=40, blank=True)
    team = models.CharField("팀", max_length=60, blank=True)
    phone = models.CharField("전화번호", max_length=40, blank=True)
    email = models.EmailField("이메일", blank=True)
    position_order = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "담당자"
        verbose_name_plural = "담당자"
        ordering = ["institution", "position_order", "key"]
        constraints = [models.UniqueConstraint(fields=["institution", "key"], name="unique_officer_key")]

    def __str__(self) -> str:
        return " ".join(part for part in (self.position, self.name) if part) or self.key

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): its department's, else the whole institution's."""
        return Scope(self.institution_id, self.department_id)


class Contractor(models.Model):
    """위탁 (outsourcing) of installation, maintenance or monitoring. 시행령 제26조 (R33, R34)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="contractors")
    key = models.SlugField("식별자", max_length=60)
    task = models.CharField("위탁업무", max_length=200)
    company = models.CharField("수탁자", max_length=100)
    contact = models.CharField("연락처", max_length=60, blank=True)
    period_start = models.DateField("위탁기간 시작", null=True, blank=True)
    period_end = models.DateField("위탁기간 끝", null=True, blank=True)
    supervising_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_contracts",
        verbose_name="감독부서",
    )
    # 시행령 제26조①: the five items the written contract must contain (R33).
    clause_purpose_scope = models.BooleanField("위탁업무의 목적 및 범위", default=False)
    clause_subcontract_limit = models.BooleanField("재위탁 제한", default=False)
    clause_access_safety = models.BooleanField("접근 제한 등 안전성 확보조치", default=False)
    clause_inspection = models.BooleanField("관리현황 점검", default=False)
    clause_liability = models.BooleanField("손해배상 등 책임", default=False)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "위탁"
        verbose_name_plural = "위탁"
        ordering = ["institution", "position", "key"]
        constraints = [models.UniqueConstraint(fields=["institution", "key"], name="unique_contractor_key")]

    def __str__(self) -> str:
        return f"{self.company} ({self.task})"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): the institution (a contract serves many groups)."""
        return Scope(self.institution_id)
