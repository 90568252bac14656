"""Issue 18: a job survives the loss of its worker and is never delivered twice — and a *living* worker in
one long step keeps its job. An hour's export inside a package build or a masking job takes longer than
the lease; if the lease were renewed only between steps, the minute's sweep would take the job from a
worker that is still working and hand it to another (work wasted, attempts used up). The export renews
the lease as it goes (vault.export's `progress`, job_leases.Heartbeat), and a renewal that finds the job
gone stops the export at once: nothing of it is recorded or delivered.

A short lease (3 s) and a slow export (each segment takes 2 s to read) stand for the hour and the minute;
the sweep runs while each segment is read, as a sweep on another machine would. Runs on SQLite and on
PostgreSQL (DATABASE_URL=postgres://…)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.job_leases import (
    MASKING,
    claim,
    claim_job,
    recover_expired,
)
from jikimi.disclosure.actions.masking import approve_release, start_masking
from jikimi.disclosure.actions.package_jobs import PACKAGES, order_copy
from jikimi.disclosure.masking_tasks import run_render
from jikimi.disclosure.models import CopyDelivery, MaskingJob, PackageJob
from jikimi.disclosure.models.leased_jobs import WORKING_STATES, LeasedJob
from jikimi.disclosure.package_tasks import run_build
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
from jikimi.engine.footage.ingest import ingest_file
from jikimi.vault import export
from jikimi.vault.models import Segment

pytestmark = [pytest.mark.django_db]
SWEEP = Actor.system("recover_jobs")
LEASE = 3.0  # seconds: renewed every second (a third of it)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(CLOCK + timedelta(minutes=10), tick=True):
        yield


@pytest.fixture(autouse=True)
def short_lease(settings: Any) -> None:
    settings.DISCLOSURE_MASKING_LEASE_SECONDS = LEASE
    settings.DISCLOSURE_MASKING_MAX_ATTEMPTS = 3


@pytest.fixture(autouse=True)
def one_second_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """The world's 2-second recording stored as two segments (a keyframe every second), so an export of
    it is two steps of reading, as an hour's is sixty."""
    monkeypatch.setattr("jikimi.vault.actions.ingest.ingest_file", partial(ingest_file, segment_seconds=1))


@dataclass
class SlowFootage:
    """Each segment takes `seconds` to read; `meanwhile` runs once it is read (the other machine's sweep)."""

    seconds: float
    meanwhile: Callable[[int], None]
    reads: int = 0
    outcomes: list[Any] = field(default_factory=list)


def slow_footage(
    monkeypatch: pytest.MonkeyPatch, seconds: float, meanwhile: Callable[[int], Any]
) -> SlowFootage:
    slow = SlowFootage(seconds, lambda read: slow.outcomes.append(meanwhile(read)))
    real = export.segment_plaintext

    def segment_plaintext(part: Any) -> Any:
        slow.reads += 1
        time.sleep(slow.seconds)
        slow.meanwhile(slow.reads)
        return real(part)

    monkeypatch.setattr(export, "segment_plaintext", segment_plaintext)
    return slow


def _approved_job(world: World, capture: Any) -> MaskingJob:
    job = rendered_job(world, capture)
    assert job.state == MaskingJob.State.READY, job.error
    return approve_release(officer_actor(world.head), job)


def _sealing_exports() -> int:
    return AuditEntry.objects.filter(action="vault.export_footage", reason__contains="사본 봉인").count()


