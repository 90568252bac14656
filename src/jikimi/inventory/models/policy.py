"""What the published policy states beside the groups: totals, the document's shape, its history."""

from __future__ import annotations

from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models.groups import DeviceGroup
from jikimi.inventory.models.organisation import Department, Institution, Officer


class DeclaredTotal(models.Model):
    """A total the policy states (e.g. 광양시 고정형 2,417대); the groups it covers must add up to it (R6)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="declared_totals")
    # Identity across imports, so that a re-import updates the statement in place (and its history).
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 합계를 가리키는 이름")
    label = models.CharField("구분", max_length=200)
    count = models.PositiveIntegerField("대수")
    kind = models.CharField("고정형/이동형", max_length=10, choices=DeviceGroup.Kind.choices, blank=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True)
    site = models.CharField("설치 위치", max_length=200, blank=True)
    legal_basis = models.CharField("설치 근거", max_length=40, blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "공표 합계"
        verbose_name_plural = "공표 합계"
        ordering = ["institution", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "key"], name="unique_declared_total_key")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.count}대"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): the whole institution, as the policy it is part of."""
        return Scope(self.institution_id)


class PolicyDocument(models.Model):
    """How this institution's 운영·관리방침 is written: its title, preamble, articles and dates.

    `sections` is the ordered list of the seed document's own sections. Each is either
    {"title": …, "generated": KEY} — its body is generated from the register (KEY one of
    `GENERATED_SECTIONS`) — or {"title": …, "body": "free text"} for text the institution wrote.
    """

    GENERATED_SECTIONS: dict[str, str] = {
        "labelling": "주요 개인정보 처리 표시(라벨링)",
        "fixed_purposes": "고정형 영상정보처리기기의 설치 근거 및 설치 목적 (법 제25조①)",
        "mobile_purposes": "이동형 영상정보처리기기의 설치 근거 및 설치 목적 (법 제25조의2①)",
        "counts_summary": "설치 대수, 설치 위치 및 촬영 범위 요약 (고정형/이동형 합계)",
        "operation_table": "설치 및 운영 현황 표 (부서·목적·대수·위치·촬영시간·고지방법·보관·관제·책임자)",
        "group_cards": "영상정보처리기기 운영현황 (기기 묶음마다 한 단락, 위치 목록 포함)",
        "managers": "관리책임자 및 접근권한자",
        "managers_by_purpose": "설치 목적별 관리부서·관리책임자·접근권한자 (대수 없이)",
        "operation_by_department": "부서별 운영 방식 (자체·위탁)",
        "recording_retention": "촬영시간, 보관기간, 보관장소 및 처리방법",
        "processing_records": "개인영상정보 처리 기록·파기·분리 보관",
        "provision": "개인영상정보의 목적 외 이용 및 제3자 제공 (법 제18조②)",
        "provision_procedure": "요청 및 제공 절차 표",
        "outsourcing": "설치 및 관리 등의 위탁",
        "viewing_method_place": "개인영상정보의 확인 방법 및 장소",
        "subject_rights": "정보주체의 열람 등 요구에 대한 조치 (거부 사유, 10일)",
        "safety_measures": "안전성 확보조치 (기술적·관리적·물리적)",
        "signage": "안내판 설치",
        "privacy_officer": "개인정보 보호책임자 및 담당부서",
        "remedies": "권익침해 구제방법",
        "change_history": "방침 변경에 관한 사항 (공고일·시행일·변경 이력)",
        "request_form": "개인영상정보 열람·존재확인 청구서 (별지)",
    }

    institution = models.OneToOneField(Institution, on_delete=models.CASCADE, related_name="policy_document")
    title = models.CharField("제목", max_length=200, default="영상정보처리기기 운영·관리방침")
    kind = models.CharField(
        "형식",
        max_length=30,
        default="standalone",
        choices=[
            ("standalone", "독립 방침"),
            ("within_privacy_policy", "개인정보 처리방침 안의 조항"),
            ("guideline", "지침"),
        ],
        help_text="시행령 제25조②: 개인정보 처리방침 안에 둘 수 있음 (R5)",
    )
    article_style = models.CharField(
        "조문 형식",
        max_length=20,
        default="article",
        choices=[("article", "제N조"), ("numbered", "N."), ("heading", "제목만")],
    )
    preamble = models.TextField("머리말", blank=True)
    sections = models.JSONField("구성", default=list)
    change_notice_days = models.PositiveIntegerField(
        "사전 공지 일수", default=7, help_text="R7: 템플릿 관행 (경고만)"
    )
    first_enacted_on = models.DateField("최초 제정일", null=True, blank=True)
    announced_on = models.DateField("공고일", null=True, blank=True)
    effective_on = models.DateField("시행일", null=True, blank=True)
    content_department = models.CharField("콘텐츠 관리부서", max_length=100, blank=True)
    content_phone = models.CharField("담당전화", max_length=40, blank=True)
    privacy_officer = models.ForeignKey(
        Officer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="개인정보 보호책임자",
    )
    privacy_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="개인정보보호 담당부서",
    )
    privacy_contact = models.ForeignKey(
        Officer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="개인정보보호 담당자",
    )
    # A policy of one department (a 사업소's own 방침): it states that department's devices only.
    scope_department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="방침 적용 부서",
    )

    class Meta:
        verbose_name = "운영·관리방침 구성"
        verbose_name_plural = "운영·관리방침 구성"

    def __str__(self) -> str:
        return f"{self.institution.name} {self.title}"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): the whole institution."""
        return Scope(self.institution_id)


class PolicyRevision(models.Model):
    """A past revision as the institution's own history lists it (최초 제정, 1차 개정, …)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="policy_revisions")
    key = models.SlugField("식별자", max_length=60, help_text="대장 파일 안에서 이 제·개정을 가리키는 이름")
    label = models.CharField("제·개정 회차", max_length=60)
    valid_from = models.DateField("적용 시작")
    valid_until = models.DateField("적용 끝", null=True, blank=True)
    note = models.CharField("비고", max_length=200, blank=True)
    position = models.PositiveIntegerField("순서", default=0)

    class Meta:
        verbose_name = "방침 제·개정 이력"
        verbose_name_plural = "방침 제·개정 이력"
        ordering = ["institution", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "key"], name="unique_policy_revision_key")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.valid_from}~{self.valid_until or '현재'})"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): the whole institution, as the policy it is part of."""
        return Scope(self.institution_id)
