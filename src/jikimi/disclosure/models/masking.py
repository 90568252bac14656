"""The masked copy of a request's footage (R25, R42): a masking job per device and window, the
officer's review of its masks, the approval, and what is delivered (an encrypted archive, or an
online viewing through the status link).

The footage itself is never kept here: the job exports the window from the vault when it renders
(audited each time, jikimi.vault.export), and keeps only the masked derivative, encrypted under its
own data key wrapped by the master key, as footage is (DESIGN "Keys and destruction").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.disclosure.models.leased_jobs import LeasedJob

if TYPE_CHECKING:
    from jikimi.disclosure.models.requests import SubjectRequest


class MaskingJob(LeasedJob):
    class State(models.TextChoices):
        QUEUED = "queued", "대기"
        RUNNING = "running", "마스킹 중"
        READY = "ready", "검토 대기"
        FAILED = "failed", "실패"
        APPROVED = "approved", "공개 승인"

    # A job masks footage for exactly one case: a data subject's request, or a provision (R49).
    request = models.ForeignKey(
        "disclosure.SubjectRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="masking_jobs",
    )
    provision = models.ForeignKey(
        "disclosure.ProvisionCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="masking_jobs",
    )
    device = models.ForeignKey("inventory.Device", on_delete=models.PROTECT, related_name="+")
    start = models.DateTimeField("구간 시작 (UTC)")
    end = models.DateTimeField("구간 끝 (UTC)")
    state = models.CharField("상태", max_length=10, choices=State.choices, default=State.QUEUED)
    renders = models.PositiveSmallIntegerField("렌더링 횟수", default=0)
    # Frames rendered of the clip's frames, as the worker last reported them (the job page shows both).
    progress_frames = models.PositiveIntegerField("렌더링한 프레임", default=0)
    progress_total = models.PositiveIntegerField("전체 프레임", default=0)

    # The export the masks were made from (jikimi.vault.export): its hash is what R25 compares with.
    original_sha256 = models.CharField("원본 SHA-256", max_length=64, blank=True)
    original_seconds = models.FloatField("원본 길이(초)", default=0)
    width = models.PositiveIntegerField("가로", default=0)
    height = models.PositiveIntegerField("세로", default=0)
    frames = models.PositiveIntegerField("프레임 수", default=0)
    fps = models.FloatField("초당 프레임", default=0)
    # The engine's tracks document of the last render (boxes per frame); re-renders start from it
    # without detecting again.
    tracks = models.JSONField("검출 추적 정보", default=dict, blank=True)

    # The officer's corrections (engine SubjectSpec / ManualRegion / TrackOverride).
    subject_track = models.PositiveIntegerField("정보주체 추적 번호", null=True, blank=True)
    manual_regions = models.JSONField("수동 마스킹 영역", default=list, blank=True)
    dropped_tracks = models.JSONField("제외한 오검출", default=list, blank=True)
    # The corrections the derivative was rendered with: approval needs the current ones rendered.
    rendered_overrides = models.JSONField("렌더링에 반영된 수정", default=dict, blank=True)

    # The masked derivative (watermarked with the receipt number), encrypted like footage.
    derivative_object = models.CharField("마스킹본 저장 이름", max_length=255, blank=True, editable=False)
    derivative_key_id = models.CharField("마스킹본 키 식별자", max_length=255, blank=True, editable=False)
    derivative_wrapped_key = models.BinaryField("마스킹본 감싼 키", null=True, blank=True, editable=False)
    derivative_sha256 = models.CharField("마스킹본 SHA-256", max_length=64, blank=True)
    derivative_size = models.PositiveBigIntegerField("마스킹본 크기", default=0)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("요청 시각", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("검토 시각", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("승인 시각", null=True, blank=True)

    class Meta:
        verbose_name = "마스킹 작업"
        verbose_name_plural = "마스킹 작업"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(request__isnull=False, provision__isnull=True)
                    | models.Q(request__isnull=True, provision__isnull=False)
                ),
                name="disclosure_maskingjob_one_case",
            )
        ]
        indexes = [
            # The sweep's question, every minute: which running jobs' leases have expired.
            models.Index(fields=["state", "lease_expires_at"], name="disclosure_masking_lease"),
        ]

    def __str__(self) -> str:
        return f"마스킹 작업 {self.pk} ({self.case_number})"

    @property
    def subject_request(self) -> SubjectRequest:
        """The data subject's request this job masks for; a provision's job has none (R49 path)."""
        if self.request is None:
            raise LookupError(f"마스킹 작업 {self.pk}은(는) 열람 등 청구의 작업이 아닙니다.")
        return self.request

    @property
    def case_number(self) -> str:
        """The receipt number of the request, or the provision's case number: the copy's watermark."""
        if self.request is not None:
            return self.request.receipt_number
        assert self.provision is not None  # the check constraint: exactly one case
        return self.provision.case_number

    def audit_scope(self) -> Scope:
        return self.device.audit_scope()

    @property
    def has_derivative(self) -> bool:
        return bool(self.derivative_object and self.derivative_wrapped_key is not None)

    @property
    def releasable(self) -> bool:
        """R25: a masked derivative exists and it is not the original (its hash differs)."""
        return bool(
            self.has_derivative
            and self.derivative_sha256
            and self.original_sha256
            and self.derivative_sha256 != self.original_sha256
        )

    def overrides(self) -> dict[str, Any]:
        return {
            "subject_track": self.subject_track,
            "manual_regions": list(self.manual_regions or []),
            "dropped_tracks": sorted(self.dropped_tracks or []),
        }

    @property
    def needs_render(self) -> bool:
        """The officer changed the masks since the derivative was rendered."""
        return bool(self.overrides() != self.rendered_overrides)

    @property
    def last_sign_of_life(self) -> Any:
        return self.progress_at or self.created_at

    @property
    def stalled(self) -> bool:
        """Queued or running, and no progress for longer than DISCLOSURE_MASKING_STALE_MINUTES."""
        from datetime import timedelta

        from django.utils import timezone

        if not self.is_working or self.last_sign_of_life is None:
            return False
        minutes = settings.DISCLOSURE_MASKING_STALE_MINUTES
        return bool(timezone.now() - self.last_sign_of_life > timedelta(minutes=minutes))

    def open_deliveries(self) -> list[CopyDelivery]:
        """What the requester may still fetch through the status link (not expired), newest first."""
        from django.utils import timezone

        return list(self.deliveries.filter(expires_at__gt=timezone.now(), withdrawn_at__isnull=True))

    def track_list(self) -> list[dict[str, Any]]:
        """The detected tracks for the review page: id, label, first and last frame, dropped or subject."""
        rows = []
        dropped = set(self.dropped_tracks or [])
        for track in (self.tracks or {}).get("tracks", []):
            frames = [d["frame"] for d in track.get("detections", [])]
            if not frames:
                continue
            rows.append(
                {
                    "id": track["track_id"],
                    "label": track.get("label", "face"),
                    "first": min(frames),
                    "last": max(frames),
                    "dropped": track["track_id"] in dropped,
                    "subject": track["track_id"] == self.subject_track,
                }
            )
        return rows


class CopyDelivery(models.Model):
    """What the requester receives for an approved job: an AES-256 archive to download, or an online
    viewing; both through the request's status link, until `expires_at`."""

    class Kind(models.TextChoices):
        ARCHIVE = "archive", "암호화 사본(압축 파일)"
        ONLINE = "online", "온라인 열람"

    job = models.ForeignKey(MaskingJob, on_delete=models.PROTECT, related_name="deliveries")
    kind = models.CharField("제공 방법", max_length=10, choices=Kind.choices)
    # The archive, itself encrypted at rest (its password is never stored: it was shown once).
    object_name = models.CharField("저장 이름", max_length=255, blank=True, editable=False)
    key_id = models.CharField("키 식별자", max_length=255, blank=True, editable=False)
    wrapped_key = models.BinaryField("감싼 키", null=True, blank=True, editable=False)
    file_name = models.CharField("파일 이름", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.PositiveBigIntegerField("크기", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("생성 시각", auto_now_add=True)
    expires_at = models.DateTimeField("제공 기한")
    uses = models.PositiveIntegerField("내려받기·열람 횟수", default=0)
    # Withdrawn by the officer (actions.package_jobs.withdraw_package): the link answers so, the file is gone.
    withdrawn_at = models.DateTimeField("회수 시각", null=True, blank=True)

    class Meta:
        verbose_name = "사본 제공"
        verbose_name_plural = "사본 제공"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.job.case_number})"

    def audit_scope(self) -> Scope:
        return self.job.audit_scope()
