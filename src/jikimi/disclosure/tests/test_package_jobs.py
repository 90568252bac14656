"""Issue 18: a request's copy archive (R42) and a provision's package for the police (R49) are built by a
worker under a lease, like masking jobs — queued by the officer's page, progress shown there, recovered
by the sweep when the worker dies (retried, then failed with the reason), a late package refused — and
never built twice: the database holds one live build per job or case, whatever the page did. A task the
queue lost before any worker took it (Redis flushed) is queued again by the sweep. Runs on SQLite and on
PostgreSQL (DATABASE_URL=postgres://…); the queue test on the loopback Redis."""

from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import pyzipper
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from huey import RedisHuey
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.delivery import DeliveryRefused, download_copy
from jikimi.disclosure.actions.job_leases import (
    MASKING,
    LeaseLost,
    claim,
    recover_expired,
    requeue_unclaimed,
)
from jikimi.disclosure.actions.masking import approve_release, start_masking
from jikimi.disclosure.actions.package_jobs import (
    PACKAGES,
    finish_provision,
    order_copy,
    order_provision,
)
from jikimi.disclosure.actions.provision_delivery import HandoverRefused, download_package
from jikimi.disclosure.masked_files import seal_file
from jikimi.disclosure.models import CopyDelivery, MaskingJob, PackageJob, ProvisionDelivery
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
from jikimi.disclosure.tests.package_builds import at_the_same_instant
from jikimi.disclosure.tests.provision_delivery_world import (  # noqa: F401 (fixtures)
    Provision,
    approved_masked_jobs,
    provision_fixture,
)

pytestmark = [pytest.mark.django_db]
SWEEP = Actor.system("recover_package_jobs")
CITIZEN = Actor(user=None, label="청구인", client_address="203.0.113.9")
POLICE = Actor(user=None, label="인천중부경찰서", client_address="203.0.113.10")
REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(CLOCK + timedelta(minutes=10), tick=True):
        yield


@pytest.fixture(autouse=True)
def short_lease(settings: Any) -> None:
    settings.DISCLOSURE_MASKING_LEASE_SECONDS = 30
    settings.DISCLOSURE_MASKING_MAX_ATTEMPTS = 2
    settings.DISCLOSURE_JOB_REQUEUE_SECONDS = 600


@pytest.fixture
def memory_queue() -> Iterator[None]:
    """Committed transactions enqueue for real: into a queue of the test's own, never run."""
    before = HUEY.storage
    HUEY.storage = MemoryStorage(f"jikimi-test-{secrets.token_hex(4)}")
    yield
    HUEY.storage = before


def _approved(world: World, capture: Any) -> MaskingJob:
    job = rendered_job(world, capture)
    assert job.state == MaskingJob.State.READY, job.error
    return approve_release(officer_actor(world.head), job)


def _unzipped(data: bytes, password: str) -> list[str]:
    with pyzipper.AESZipFile(io.BytesIO(data)) as zf:
        zf.setpassword(password.encode())
        return [name for name in zf.namelist() if zf.read(name) is not None]


