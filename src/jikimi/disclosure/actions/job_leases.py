"""Jobs on any number of workers (issue 18): who does a job, until when, and what happens when that worker
dies — for masking jobs (MaskingJob) and package builds (PackageJob) alike.

The queue (Huey, on Redis when there are several machines) hands a task to one consumer and forgets it:
a consumer killed mid-work takes the task with it, and a Redis flushed or restarted loses the tasks no
consumer took yet. So the job's row in the database says who holds it:

1. claim — a worker starting the task takes a QUEUED job: RUNNING, a fresh claim token, its host and
   PID, attempts + 1, and a lease of DISCLOSURE_MASKING_LEASE_SECONDS. The row is locked with
   SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (on SQLite, BEGIN IMMEDIATE serializes the writers), and
   the take is a compare-and-set on "still queued": two deliveries of the same task never both work it.
2. renew — while working, the worker writes its progress and extends the lease, on its own token only.
   A renewal that finds another token (or none) means the job was taken from it: it stops.
3. finish — the outcome is recorded only under the token it was claimed with (`hold` in the same
   transaction): a worker that lost its lease and finishes late is refused, and the caller removes what
   it stored (R25: one masked copy per job, never two; issue 18: a package never delivered twice).
4. recover — every minute (the queue's periodic sweeps) running jobs whose lease expired are queued
   again for another worker, or failed with the reason once they used up DISCLOSURE_MASKING_MAX_ATTEMPTS;
   and jobs queued but unclaimed for longer than DISCLOSURE_JOB_REQUEUE_SECONDS (their task was lost
   with the queue) are queued again. Each recovery is an audit entry of the job's case (R40: what the
   system did to a case's footage is on its record).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.masking import case_label, enqueue_render, job_case
from jikimi.disclosure.models import MaskingJob

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class LeasedWork:
    """A kind of job held under a lease: its model (with the lease fields: state, claim_token, worker_host,
    worker_pid, claimed_at, lease_expires_at, attempts, progress, progress_at, error, finished_at,
    queued_at), how its recoveries are audited, and how it is queued."""

    model: Any
    name: str  # Korean, as messages name it: "마스킹 작업"
    event: AuditEvent  # of a recovery
    subject: Callable[[Any], Any]  # the audit subject: the job's case
    label: Callable[[Any], str]  # the case, as the audit's reasons name it
    enqueue: Callable[[Any], None]  # queue its task once the transaction commits (and set queued_at)
    gave_up: Callable[[str, int], str]  # the failure's reason after the last attempt (worker, attempts)
    key: str = "job"  # the job's key in the audit details
    related: tuple[str, ...] = ()  # select_related for `subject` and `label`
    reset: dict[str, Any] = field(default_factory=dict)  # more fields to reset on a claim and a requeue
    on_end: dict[str, Any] = field(default_factory=dict)  # fields to clear when the job ends


def lease_length() -> timedelta:
    return timedelta(seconds=float(settings.DISCLOSURE_MASKING_LEASE_SECONDS))


def renew_interval() -> float:
    """Seconds between renewals: three chances before the lease runs out."""
    return float(settings.DISCLOSURE_MASKING_LEASE_SECONDS) / 3


def requeue_after() -> timedelta:
    return timedelta(seconds=float(settings.DISCLOSURE_JOB_REQUEUE_SECONDS))


def this_worker() -> tuple[str, int]:
    """The host and process a claim names (the job page shows them)."""
    return socket.gethostname()[:255], os.getpid()


def claim(work: LeasedWork, job_id: int) -> Claim | None:
    """Take the queued job `job_id` for this process; None if it is not queued (another worker holds it,
    it ended, or another worker is claiming it this instant)."""
    model, queued = work.model, work.model.State.QUEUED
    host, pid = this_worker()
    token = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        job = (
            model.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=job_id, state=queued)
            .only("pk", "attempts")
            .first()
        )
        if job is None:
            return None
        taken = model.objects.filter(pk=job_id, state=queued).update(
            state=model.State.RUNNING,
            claim_token=token,
            worker_host=host,
            worker_pid=pid,
            claimed_at=now,
            lease_expires_at=now + lease_length(),
            attempts=F("attempts") + 1,
            progress=0,
            progress_at=now,
            error="",
            **work.reset,
        )
        if taken != 1:
            return None
    return Claim(job_id, token, host, pid, job.attempts + 1)


def renew_lease(work: LeasedWork, claim: Claim, *, percent: int, **progress: Any) -> bool:
    """Report progress and extend the lease; False if the job is no longer this claim's (stop)."""
    now = timezone.now()
    return bool(
        work.model.objects.filter(
            pk=claim.job_id, state=work.model.State.RUNNING, claim_token=claim.token
        ).update(
            progress=max(0, min(percent, 99)),
            progress_at=now,
            lease_expires_at=now + lease_length(),
            **progress,
        )
        == 1
    )


