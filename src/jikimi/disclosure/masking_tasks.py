"""The masking job's background work (Huey): export the window from the vault, mask it, store the
masked derivative encrypted, keep the tracks for the review (R25, R42).

The plaintext export and the engine's output live only in a private temporary directory for the run
and are removed with it; what stays is the derivative, sealed under its own data key
(jikimi.disclosure.masked_files). A re-render starts from the stored tracks with the officer's
corrections (subject, manual regions, dropped tracks), so nothing is detected again.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any, Literal, cast

import av
from django.conf import settings
from django.db import DatabaseError, connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jikimi.audit.context import Actor
from jikimi.disclosure.actions.job_leases import (
    MASKING,
    Claim,
    Heartbeat,
    LeaseLost,
    claim_job,
    record_failure,
    record_render,
    recover_abandoned_jobs,
    renew,
    renew_interval,
    requeue_unclaimed,
)
from jikimi.disclosure.masked_files import remove, seal_file
from jikimi.disclosure.models import MaskingJob
from jikimi.engine.errors import EngineError
from jikimi.engine.masking.pipeline import MaskResult, mask_video
from jikimi.engine.masking.spec import ManualRegion, MaskSpec, SubjectSpec, TrackOverride, WatermarkSpec
from jikimi.vault.export import ExportRefused, export_window
from jikimi.vault.keyring import FootageRefused
from jikimi.vault.playback import FootageDamaged

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 0.5  # seconds


def watermark_lines(job: MaskingJob) -> list[str]:
    """Burned into every frame: whose copy it is (the receipt or case number), so a leaked copy is
    traceable; a body's copy also says it may not be given on (R32: no re-provision)."""
    if job.provision is not None:
        case = job.provision
        return [f"{case.institution.name} 사건번호 {case.case_number}", "제3자 제공용 사본 · 재제공 금지"]
    request = job.subject_request
    return [f"{request.institution.name} 접수번호 {request.receipt_number}", "열람 등 청구 제공용 사본"]


def _subject(job: MaskingJob) -> SubjectSpec | None:
    if job.subject_track is None:
        return None
    for track in (job.tracks or {}).get("tracks", []):
        if track["track_id"] == job.subject_track and track.get("detections"):
            first = track["detections"][0]
            return SubjectSpec(frame=first["frame"], box=tuple(first["box"]), track_id=job.subject_track)
    return None


def build_spec(job: MaskingJob) -> MaskSpec:
    """The engine's spec from the job's review: subject mode, manual regions, dropped tracks, watermark."""
    return MaskSpec(
        mode=cast(Literal["fast", "thorough"], settings.DISCLOSURE_MASKING_MODE),  # checked in settings
        subject=_subject(job),
        regions=[ManualRegion(**region) for region in job.manual_regions or []],
        tracks=[TrackOverride(track_id=track, action="drop") for track in job.dropped_tracks or []],
        watermark=WatermarkSpec(lines=watermark_lines(job)),
    )


def _fps(path: Path) -> float:
    with av.open(str(path)) as container:
        rate = container.streams.video[0].average_rate
        return float(rate) if rate else 0.0


def _mask_with_progress(
    claim: Claim, source: Path, output: Path, spec: MaskSpec, tracks_file: Path | None
) -> MaskResult:
    """Run the engine in a worker thread; this thread saves its progress to the job and renews the
    worker's lease (issue 18), on every change of the percentage and at least every third of a lease.

    The engine reports progress from its own threads, which must not touch the database (each would
    open a connection of its own, and SQLite would see two writers); the task's thread writes instead.
    A renewal refused (the lease expired and the job went to another worker) stops the engine at its
    next frame: LeaseLost is raised from its progress callback and handed back here.
    """
    seen = {"frames": 0, "total": 0}
    outcome: dict[str, Any] = {}
    done = threading.Event()
    lost = threading.Event()

    def report(frames: int, total: int) -> None:
        if lost.is_set():
            raise LeaseLost(f"마스킹 작업 {claim.job_id}: 다른 작업 워커에 넘어갔습니다")
        seen["frames"], seen["total"] = frames, total

    def work() -> None:
        try:
            outcome["result"] = mask_video(source, output, spec, tracks_file=tracks_file, progress=report)
        except BaseException as error:  # handed to the task's thread, raised there
            outcome["error"] = error
        finally:
            done.set()

    worker = threading.Thread(target=work, name=f"jikimi-mask-{claim.job_id}", daemon=True)
    worker.start()
    written, renewed = -1, time.monotonic()
    while not done.wait(PROGRESS_INTERVAL):
        frames, total = seen["frames"], seen["total"]
        percent = int(100 * frames / max(total, 1))
        if lost.is_set() or (percent == written and time.monotonic() - renewed < renew_interval()):
            continue
        written, renewed = percent, time.monotonic()
        try:
            kept = renew(claim, percent=percent, frames=frames, total=total)
        except DatabaseError as error:
            # A database hiccup: keep rendering and try again at the next interval. If it outlasts the
            # lease, the sweep gives the job to another worker and the next renewal here is refused.
            log.warning("masking job %s: lease not renewed (%s)", claim.job_id, error)
            connection.close_if_unusable_or_obsolete()
            continue
        if not kept:
            log.warning("masking job %s: lease lost, stopping the render", claim.job_id)
            lost.set()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    result: MaskResult = outcome["result"]
    return result


