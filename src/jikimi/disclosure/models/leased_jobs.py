"""The fields and properties every job held by a worker under a lease shares (issue 18): a masking job
(MaskingJob) and a package build (PackageJob). disclosure.actions.job_leases reads and writes exactly these
(claim, renewal, outcome, recovery), so they are declared once here, not copied into each model.

An abstract model: each job keeps its own table and its own columns (no schema change); the fields keep
the names, labels and defaults they had in each model. `state` stays in each model (its states differ),
but both name the worker's two states "queued" and "running", which `is_working` relies on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

# The states in which a worker holds the job or will take it (both models' QUEUED and RUNNING values).
WORKING_STATES = ("queued", "running")


class LeasedJob(models.Model):
    if TYPE_CHECKING:
        state: str

    progress = models.PositiveSmallIntegerField("진행률(%)", default=0)
    # The worker's last sign of life (queued, started, progress).
    progress_at = models.DateTimeField("마지막 진행 시각", null=True, blank=True)
    error = models.TextField("오류", blank=True)
    # When the task was last put on the queue: a job queued and unclaimed for longer than
    # DISCLOSURE_JOB_REQUEUE_SECONDS lost its task (Redis flushed or restarted) and is queued again.
    queued_at = models.DateTimeField("대기열 등록 시각", null=True, blank=True)

    # Who works the job now. A worker claims a queued job with a fresh token and holds it by a lease it
    # renews while working; a lease left to expire (the worker was killed or cut off) is recovered by the
    # periodic sweep — queued again, attempts + 1, audited — and the old worker's late result is refused
    # because its token is no longer the job's. The worker fields stay after the job ends: the last one.
    claim_token = models.CharField("작업 점유 토큰", max_length=32, blank=True, editable=False)
    worker_host = models.CharField("작업 워커 호스트", max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField("작업 워커 PID", null=True, blank=True)
    claimed_at = models.DateTimeField("작업 점유 시각", null=True, blank=True)
    lease_expires_at = models.DateTimeField("작업 점유 만료 시각", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("시도 횟수", default=0)
    finished_at = models.DateTimeField("완료 시각", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_working(self) -> bool:
        return self.state in WORKING_STATES

    @property
    def worker(self) -> str:
        """The worker that holds (or last held) the job, as "host (PID n)"; empty if none ever did."""
        if not self.worker_host:
            return ""
        return f"{self.worker_host} (PID {self.worker_pid})"
