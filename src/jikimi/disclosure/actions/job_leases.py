"""Masking jobs on any number of workers (issue 18): who renders a job, until when, and what happens when
that worker dies.

The queue (Huey, on Redis when there are several machines) hands a task to one consumer and forgets it:
a consumer killed mid-render takes the task with it. So the job's row in the database says who holds it:

1. claim — a worker starting `render_job` takes a QUEUED job: RUNNING, a fresh claim token, its host and
   PID, attempts + 1, and a lease of DISCLOSURE_MASKING_LEASE_SECONDS. The row is locked with
   SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (on SQLite, BEGIN IMMEDIATE serializes the writers), and
   the take is a compare-and-set on "still queued": two deliveries of the same task never both render.
2. renew — while rendering, the worker writes its progress and extends the lease, on its own token only.
   A renewal that finds another token (or none) means the job was taken from it: it stops rendering.
3. finish — the render's outcome (derivative or failure) is recorded only under the token it was claimed
   with (`check_claim` in the same transaction): a worker that lost its lease and finishes late is
   refused, and the caller removes what it stored (R25: one masked copy per job, never two).
4. recover — every minute (masking_tasks.recover_masking_jobs, on the queue) running jobs whose
   lease expired are queued again for another worker, or failed with the reason once they used up
   DISCLOSURE_MASKING_MAX_ATTEMPTS; each recovery is an audit entry of the job's case (R40: what the
   system did to a case's footage is on its record).
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.masking import case_label, enqueue_render, job_case
from jikimi.disclosure.models import MaskingJob

# A sweep handles at most this many jobs per run (one transaction); the next minute takes the rest.
SWEEP_BATCH = 100


class LeaseLost(Exception):
    """The job is no longer this worker's: its lease expired and the job was queued again (or ended)."""


@dataclass(frozen=True)
class Claim:
    """A worker's hold on a job: the token its writes must carry."""

    job_id: int
    token: str
    host: str
    pid: int
    attempt: int


def lease_length() -> timedelta:
    return timedelta(seconds=float(settings.DISCLOSURE_MASKING_LEASE_SECONDS))


def renew_interval() -> float:
    """Seconds between renewals: three chances before the lease runs out."""
    return float(settings.DISCLOSURE_MASKING_LEASE_SECONDS) / 3


def this_worker() -> tuple[str, int]:
    """The host and process a claim names (the job page shows them)."""
    return socket.gethostname()[:255], os.getpid()


def claim_job(job_id: int) -> Claim | None:
    """Take the queued job `job_id` for this process; None if it is not queued (another worker holds it,
    it ended, or another worker is claiming it this instant)."""
    host, pid = this_worker()
    token = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        job = (
            MaskingJob.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=job_id, state=MaskingJob.State.QUEUED)
            .only("pk", "attempts")
            .first()
        )
        if job is None:
            return None
        taken = MaskingJob.objects.filter(pk=job_id, state=MaskingJob.State.QUEUED).update(
            state=MaskingJob.State.RUNNING,
            claim_token=token,
            worker_host=host,
            worker_pid=pid,
            claimed_at=now,
            lease_expires_at=now + lease_length(),
            attempts=F("attempts") + 1,
            progress=0,
            progress_frames=0,
            progress_total=0,
            progress_at=now,
            error="",
        )
        if taken != 1:
            return None
    return Claim(job_id, token, host, pid, job.attempts + 1)


def renew(claim: Claim, *, percent: int, frames: int = 0, total: int = 0) -> bool:
    """Report progress and extend the lease; False if the job is no longer this claim's (stop)."""
    now = timezone.now()
    return (
        MaskingJob.objects.filter(
            pk=claim.job_id, state=MaskingJob.State.RUNNING, claim_token=claim.token
        ).update(
            progress=max(0, min(percent, 99)),
            progress_frames=frames,
            progress_total=total,
            progress_at=now,
            lease_expires_at=now + lease_length(),
        )
        == 1
    )


