"""The package builds' background work (Huey; disclosure.actions.package_jobs): a worker claims a queued
build, seals the package renewing its lease at each step, and records it under its claim; the minute's
sweep recovers the builds of dead workers and those whose task the queue lost (issue 18); a sweep every ten
minutes destroys the stored packages whose download link expired (R17, R19)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jikimi.audit.context import Actor
from jikimi.disclosure.actions.delivery import DeliveryRefused, seal_copy
from jikimi.disclosure.actions.job_leases import (
    Heartbeat,
    LeaseLost,
    claim,
    fail,
    recover_expired,
    requeue_unclaimed,
)
from jikimi.disclosure.actions.package_jobs import (
    PACKAGES,
    destroy_expired,
    finish_copy,
    finish_provision,
    password_of,
)
from jikimi.disclosure.actions.provision_delivery import HandoverRefused, seal_package
from jikimi.disclosure.masked_files import SealedFile, remove
from jikimi.disclosure.models import PackageJob
from jikimi.engine.errors import EngineError
from jikimi.vault.export import ExportRefused
from jikimi.vault.keyring import FootageRefused
from jikimi.vault.playback import FootageDamaged

log = logging.getLogger(__name__)


def run_build(build_id: int) -> None:
    """Build a queued package: claimed first, so a second delivery of the task (or a build another worker
    holds, or one that ended) does nothing. Ends READY (the delivery made) or FAILED (the reason on the
    officer's page) — or, if the claim was lost to the sweep meanwhile, untouched: another worker builds
    it, and whatever this one stored is removed (never delivered twice)."""
    held = claim(PACKAGES, build_id)
    if held is None:
        return
    build = PackageJob.objects.select_related(
        "masking_job__request__institution",
        "masking_job__device",
        "case__institution",
        "case__body",
        "created_by",
    ).get(pk=build_id)
    actor = Actor.for_user(build.created_by, "huey")
    beat = Heartbeat(PACKAGES, held)
    sealed: SealedFile | None = None
    try:
        password = password_of(build)
        if build.kind == PackageJob.Kind.COPY:
            assert build.masking_job is not None
            sealed, file_name = seal_copy(actor, build.masking_job, password=password, beat=beat)
            finish_copy(held, actor, sealed, file_name)
        else:
            assert build.case is not None
            sealed, file_name, files = seal_package(
                actor, build.case, original=build.original, password=password, beat=beat
            )
            finish_provision(held, actor, sealed, file_name, files)
    except LeaseLost as lost:
        log.warning("package job %s: %s; attempt %s is discarded", build_id, lost, held.attempt)
        if sealed is not None:
            remove(sealed.object_name)
    except (
        DeliveryRefused,
        HandoverRefused,
        ExportRefused,
        FootageDamaged,
        FootageRefused,
        EngineError,
        ValueError,
    ) as error:
        log.warning("package job %s failed: %s", build_id, error)
        if sealed is not None:
            remove(sealed.object_name)
        fail(PACKAGES, held, str(error))
    except Exception as error:  # a crash must not leave the build "running" until its lease expires
        log.exception("package job %s crashed", build_id)
        if sealed is not None:
            remove(sealed.object_name)
        fail(PACKAGES, held, f"제공 파일을 만드는 중 오류가 났습니다: {type(error).__name__}")
        raise


@db_task(name="disclosure.build_package")
def build_package(build_id: int) -> None:
    run_build(build_id)


@db_periodic_task(crontab(minute="*"), name="disclosure.recover_package_jobs")
def recover_package_jobs() -> dict[str, int]:
    """Every minute: builds whose worker stopped renewing its lease go to another worker (or fail after
    DISCLOSURE_MASKING_MAX_ATTEMPTS); builds queued and never taken (the queue lost their task) are queued
    again. Sweeps running at once skip each other's rows."""
    actor = Actor.system("recover_package_jobs")
    outcome = recover_expired(PACKAGES, actor)
    reenqueued = requeue_unclaimed(PACKAGES, actor)
    if outcome.requeued or outcome.failed or reenqueued:
        log.warning(
            "package jobs recovered: requeued %s, failed %s, re-enqueued %s",
            outcome.requeued,
            outcome.failed,
            reenqueued,
        )
    return {"requeued": len(outcome.requeued), "failed": len(outcome.failed), "reenqueued": len(reenqueued)}


@db_periodic_task(crontab(minute="*/10"), name="disclosure.destroy_expired_packages")
def destroy_expired_packages() -> dict[str, int]:
    """Every ten minutes: the stored file of each package whose download link expired is destroyed (key
    erased, file deleted), one audit entry each — well within the org's 5 days after expiry (R17). Sweeps
    running at once skip each other's rows; a second run finds nothing left to do."""
    destroyed = destroy_expired(Actor.system("destroy_expired_packages"))
    if destroyed:
        log.info("expired packages destroyed: %s", destroyed)
    return {"destroyed": len(destroyed)}