@pytest.mark.usefixtures("immediate_huey")
def test_a_package_build_keeps_its_lease_through_an_export_longer_than_the_lease(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Segment.objects.filter(device=world.device).count() == 2
    job = _approved_job(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        order = order_copy(officer_actor(world.officer), job)  # queued; this test is its worker
    slow = slow_footage(monkeypatch, 2.0, lambda _: recover_expired(PACKAGES, SWEEP))

    run_build(order.build.pk)  # 4 s of export under a 3 s lease

    assert slow.reads == 2
    assert [(o.requeued, o.failed) for o in slow.outcomes] == [([], [])] * 2  # never taken from it
    build = PackageJob.objects.get(pk=order.build.pk)
    assert build.state == PackageJob.State.READY, build.error
    assert build.attempts == 1 and build.copy_delivery is not None
    assert not AuditEntry.objects.filter(action="disclosure.recover_package").exists()


@pytest.mark.usefixtures("immediate_huey")
def test_a_package_build_whose_lease_is_lost_mid_export_stops_and_delivers_nothing(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _approved_job(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        order = order_copy(officer_actor(world.officer), job)
    exports_before = _sealing_exports()

    def taken(read: int) -> Any:
        # The worker was cut off from the database for longer than its lease: the sweep requeued it.
        if read == 1:
            with django_capture_on_commit_callbacks(execute=False):  # the next worker is not run here
                return recover_expired(PACKAGES, SWEEP, now=timezone.now() + timedelta(seconds=LEASE + 1))
        return None

    slow = slow_footage(monkeypatch, 1.2, taken)
    run_build(order.build.pk)

    assert slow.outcomes[0].requeued == [order.build.pk]
    assert slow.reads == 1  # the next renewal was refused: the second segment was never read
    build = PackageJob.objects.get(pk=order.build.pk)
    assert build.state == PackageJob.State.QUEUED and build.attempts == 1 and build.claim_token == ""
    assert not CopyDelivery.objects.filter(job=job, kind=CopyDelivery.Kind.ARCHIVE).exists()
    assert _sealing_exports() == exports_before  # the export stopped: nothing recorded
    held = claim(PACKAGES, build.pk)
    assert held is not None and held.attempt == 2


def test_a_masking_job_keeps_its_lease_through_an_export_longer_than_the_lease(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = start_masking(officer_actor(world.officer), world.request, world.device)
    held = claim_job(job.pk)
    assert held is not None
    slow = slow_footage(monkeypatch, 2.0, lambda _: recover_expired(MASKING, SWEEP))
    loaded = MaskingJob.objects.select_related("request__institution", "device", "created_by").get(pk=job.pk)

    run_render(loaded, held)

    assert slow.reads == 2
    assert [(o.requeued, o.failed) for o in slow.outcomes] == [([], [])] * 2
    job.refresh_from_db()
    assert job.state == MaskingJob.State.READY, job.error
    assert job.attempts == 1 and job.renders == 1 and job.derivative_object


def test_a_masking_job_whose_lease_is_lost_mid_export_stops_before_rendering(
    world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        job = start_masking(officer_actor(world.officer), world.request, world.device)
    held = claim_job(job.pk)
    assert held is not None

    def taken(read: int) -> Any:
        if read == 1:
            with django_capture_on_commit_callbacks(execute=False):
                return recover_expired(MASKING, SWEEP, now=timezone.now() + timedelta(seconds=LEASE + 1))
        return None

    slow = slow_footage(monkeypatch, 1.2, taken)
    exports_before = AuditEntry.objects.filter(action="vault.export_footage").count()
    loaded = MaskingJob.objects.select_related("request__institution", "device", "created_by").get(pk=job.pk)

    run_render(loaded, held)

    assert slow.outcomes[0].requeued == [job.pk] and slow.reads == 1
    job.refresh_from_db()
    assert job.state == MaskingJob.State.QUEUED and job.renders == 0 and not job.derivative_object
    assert AuditEntry.objects.filter(action="vault.export_footage").count() == exports_before


def test_both_kinds_of_job_share_one_declaration_of_the_lease() -> None:
    """The fields job_leases reads and writes are declared once (LeasedJob), and `is_working` holds for
    both models' own worker states."""
    for model in (MaskingJob, PackageJob):
        assert issubclass(model, LeasedJob)
        assert (model.State.QUEUED.value, model.State.RUNNING.value) == WORKING_STATES
        for name in (
            "claim_token",
            "lease_expires_at",
            "attempts",
            "worker_host",
            "progress_at",
            "queued_at",
        ):
            assert model._meta.get_field(name).model is model  # inherited into each table, not shared
        assert "is_working" not in vars(model) and "worker" not in vars(model)
    job = PackageJob(state=PackageJob.State.RUNNING, worker_host="w1", worker_pid=7)
    assert job.is_working and job.worker == "w1 (PID 7)"
    assert not MaskingJob(state=MaskingJob.State.APPROVED).is_working and MaskingJob().worker == ""
