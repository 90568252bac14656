"""R25: other people in the clip are masked before it is shown or handed over — release is blocked
until a masked derivative exists whose hash differs from the original's, and rendered with the
officer's latest corrections."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.delivery import DeliveryRefused, open_online_viewing
from jikimi.disclosure.actions.masking import MaskingRefused, approve_release, choose_subject
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_huey")]


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK, tick=True):
        yield


def test_R25_nothing_is_released_before_approval_or_after_a_change_not_rendered(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = rendered_job(world, django_capture_on_commit_callbacks)
    for deliver in (prepare_copy, open_online_viewing):
        with pytest.raises(DeliveryRefused, match="공개 승인"):
            deliver(officer_actor(world.officer), job)
    subject = job.track_list()[0]["id"]
    job = choose_subject(officer_actor(world.officer), job, subject)
    with pytest.raises(MaskingRefused, match="다시 렌더링"):
        approve_release(officer_actor(world.head), job)
    # A derivative identical to the original is no masking at all.
    MaskingJob.objects.filter(pk=job.pk).update(
        derivative_sha256=job.original_sha256, rendered_overrides=job.overrides()
    )
    job.refresh_from_db()
    with pytest.raises(MaskingRefused, match="R25"):
        approve_release(officer_actor(world.head), job)
    assert not AuditEntry.objects.filter(action="disclosure.approve_release").exists()
