"""A masking job a killed worker left queued or running (R25): refused while it may still be working,
started again by an officer once it made no progress for DISCLOSURE_MASKING_STALE_MINUTES — audited
as a start — and then rendered as any job."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import (
    MaskingRefused,
    mark_running,
    record_progress,
    restart_stalled,
    start_masking,
)
from jikimi.disclosure.models import MaskingJob
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    CLOCK,
    World,
    immediate_huey,
    officer_actor,
    private_vault,
    two_faces_footage,
    world_fixture,
)

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("immediate_huey")]


def test_a_stalled_job_is_restarted_by_an_officer_after_the_set_minutes(
    world: World, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DISCLOSURE_MASKING_STALE_MINUTES = 30
    actor = officer_actor(world.officer)
    with time_machine.travel(CLOCK + timedelta(hours=1), tick=False) as clock:
        job = start_masking(actor, world.request, world.device)  # its task never runs: the worker died
        mark_running(job)
        clock.shift(timedelta(minutes=10))
        record_progress(job.pk, 40)
        job.refresh_from_db()
        assert job.state == MaskingJob.State.RUNNING and not job.stalled

        clock.shift(timedelta(minutes=29))
        with pytest.raises(MaskingRefused, match="아직 진행 중"):
            restart_stalled(actor, job)
        with pytest.raises(MaskingRefused, match="이미 진행 중"):
            start_masking(actor, world.request, world.device)

        clock.shift(timedelta(minutes=2))  # 31 minutes since its last progress
        url = reverse("disclosure:masking_restart", args=[job.pk])
        stranger = Client()
        log_in(stranger, world.stranger)  # 총무과: not this camera's department
        assert stranger.post(url).status_code == 404
        client = Client()
        log_in(client, world.officer)
        panel = client.get(reverse("disclosure:masking", args=[world.request.pk])).content.decode()
        assert "진행이 없습니다" in panel and url in panel
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        assert response.status_code == 302

    job.refresh_from_db()
    assert job.state == MaskingJob.State.READY, job.error
    starts = AuditEntry.objects.filter(action="disclosure.start_masking").order_by("pk")
    assert starts.count() == 2
    restarted = starts.last()
    assert restarted is not None and restarted.actor == world.officer
    assert restarted.details["job"] == job.pk and "stalled_since" in restarted.details
    with pytest.raises(MaskingRefused, match="다시 시작할 필요가 없습니다"):
        restart_stalled(actor, job)
