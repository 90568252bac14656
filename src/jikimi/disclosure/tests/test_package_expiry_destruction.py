"""보관 기간 끝 파기: a package (a request's copy archive, a provision's package) whose download link expired
has its stored file destroyed by the periodic sweep as a withdrawal destroys it — key erased in the
transaction, file deleted after the commit — with one audit entry per package (R17, R19, R40). The delivery
row and the history stay (R26, R30). A provision's package handed over is destroyed at expiry like the
others (R49's 파기 통보 is the recipient's; the footage stays under the case's legal hold, R18). Not yet
expired: kept. Withdrawn: nothing twice. File already gone: recorded. Two sweeps at once: one entry.
Runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://…)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.package_jobs import destroy_expired, withdraw_package
from jikimi.disclosure.actions.provision_delivery import HandoverRefused, provide_footage
from jikimi.disclosure.models import PackageJob, ProvisionDelivery
from jikimi.disclosure.package_tasks import destroy_expired_packages
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    CLOCK,
    World,
    officer_actor,
    private_vault,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.package_builds import REASON, ready_build, retrying, stored
from jikimi.disclosure.tests.provision_delivery_world import handover
from jikimi.vault import keyring

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]
EVENT = "disclosure.destroy_expired_package"
SWEEP = Actor.system("destroy_expired_packages")
MADE = CLOCK + timedelta(minutes=10)  # the builds are made then; their links last 7 days
AFTER = MADE + timedelta(days=7, minutes=5)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    with time_machine.travel(MADE, tick=False):
        yield


def _page(client: Client, build: PackageJob) -> str:
    if build.case_id:
        return client.get(reverse("provisions:handover", args=[build.case_id])).content.decode()
    return client.get(reverse("disclosure:masking_review", args=[build.masking_job_id])).content.decode()


@pytest.mark.parametrize("kind", ["copy", "provision"])
def test_an_expired_package_is_destroyed_once_audited_and_its_page_says_so(
    world: World, client: Client, tmp_path: Path, kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    build = ready_build(world, kind, tmp_path)
    delivery = build.delivery
    with time_machine.travel(AFTER, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert destroy_expired_packages.call_local() == {"destroyed": 1}
        build.refresh_from_db()
        delivery.refresh_from_db()
        # Destroyed: the key erased, the ciphertext deleted; the delivery row kept (R26, R30).
        assert build.state == PackageJob.State.EXPIRED and build.destroyed_at == timezone.now()
        assert delivery.wrapped_key is None and not stored(delivery.object_name)
        assert delivery.sha256 and delivery.file_name and delivery.withdrawn_at is None
        entry = AuditEntry.objects.get(action=EVENT)
        assert entry.details["package_job"] == build.pk and entry.details["sha256"] == delivery.sha256
        assert entry.details["case_number"] == build.case_number and entry.details["downloads"] == 0
        assert entry.details["file_missing"] is False and entry.details["file"] == delivery.file_name
        assert "보관 기간 끝 파기" in entry.reason
        # Idempotent: the next sweep finds nothing.
        assert destroy_expired(SWEEP) == []
        assert AuditEntry.objects.filter(action=EVENT).count() == 1
        log_in(client, world.officer)
        page = _page(client, build)
        at = timezone.localtime(build.destroyed_at).strftime("%Y-%m-%d %H:%M")
        assert f"보관 기간이 끝나 파기했습니다 ({at})" in page


@pytest.mark.parametrize("kind", ["copy", "provision"])
def test_a_package_whose_link_has_not_expired_is_kept(world: World, tmp_path: Path, kind: str) -> None:
    build = ready_build(world, kind, tmp_path)
    with time_machine.travel(MADE + timedelta(days=6, hours=23), tick=False):
        assert destroy_expired(SWEEP) == []
    build.refresh_from_db()
    assert build.state == PackageJob.State.READY and build.destroyed_at is None
    assert build.delivery.wrapped_key is not None and stored(build.delivery.object_name)
    assert not AuditEntry.objects.filter(action=EVENT).exists()


@pytest.mark.parametrize("kind", ["copy", "provision"])
def test_a_withdrawn_package_is_not_destroyed_twice(
    world: World, tmp_path: Path, kind: str, django_capture_on_commit_callbacks: Any
) -> None:
    build = ready_build(world, kind, tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_package(officer_actor(world.officer), build, REASON)
    with time_machine.travel(AFTER, tick=False):
        assert destroy_expired(SWEEP) == []
    build.refresh_from_db()
    assert build.state == PackageJob.State.WITHDRAWN and build.destroyed_at is None
    assert not AuditEntry.objects.filter(action=EVENT).exists()


def test_a_package_expired_by_a_new_order_is_destroyed_too(world: World, tmp_path: Path) -> None:
    """A new order sets the expired build EXPIRED (actions.package_jobs._order) without touching its file:
    the sweep still destroys it."""
    build = ready_build(world, PackageJob.Kind.COPY, tmp_path)
    PackageJob.objects.filter(pk=build.pk).update(state=PackageJob.State.EXPIRED)
    with time_machine.travel(AFTER, tick=False):
        assert destroy_expired(SWEEP) == [build.pk]
    build.refresh_from_db()
    assert build.destroyed_at is not None and build.delivery.wrapped_key is None


def test_a_file_already_missing_is_recorded_not_an_error(world: World, tmp_path: Path) -> None:
    build = ready_build(world, PackageJob.Kind.COPY, tmp_path)
    keyring.footage_store().delete(build.delivery.object_name)  # e.g. an operator's cleanup
    with time_machine.travel(AFTER, tick=False):
        assert destroy_expired(SWEEP) == [build.pk]
    build.refresh_from_db()
    assert build.destroyed_at is not None and build.delivery.wrapped_key is None
    entry = AuditEntry.objects.get(action=EVENT)
    assert entry.details["file_missing"] is True


def test_a_provision_package_handed_over_is_destroyed_at_expiry_r49(
    world: World, client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """R49, R30: the recipient's destruction report is about its copy; the 인수증 and the register keep
    naming this package by its hashes (the delivery row stays), and the footage is under the case's hold
    (R18). Our duplicate, downloadable by nobody after expiry, goes at expiry (R17)."""
    build = ready_build(world, PackageJob.Kind.PROVISION, tmp_path)
    ProvisionDelivery.objects.filter(pk=build.provision_delivery_id).update(handed_over_at=timezone.now())
    with time_machine.travel(AFTER, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert destroy_expired(SWEEP) == [build.pk]
        delivery = ProvisionDelivery.objects.get(pk=build.provision_delivery_id)
        assert delivery.handed_over_at is not None and delivery.wrapped_key is None
        assert not stored(delivery.object_name)
        entry = AuditEntry.objects.get(action=EVENT)
        assert entry.details["handed_over_at"] and entry.details["case_number"] == build.case_number
        log_in(client, world.officer)
        history = client.get(reverse("provisions:case", args=[build.case_id])).content.decode()
        assert "제공 파일 보관 기간 끝 파기" in history


def test_a_destroyed_package_cannot_be_handed_over(world: World, tmp_path: Path) -> None:
    """The 인수증 would list a package the body can no longer have (R30, R49): a new one is made."""
    build = ready_build(world, PackageJob.Kind.PROVISION, tmp_path)
    with time_machine.travel(AFTER, tick=False):
        destroy_expired(SWEEP)
        with pytest.raises(HandoverRefused, match="보관 기간이 끝나 파기한 제공 파일입니다"):
            provide_footage(officer_actor(world.officer), build.case, handover(package=build.delivery))
    assert not ProvisionDelivery.objects.filter(handed_over_at__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["copy", "provision"])
def test_two_sweeps_at_the_same_instant_make_one_entry(world: World, tmp_path: Path, kind: str) -> None:
    """Two workers run the sweep at once, each in its own connection: one destruction, one entry."""
    build = ready_build(world, kind, tmp_path)
    barrier = threading.Barrier(2)
    done: list[list[int]] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            done.append(retrying(lambda: destroy_expired(SWEEP)))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    with time_machine.travel(AFTER, tick=False):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert not errors, errors
    assert sorted(len(ids) for ids in done) == [0, 1], done
    assert AuditEntry.objects.filter(action=EVENT).count() == 1
    build.refresh_from_db()
    assert build.destroyed_at is not None and build.delivery.wrapped_key is None


def test_the_sweep_is_registered_with_huey() -> None:
    from huey.contrib.djhuey import HUEY

    assert destroy_expired_packages.task_class in HUEY._registry._periodic_tasks
