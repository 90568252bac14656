"""Building a copy package (a request's archive, R42) or a provision's package (R49) on a worker (issue 18).

Sealing a package exports the originals, decrypts the masked clips, signs the manifest and zips it all:
minutes of work, done by the Huey workers, not in the officer's web request. A PackageJob is that work's
row: queued by the officer, claimed and held under a lease by one worker, recovered by the minute's sweep
when its worker dies (disclosure.actions.job_leases), and READY with the delivery it made.

Never built twice: the database allows one live build (queued, running or ready) per masking job and per
provision case (partial unique indexes, on SQLite and PostgreSQL alike); a second request while one is
live is refused with the first's state. A ready build whose download link expired is set EXPIRED by the
next request, which may then build again (the copy's previous rule: one copy out at a time). A ready
build the officer withdrew (lost password, wrong recipient: actions.package_jobs.withdraw_package) is
WITHDRAWN: its stored file destroyed, its link closed, and the slot free for a new build at once. A ready
build whose link expired has its stored file destroyed by the sweep (package_tasks.destroy_expired_packages,
actions.package_jobs.destroy_expired): EXPIRED with `destroyed_at`, its delivery row and history kept.

The archive's password is made when the build is asked and shown once to the officer then. The worker
needs it too (and so does a retry on another machine), so it is derived from a data key kept on the row
only wrapped by the master key, and the wrapped key is erased as soon as the build ends.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from jikimi.audit.scope import Scope
from jikimi.disclosure.models.leased_jobs import LeasedJob


class PackageJob(LeasedJob):
    class Kind(models.TextChoices):
        COPY = "copy", "열람 등 청구 사본 파일"
        PROVISION = "provision", "제3자 제공 파일"

    class State(models.TextChoices):
        QUEUED = "queued", "대기"
        RUNNING = "running", "만드는 중"
        READY = "ready", "완료"
        FAILED = "failed", "실패"
        EXPIRED = "expired", "기한 지남"
        WITHDRAWN = "withdrawn", "회수"

    LIVE = (State.QUEUED, State.RUNNING, State.READY)

    kind = models.CharField("종류", max_length=10, choices=Kind.choices)
    # A copy: the request's approved masking job. A provision: the case (all its footage items).
    masking_job = models.ForeignKey(
        "disclosure.MaskingJob", on_delete=models.PROTECT, null=True, blank=True, related_name="package_jobs"
    )
    case = models.ForeignKey(
        "disclosure.ProvisionCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="package_jobs",
    )
    original = models.BooleanField("원본 제공", default=False)  # R49: only where the approver allowed it

    state = models.CharField("상태", max_length=10, choices=State.choices, default=State.QUEUED)

    # The password's data key, wrapped by the master key, until the build ends (then erased).
    password_key_id = models.CharField("암호 키 식별자", max_length=255, blank=True, editable=False)
    password_wrapped_key = models.BinaryField("암호 감싼 키", null=True, blank=True, editable=False)

    copy_delivery = models.OneToOneField(
        "disclosure.CopyDelivery", on_delete=models.PROTECT, null=True, blank=True, related_name="package_job"
    )
    provision_delivery = models.OneToOneField(
        "disclosure.ProvisionDelivery",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="package_job",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("요청 시각", auto_now_add=True)

    # The withdrawal (제공 파일 회수): who, when and why; the delivery keeps its record, its file is destroyed.
    withdrawn_at = models.DateTimeField("회수 시각", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField("회수 사유", blank=True)
    # The link expired and the sweep destroyed the stored file (R17, R19); the delivery row stays (R26, R30).
    destroyed_at = models.DateTimeField("보관 기간 끝 파기 시각", null=True, blank=True)

    class Meta:
        verbose_name = "제공 파일 작업"
        verbose_name_plural = "제공 파일 작업"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="copy", masking_job__isnull=False, case__isnull=True)
                    | models.Q(kind="provision", masking_job__isnull=True, case__isnull=False)
                ),
                name="disclosure_packagejob_one_target",
            ),
            # Issue 18: never built (nor delivered) twice — the database refuses a second live build.
            models.UniqueConstraint(
                fields=["masking_job"],
                condition=models.Q(state__in=["queued", "running", "ready"]),
                name="disclosure_packagejob_one_live_copy",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state__in=["queued", "running", "ready"]),
                name="disclosure_packagejob_one_live_provision",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "lease_expires_at"], name="disclosure_package_lease"),
            models.Index(fields=["state", "queued_at"], name="disclosure_package_queued"),
        ]

    def __str__(self) -> str:
        return f"제공 파일 작업 {self.pk} ({self.case_number})"

    @property
    def case_number(self) -> str:
        if self.case is not None:
            return str(self.case.case_number)
        assert self.masking_job is not None
        return str(self.masking_job.case_number)

    @property
    def delivery(self) -> Any:
        return self.copy_delivery if self.kind == self.Kind.COPY else self.provision_delivery

    def audit_scope(self) -> Scope:
        if self.case is not None:
            return self.case.audit_scope()
        assert self.masking_job is not None
        return self.masking_job.audit_scope()
