"""The masked copy's pages: the request page's panel starts a job and shows its progress; the review
page plays the masked preview (audited) with its tracks; corrections, re-render and approval; the
copy's password shown once; the citizen's download and online viewing through the status link only."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import approve_release
from jikimi.disclosure.models import CopyDelivery, MaskingJob
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_huey")]


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK, tick=True):
        yield


def test_the_panel_starts_a_job_and_shows_it_ready(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    log_in(client, world.officer)
    page = client.get(reverse("disclosure:masking", args=[world.request.pk])).content.decode()
    assert "마스킹 시작" in page and "정문 1번" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("disclosure:masking_start", args=[world.request.pk]),
            {"device": world.device.pk},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    job = MaskingJob.objects.get()
    # The panel answered while the job was queued: it polls itself until the job is done.
    assert 'hx-trigger="every 2s"' in response.content.decode()
    panel = client.get(reverse("disclosure:masking", args=[world.request.pk]), headers={"HX-Request": "true"})
    text = panel.content.decode()
    assert "검토 대기" in text and reverse("disclosure:masking_review", args=[job.pk]) in text
    assert "every 2s" not in text


def test_a_running_job_shows_its_progress_and_the_panel_keeps_polling(client: Any, world: World) -> None:
    from jikimi.disclosure.actions.masking import mark_running, record_progress

    job = MaskingJob.objects.create(
        request=world.request,
        device=world.device,
        start=world.request.period_start,
        end=world.request.period_end,
        created_by=world.officer,
    )
    mark_running(job)
    record_progress(job.pk, 40)
    log_in(client, world.officer)
    text = client.get(
        reverse("disclosure:masking", args=[world.request.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'value="40"' in text and "40%" in text and 'hx-trigger="every 2s"' in text
    assert "마스킹 중" in text


def test_a_start_without_a_device_names_the_field_and_starts_nothing(client: Any, world: World) -> None:
    log_in(client, world.officer)
    for data in ({}, {"device": world.other_device.pk}, {"device": "abc"}):
        response = client.post(reverse("disclosure:masking_start", args=[world.request.pk]), data)
        assert response.status_code == 200 and "기기:" in response.content.decode(), data
    assert not MaskingJob.objects.exists()


def test_the_include_of_the_request_page_loads_the_panel(world: World) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("disclosure/_masking.html", {"subject_request": world.request})
    assert reverse("disclosure:masking", args=[world.request.pk]) in html and 'hx-trigger="load"' in html


def test_reviewing_is_audited_and_plays_only_after_the_page_was_opened(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = rendered_job(world, django_capture_on_commit_callbacks)
    log_in(client, world.officer)
    video = reverse("disclosure:masking_video", args=[job.pk])
    assert client.get(video).status_code == 403  # the page (and its audit entry) comes first
    page = client.get(reverse("disclosure:masking_review", args=[job.pk]))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert "disclosure/review.js" in text and "<script>" not in text  # CSP: no inline script
    entry = AuditEntry.objects.get(action="disclosure.view_masking_preview")
    assert entry.actor == world.officer and entry.details["job"] == job.pk
    ranged = client.get(video, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100 and ranged.content[4:8] == b"ftyp"
    assert ranged["Content-Range"] == f"bytes 0-99/{job.derivative_size}"
    tracks = client.get(reverse("disclosure:masking_tracks", args=[job.pk])).json()
    assert tracks["width"] == 320 and len(tracks["tracks"]) >= 2 and tracks["tracks"][0]["boxes"]


def test_one_click_makes_a_track_the_subject_then_rerender_and_approve(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = rendered_job(world, django_capture_on_commit_callbacks)
    first_hash = job.derivative_sha256
    subject = job.track_list()[0]["id"]
    log_in(client, world.officer)
    change = reverse("disclosure:masking_change", args=[job.pk])
    response = client.post(change, {"change": "subject", "track": subject})
    assert response.status_code == 302
    response = client.post(
        change,
        {"change": "add_region", "start_frame": 0, "end_frame": 10, "x1": 10, "y1": 10, "x2": 50, "y2": 40},
    )
    assert response.status_code == 302
    bad = client.post(
        change,
        {"change": "add_region", "start_frame": 5, "end_frame": 500, "x1": 10, "y1": 10, "x2": 50, "y2": 40},
    )
    assert bad.status_code == 400 and "0~29 프레임" in bad.content.decode()
    job.refresh_from_db()
    assert job.subject_track == subject and len(job.manual_regions) == 1 and job.needs_render
    reviews = AuditEntry.objects.filter(action="disclosure.review_masks")
    assert [e.details["correction"] for e in reviews.order_by("pk")] == ["subject", "add_region"]
    # The officer may not approve (DECIDE_REQUESTS); the head may, once the changes are rendered.
    assert client.post(reverse("disclosure:masking_approve", args=[job.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("disclosure:masking_rerender", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == MaskingJob.State.READY and job.renders == 2 and not job.needs_render
    assert job.derivative_sha256 != first_hash and job.tracks["subject_track"] == subject
    log_in(client, world.head)
    client.post(reverse("disclosure:masking_approve", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == MaskingJob.State.APPROVED and job.approved_by == world.head


def test_strangers_reach_nothing_of_the_job(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = rendered_job(world, django_capture_on_commit_callbacks)
    for user in (world.stranger, world.auditor):
        log_in(client, user)
        for name in ("masking_review", "masking_tracks", "masking_video"):
            assert client.get(reverse(f"disclosure:{name}", args=[job.pk])).status_code in (403, 404), (
                user,
                name,
            )
        assert client.get(reverse("disclosure:masking", args=[world.request.pk])).status_code in (403, 404)
        assert client.post(
            reverse("disclosure:masking_change", args=[job.pk]), {"change": "no_subject"}
        ).status_code in (
            403,
            404,
        )
    assert not AuditEntry.objects.filter(action="disclosure.view_masking_preview").exists()


def test_the_citizen_downloads_through_the_status_link_and_no_other(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = approve_release(officer_actor(world.head), rendered_job(world, django_capture_on_commit_callbacks))
    log_in(client, world.officer)
    # Issue 18: the page queues the archive; a worker (Huey's immediate mode, once the request commits)
    # builds it.
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("disclosure:masking_copy", args=[job.pk]))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    delivery = CopyDelivery.objects.get()
    assert "지금 한 번만" in page.content.decode()
    client.logout()
    # The status page's part lists the link; the link downloads the archive and is audited.
    from django.template.loader import render_to_string

    html = render_to_string(
        "disclosure/public/_copy.html", {"subject_request": world.request, "status_token": world.token}
    )
    url = reverse("requests:download_copy", args=[world.token, delivery.pk])
    assert url in html
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert AuditEntry.objects.filter(action="disclosure.download_copy").count() == 1
    # Another request's status link never reaches this copy; a made-up token neither.
    _, other_token = make_request(world.location, serial=9)
    assert client.get(reverse("requests:download_copy", args=[other_token, delivery.pk])).status_code == 404
    assert client.get(reverse("requests:download_copy", args=["x" * 43, delivery.pk])).status_code == 404
    with time_machine.travel(CLOCK + timedelta(days=8)):
        expired = client.get(url)
    assert expired.status_code == 410 and "기한" in expired.content.decode()
    assert AuditEntry.objects.filter(action="disclosure.download_copy").count() == 1
    assert hashlib.sha256(world.token.encode()).hexdigest() == world.request.status_token_hash


def test_online_viewing_plays_the_masked_copy_through_the_status_link(
    client: Any, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    job = approve_release(officer_actor(world.head), rendered_job(world, django_capture_on_commit_callbacks))
    log_in(client, world.officer)
    client.post(reverse("disclosure:masking_online", args=[job.pk]))
    delivery = CopyDelivery.objects.get(kind=CopyDelivery.Kind.ONLINE)
    client.logout()
    video = reverse("requests:online_video", args=[world.token, delivery.pk])
    assert client.get(video).status_code == 403  # the viewing page (audited) comes first
    page = client.get(reverse("requests:view_online", args=[world.token, delivery.pk]))
    assert page.status_code == 200 and video in page.content.decode()
    assert AuditEntry.objects.filter(action="disclosure.view_online").count() == 1
    played = client.get(video, headers={"Range": "bytes=0-"})
    assert played.status_code == 206 and played.content[4:8] == b"ftyp"
    _, other_token = make_request(world.location, serial=9)
    assert client.get(reverse("requests:view_online", args=[other_token, delivery.pk])).status_code == 404