def hold(work: LeasedWork, claim: Claim) -> Any:
    """Inside the transaction that records the outcome: the job's row, locked, if still this claim's."""
    locked = work.model.objects.select_for_update(of=("self",)).get(pk=claim.job_id)
    if locked.state != work.model.State.RUNNING or locked.claim_token != claim.token:
        raise LeaseLost(
            f"{work.name} {claim.job_id}: 이 작업 워커({claim.host}, PID {claim.pid})의 점유가 끝났습니다"
        )
    return locked


def fail(work: LeasedWork, claim: Claim, message: str) -> bool:
    """The work failed (the reason in Korean); a worker that lost the job records nothing (False)."""
    return bool(
        work.model.objects.filter(
            pk=claim.job_id, state=work.model.State.RUNNING, claim_token=claim.token
        ).update(
            state=work.model.State.FAILED,
            error=message[:2000],
            finished_at=timezone.now(),
            claim_token="",
            lease_expires_at=None,
            **work.on_end,
        )
        == 1
    )


@dataclass
class Recovery:
    requeued: list[int]
    failed: list[int]


def recover_expired(work: LeasedWork, actor: Actor, now: datetime | None = None) -> Recovery:
    """Queue again (or fail, after the last attempt) the running jobs whose lease expired; audited."""
    model = work.model
    now = now or timezone.now()
    limit = int(settings.DISCLOSURE_MASKING_MAX_ATTEMPTS)
    outcome = Recovery([], [])
    with transaction.atomic():
        expired = list(
            # Only the jobs' rows (the case is a nullable join, which PostgreSQL will not lock); rows
            # another sweeper holds are skipped: it is recovering them.
            model.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(*work.related)
            .filter(state=model.State.RUNNING, lease_expires_at__lte=now)
            .order_by("lease_expires_at", "pk")[:SWEEP_BATCH]
        )
        for job in expired:
            worker = job.worker
            expired_at = job.lease_expires_at
            attempt = job.attempts
            changes: dict[str, Any] = {"claim_token": "", "lease_expires_at": None}
            if attempt >= limit:
                changes |= {
                    "state": model.State.FAILED,
                    "error": work.gave_up(worker, attempt),
                    "finished_at": now,
                    **work.on_end,
                }
                outcome.failed.append(job.pk)
                result = "failed"
            else:
                changes |= {"state": model.State.QUEUED, "progress": 0, "progress_at": now, **work.reset}
                outcome.requeued.append(job.pk)
                result = "requeued"
            for name, value in changes.items():
                setattr(job, name, value)
            job.save(update_fields=list(changes))
            record(
                actor,
                work.event,
                work.subject(job),
                reason=f"{work.label(job)} {work.name} 워커 중단 복구",
                details={
                    work.key: job.pk,
                    "worker": worker,
                    "attempt": attempt,
                    "max_attempts": limit,
                    "lease_expired_at": expired_at,
                    "recovery": result,
                },
            )
            if result == "requeued":
                work.enqueue(job)
    return outcome


