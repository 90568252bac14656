"""The operating committee (영상정보처리기기 운영위원회, 오산시 지침 제24조): members and their terms,
meetings, agenda items and decisions, a decision linked to the provisions it reviewed (제24조②4호)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.rules.control_room import MembershipKind


class CommitteeMember(models.Model):
    class Kind(models.TextChoices):
        EX_OFFICIO = MembershipKind.EX_OFFICIO.value, "당연직"  # 제24조④
        APPOINTED = MembershipKind.APPOINTED.value, "위촉직"  # 제24조⑤

    class Office(models.TextChoices):
        CHAIR = "chair", "위원장"  # 제24조③: 시장
        VICE_CHAIR = "vice_chair", "부위원장"
        MEMBER = "member", "위원"

    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("성명", max_length=60)
    affiliation = models.CharField("소속·직위", max_length=100)
    kind = models.CharField("구분", max_length=20, choices=Kind.choices)
    office = models.CharField("직책", max_length=20, choices=Office.choices, default=Office.MEMBER)
    recommended_by = models.CharField("추천 기관(위촉직)", max_length=100, blank=True)  # 제24조⑤ 각 호

    class Meta:
        verbose_name = "운영위원"
        verbose_name_plural = "운영위원"
        ordering = ["office", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)


class CommitteeTerm(models.Model):
    """One term of an appointed member (제24조⑥: 2 years, renewable once; checked by jikimi.rules)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="terms")
    starts_on = models.DateField("임기 시작")
    ends_on = models.DateField("임기 끝")
    renewal = models.BooleanField("연임", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("기록 시각")

    class Meta:
        verbose_name = "위원 임기"
        verbose_name_plural = "위원 임기"
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.starts_on}~{self.ends_on}"


class Meeting(models.Model):
    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("개최일")
    title = models.CharField("회의명", max_length=100)
    place = models.CharField("장소", max_length=100, blank=True)
    attendees = models.ManyToManyField(
        CommitteeMember, blank=True, related_name="meetings", verbose_name="참석 위원"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("기록 시각")

    class Meta:
        verbose_name = "운영위원회 회의"
        verbose_name_plural = "운영위원회 회의"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)


class AgendaItem(models.Model):
    class Topic(models.TextChoices):
        # 제24조② 각 호
        INTERNAL_RULES = "internal_rules", "내부규정 마련·심의"
        BUDGET_STAFFING = "budget_staffing", "예산·인력 협의 조정"
        OPERATOR_QUALIFICATION = "operator_qualification", "관제요원 선발 자격 기준 심의"
        OUT_OF_PURPOSE = "out_of_purpose", "보유목적 외 이용·제공 심의"
        OTHER = "other", "그 밖의 통합관리 사항"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    topic = models.CharField("안건 구분", max_length=30, choices=Topic.choices)
    title = models.CharField("안건", max_length=200)

    class Meta:
        verbose_name = "안건"
        verbose_name_plural = "안건"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> Scope:
        return self.meeting.audit_scope()


class Decision(models.Model):
    class Outcome(models.TextChoices):
        ADOPTED = "adopted", "원안 의결"
        AMENDED = "amended", "수정 의결"
        REJECTED = "rejected", "부결"
        DEFERRED = "deferred", "보류"

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField("의결 결과", max_length=10, choices=Outcome.choices)
    text = models.TextField("의결 내용")
    provisions = models.ManyToManyField(
        "disclosure.ProvisionCase", blank=True, related_name="+", verbose_name="심의한 제3자 제공"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("기록 시각")

    class Meta:
        verbose_name = "의결"
        verbose_name_plural = "의결"

    def __str__(self) -> str:
        return f"{self.item}: {self.get_outcome_display()}"

    def audit_scope(self) -> Scope:
        return self.item.audit_scope()
