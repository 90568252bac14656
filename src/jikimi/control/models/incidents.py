"""Incidents seen on the control centre's screens (오산시 지침 제21조③).

An operator who sees a crime, an accident, a fire or a disaster logs it with the camera and the moment
(the bookmark: device + moment in the vault's footage); the seconded police officer (상황실 근무
경찰공무원) is told at once in the app (an unread `IncidentNotice`) and records the report to the 112
지령실 or the 재난상황실 (time and receiver). The footage around the bookmark is kept apart under a
legal hold (법 제21조③, R18) placed with the incident; follow-ups and the closure are recorded, the
closure deciding whether the hold ends or is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.inventory.models import Device, Institution
from jikimi.vault.models import LegalHold


class Incident(models.Model):
    class Kind(models.TextChoices):
        CRIME = "crime", "범죄"
        ACCIDENT = "accident", "사고"
        FIRE = "fire", "화재"
        DISASTER = "disaster", "재난·재해"
        OTHER = "other", "기타"

    class State(models.TextChoices):
        LOGGED = "logged", "경찰 보고됨(통보 전)"
        REPORTED = "reported", "유관기관 통보됨"
        CLOSED = "closed", "종결"

    class Channel(models.TextChoices):
        POLICE_112 = "112", "경찰서 112지령실"
        DISASTER_ROOM = "disaster_room", "재난상황실"
        FIRE_119 = "119", "소방 119"
        OTHER = "other", "기타 업무기관·부서"

    class HoldDecision(models.TextChoices):
        RELEASE = "release", "분리 보관 해제"
        KEEP = "keep", "분리 보관 유지"

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="incidents")
    # "2026-0007": per institution and year (Asia/Seoul), the number the 112 report and a provision cite.
    number = models.CharField("사건 번호", max_length=20)
    kind = models.CharField("구분", max_length=10, choices=Kind.choices)
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="incidents", verbose_name="기기"
    )
    # The bookmark: the moment of the device's footage where it is seen.
    seen_at = models.DateTimeField("발견 시각 (UTC)")
    description = models.TextField("상황")
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField("기록 시각")
    state = models.CharField("상태", max_length=10, choices=State.choices, default=State.LOGGED)
    hold = models.ForeignKey(
        LegalHold, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="분리 보관"
    )
    # 제21조③: the police officer's report to the body that responds.
    reported_at = models.DateTimeField("통보 시각", null=True, blank=True)
    report_channel = models.CharField("통보 기관", max_length=15, choices=Channel.choices, blank=True)
    report_receiver = models.CharField("접수자", max_length=100, blank=True)
    report_note = models.CharField("통보 내용", max_length=500, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("종결 시각", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.CharField("종결 내용", max_length=500, blank=True)
    hold_decision = models.CharField(
        "분리 보관 결정", max_length=10, choices=HoldDecision.choices, blank=True
    )

    class Meta:
        verbose_name = "관제 사건"
        verbose_name_plural = "관제 사건"
        ordering = ["-logged_at"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="control_incident_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()} {self.device.name}"

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36): its camera's group."""
        return self.device.audit_scope()

    @property
    def open(self) -> bool:
        return self.state != self.State.CLOSED


class IncidentNotice(models.Model):
    """제21조③ "즉시 보고": an incident shown to one seconded police officer, unread until he opens it."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="notices")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField("통보 시각")
    read_at = models.DateTimeField("확인 시각", null=True, blank=True)

    class Meta:
        verbose_name = "사건 통보"
        verbose_name_plural = "사건 통보"
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["incident", "recipient"], name="control_notice_once")]

    def __str__(self) -> str:
        return f"{self.incident.number} → {self.recipient}"


class IncidentFollowUp(models.Model):
    """What was done after the report (출동, 검거, 인계 …), in order."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="follow_ups")
    written_at = models.DateTimeField("기록 시각")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("후속 조치", max_length=500)

    class Meta:
        verbose_name = "사건 후속 조치"
        verbose_name_plural = "사건 후속 조치"
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.incident.number} {self.note[:40]}"
