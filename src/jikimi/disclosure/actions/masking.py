"""A case's masked copy (R25): start a masking job, record its render, review its masks, approve it.

A case is a data subject's request (열람 등 청구) or a provision to a body (제3자 제공, R49): a job
belongs to exactly one (MaskingJob.request or .provision), its audit entries are the case's, and its
watermark is the case's number (`job.case_number`).

Every step runs in one transaction with its audit entry. Starting and re-rendering enqueue the Huey
task (jikimi.disclosure.masking_tasks.render_job) once the transaction commits; the task exports the
window from the vault (audited there, jikimi.vault.export), masks it with the engine and records the
result under the worker's claim (jikimi.disclosure.actions.job_leases: claim, lease, recovery).

Only a request that asks to see or to have a copy (열람, 사본), whose requester's identity has been
checked (R21) and that has been decided for a copy, an online viewing or a partial release may be
masked: the decision (with its letter) comes first, the masked copy is how it is carried out. Only an
approved provision may be masked (R49: nothing is prepared before the approval).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.models import (
    Decision,
    MaskingJob,
    ProvisionCase,
    ProvisionFootage,
    SubjectRequest,
)
from jikimi.inventory.models import Device

# A request's window plus margins is at most a day (vault.export's limit); a region of a few frames
# per person, never thousands.
MAX_REGIONS = 200


class MaskingRefused(ValueError):
    """A masking step that cannot be done as asked; the message (Korean) says why."""


def enqueue_render(job: MaskingJob) -> None:
    # Imported here: the task module imports huey's Django integration, which needs settings ready.
    from jikimi.disclosure.masking_tasks import render_job

    job_id = job.pk
    # When it was queued: the sweep queues again a job whose task was lost before any worker took it
    # (job_leases.requeue_unclaimed; issue 18).
    job.queued_at = timezone.now()
    MaskingJob.objects.filter(pk=job_id).update(queued_at=job.queued_at)
    transaction.on_commit(lambda: render_job(job_id))


# The decisions a masked copy carries out (R25: others in the clip are masked before it is shown).
MASKED_RELEASES = (Decision.Outcome.COPY, Decision.Outcome.VIEWING_ONLINE, Decision.Outcome.PARTIAL)


def check_request_may_be_masked(request: SubjectRequest) -> None:
    if request.kind not in (SubjectRequest.Kind.VIEWING, SubjectRequest.Kind.COPY):
        raise MaskingRefused(f"'{request.get_kind_display()}' 청구에는 마스킹 사본을 만들지 않습니다")
    if not request.is_open:
        raise MaskingRefused("종결되거나 취하된 청구입니다")
    if not hasattr(request, "identity_check"):
        # 시행령 제46조, R21: nothing is done for a requester whose identity is unchecked.
        raise MaskingRefused("본인 확인을 먼저 마쳐야 합니다")
    if not Decision.objects.filter(request=request, outcome__in=MASKED_RELEASES).exists():
        raise MaskingRefused("사본 교부·온라인 열람·일부 허용으로 결정한 뒤에 마스킹합니다")


def check_provision_may_be_masked(case: ProvisionCase) -> None:
    """R49: footage is prepared for a body only once the case is approved, and not after the handover."""
    if case.state != ProvisionCase.State.APPROVED:
        raise MaskingRefused(
            f"'{case.get_state_display()}' 상태의 제공 요청입니다: 승인된 요청만 마스킹할 수 있습니다"
        )


def job_case(job: MaskingJob) -> SubjectRequest | ProvisionCase:
    """The case the job masks for: its audit entries are the case's (R40)."""
    if job.request is not None:
        return job.request
    assert job.provision is not None  # the check constraint: exactly one case
    return job.provision


def case_label(job: MaskingJob) -> str:
    """ "청구 2026-00001" or "제공 2026-P0001": how the audit's reasons name the case."""
    return f"{'청구' if job.request_id else '제공'} {job.case_number}"


def check_job_may_be_masked(job: MaskingJob) -> None:
    if job.request is not None:
        check_request_may_be_masked(job.request)
    else:
        assert job.provision is not None
        check_provision_may_be_masked(job.provision)


