"""Package builds as a worker leaves them, for the withdrawal and expiry tests (no video rendered)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from django.db import OperationalError, connection
from django.utils import timezone

from jikimi.disclosure.masked_files import seal_file
from jikimi.disclosure.models import CopyDelivery, MaskingJob, PackageJob, ProvisionDelivery
from jikimi.disclosure.tests.masking_fixtures import World
from jikimi.disclosure.tests.provision_delivery_world import approve_case, make_case
from jikimi.vault import keyring

R = TypeVar("R")
REASON = "청구인이 전화로 받은 암호를 잃어버림(2026-11-23 통화)"


def stored(object_name: str) -> bool:
    return keyring.footage_store().exists(object_name)


def ready_build(world: World, kind: str, tmp_path: Path, state: str = PackageJob.State.READY) -> PackageJob:
    """A build as a worker leaves it (its file sealed in the store), without rendering any video."""
    officer = world.officer
    fake = {"derivative_object": "x", "derivative_wrapped_key": b"x", "derivative_sha256": "a" * 64}
    plain = tmp_path / "package.zip"
    plain.write_bytes(b"PK\x03\x04 not really a zip")
    common = {"created_by": officer, "state": state, "finished_at": timezone.now()}
    ready = state == PackageJob.State.READY
    if kind == PackageJob.Kind.COPY:
        job = MaskingJob.objects.create(
            request=world.request,
            device=world.device,
            start=world.request.period_start,
            end=world.request.period_end,
            state=MaskingJob.State.APPROVED,
            original_sha256="b" * 64,
            created_by=officer,
            approved_by=world.head,
            **fake,
        )
        delivery: Any = None
        if ready:
            sealed = seal_file(plain, f"copy-{job.pk}")
            delivery = CopyDelivery.objects.create(
                job=job,
                kind=CopyDelivery.Kind.ARCHIVE,
                object_name=sealed.object_name,
                key_id=sealed.key_id,
                wrapped_key=sealed.wrapped_key,
                file_name="사본.zip",
                sha256=sealed.sha256,
                size=sealed.size,
                created_by=officer,
                expires_at=timezone.now() + timedelta(days=7),
            )
        return PackageJob.objects.create(kind=kind, masking_job=job, copy_delivery=delivery, **common)
    from jikimi.accounts.testing import make_user

    bob = make_user("bob", "privacy_officer", institution=world.location.device_group.institution)
    case = approve_case(make_case(world), bob)
    package: Any = None
    if ready:
        sealed = seal_file(plain, f"provision-{case.pk}")
        package = ProvisionDelivery.objects.create(
            case=case,
            kind=ProvisionDelivery.Kind.PACKAGE,
            files=[],
            object_name=sealed.object_name,
            key_id=sealed.key_id,
            wrapped_key=sealed.wrapped_key,
            file_name="제공.zip",
            sha256=sealed.sha256,
            size=sealed.size,
            expires_at=timezone.now() + timedelta(days=7),
            created_by=officer,
        )
    return PackageJob.objects.create(kind=kind, case=case, provision_delivery=package, **common)


def retrying(work: Callable[[], R]) -> R:
    """SQLite's shared in-memory test database answers a busy writer with "locked" at once (a file
    database waits, as IMMEDIATE transactions do in production); the officer would click again."""
    for _ in range(500):
        try:
            return work()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def at_the_same_instant(work: Callable[[], R], refusal: type[Exception]) -> tuple[list[R], list[str]]:
    """`work` done twice at once, each in its own thread and connection (two officers, or a double
    click): what was done and the refusals' messages; anything else fails the test."""
    barrier = threading.Barrier(2)
    done: list[R] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def officer_clicks() -> None:
        try:
            barrier.wait()
            done.append(retrying(work))
        except refusal as error:
            refused.append(str(error))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=officer_clicks) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return done, refused
