"""The controlled room (오산시 지침 제22조, 제31조①; R41): visits approved in advance, the security check
at shift change and at a visitor's exit, and the door-access system's log matched against both."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope

# 제22조③: "영상정보 자료가 유출되지 않도록" — what the check confirms, one box each.
CHECKLIST: dict[str, str] = {
    "no_recording_device": "촬영·녹음 장비를 반출하지 않음",
    "no_storage_media": "USB 등 저장매체를 반출하지 않음",
    "no_printouts": "영상 출력물·화면 사진을 반출하지 않음",
    "screens_locked": "관제 화면·단말기 잠금 확인",
    "badge_returned": "출입증 반납",
}


class Visit(models.Model):
    """A visit to the control centre by someone who does not work there: requested, approved in advance
    by the head of the centre (제22조②), then the actual entry and exit with the escort."""

    class State(models.TextChoices):
        REQUESTED = "requested", "승인 대기"
        APPROVED = "approved", "승인"
        REFUSED = "refused", "거부"
        INSIDE = "inside", "출입 중"
        LEFT = "left", "퇴실"

    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    visitor_name = models.CharField("방문자 성명", max_length=60)
    organisation = models.CharField("소속", max_length=100)
    purpose = models.CharField("방문 목적", max_length=200)
    visit_on = models.DateField("방문일")
    host = models.CharField("방문 대상(면담자)", max_length=60)
    state = models.CharField("상태", max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="신청 접수자"
    )
    requested_at = models.DateTimeField("신청 시각")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="승인권자",
    )
    decided_at = models.DateTimeField("승인·거부 시각", null=True, blank=True)
    decision_note = models.CharField("승인·거부 의견", max_length=200, blank=True)
    badge = models.CharField("출입증 번호", max_length=40, blank=True)
    escort = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="동행자",
    )
    entered_at = models.DateTimeField("입실 시각", null=True, blank=True)
    left_at = models.DateTimeField("퇴실 시각", null=True, blank=True)

    class Meta:
        verbose_name = "방문"
        verbose_name_plural = "방문 기록"
        ordering = ["-visit_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.visitor_name} ({self.organisation}) {self.visit_on:%Y-%m-%d}"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)


class SecurityCheck(models.Model):
    """The security check of 제22조③: at a shift change (the outgoing staff) or at a visitor's exit."""

    class Occasion(models.TextChoices):
        SHIFT_CHANGE = "shift_change", "근무 교대"
        VISITOR_EXIT = "visitor_exit", "방문자 퇴실"

    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField("검색 시점", max_length=20, choices=Occasion.choices)
    visit = models.OneToOneField(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="exit_check", verbose_name="방문"
    )
    shift = models.ForeignKey(
        "control.Shift",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="근무조",
    )
    checked_person = models.CharField("검색 대상", max_length=60)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="검색자"
    )
    checked_at = models.DateTimeField("검색 시각")
    confirmed = models.JSONField("확인 항목", default=list)  # keys of CHECKLIST
    findings = models.CharField("특이 사항", max_length=300, blank=True)

    class Meta:
        verbose_name = "보안검색"
        verbose_name_plural = "보안검색 기록"
        ordering = ["-checked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} {self.checked_person}"

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)

    @property
    def all_clear(self) -> bool:
        return set(CHECKLIST) <= set(self.confirmed) and not self.findings

    def confirmed_labels(self) -> list[str]:
        return [CHECKLIST[key] for key in CHECKLIST if key in self.confirmed]


class DoorLogImport(models.Model):
    """One file of the door-access system's log, imported whole or not at all (R41: room entry logged)."""

    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField("파일", max_length=200)
    sha256 = models.CharField("해시(SHA-256)", max_length=64)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="가져온 사람"
    )
    imported_at = models.DateTimeField("가져온 시각")

    class Meta:
        verbose_name = "출입통제기록 가져오기"
        verbose_name_plural = "출입통제기록 가져오기"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)


class DoorEntry(models.Model):
    """One passage through the control room's door, matched to a visit or a staff account, or flagged."""

    class Direction(models.TextChoices):
        IN = "in", "입실"
        OUT = "out", "퇴실"

    source = models.ForeignKey(DoorLogImport, on_delete=models.PROTECT, related_name="entries")
    line = models.PositiveIntegerField("행")
    passed_at = models.DateTimeField("통과 시각")
    card = models.CharField("카드 번호", max_length=40)
    name = models.CharField("성명", max_length=60)
    door = models.CharField("출입문", max_length=60)
    direction = models.CharField("구분", max_length=3, choices=Direction.choices)
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="door_entries"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unapproved = models.BooleanField("승인 없는 출입", default=False)

    class Meta:
        verbose_name = "출입통제기록"
        verbose_name_plural = "출입통제기록"
        ordering = ["passed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.passed_at:%Y-%m-%d %H:%M}"
