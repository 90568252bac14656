"""Issue 18: a masking job is held by one worker at a time through a lease in the database; a lease left to
expire is recovered (queued again for another worker, audited), the late worker's result is refused and
its stored derivative removed, and after the last attempt the job fails with the reason. Runs on SQLite
and on PostgreSQL (DATABASE_URL=postgres://…)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.delivery import DeliveryRefused
from jikimi.disclosure.actions.job_leases import (
    LeaseLost,
    claim_job,
    record_failure,
    record_render,
    recover_abandoned_jobs,
    renew,
)
from jikimi.disclosure.actions.masking import approve_release, start_masking
from jikimi.disclosure.masking_tasks import render_job, run_render
from jikimi.disclosure.models import MaskingJob
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    CLOCK,
    World,
    immediate_huey,
    officer_actor,
    private_vault,
    rendered_job,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.package_fixtures import prepare_copy

pytestmark = [pytest.mark.django_db(transaction=False)]
SWEEP = Actor.system("recover_masking_jobs")


@pytest.fixture(autouse=True)
def short_lease(settings: Any) -> None:
    settings.DISCLOSURE_MASKING_LEASE_SECONDS = 30
    settings.DISCLOSURE_MASKING_MAX_ATTEMPTS = 2


def _derivatives(tmp_path: Path) -> list[Path]:
    """The masked derivatives in the test's store (masked_files: disclosure/masked-<job>-<random>)."""
    return [p for p in (tmp_path / "footage").rglob("masked-*") if p.is_file()]


def test_a_queued_job_is_claimed_once_and_its_lease_renewed_only_by_its_holder(world: World) -> None:
    with time_machine.travel(CLOCK + timedelta(hours=1), tick=False) as clock:
        job = start_masking(officer_actor(world.officer), world.request, world.device)
        claim = claim_job(job.pk)
        assert claim is not None and claim.attempt == 1
        assert claim_job(job.pk) is None  # a second delivery of the task renders nothing
        job.refresh_from_db()
        assert job.state == MaskingJob.State.RUNNING and job.attempts == 1
        assert job.worker_pid == claim.pid and job.worker == f"{claim.host} (PID {claim.pid})"
        assert job.lease_expires_at == timezone.now() + timedelta(seconds=30)

        clock.shift(timedelta(seconds=20))
        assert renew(claim, percent=40, frames=12, total=30)
        job.refresh_from_db()
        assert (job.progress, job.progress_frames, job.progress_total) == (40, 12, 30)
        assert job.lease_expires_at == timezone.now() + timedelta(seconds=30)
        # A live lease is not recovered.
        assert recover_abandoned_jobs(SWEEP).requeued == []


def test_an_expired_lease_is_requeued_audited_and_the_late_worker_refused(world: World) -> None:
    with time_machine.travel(CLOCK + timedelta(hours=1), tick=False) as clock:
        job = start_masking(officer_actor(world.officer), world.request, world.device)
        first = claim_job(job.pk)
        assert first is not None
        clock.shift(timedelta(seconds=31))  # the worker was killed: no renewal
        recovered = recover_abandoned_jobs(SWEEP)
        assert recovered.requeued == [job.pk] and recovered.failed == []
        assert recover_abandoned_jobs(SWEEP).requeued == []  # once
        job.refresh_from_db()
        assert job.state == MaskingJob.State.QUEUED and job.claim_token == "" and job.attempts == 1

        entry = AuditEntry.objects.get(action="disclosure.recover_masking")
        assert entry.actor is None and entry.details["job"] == job.pk
        assert entry.details["recovery"] == "requeued" and entry.details["attempt"] == 1
        assert entry.details["worker"] == f"{first.host} (PID {first.pid})"

        second = claim_job(job.pk)
        assert second is not None and second.attempt == 2 and second.token != first.token
        # The first worker, not dead after all, comes back late: nothing it writes counts.
        assert not renew(first, percent=90)
        with pytest.raises(LeaseLost, match="점유가 끝났습니다"):
            record_render(first, fields={"frames": 30}, overrides={})
        record_failure(first, "늦은 실패")
        job.refresh_from_db()
        assert job.state == MaskingJob.State.RUNNING and job.error == "" and job.renders == 0
        assert renew(second, percent=10)


