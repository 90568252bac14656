"""A provision's masking jobs on the shared review pages (R25, R49): reached with HANDLE_PROVISIONS over
the camera's group, no subject mode, approval by the provision's handler, back to the handover page; an
officer of another department does not find the job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import start_provision_masking
from jikimi.disclosure.models import MaskingJob
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    immediate_huey,
    officer_actor,
    private_vault,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.provision_delivery_world import (  # noqa: F401 (fixtures)
    CLOCK,
    Provision,
    provision_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_huey")]


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK + timedelta(minutes=10), tick=True):
        yield


def test_the_officer_masks_reviews_and_approves_a_provisions_footage(
    provision: Provision, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    case = provision.case
    log_in(client, provision.officer)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("provisions:masking_start", args=[case.pk]), {"footage": provision.item.pk}
        )
    assert started.status_code == 302
    job = MaskingJob.objects.get(provision=case)
    assert job.state == MaskingJob.State.READY, job.error
    page = client.get(reverse("disclosure:masking_review", args=[job.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and f"제3자 제공 {case.case_number}" in html
    assert "정보주체로" not in html  # no subject mode for a provision
    assert reverse("provisions:handover", args=[case.pk]) in html
    # Watching the preview is audited against the case.
    assert AuditEntry.objects.filter(
        action="disclosure.view_masking_preview", target_id=str(case.pk)
    ).exists()
    # Choosing a subject is refused in Korean; the job keeps everyone masked.
    track = job.track_list()[0]["id"]
    client.post(reverse("disclosure:masking_change", args=[job.pk]), {"change": "subject", "track": track})
    job.refresh_from_db()
    assert job.subject_track is None
    approved = client.post(reverse("disclosure:masking_approve", args=[job.pk]))
    assert approved.status_code == 302
    job.refresh_from_db()
    assert job.state == MaskingJob.State.APPROVED
    handover = client.get(reverse("provisions:handover", args=[case.pk])).content.decode()
    assert "공개 승인됨" in handover and "암호화 제공 파일 만들기" in handover
    # The request's copy buttons do not apply to a provision's job.
    refused = client.post(reverse("disclosure:masking_copy", args=[job.pk]))
    assert refused.status_code == 302
    assert not job.deliveries.exists()


def test_another_departments_officer_does_not_find_the_job(
    provision: Provision, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_provision_masking(officer_actor(provision.officer), provision.case, provision.item)
    log_in(client, provision.world.stranger)
    assert client.get(reverse("disclosure:masking_review", args=[job.pk])).status_code == 404
    assert client.post(reverse("disclosure:masking_approve", args=[job.pk])).status_code == 404
    log_in(client, provision.world.auditor)
    assert client.get(reverse("disclosure:masking_review", args=[job.pk])).status_code == 403
