"""The private status link shows one request to the holder of its token and nothing to anyone else;
an officer files the same 청구서 at the counter and hands over the link; attachments are shown to staff
only, through an audited view."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import RequestAttachment, SubjectRequest
from jikimi.disclosure.tests.intake_world import (
    World,
    form_data,
    jpeg,
    kst,
    upload,
)

NOON = kst("2026-11-23T12:00")
STATUS = re.compile(r"/requests/s/([A-Za-z0-9_-]{43})/")


def file_online(client: Any, intake_world: World, **changes: Any) -> str:
    with time_machine.travel(NOON, tick=False):
        response = client.post(reverse("requests:new", args=["incheon"]), form_data(intake_world, **changes))
    assert response.status_code == 200, response.content.decode()
    return STATUS.findall(response.content.decode())[0]


def test_a_status_link_shows_its_own_request_and_no_other(client, intake_world):
    mine = file_online(client, intake_world, purpose="내 사고", requester_phone="010-1111-1111")
    theirs = file_online(
        client,
        intake_world,
        purpose="남의 사고",
        requester_phone="010-2222-2222",
        requester_email="b@example.kr",
    )
    page = client.get(reverse("requests:status", args=[mine]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "2026-00001" in text and "2026-00002" not in text and "접수" in text
    assert "2026년 12월 3일" in text and "사본 교부" in text and "시청 정문 앞" in text
    other = client.get(reverse("requests:status", args=[theirs])).content.decode()
    assert "2026-00002" in other and "2026-00001" not in other


@pytest.mark.parametrize("token", ["A" * 43, "short", "A" * 44, "../../admin", "%00"])
def test_an_unknown_token_is_not_found_with_no_hint(client, intake_world, token):
    file_online(client, intake_world)
    response = client.get(f"/requests/s/{token}/")
    assert response.status_code == 404
    assert "2026-00001" not in response.content.decode() and "토큰" not in response.content.decode()


def test_the_status_page_never_links_an_attachment(client, intake_world):
    token = file_online(client, intake_world)
    page = client.get(reverse("requests:status", args=[token])).content.decode()
    assert "/disclosure/attachments/" not in page and "신분증.jpg" not in page


def counter_data(intake_world: World, **changes: Any) -> dict[str, Any]:
    return form_data(intake_world, **{"channel": "post", "id_card": None, "requester_email": "", **changes})


def test_an_officer_files_a_posted_request_at_the_counter(client, intake_world):
    url = reverse("disclosure:counter_new", args=["incheon"])
    # Logged in on the day of the request: a session is valid on its own clock (30 minutes idle).
    with time_machine.travel(NOON, tick=False):
        log_in(client, intake_world.officer)
        assert "접수 경로" in client.get(url).content.decode()
        response = client.post(url, counter_data(intake_world, sketch=upload("약도.jpg", jpeg())))
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "2026-00001" in page and "청구인에게 건넬 진행 상태 확인 주소" in page
    (token,) = set(STATUS.findall(page))
    subject_request = SubjectRequest.objects.get()
    assert subject_request.channel == SubjectRequest.Channel.POST
    assert subject_request.received_by == intake_world.officer
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_FILE_REQUEST)
    assert entry.actor_id == intake_world.officer.pk and entry.details["channel"] == "post"
    # The receipt lists the attachments for staff; the citizen's link opens the request.
    assert reverse("disclosure:attachment", args=[subject_request.attachments.get().pk]) in page
    assert client.get(reverse("requests:status", args=[token])).status_code == 200


def test_the_counter_form_has_the_same_checks(client, intake_world):
    with time_machine.travel(NOON, tick=False):
        log_in(client, intake_world.officer)
        response = client.post(
            reverse("disclosure:counter_new", args=["incheon"]),
            counter_data(intake_world, channel="online", period_end="2026-11-23T08:00"),
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "접수 경로: 목록에서 고르십시오" in page and "기록기간 끝: 시작보다 늦은 시각이어야 합니다" in page
    assert not SubjectRequest.objects.exists()


def test_the_counter_is_refused_to_anyone_without_the_right_on_the_institution(client, intake_world):
    url = reverse("disclosure:counter_new", args=["incheon"])
    assert client.get(url).status_code == 302  # to the login page
    with time_machine.travel(NOON, tick=False):
        log_in(client, intake_world.stranger)
        assert client.get(url).status_code == 403
        assert client.post(url, counter_data(intake_world)).status_code == 403
    assert not SubjectRequest.objects.exists()


def test_an_officer_opens_an_attachment_audited_and_uncached(client, intake_world):
    file_online(client, intake_world)
    attachment = RequestAttachment.objects.get()
    url = reverse("disclosure:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 302
    log_in(client, intake_world.stranger)
    assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VIEW_ATTACHMENT).exists()
    client.logout()
    log_in(client, intake_world.officer)
    response = client.get(url)
    assert response.status_code == 200 and response.content == jpeg()
    assert response["Content-Type"] == "image/jpeg" and "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="2026-00001-')
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_VIEW_ATTACHMENT)
    assert entry.actor_id == intake_world.officer.pk and entry.details["attachment_kind"] == "id_card"
    assert client.get(reverse("disclosure:attachment", args=[attachment.pk + 100])).status_code == 404
