"""Published policy versions (immutable once published).

A version freezes what the public saw: the structured content (sections → blocks → rows) and the HTML
rendered from it, with a SHA-256 over both. 영25② / 법25⑦ (R5): the policy stays public with its
history; R7: each version carries its announcement (공고일) and effective (시행일) dates.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope


class ImmutableVersion(RuntimeError):
    """A published version is never changed or deleted."""


def content_digest(content: dict[str, Any], html: str) -> str:
    """SHA-256 over the canonical JSON of the content and the HTML: changes when anything shown changes."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode() + b"\n" + html.encode()).hexdigest()


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    """Bulk writes would bypass PolicyVersion.save/delete: refuse them too."""

    def update(self, **kwargs: Any) -> int:
        raise ImmutableVersion("공개된 방침 버전은 바꿀 수 없습니다")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableVersion("공개된 방침 버전은 지울 수 없습니다")


class PolicyVersion(models.Model):
    institution = models.ForeignKey(
        "inventory.Institution", on_delete=models.PROTECT, related_name="policy_versions", verbose_name="기관"
    )
    number = models.PositiveIntegerField("판 번호")
    announced_on = models.DateField("공고일")
    effective_on = models.DateField("시행일")
    reason = models.TextField("변경 사유")
    published_at = models.DateTimeField("공개 일시")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="공개자",
    )
    published_by_label = models.CharField("공개자 표시", max_length=200)
    content = models.JSONField("내용 (구조)")
    html = models.TextField("내용 (HTML)")
    content_sha256 = models.CharField("SHA-256", max_length=64)
    warnings = models.JSONField("경고", default=list, blank=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "방침 버전"
        verbose_name_plural = "방침 버전"
        ordering = ["institution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "number"], name="unique_policy_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.institution} 방침 제{self.number}판 (시행 {self.effective_on})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Immutable: a version is written once, by publishing.actions.publish_policy.
        if not self._state.adding:
            raise ImmutableVersion(f"공개된 방침 버전은 바꿀 수 없습니다: {self}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableVersion(f"공개된 방침 버전은 지울 수 없습니다: {self}")

    def audit_scope(self) -> Scope:
        """Where audit entries about it belong (R36: the log is scoped as what it describes)."""
        return Scope(self.institution_id)

    @property
    def digest_matches(self) -> bool:
        return content_digest(self.content, self.html) == self.content_sha256


class PolicyWithdrawalQuerySet(models.QuerySet["PolicyWithdrawal"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableVersion("방침 철회 기록은 바꿀 수 없습니다")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableVersion("방침 철회 기록은 지울 수 없습니다")


class PolicyWithdrawal(models.Model):
    """A version withdrawn (철회) during its notice period, before its 시행일.

    The version itself stays frozen and public (R5: the history is kept); this record says that it will
    never take effect, since when, by whom and why. Written once by publishing.actions.withdraw_version.
    """

    version = models.OneToOneField(
        PolicyVersion, on_delete=models.PROTECT, related_name="withdrawal", verbose_name="방침 버전"
    )
    withdrawn_at = models.DateTimeField("철회 일시")
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="철회자",
    )
    withdrawn_by_label = models.CharField("철회자 표시", max_length=200)
    reason = models.TextField("철회 사유")

    objects = PolicyWithdrawalQuerySet.as_manager()

    class Meta:
        verbose_name = "방침 버전 철회"
        verbose_name_plural = "방침 버전 철회"
        ordering = ["withdrawn_at"]

    def __str__(self) -> str:
        return f"{self.version} 철회"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersion(f"방침 철회 기록은 바꿀 수 없습니다: {self}")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableVersion(f"방침 철회 기록은 지울 수 없습니다: {self}")

    def audit_scope(self) -> Scope:
        return Scope(self.version.institution_id)
