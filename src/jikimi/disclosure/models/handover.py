"""What a body received for an approved provision (R49; 오산시 지침 별지 제3호 영상정보 인수증): the sealed,
encrypted package (masked clips, or the original footage where the approver allowed it with a reason),
or a viewing on site, recorded with when and who viewed.

A package is kept encrypted at rest like a request's copy (jikimi.disclosure.masked_files); its
password was shown once to the officer and is nowhere stored. Each download is audited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope


class ProvisionDelivery(models.Model):
    """One package prepared for a case, or one viewing on site."""

    class Kind(models.TextChoices):
        PACKAGE = "package", "암호화 사본 제공"
        ON_SITE = "on_site", "현장 열람"

    case = models.ForeignKey("disclosure.ProvisionCase", on_delete=models.PROTECT, related_name="deliveries")
    kind = models.CharField("제공 방법", max_length=10, choices=Kind.choices)
    # R49: the original (unmasked) footage, only where case.original_approved (the reason is on the case).
    original = models.BooleanField("원본 제공", default=False)
    # What was given or shown: [{"device", "device_name", "location", "start", "end", "sha256"}, …].
    files = models.JSONField("제공 파일", default=list)

    # The package (an AES-256 ZIP of the engine's sealed package), itself encrypted at rest.
    object_name = models.CharField("저장 이름", max_length=255, blank=True, editable=False)
    key_id = models.CharField("키 식별자", max_length=255, blank=True, editable=False)
    wrapped_key = models.BinaryField("감싼 키", null=True, blank=True, editable=False)
    file_name = models.CharField("파일 이름", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("크기", default=0)
    expires_at = models.DateTimeField("내려받기 기한", null=True, blank=True)
    uses = models.PositiveIntegerField("내려받기 횟수", default=0)
    # Withdrawn by the officer (actions.package_jobs.withdraw_package): the link answers so, the file is gone.
    withdrawn_at = models.DateTimeField("회수 시각", null=True, blank=True)

    # The viewing on site: when, where, who viewed (소속·직급·성명 of each, as they said).
    viewed_from = models.DateTimeField("열람 시작", null=True, blank=True)
    viewed_until = models.DateTimeField("열람 끝", null=True, blank=True)
    viewing_place = models.CharField("열람 장소", max_length=200, blank=True)
    viewers = models.TextField("열람한 사람", blank=True)

    # The package (or viewing) the handover gave: the 인수증 lists its files.
    handed_over_at = models.DateTimeField("인계 시각", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("생성 시각", auto_now_add=True)

    class Meta:
        verbose_name = "제3자 제공 인계"
        verbose_name_plural = "제3자 제공 인계"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case.case_number})"

    def audit_scope(self) -> Scope:
        return self.case.audit_scope()

    @property
    def file_count(self) -> int:
        return len(self.files or [])
