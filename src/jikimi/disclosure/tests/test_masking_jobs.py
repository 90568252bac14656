"""A request's masking job: started by an officer for a 열람/사본 request with its identity checked,
rendered by the Huey task from the vault's footage into an encrypted, watermarked derivative (R25, R42)."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import MaskingRefused, start_masking
from jikimi.disclosure.masked_files import reader
from jikimi.disclosure.models import MaskingJob, SubjectRequest
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    CLOCK,
    World,
    immediate_huey,
    make_request,
    officer_actor,
    private_vault,
    rendered_job,
    two_faces_footage,
    world_fixture,
)
from jikimi.vault import keyring

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("immediate_huey")]


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK, tick=True):
        yield


def test_a_job_exports_masks_and_stores_the_derivative_encrypted(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = rendered_job(world, django_capture_on_commit_callbacks)
    assert job.state == MaskingJob.State.READY, job.error
    assert job.progress == 100 and job.frames == 30 and (job.width, job.height) == (320, 240)
    assert len(job.track_list()) >= 2  # both faces were found and tracked
    # R25: a derivative whose hash differs from the exported original's.
    assert job.releasable and job.derivative_sha256 != job.original_sha256
    # R42: what is stored is ciphertext; it opens only with the job's key.
    stored = keyring.footage_store().get(job.derivative_object)
    assert b"ftyp" not in stored[:4096]
    plain = reader(job.derivative_object, job.derivative_key_id, job.derivative_wrapped_key).read()
    assert plain[4:8] == b"ftyp" and len(plain) == job.derivative_size
    # Every frame carries the receipt number (burned in: a leaked copy names its request).
    assert any(world.request.receipt_number in line for line in job.tracks["spec"]["watermark"]["lines"])
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert "disclosure.start_masking" in actions and "vault.export_footage" in actions
    export = AuditEntry.objects.get(action="vault.export_footage")
    assert export.actor == world.officer and export.details["case_reference"] == world.request.receipt_number


def test_only_a_checked_viewing_or_copy_request_on_its_own_sites_is_masked(world: World) -> None:
    actor = officer_actor(world.officer)
    with pytest.raises(MaskingRefused, match="청구한 설치장소의 기기가 아닙니다"):
        start_masking(actor, world.request, world.other_device)
    existence, _ = make_request(world.location, kind=SubjectRequest.Kind.EXISTENCE, serial=2)
    with pytest.raises(MaskingRefused, match="존재확인"):
        start_masking(actor, existence, world.device)
    unchecked, _ = make_request(world.location, serial=3)
    with pytest.raises(MaskingRefused, match="본인 확인"):
        start_masking(actor, unchecked, world.device)
    with pytest.raises(MaskingRefused, match="기록기간 안"):
        start_masking(actor, world.request, world.device, end=world.request.period_end.replace(hour=23))
    assert not MaskingJob.objects.exists()
    assert not AuditEntry.objects.filter(action="disclosure.start_masking").exists()


def test_a_job_with_no_footage_fails_with_the_reason(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    world.request.period_start = world.request.period_start.replace(
        minute=30, hour=world.request.period_start.hour - 2
    )
    world.request.period_end = world.request.period_start.replace(minute=45)
    world.request.save()
    job = rendered_job(world, django_capture_on_commit_callbacks)
    assert job.state == MaskingJob.State.FAILED and "영상이 없습니다" in job.error
    assert not job.releasable


def test_a_dropped_track_is_left_out_of_the_next_render(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from jikimi.disclosure.actions.masking import drop_track, rerender

    job = rendered_job(world, django_capture_on_commit_callbacks)
    false = job.track_list()[-1]["id"]
    job = drop_track(officer_actor(world.officer), job, false)
    with pytest.raises(MaskingRefused, match="추적 번호"):
        drop_track(officer_actor(world.officer), job, 999)
    with django_capture_on_commit_callbacks(execute=True):
        rerender(officer_actor(world.officer), job)
    job.refresh_from_db()
    assert job.state == MaskingJob.State.READY and job.tracks["dropped_tracks"] == [false]
    assert [e.details["correction"] for e in AuditEntry.objects.filter(action="disclosure.review_masks")] == [
        "drop",
        "rerender",
    ]