def run_render(job: MaskingJob, claim: Claim) -> None:
    """One render of `job` under `claim`; its state ends READY (derivative stored) or FAILED (with the
    reason) — or, if the claim was lost to the lease sweep meanwhile, untouched: another worker renders
    it, and whatever this one stored is removed (one derivative per job, never two)."""
    overrides = job.overrides()
    previous = job.derivative_object
    actor = Actor.for_user(job.created_by, "huey")
    sealed = None
    with tempfile.TemporaryDirectory(prefix="jikimi-mask-") as directory:
        tmp = Path(directory)
        try:
            exported = export_window(
                actor,
                job.device,
                job.start,
                job.end,
                tmp / "original.mp4",
                reason=(
                    f"제3자 제공 {job.case_number} 제공본 마스킹"
                    if job.provision_id
                    else f"열람 등 청구 {job.case_number} 사본 마스킹"
                ),
                case_reference=job.case_number,
                # An hour's export outlasts a lease: renewed as it goes, stopped if the job was lost.
                progress=partial(Heartbeat(MASKING, claim), -1),
            )
            tracks_file = None
            if job.tracks:
                tracks_file = tmp / "previous.tracks.json"
                tracks_file.write_text(json.dumps(job.tracks), encoding="utf-8")
            result = _mask_with_progress(
                claim, exported.path, tmp / "masked.mp4", build_spec(job), tracks_file
            )
            sealed = seal_file(result.output, f"masked-{job.pk}")
            tracks = json.loads(result.tracks_file.read_text(encoding="utf-8"))
            fields = {
                "original_sha256": exported.sha256,
                "original_seconds": exported.seconds,
                "width": result.width,
                "height": result.height,
                "frames": result.frames,
                "fps": _fps(result.output),
                "tracks": tracks,
                "derivative_object": sealed.object_name,
                "derivative_key_id": sealed.key_id,
                "derivative_wrapped_key": sealed.wrapped_key,
                "derivative_sha256": sealed.sha256,
                "derivative_size": sealed.size,
            }
            record_render(claim, fields=fields, overrides=overrides)
        except LeaseLost as lost:
            # Late: the sweep gave the job to another worker, whose result is the job's.
            log.warning(
                "masking job %s: %s; the result of attempt %s is discarded", job.pk, lost, claim.attempt
            )
            if sealed is not None:
                remove(sealed.object_name)
            return
        except (ExportRefused, FootageDamaged, FootageRefused, EngineError, ValueError) as error:
            log.warning("masking job %s failed: %s", job.pk, error)
            record_failure(claim, str(error))
            return
        except Exception as error:  # a crash must not leave the job "running" forever
            log.exception("masking job %s crashed", job.pk)
            if sealed is not None:
                remove(sealed.object_name)
            record_failure(claim, f"마스킹 중 오류가 났습니다: {type(error).__name__}")
            raise
    if previous and previous != sealed.object_name:
        remove(previous)


@db_task(name="disclosure.render_masking_job")
def render_job(job_id: int) -> None:
    """Render a queued job: claimed first, so a second delivery of the task (or a job another worker
    holds, or one that ended) does nothing."""
    claim = claim_job(job_id)
    if claim is None:
        return
    job = MaskingJob.objects.select_related(
        "request__institution", "provision__institution", "device", "created_by"
    ).get(pk=job_id)
    run_render(job, claim)


@db_periodic_task(crontab(minute="*"), name="disclosure.recover_masking_jobs")
def recover_masking_jobs() -> dict[str, int]:
    """Every minute (queued by the consumer that runs the periodic tasks, run by any worker): jobs whose
    worker stopped renewing its lease go to another worker (or fail after DISCLOSURE_MASKING_MAX_ATTEMPTS).
    Jobs queued but unclaimed for DISCLOSURE_JOB_REQUEUE_SECONDS are queued again.
    Sweeps running at once (several consumers with periodic tasks) skip each other's rows."""
    actor = Actor.system("recover_masking_jobs")
    outcome = recover_abandoned_jobs(actor)
    # Jobs queued and never taken: their task was lost with the queue (Redis flushed or restarted).
    reenqueued = requeue_unclaimed(MASKING, actor)
    if outcome.requeued or outcome.failed or reenqueued:
        log.warning(
            "masking jobs recovered: requeued %s, failed %s, re-enqueued %s",
            outcome.requeued,
            outcome.failed,
            reenqueued,
        )
    return {"requeued": len(outcome.requeued), "failed": len(outcome.failed), "reenqueued": len(reenqueued)}