def check_claim(claim: Claim) -> MaskingJob:
    """Inside the transaction that records the outcome: the job's row, locked, if still this claim's."""
    locked = MaskingJob.objects.select_for_update(of=("self",)).get(pk=claim.job_id)
    if locked.state != MaskingJob.State.RUNNING or locked.claim_token != claim.token:
        raise LeaseLost(
            f"마스킹 작업 {claim.job_id}: 이 작업 워커({claim.host}, PID {claim.pid})의 점유가 끝났습니다"
        )
    return locked


def record_render(claim: Claim, *, fields: dict[str, Any], overrides: dict[str, Any]) -> MaskingJob:
    """The render finished: its derivative (already stored) and tracks become the job's — only if the job
    is still this claim's (else LeaseLost: the caller removes the derivative it stored)."""
    with transaction.atomic():
        locked = check_claim(claim)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.state = MaskingJob.State.READY
        locked.progress = 100
        locked.progress_frames = locked.progress_total = int(fields.get("frames", 0))
        locked.error = ""
        locked.renders += 1
        locked.rendered_overrides = overrides
        locked.finished_at = timezone.now()
        locked.claim_token = ""  # the lease ends; the worker's name stays, as the job's last
        locked.lease_expires_at = None
        locked.save()
    return locked


def record_failure(claim: Claim, message: str) -> None:
    """The render failed (the reason in Korean); a worker that lost the job records nothing."""
    MaskingJob.objects.filter(
        pk=claim.job_id, state=MaskingJob.State.RUNNING, claim_token=claim.token
    ).update(
        state=MaskingJob.State.FAILED,
        error=message[:2000],
        finished_at=timezone.now(),
        claim_token="",
        lease_expires_at=None,
    )


@dataclass
class Recovery:
    requeued: list[int]
    failed: list[int]


def recover_abandoned_jobs(actor: Actor, now: datetime | None = None) -> Recovery:
    """Queue again (or fail, after the last attempt) the running jobs whose lease expired; audited."""
    now = now or timezone.now()
    limit = int(settings.DISCLOSURE_MASKING_MAX_ATTEMPTS)
    outcome = Recovery([], [])
    with transaction.atomic():
        expired = list(
            # Only the jobs' rows (the case is a nullable join, which PostgreSQL will not lock); rows
            # another sweeper holds are skipped: it is recovering them.
            MaskingJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("request", "provision")
            .filter(state=MaskingJob.State.RUNNING, lease_expires_at__lte=now)
            .order_by("lease_expires_at", "pk")[:SWEEP_BATCH]
        )
        for job in expired:
            worker = job.worker
            expired_at = job.lease_expires_at
            attempt = job.attempts
            job.claim_token = ""
            job.lease_expires_at = None
            if attempt >= limit:
                job.state = MaskingJob.State.FAILED
                job.error = (
                    f"작업 워커가 렌더링 도중 멈췄습니다(마지막: {worker}). "
                    f"{attempt}번 시도해 모두 끝나지 않아 실패로 처리했습니다. 다시 렌더링하세요"
                )
                job.finished_at = now
                outcome.failed.append(job.pk)
                result = "failed"
            else:
                job.state = MaskingJob.State.QUEUED
                job.progress = 0
                job.progress_frames = 0
                job.progress_at = now
                outcome.requeued.append(job.pk)
                result = "requeued"
            job.save(
                update_fields=[
                    "claim_token",
                    "lease_expires_at",
                    "state",
                    "error",
                    "finished_at",
                    "progress",
                    "progress_frames",
                    "progress_at",
                ]
            )
            record(
                actor,
                AuditEvent.DISCLOSURE_RECOVER_MASKING,
                job_case(job),
                reason=f"{case_label(job)} 마스킹 작업 워커 중단 복구",
                details={
                    "job": job.pk,
                    "worker": worker,
                    "attempt": attempt,
                    "max_attempts": limit,
                    "lease_expired_at": expired_at,
                    "recovery": result,
                },
            )
            if result == "requeued":
                enqueue_render(job)
    return outcome
