"""The append-only audit log. Only `jikimi.audit.actions.record` writes it."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from jikimi.audit.events import label_of
from jikimi.audit.scope import Scope


class AppendOnly(RuntimeError):
    """The audit log is never updated or deleted through the application (R40)."""


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    # The database refuses these too (migration 0002); refusing here gives a clear error earlier.
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("감사 기록은 고칠 수 없습니다")

    def delete(self) -> NoReturn:
        raise AppendOnly("감사 기록은 지울 수 없습니다")


class AuditEntry(models.Model):
    """Who did what, to which target, why, when and from where (R39, R41).

    Append-only: `jikimi.audit.actions.record` creates entries; nothing updates or deletes them.
    """

    sequence = models.PositiveBigIntegerField("순번", unique=True)
    at = models.DateTimeField("일시", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="행위자",
    )
    actor_label = models.CharField("행위자 표시", max_length=200)
    action = models.CharField("행위", max_length=80, db_index=True)
    target_type = models.CharField("대상 유형", max_length=80, blank=True)
    target_id = models.CharField("대상 식별자", max_length=80, blank=True)
    target_label = models.CharField("대상", max_length=300, blank=True)
    reason = models.TextField("목적·사유", blank=True)
    client_address = models.CharField("접속지", max_length=100, blank=True)
    details = models.JSONField("세부", default=dict, blank=True)
    # Where the entry belongs (R36: the log is scoped as the footage it describes), fixed when written
    # and hashed with the entry (jikimi.audit.scope). Plain ids, not foreign keys: audit sits below the
    # register, and an entry outlives what it names.
    scope_institution = models.PositiveBigIntegerField("기관 범위", null=True, blank=True, db_index=True)
    scope_department = models.PositiveBigIntegerField("부서 범위", null=True, blank=True, db_index=True)
    scope_device_group = models.PositiveBigIntegerField(
        "기기 묶음 범위", null=True, blank=True, db_index=True
    )
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "감사 기록"
        verbose_name_plural = "감사 기록"
        ordering = ["sequence"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("감사 기록은 고칠 수 없습니다")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("감사 기록은 지울 수 없습니다")

    @property
    def scope(self) -> Scope:
        return Scope(self.scope_institution, self.scope_department, self.scope_device_group)

    @property
    def action_label(self) -> str:
        """The event's Korean label (jikimi.audit.events)."""
        return label_of(self.action)


class LegacyScope(models.Model):
    """The scope of an entry written before entries carried one, derived from its target (migration 0004).

    R36: the log written before the upgrade must not stay open to every institution's auditors. Those
    entries cannot be given a hashed scope without breaking their hashes, so their scope is kept here,
    beside the chain: it decides only who reads the entry, never what the entry says. Entries written
    since carry their own scope, hashed (AuditEntry.scope_*), and have no row here.
    """

    entry = models.OneToOneField(
        AuditEntry,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # never in the way of the log's own rules
        primary_key=True,
        related_name="legacy_scope",
    )
    institution = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    department = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    device_group = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = "이전 감사 기록의 범위"

    def __str__(self) -> str:
        return f"#{self.entry_id}: {self.institution}/{self.department}/{self.device_group}"


class ChainHead(models.Model):
    """One row: the sequence and hash of the last entry. Locked while appending, so appends are serial."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "감사 기록 체인 머리"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.entry_hash[:12]}"


class AuditReview(models.Model):
    """A month of the log reviewed and signed off (안전성 확보조치 기준 제8조②, R40: 월 1회 이상 점검).

    A review covers what its reviewer may read (`scope_key`: jikimi.audit.scope.ReadableScope.key), so
    an institution's auditor and a department's each sign their own; the same month and scope is
    signed once (the constraint below). Signing is recorded in the log (audit.sign_review).
    """

    month = models.DateField("점검 월")  # the first day of the month
    scope_key = models.CharField("점검 범위 식별", max_length=200)
    covers = models.CharField("점검 범위", max_length=200)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="점검자"
    )
    reviewer_label = models.CharField("점검자 표시", max_length=200)
    signed_at = models.DateTimeField("확인 일시")
    comment = models.TextField("점검 의견")
    # Where the review's own audit entry belongs (R36): the reviewer's institution and department.
    scope_institution = models.PositiveBigIntegerField(null=True, blank=True)
    scope_department = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "접속기록 월간 점검"
        verbose_name_plural = "접속기록 월간 점검"
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["month", "scope_key"], name="audit_review_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y년 %m월} 접속기록 점검 ({self.covers})"

    def audit_scope(self) -> Scope:
        return Scope(self.scope_institution, self.scope_department)
