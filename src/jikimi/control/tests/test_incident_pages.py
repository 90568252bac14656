"""The incident pages as the people of the control room use them (오산시 지침 제21조③): the operator logs
from a bookmark, the police officer finds the unread notice on his page, records the 112 report and
closes; a provision request starts from the incident; other departments see nothing (R36)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.actions import grant_role
from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.control.models import Incident, IncidentNotice
from jikimi.control.tests.conftest import Room
from jikimi.vault.models import LegalHold
from jikimi.vault.tests.conftest import synthetic_segment

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _client(user: object) -> Client:
    client = Client()
    log_in(client, user)  # type: ignore[arg-type]
    return client


def test_from_bookmark_to_112_report_and_closure(room: Room) -> None:
    with time_machine.travel(kst("2026-11-23T09:30:00"), tick=False):
        synthetic_segment(room.camera, kst("2026-11-23T09:12:00"))
        operator = _client(room.operator)
        bookmark = f"{reverse('control:incident_new')}?device={room.camera.pk}&at=2026-11-23T09:12:30"
        page = operator.get(bookmark)
        assert page.status_code == 200
        form = page.context["form"]
        assert form.initial["device"] == room.camera.pk and form.initial["seen_at"] == "2026-11-23T09:12:30"
        # Only the cameras of the operator's own scope are offered.
        assert list(form.fields["device"].queryset) == [room.camera]
        response = operator.post(
            reverse("control:incident_new"),
            {
                "device": room.camera.pk,
                "seen_at": "2026-11-23T09:12:30",
                "kind": "crime",
                "description": "남성 2명 몸싸움",
            },
        )
        incident = Incident.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse(
            "control:incident", args=[incident.pk]
        )
        assert incident.seen_at == kst("2026-11-23T09:12:30")

        police = _client(room.police)
        home = police.get(reverse("home")).content.decode()
        assert "확인하지 않은 사건 통보" in home and "2026-0001 범죄 — 정문 1번" in home
        listing = police.get(reverse("control:incidents")).content.decode()
        assert "확인하지 않은 사건 통보 1건" in listing and "2026-0001" in listing
        page = police.get(reverse("control:incident", args=[incident.pk])).content.decode()
        assert "통보 기록" in page
        assert IncidentNotice.objects.get().read_at is not None
        assert "확인하지 않은 사건 통보" not in police.get(reverse("control:incidents")).content.decode()

        response = police.post(
            reverse("control:incident_report", args=[incident.pk]),
            {
                "report-channel": "112",
                "report-reported_at": "2026-11-23T09:29:00",
                "report-receiver": "112지령실 경위 홍길동",
            },
        )
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.state == Incident.State.REPORTED and incident.reported_at == kst(
            "2026-11-23T09:29:00"
        )
        police.post(
            reverse("control:incident_follow_up", args=[incident.pk]), {"follow_up-note": "지구대 출동"}
        )
        police.post(
            reverse("control:incident_close", args=[incident.pk]),
            {"close-note": "인계 완료", "close-hold_decision": "release"},
        )
        incident.refresh_from_db()
        assert incident.state == Incident.State.CLOSED
        assert not LegalHold.objects.get(pk=incident.hold_id).active
        page = police.get(reverse("control:incident", args=[incident.pk])).content.decode()
        assert "지구대 출동" in page and "인계 완료" in page


def test_the_operator_cannot_report_or_close(room: Room) -> None:
    with time_machine.travel(kst("2026-11-23T09:30:00"), tick=False):
        operator = _client(room.operator)
        operator.post(
            reverse("control:incident_new"),
            {
                "device": room.camera.pk,
                "seen_at": "2026-11-23T09:12:30",
                "kind": "fire",
                "description": "연기",
            },
        )
        incident = Incident.objects.get()
        report = {
            "report-channel": "112",
            "report-reported_at": "2026-11-23T09:29:00",
            "report-receiver": "홍길동",
        }
        assert (
            operator.post(reverse("control:incident_report", args=[incident.pk]), report).status_code == 403
        )
        page = operator.get(reverse("control:incident", args=[incident.pk])).content.decode()
        assert 'id="report-form"' not in page and 'id="close-form"' not in page


def test_other_departments_see_nothing_of_it(room: Room) -> None:
    with time_machine.travel(kst("2026-11-23T09:30:00"), tick=False):
        _client(room.operator).post(
            reverse("control:incident_new"),
            {
                "device": room.camera.pk,
                "seen_at": "2026-11-23T09:12:30",
                "kind": "crime",
                "description": "절도",
            },
        )
        incident = Incident.objects.get()
        for user in (room.other_operator, room.other_police):
            client = _client(user)
            assert client.get(reverse("control:incident", args=[incident.pk])).status_code == 404
            assert "2026-0001" not in client.get(reverse("control:incidents")).content.decode()
        # a camera of another department cannot be chosen
        response = _client(room.other_operator).post(
            reverse("control:incident_new"),
            {
                "device": room.camera.pk,
                "seen_at": "2026-11-23T09:12:30",
                "kind": "crime",
                "description": "절도",
            },
        )
        assert response.status_code == 200 and Incident.objects.count() == 1
        assert _client(room.auditor).get(reverse("control:incidents")).status_code == 403


def test_a_provision_request_starts_from_the_incident(room: Room) -> None:
    with time_machine.travel(kst("2026-11-23T09:30:00"), tick=False):
        _client(room.operator).post(
            reverse("control:incident_new"),
            {
                "device": room.camera.pk,
                "seen_at": "2026-11-23T09:12:30",
                "kind": "crime",
                "description": "절도",
            },
        )
        incident = Incident.objects.get()
        # The officer who handles provisions (and, for the matrix, reads incidents) sees the link.
        grant_role(
            Actor(user=None, label="테스트", client_address="test"),
            room.officer,
            role="seconded_police",
            institution=room.camera.device_group.institution,
            departments=[room.camera.device_group.department],
            reason="테스트",
        )
        officer = _client(room.officer)
        page = officer.get(reverse("control:incident", args=[incident.pk]))
        link = page.context["provision_url"]
        query = parse_qs(urlparse(link).query)
        assert query["site_1"] == [str(room.camera.location_id)]
        assert (query["start_1"], query["end_1"]) == (["2026-11-23T09:02"], ["2026-11-23T09:22"])
        assert "관제 사건 2026-0001" in query["purpose"][0]
        intake = officer.get(link)
        assert intake.status_code == 200
        form = intake.context["form"]
        assert form.initial["site_1"] == str(room.camera.location_id)
        assert "관제 사건 2026-0001" in form.initial["purpose"]
        assert "관제 사건 2026-0001" in intake.content.decode()
        # without the right to handle provisions, no link
        assert (
            _client(room.police).get(reverse("control:incident", args=[incident.pk])).context["provision_url"]
            == ""
        )