def requeue_unclaimed(work: LeasedWork, actor: Actor, now: datetime | None = None) -> list[int]:
    """Queue again the jobs queued but not taken by any worker for longer than
    DISCLOSURE_JOB_REQUEUE_SECONDS: their task was lost with the queue (Redis flushed or restarted). A task
    that was only waiting behind others is harmless to queue twice: the claim takes the job once."""
    model = work.model
    now = now or timezone.now()
    requeued: list[int] = []
    with transaction.atomic():
        lost = list(
            model.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(*work.related)
            .filter(
                Q(queued_at__lte=now - requeue_after()) | Q(queued_at__isnull=True), state=model.State.QUEUED
            )
            .order_by("queued_at", "pk")[:SWEEP_BATCH]
        )
        for job in lost:
            queued_at = job.queued_at
            record(
                actor,
                work.event,
                work.subject(job),
                reason=f"{work.label(job)} {work.name} 대기열 유실 복구",
                details={
                    work.key: job.pk,
                    "attempt": job.attempts,
                    "queued_at": queued_at,
                    "recovery": "reenqueued",
                },
            )
            work.enqueue(job)
            requeued.append(job.pk)
    return requeued


# -- masking jobs -------------------------------------------------------------------------------------------

MASKING = LeasedWork(
    model=MaskingJob,
    name="마스킹 작업",
    event=AuditEvent.DISCLOSURE_RECOVER_MASKING,
    subject=job_case,
    label=case_label,
    enqueue=enqueue_render,
    gave_up=lambda worker, attempt: (
        f"작업 워커가 렌더링 도중 멈췄습니다(마지막: {worker}). "
        f"{attempt}번 시도해 모두 끝나지 않아 실패로 처리했습니다. 다시 렌더링하세요"
    ),
    related=("request", "provision"),
    reset={"progress_frames": 0, "progress_total": 0},
)


def claim_job(job_id: int) -> Claim | None:
    return claim(MASKING, job_id)


def renew(claim: Claim, *, percent: int, frames: int = 0, total: int = 0) -> bool:
    return renew_lease(MASKING, claim, percent=percent, progress_frames=frames, progress_total=total)


def check_claim(claim: Claim) -> MaskingJob:
    locked: MaskingJob = hold(MASKING, claim)
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
    fail(MASKING, claim, message)


def recover_abandoned_jobs(actor: Actor, now: datetime | None = None) -> Recovery:
    """Queue again (or fail, after the last attempt) the running masking jobs whose lease expired."""
    return recover_expired(MASKING, actor, now)


class Heartbeat:
    """A worker's progress reports for work done in its own thread (a package build): each call renews
    the lease when the percentage changed or a third of the lease passed; a refused renewal (the job was
    given to another worker) raises LeaseLost, which stops the work at its next step."""

    def __init__(self, work: LeasedWork, claim: Claim) -> None:
        self.work, self.claim = work, claim
        self.percent, self.renewed = 0, time.monotonic()

    def __call__(self, percent: int) -> None:
        percent = self.percent if percent < 0 else percent
        if percent == self.percent and time.monotonic() - self.renewed < renew_interval():
            return
        self.percent, self.renewed = percent, time.monotonic()
        try:
            kept = renew_lease(self.work, self.claim, percent=percent)
        except DatabaseError as error:
            # A database hiccup: keep working, renew at the next step; if it outlasts the lease, the next
            # renewal is refused.
            log.warning("%s %s: lease not renewed (%s)", self.work.name, self.claim.job_id, error)
            connection.close_if_unusable_or_obsolete()
            return
        if not kept:
            raise LeaseLost(f"{self.work.name} {self.claim.job_id}: 다른 작업 워커에 넘어갔습니다")