def test_after_the_last_attempt_the_job_fails_with_the_reason(world: World) -> None:
    with time_machine.travel(CLOCK + timedelta(hours=1), tick=False) as clock:
        job = start_masking(officer_actor(world.officer), world.request, world.device)
        for attempt in (1, 2):  # DISCLOSURE_MASKING_MAX_ATTEMPTS = 2
            claim = claim_job(job.pk)
            assert claim is not None and claim.attempt == attempt
            clock.shift(timedelta(seconds=31))
            recover_abandoned_jobs(SWEEP)
        job.refresh_from_db()
        assert job.state == MaskingJob.State.FAILED
        assert "2번 시도해 모두 끝나지 않아 실패" in job.error and job.lease_expires_at is None
        outcomes = list(
            AuditEntry.objects.filter(action="disclosure.recover_masking")
            .order_by("pk")
            .values_list("details__recovery", flat=True)
        )
        assert outcomes == ["requeued", "failed"]
        assert claim_job(job.pk) is None


def test_a_render_finished_after_its_lease_was_lost_is_discarded_and_the_next_one_kept(
    world: World, tmp_path: Path
) -> None:
    """The late worker's derivative (already sealed into the store) is removed; exactly one stays."""
    with time_machine.travel(CLOCK + timedelta(hours=1), tick=False) as clock:
        job = start_masking(officer_actor(world.officer), world.request, world.device)
        late = claim_job(job.pk)
        assert late is not None
        clock.shift(timedelta(seconds=31))
        recover_abandoned_jobs(SWEEP)
        job.refresh_from_db()
    # The late worker renders the whole clip (its renewals fail: it stops, or its result is refused).
    loaded = MaskingJob.objects.select_related("request__institution", "device", "created_by").get(pk=job.pk)
    run_render(loaded, late)
    job.refresh_from_db()
    assert job.state == MaskingJob.State.QUEUED and job.renders == 0 and not job.derivative_object
    assert _derivatives(tmp_path) == []

    render_job.call_local(job.pk)  # the worker the sweep gave it to
    job.refresh_from_db()
    assert job.state == MaskingJob.State.READY, job.error
    assert job.attempts == 2 and job.renders == 1 and job.claim_token == ""
    assert job.progress_frames == job.progress_total == job.frames > 0
    assert [p.name for p in _derivatives(tmp_path)] == [Path(job.derivative_object).name]
    render_job.call_local(job.pk)  # the task delivered once more: nothing is rendered again
    job.refresh_from_db()
    assert job.renders == 1 and len(_derivatives(tmp_path)) == 1


def test_the_job_page_shows_the_frames_and_the_worker(world: World) -> None:
    job = start_masking(officer_actor(world.officer), world.request, world.device)
    claim = claim_job(job.pk)
    assert claim is not None
    assert renew(claim, percent=40, frames=12, total=30)
    client = Client()
    log_in(client, world.officer)
    for url in (
        reverse("disclosure:masking_progress", args=[job.pk]),
        reverse("disclosure:masking", args=[world.request.pk]),
    ):
        page = client.get(url).content.decode()
        assert "12/30 프레임" in page, url
        assert f"작업 워커: {claim.host} (PID {claim.pid})" in page, url


@pytest.mark.usefixtures("immediate_huey")
def test_one_job_gives_one_archive_at_a_time(world: World, django_capture_on_commit_callbacks: Any) -> None:
    job = rendered_job(world, django_capture_on_commit_callbacks)
    assert job.state == MaskingJob.State.READY, job.error
    job = approve_release(officer_actor(world.head), job)
    prepare_copy(officer_actor(world.officer), job)
    with pytest.raises(DeliveryRefused, match="두 번 만들지 않습니다"):
        prepare_copy(officer_actor(world.officer), job)
    assert job.deliveries.count() == 1


@pytest.fixture
def memory_queue() -> Iterator[None]:
    """Committed transactions enqueue for real: into a queue of the test's own, never run."""
    before = HUEY.storage
    HUEY.storage = MemoryStorage("jikimi-test")
    yield
    HUEY.storage = before


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's (SQLite serializes its writers: BEGIN IMMEDIATE)")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("memory_queue")
def test_on_postgresql_a_row_being_claimed_or_swept_is_skipped_not_waited_for(
    postgresql_only: None, world: World
) -> None:
    job = start_masking(officer_actor(world.officer), world.request, world.device)
    claim = claim_job(job.pk)
    assert claim is not None
    later = timezone.now() + timedelta(seconds=31)
    held, release = threading.Event(), threading.Event()

    def other_sweeper() -> None:
        try:
            with transaction.atomic():
                MaskingJob.objects.select_for_update().get(pk=job.pk)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_sweeper)
    thread.start()
    try:
        assert held.wait(10)
        assert recover_abandoned_jobs(SWEEP, now=later).requeued == []  # at once, not after the lock
        assert claim_job(job.pk) is None
    finally:
        release.set()
        thread.join(10)
    assert recover_abandoned_jobs(SWEEP, now=later).requeued == [job.pk]
    assert claim_job(job.pk) is not None
