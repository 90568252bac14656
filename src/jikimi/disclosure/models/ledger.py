"""The 관리대장 (영상정보 이용·제공·열람·파기 관리대장; R26, R30; 오산시 지침 별지 제2호서식, 시행령 제15조).

One ledger per institution, fed by every 이용, 제공, 열람 and 파기 — from requests, provisions and the
vault's destructions — through the audit log (jikimi.audit.signals.entries_recorded), so that it holds
exactly the steps that were audited, in the same transaction. An entry is never edited: a mistake is
corrected by a new entry that cites the old one (`corrects`).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope

# The 결재 is the one thing added to a written entry: by the approver, once (jikimi.disclosure.actions.ledger).
APPROVAL_FIELDS = frozenset({"approved_by", "approved_by_name", "approved_at"})


class LedgerImmutable(RuntimeError):
    """A ledger entry is never edited nor deleted: a mistake is corrected by a new entry (R26)."""


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise LedgerImmutable("관리대장 기록은 고칠 수 없습니다. 정정 기록을 새로 남기십시오")

    def delete(self) -> NoReturn:
        raise LedgerImmutable("관리대장 기록은 지울 수 없습니다")


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        # 별지 제2호 구분
        USE = "use", "이용"
        PROVISION = "provision", "제공"
        VIEWING = "viewing", "열람"
        DESTRUCTION = "destruction", "파기"

    institution = models.ForeignKey("inventory.Institution", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField("번호")  # per institution, in order of entry
    kind = models.CharField("구분", max_length=12, choices=Kind.choices)
    occurred_at = models.DateTimeField("일시")
    file_description = models.TextField("파일명/형태")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_name = models.CharField("담당자", max_length=200)
    purpose = models.TextField("목적/사유")
    party = models.CharField("이용·제공받는 제3자/열람등 요구자", max_length=300, blank=True)
    legal_basis = models.CharField("이용·제공 근거", max_length=300, blank=True)
    form = models.CharField("이용·제공 형태", max_length=200, blank=True)
    period = models.CharField("기간", max_length=200, blank=True)
    # 시행령 제15조 (R30): the items provided and the limits asked of the recipient.
    items = models.CharField("제공 항목", max_length=300, blank=True)
    limits = models.TextField("제공받는 자에게 요구한 제한", blank=True)

    # 결재: an electronic approval recorded by the approver (not a blank column).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by_name = models.CharField("결재자", max_length=200, blank=True)
    approved_at = models.DateTimeField("결재 시각", null=True, blank=True)

    # Where it came from: its case, the audit entry that wrote it.
    subject_request = models.ForeignKey(
        "disclosure.SubjectRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provision = models.ForeignKey(
        "disclosure.ProvisionCase", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    destruction = models.ForeignKey(
        "vault.Destruction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The entry's id, without a database constraint: the audit log sits below the ledger and must stay
    # free to archive its old entries (R39) and to refuse a TRUNCATE by its own trigger (R40); the
    # ledger keeps the reference (an archived entry lives on in the archive).
    audit_entry = models.ForeignKey(
        "audit.AuditEntry",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    device_ids = models.JSONField("관련 기기", default=list, blank=True)
    # The same devices as a relation, for the page's device filter and for scope (R36): a person whose
    # VIEW_LEDGER covers some device groups reads the entries about their devices.
    devices = models.ManyToManyField("inventory.Device", blank=True, related_name="+")
    body_name = models.CharField("요청 기관", max_length=100, blank=True)

    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    correction_reason = models.TextField("정정 사유", blank=True)
    created_at = models.DateTimeField("기록 시각", auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "관리대장"
        verbose_name_plural = "관리대장"
        ordering = ["institution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="disclosure_ledger_number_unique")
        ]

    def __str__(self) -> str:
        return f"관리대장 {self.number} ({self.get_kind_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert; afterwards only the 결재 may be added, once (the approver's sign-off, not an edit)."""
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= APPROVAL_FIELDS:
                raise LedgerImmutable("관리대장 기록은 고칠 수 없습니다. 정정 기록을 새로 남기십시오")
            if type(self).objects.filter(pk=self.pk, approved_at__isnull=False).exists():
                raise LedgerImmutable(f"관리대장 {self.number}번은 이미 결재되었습니다")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise LedgerImmutable("관리대장 기록은 지울 수 없습니다")

    def audit_scope(self) -> Scope:
        return Scope(self.institution_id)

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