@pytest.mark.usefixtures("immediate_huey")
def test_a_copy_is_queued_built_by_a_worker_and_shown_on_the_page_that_ordered_it(
    world: World, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    job = _approved(world, django_capture_on_commit_callbacks)
    log_in(client, world.officer)
    page = client.post(reverse("disclosure:masking_copy", args=[job.pk]))  # the task is not run: no commit
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    build = PackageJob.objects.get()
    assert build.state == PackageJob.State.QUEUED and build.queued_at is not None
    assert (
        'data-build-state="queued"' in text
        and "작업 워커를 기다리고" in text
        and 'hx-trigger="every 2s"' in text
    )
    password = text.split("data-password>")[1].split("<")[0]
    assert len(password) == 24 and password not in str(build.password_wrapped_key)
    assert AuditEntry.objects.filter(action="disclosure.order_package").count() == 1
    assert not CopyDelivery.objects.exists()  # nothing made in the web request

    run_build(build.pk)  # a worker takes it
    build.refresh_from_db()
    assert build.state == PackageJob.State.READY and build.progress == 100 and build.attempts == 1
    assert build.password_key_id == "" and build.password_wrapped_key is None  # the password is gone
    delivery = CopyDelivery.objects.get()
    assert build.copy_delivery == delivery and delivery.kind == CopyDelivery.Kind.ARCHIVE
    assert any(
        name.endswith("manifest.json")
        for name in _unzipped(download_copy(CITIZEN, delivery).read(), password)
    )
    status = client.get(reverse("disclosure:masking_copy_status", args=[job.pk])).content.decode()
    assert 'data-build-state="ready"' in status and delivery.file_name in status and "hx-get" not in status
    review = client.get(reverse("disclosure:masking_review", args=[job.pk])).content.decode()
    assert 'data-build-state="ready"' in review


@pytest.mark.usefixtures("immediate_huey")
def test_a_second_package_is_refused_while_queued_running_or_done_and_by_the_database(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    actor, case = officer_actor(provision.officer), provision.case
    order = order_provision(actor, case)
    with pytest.raises(HandoverRefused, match="이미 만들고 있습니다\\(대기.*두 번 만들지 않습니다"):
        order_provision(actor, case)
    with pytest.raises(HandoverRefused, match="이미 만들고 있습니다"):
        order_provision(actor, case, original=False)
    run_build(order.build.pk)
    assert order.delivery is not None
    with pytest.raises(HandoverRefused, match="이미 만들어졌습니다.*두 번 만들지 않습니다"):
        order_provision(actor, case)
    # Not only the action's check: the database itself refuses a second live build.
    with pytest.raises(IntegrityError), transaction.atomic():
        PackageJob.objects.create(kind=PackageJob.Kind.PROVISION, case=case, created_by=provision.officer)
    assert PackageJob.objects.count() == 1 and ProvisionDelivery.objects.count() == 1
    # Once its download link expired, the package may be made again (one out at a time).
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        again = order_provision(actor, case)
    order.build.refresh_from_db()
    assert order.build.state == PackageJob.State.EXPIRED and again.build.state == PackageJob.State.QUEUED


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("memory_queue")
@pytest.mark.parametrize("kind", ["copy", "provision"])
def test_two_orders_at_the_same_instant_make_one_build(world: World, kind: str) -> None:
    """Two officers (or a double click) ordering at once, each in its own connection: one build, one refusal."""
    officer = world.officer
    start, end = world.request.period_start, world.request.period_end
    fake = {"derivative_object": "x", "derivative_wrapped_key": b"x", "derivative_sha256": "a" * 64}
    if kind == "copy":
        job = MaskingJob.objects.create(
            request=world.request,
            device=world.device,
            start=start,
            end=end,
            state=MaskingJob.State.APPROVED,
            original_sha256="b" * 64,
            created_by=officer,
            approved_by=world.head,
            **fake,
        )

        def order() -> Any:
            return order_copy(officer_actor(officer), job)

        refusal: type[ValueError] = DeliveryRefused
    else:
        from jikimi.accounts.testing import make_user
        from jikimi.disclosure.tests.provision_delivery_world import approve_case, make_case

        bob = make_user("bob", "privacy_officer", institution=world.location.device_group.institution)
        case = approve_case(make_case(world), bob)
        item = case.footage.get()
        MaskingJob.objects.create(
            provision=case,
            device=item.device,
            start=item.start,
            end=item.end,
            state=MaskingJob.State.APPROVED,
            original_sha256="b" * 64,
            created_by=officer,
            approved_by=bob,
            approved_at=timezone.now(),
            **fake,
        )

        def order() -> Any:
            return order_provision(officer_actor(officer), case)

        refusal = HandoverRefused
    made, refused = at_the_same_instant(order, refusal)
    assert len(made) == 1 and len(refused) == 1, (made, refused)
    assert "두 번 만들지 않습니다" in refused[0]
    assert PackageJob.objects.count() == 1
    assert AuditEntry.objects.filter(action="disclosure.order_package").count() == 1


@pytest.mark.usefixtures("immediate_huey")
def test_a_package_whose_worker_died_is_built_by_another_and_the_late_one_refused(
    provision: Provision, django_capture_on_commit_callbacks: Any, tmp_path: Any
) -> None:
    approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    actor, case = officer_actor(provision.officer), provision.case
    order = order_provision(actor, case)
    first = claim(PACKAGES, order.build.pk)  # worker A takes it, then dies (no renewal)
    assert first is not None and claim(PACKAGES, order.build.pk) is None
    assert recover_expired(PACKAGES, SWEEP, now=timezone.now() + timedelta(seconds=10)).requeued == []
    later = timezone.now() + timedelta(seconds=31)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert recover_expired(PACKAGES, SWEEP, now=later).requeued == [order.build.pk]
    assert len(queued) == 1  # queued again for another worker
    entry = AuditEntry.objects.get(action="disclosure.recover_package")
    assert entry.details["recovery"] == "requeued" and entry.details["package_job"] == order.build.pk
    assert entry.details["worker"] == f"{first.host} (PID {first.pid})"

    run_build(order.build.pk)  # worker B
    order.build.refresh_from_db()
    assert order.build.state == PackageJob.State.READY and order.build.attempts == 2
    # Worker A comes back with its package: refused, the body gets one package, not two.
    late = tmp_path / "late.zip"
    late.write_bytes(b"late")
    sealed = seal_file(late, "provision-late")
    with pytest.raises(LeaseLost):
        finish_provision(first, officer_actor(provision.officer), sealed, "late.zip", [])
    [delivery] = ProvisionDelivery.objects.all()
    assert order.build.provision_delivery == delivery
    names = _unzipped(download_package(POLICE, delivery).read(), order.password)
    assert any(name.endswith("manifest.sig") for name in names)


@pytest.mark.usefixtures("memory_queue")
def test_after_the_last_attempt_the_build_fails_with_the_reason_on_the_page(
    provision: Provision, client: Client
) -> None:
    case = provision.case
    item = case.footage.get()
    MaskingJob.objects.create(
        provision=case,
        device=item.device,
        start=item.start,
        end=item.end,
        state=MaskingJob.State.APPROVED,
        original_sha256="b" * 64,
        derivative_object="x",
        derivative_wrapped_key=b"x",
        derivative_sha256="a" * 64,
        created_by=provision.officer,
        approved_at=timezone.now(),
    )
    order = order_provision(officer_actor(provision.officer), case)
    now = timezone.now()
    for _ in (1, 2):  # MAX_ATTEMPTS = 2: two workers die in turn
        assert claim(PACKAGES, order.build.pk) is not None
        now += timedelta(seconds=31)
        outcome = recover_expired(PACKAGES, SWEEP, now=now)
    assert outcome.failed == [order.build.pk]
    order.build.refresh_from_db()
    assert order.build.state == PackageJob.State.FAILED and order.build.password_wrapped_key is None
    assert "2번 시도해 모두 끝나지 않아 실패로 처리했습니다" in order.build.error
    log_in(client, provision.officer)
    page = client.get(reverse("provisions:handover", args=[case.pk])).content.decode()
    assert "만들지 못했습니다: 작업 워커가 제공 파일을 만드는 도중 멈췄습니다" in page
    # A failed build does not block a new one.
    assert order_provision(officer_actor(provision.officer), case).build.state == PackageJob.State.QUEUED


@pytest.fixture
def redis_queue() -> Iterator[RedisHuey]:
    """The app's queue on the loopback Redis, under a name of the test's own; skipped without Redis."""
    queue = RedisHuey(f"jikimi-test-{os.getpid()}-{secrets.token_hex(4)}", url=REDIS_URL)
    try:
        queue.storage.conn.ping()
    except Exception as error:  # noqa: BLE001 (any failure to reach Redis skips)
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    before = HUEY.storage
    HUEY.storage = queue.storage
    yield queue
    HUEY.storage = before
    queue.storage.flush_all()


def _consume(queue: RedisHuey) -> None:
    """A consumer takes the next task from Redis and runs it (as `jikimi run_huey` does)."""
    task = HUEY.dequeue()
    assert task is not None, "the queue is empty"
    HUEY.execute(task)
    assert queue.pending_count() == 0


@pytest.mark.django_db(
    transaction=True
)  # the consumer closes its connection after each task, as in production
def test_jobs_whose_tasks_redis_lost_are_queued_again_and_a_consumer_takes_them(
    redis_queue: RedisHuey, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    actor = officer_actor(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_masking(actor, world.request, world.device)
    assert redis_queue.pending_count() == 1
    redis_queue.storage.flush_queue()  # Redis flushed (or restarted without persistence)
    assert redis_queue.pending_count() == 0
    assert requeue_unclaimed(MASKING, SWEEP) == []  # not yet: a task may be waiting behind others
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_unclaimed(MASKING, SWEEP, now=timezone.now() + timedelta(seconds=601)) == [job.pk]
    assert redis_queue.pending_count() == 1
    _consume(redis_queue)
    job.refresh_from_db()
    assert job.state == MaskingJob.State.READY, job.error
    entry = AuditEntry.objects.get(action="disclosure.recover_masking")
    assert entry.details["recovery"] == "reenqueued" and entry.details["job"] == job.pk

    job = approve_release(officer_actor(world.head), job)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_copy(actor, job)
    redis_queue.storage.flush_queue()
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_unclaimed(PACKAGES, SWEEP, now=timezone.now() + timedelta(seconds=601)) == [
            order.build.pk
        ]
    assert requeue_unclaimed(PACKAGES, SWEEP) == []  # queued again just now: not twice a sweep
    _consume(redis_queue)
    order.build.refresh_from_db()
    assert order.build.state == PackageJob.State.READY, order.build.error
    assert AuditEntry.objects.get(action="disclosure.recover_package").details["recovery"] == "reenqueued"