def request_devices(request: SubjectRequest) -> list[Device]:
    """The devices at the request's sites (the institution's own, chosen on the form)."""
    return list(
        Device.objects.filter(
            location__in=request.locations.all(), device_group__institution_id=request.institution_id
        )
        .select_related("device_group", "location")
        .order_by("device_group__name", "name")
    )


def start_masking(
    actor: Actor,
    request: SubjectRequest,
    device: Device,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> MaskingJob:
    """Queue a masking job of `device`'s footage over the request's window (or a part of it)."""
    check_request_may_be_masked(request)
    if device.pk not in {d.pk for d in request_devices(request)}:
        raise MaskingRefused("기기: 청구한 설치장소의 기기가 아닙니다")
    start = start or request.period_start
    end = end or request.period_end
    if end <= start:
        raise MaskingRefused("구간: 끝이 시작보다 늦어야 합니다")
    if start < request.period_start or end > request.period_end:
        raise MaskingRefused("구간: 청구한 기록기간 안이어야 합니다")
    if actor.user is None:
        raise MaskingRefused("마스킹은 로그인한 담당자만 시작할 수 있습니다")
    with transaction.atomic():
        if MaskingJob.objects.filter(
            request=request, device=device, state__in=[MaskingJob.State.QUEUED, MaskingJob.State.RUNNING]
        ).exists():
            raise MaskingRefused("기기: 이 기기의 마스킹 작업이 이미 진행 중입니다")
        job = MaskingJob.objects.create(
            request=request,
            device=device,
            start=start,
            end=end,
            created_by=actor.user,
            progress_at=timezone.now(),
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_START_MASKING,
            request,
            reason=f"청구 {request.receipt_number} 사본 마스킹",
            details={"job": job.pk, "device": device.pk, "start": start, "end": end},
        )
        enqueue_render(job)
    return job


def start_provision_masking(actor: Actor, case: ProvisionCase, footage: ProvisionFootage) -> MaskingJob:
    """Queue a masking job of one footage item of an approved provision (its device and window).

    Everyone the engine finds is masked: a body receives unmasked footage only as the original, when the
    approver allowed it with a reason (R49, `case.original_approved`); there is no subject to leave
    unmasked in a provision (R25).
    """
    check_provision_may_be_masked(case)
    if footage.case_id != case.pk:
        raise MaskingRefused("영상: 이 제공 요청의 대상 영상이 아닙니다")
    if actor.user is None:
        raise MaskingRefused("마스킹은 로그인한 담당자만 시작할 수 있습니다")
    with transaction.atomic():
        locked = ProvisionCase.objects.select_for_update().get(pk=case.pk)
        check_provision_may_be_masked(locked)
        if MaskingJob.objects.filter(
            provision=case,
            device_id=footage.device_id,
            start=footage.start,
            end=footage.end,
            state__in=[MaskingJob.State.QUEUED, MaskingJob.State.RUNNING],
        ).exists():
            raise MaskingRefused("영상: 이 구간의 마스킹 작업이 이미 진행 중입니다")
        job = MaskingJob.objects.create(
            provision=case,
            device_id=footage.device_id,
            start=footage.start,
            end=footage.end,
            created_by=actor.user,
            progress_at=timezone.now(),
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_START_MASKING,
            case,
            reason=f"제공 {case.case_number} 제공본 마스킹",
            details={"job": job.pk, "device": footage.device_id, "start": footage.start, "end": footage.end},
        )
        enqueue_render(job)
    return job


# -- the task's steps (the system's, not audited: the export and the review are) -----------------------


def mark_running(job: MaskingJob) -> None:
    MaskingJob.objects.filter(pk=job.pk).update(
        state=MaskingJob.State.RUNNING, progress=0, error="", progress_at=timezone.now()
    )


def record_progress(job_id: int, percent: int) -> None:
    """The worker's progress, and its sign of life (progress_at: see `restart_stalled`)."""
    MaskingJob.objects.filter(pk=job_id, state=MaskingJob.State.RUNNING).update(
        progress=max(0, min(percent, 99)), progress_at=timezone.now()
    )


def restart_stalled(actor: Actor, job: MaskingJob) -> MaskingJob:
    """Queue again a job a killed worker left queued or running: it made no progress for longer than
    DISCLOSURE_MASKING_STALE_MINUTES (else it is still working and is left alone). Audited as a start."""
    if actor.user is None:
        raise MaskingRefused("마스킹은 로그인한 담당자만 다시 시작할 수 있습니다")
    with transaction.atomic():
        locked = (
            # Only the job's row: its case is a nullable (outer) join, which PostgreSQL will not lock.
            MaskingJob.objects.select_for_update(of=("self",))
            .select_related("request", "provision", "device")
            .get(pk=job.pk)
        )
        if not locked.is_working:
            raise MaskingRefused(f"'{locked.get_state_display()}' 상태의 작업은 다시 시작할 필요가 없습니다")
        if not locked.stalled:
            raise MaskingRefused("작업이 아직 진행 중입니다: 한동안 진행이 없을 때만 다시 시작할 수 있습니다")
        check_job_may_be_masked(locked)
        stalled_since = locked.last_sign_of_life
        locked.state = MaskingJob.State.QUEUED
        locked.progress = 0
        locked.error = ""
        locked.progress_at = timezone.now()
        # A worker that still holds it (hung, not dead) is refused when it finishes: its token is gone.
        locked.claim_token = ""
        locked.lease_expires_at = None
        locked.attempts = 0
        locked.save(
            update_fields=[
                "state",
                "progress",
                "error",
                "progress_at",
                "claim_token",
                "lease_expires_at",
                "attempts",
            ]
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_START_MASKING,
            job_case(locked),
            reason=f"{case_label(locked)} 사본 마스킹 (멈춘 작업 다시 시작)",
            details={
                "job": locked.pk,
                "device": locked.device_id,
                "start": locked.start,
                "end": locked.end,
                "stalled_since": stalled_since,
            },
        )
        enqueue_render(locked)
    return locked


# -- the officer's review (R25) -------------------------------------------------------------------------


def _reviewable(job: MaskingJob) -> MaskingJob:
    locked = (
        MaskingJob.objects.select_for_update(of=("self",))
        .select_related("request", "provision")
        .get(pk=job.pk)
    )
    if locked.state == MaskingJob.State.APPROVED:
        raise MaskingRefused("이미 공개 승인된 마스킹본은 고칠 수 없습니다")
    if locked.is_working:
        raise MaskingRefused("마스킹 작업이 끝난 뒤에 고칠 수 있습니다")
    return locked


def _track_ids(job: MaskingJob) -> set[int]:
    return {int(t["track_id"]) for t in (job.tracks or {}).get("tracks", [])}


def _reviewed(actor: Actor, job: MaskingJob, change: str, details: dict[str, Any]) -> MaskingJob:
    job.reviewed_by = actor.user
    job.reviewed_at = timezone.now()
    job.save()
    record(
        actor,
        AuditEvent.DISCLOSURE_REVIEW_MASKS,
        job_case(job),
        reason=f"{case_label(job)} 마스킹 검토",
        details={"job": job.pk, "correction": change, **details},
    )
    return job


def choose_subject(actor: Actor, job: MaskingJob, track_id: int | None) -> MaskingJob:
    """Leave `track_id` (the requester) unmasked and everyone else masked; None masks everyone again."""
    with transaction.atomic():
        job = _reviewable(job)
        if job.provision_id is not None and track_id is not None:
            # A provision has no data subject to leave unmasked: unmasked footage is the original (R49).
            raise MaskingRefused("제3자 제공 영상에는 정보주체 지정(가리지 않음)을 쓰지 않습니다")
        if track_id is not None and track_id not in _track_ids(job):
            raise MaskingRefused(f"추적 번호: {track_id}번은 검출된 추적이 아닙니다")
        if track_id is not None and track_id in (job.dropped_tracks or []):
            raise MaskingRefused(f"추적 번호: {track_id}번은 오검출로 제외했습니다")
        job.subject_track = track_id
        return _reviewed(actor, job, "subject" if track_id else "no_subject", {"track": track_id})


def drop_track(actor: Actor, job: MaskingJob, track_id: int, *, dropped: bool = True) -> MaskingJob:
    """A false detection is not masked (or, `dropped=False`, is masked again)."""
    with transaction.atomic():
        job = _reviewable(job)
        if track_id not in _track_ids(job):
            raise MaskingRefused(f"추적 번호: {track_id}번은 검출된 추적이 아닙니다")
        ids = set(job.dropped_tracks or [])
        ids = ids | {track_id} if dropped else ids - {track_id}
        job.dropped_tracks = sorted(ids)
        if dropped and job.subject_track == track_id:
            job.subject_track = None
        return _reviewed(actor, job, "drop" if dropped else "restore", {"track": track_id})


def add_region(
    actor: Actor, job: MaskingJob, *, start_frame: int, end_frame: int, box: tuple[int, int, int, int]
) -> MaskingJob:
    """Mask an area the detector missed, over frames start_frame…end_frame (inclusive)."""
    with transaction.atomic():
        job = _reviewable(job)
        last = max(job.frames - 1, 0)
        x1, y1, x2, y2 = box
        if not 0 <= start_frame <= end_frame <= last:
            raise MaskingRefused(f"구간: 0~{last} 프레임 안에서 시작이 끝보다 앞이어야 합니다")
        if not (0 <= x1 < x2 <= job.width and 0 <= y1 < y2 <= job.height):
            raise MaskingRefused(f"영역: 화면({job.width}×{job.height}) 안의 사각형이어야 합니다")
        if len(job.manual_regions or []) >= MAX_REGIONS:
            raise MaskingRefused(f"영역: 수동 영역은 {MAX_REGIONS}개까지입니다")
        region = {"start_frame": start_frame, "end_frame": end_frame, "box": [x1, y1, x2, y2]}
        job.manual_regions = [*(job.manual_regions or []), region]
        return _reviewed(actor, job, "add_region", {"region": region})


def remove_region(actor: Actor, job: MaskingJob, index: int) -> MaskingJob:
    with transaction.atomic():
        job = _reviewable(job)
        regions = list(job.manual_regions or [])
        if not 0 <= index < len(regions):
            raise MaskingRefused("영역: 없는 수동 영역입니다")
        region = regions.pop(index)
        job.manual_regions = regions
        return _reviewed(actor, job, "remove_region", {"region": region})


def rerender(actor: Actor, job: MaskingJob) -> MaskingJob:
    """Render again with the officer's corrections (from the stored tracks: no detection again)."""
    with transaction.atomic():
        job = _reviewable(job)
        job.state = MaskingJob.State.QUEUED
        job.progress = 0
        job.progress_at = timezone.now()
        job.attempts = 0  # a new render: its workers get DISCLOSURE_MASKING_MAX_ATTEMPTS claims again
        _reviewed(actor, job, "rerender", {"overrides": job.overrides()})
        enqueue_render(job)
    return job


def approve_release(actor: Actor, job: MaskingJob) -> MaskingJob:
    """R25: approve the masked derivative for release; never without one that differs from the original."""
    with transaction.atomic():
        job = (
            MaskingJob.objects.select_for_update(of=("self",))
            .select_related("request", "provision")
            .get(pk=job.pk)
        )
        if job.state != MaskingJob.State.READY:
            raise MaskingRefused(f"'{job.get_state_display()}' 상태의 작업은 승인할 수 없습니다")
        if not job.releasable:
            # R25: release is blocked until a masked derivative exists; hash(original) ≠ hash(output).
            raise MaskingRefused("마스킹본이 없거나 원본과 같아 공개할 수 없습니다 (R25)")
        if job.needs_render:
            raise MaskingRefused(
                "검토에서 고친 내용이 아직 렌더링되지 않았습니다. 다시 렌더링한 뒤 승인하세요"
            )
        job.state = MaskingJob.State.APPROVED
        job.approved_by = actor.user
        job.approved_at = timezone.now()
        job.save()
        record(
            actor,
            AuditEvent.DISCLOSURE_APPROVE_RELEASE,
            job_case(job),
            reason=f"{case_label(job)} 마스킹본 공개 승인",
            details={
                "job": job.pk,
                "device": job.device_id,
                "original_sha256": job.original_sha256,
                "derivative_sha256": job.derivative_sha256,
                "subject_track": job.subject_track,
            },
        )
    return job


def view_preview(actor: Actor, job: MaskingJob) -> None:
    """Staff watching the masked preview is a viewing of personal video (R41): one entry per opening."""
    with transaction.atomic():
        record(
            actor,
            AuditEvent.DISCLOSURE_VIEW_MASKING_PREVIEW,
            job_case(job),
            reason=f"{case_label(job)} 마스킹 검토",
            details={"job": job.pk, "device": job.device_id, "start": job.start, "end": job.end},
        )
