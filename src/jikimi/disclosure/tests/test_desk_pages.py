"""The officer's list (every request with its clock, filters, overdue in red, soonest first) and a
request's page (details, clock, history, the vault's existence check with each gap's reason), whose
opening is audited (R39, R41) like the existence check it runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories import make_request
from jikimi.lib.clock import SEOUL
from jikimi.vault.tests.conftest import synthetic_segment

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)  # a Monday


@pytest.fixture(autouse=True)
def pinned_clock() -> Iterator[None]:
    # Before the world is built: the audit chain's entries then never go back in time.
    with time_machine.travel(NOW, tick=False):
        yield


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r for r in body.split("<tr") if "disclosure/" in r]


def test_the_list_shows_the_clock_sorted_by_due_date_with_overdue_in_red(desk: Desk) -> None:
    make_request(
        desk.institution, locations=[desk.gate], receipt_number="2026-00010", due_on=date(2026, 11, 30)
    )
    make_request(
        desk.institution, locations=[desk.gate], receipt_number="2026-00011", due_on=date(2026, 11, 20)
    )
    make_request(
        desk.institution,
        locations=[desk.gate],
        receipt_number="2026-00012",
        due_on=date(2026, 11, 10),
        state=SubjectRequest.State.CLOSED,
    )
    client = Client()
    log_in(client, desk.alice)
    html = client.get(reverse("disclosure:index")).content.decode()
    listed = rows(html)
    assert [r.split("</a>")[0].rsplit(">", 1)[1] for r in listed] == ["2026-00011", "2026-00010"]
    assert "jk-overdue" in listed[0] and "3일 지남" in listed[0]
    assert "7일" in listed[1] and "jk-overdue" not in listed[1]
    assert "홍길동" in listed[0] and "열람" in listed[0]
    # Opening the list reads names but searches nothing: not audited (only a request's page is).
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VIEW_REQUEST).exists()

    overdue = client.get(reverse("disclosure:index"), {"state": "open", "overdue": "on"}).content.decode()
    assert [r for r in rows(overdue)] and "2026-00010" not in overdue
    closed = client.get(reverse("disclosure:index"), {"state": "closed"}).content.decode()
    assert "2026-00012" in closed and "2026-00011" not in closed
    everything = client.get(reverse("disclosure:index"), {"state": "all"}).content.decode()
    assert len(rows(everything)) == 3
    nonsense = client.get(reverse("disclosure:index"), {"state": "<script>"})
    assert nonsense.status_code == 200 and "진행 상태:" in nonsense.content.decode()


def test_opening_a_request_is_audited_and_checks_the_vault_with_the_gaps_reasons(desk: Desk) -> None:
    start = datetime(2026, 11, 22, 9, 0, tzinfo=SEOUL)
    synthetic_segment(desk.gate_camera, start + timedelta(minutes=10), seconds=300)
    request = make_request(
        desk.institution,
        locations=[desk.gate, desk.hall],
        period_start=start,
        period_end=start + timedelta(minutes=30),
        purpose="접촉사고 확인",
    )
    client = Client()
    log_in(client, desk.alice)
    response = client.get(reverse("disclosure:request", args=[request.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "홍길동" in html and "접촉사고 확인" in html and "2026-12-03" in html
    assert "영상 있음" in html and "녹화되지 않음" in html
    # 총무과's camera at 본관 현관 is not Alice's to search (R36): said, not shown.
    assert "현관 1번" not in html and "기기 1대는 다른 부서 소관" in html
    viewed = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_VIEW_REQUEST)
    assert viewed.actor == desk.alice and viewed.target_id == str(request.pk)
    checks = AuditEntry.objects.filter(action=AuditEvent.VAULT_EXISTENCE_CHECK)
    assert [c.details["device"] for c in checks] == [desk.gate_camera.pk]
    assert checks[0].details["via"] == f"disclosure:{request.receipt_number}"
    assert checks[0].details["footage_seconds"] == 300

    log_in(client, desk.bob)
    html = client.get(reverse("disclosure:request", args=[request.pk])).content.decode()
    assert "현관 1번" in html and "정문 1번" in html


def test_a_window_the_vault_refuses_is_said_and_the_page_still_opens(desk: Desk) -> None:
    start = datetime(2026, 9, 1, tzinfo=SEOUL)
    request = make_request(
        desk.institution, locations=[desk.gate], period_start=start, period_end=start + timedelta(days=45)
    )
    client = Client()
    log_in(client, desk.alice)
    html = client.get(reverse("disclosure:request", args=[request.pk])).content.decode()
    assert "존재확인을 하지 못했습니다: 존재확인 구간은 31일 이하여야 합니다" in html
    assert AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VIEW_REQUEST).count() == 1


def test_the_history_reads_in_korean(desk: Desk) -> None:
    request = make_request(desk.institution, locations=[desk.gate])
    client = Client()
    log_in(client, desk.alice)
    client.post(
        reverse("disclosure:verify_identity", args=[request.pk]),
        {"method": "id_card", "document": "운전면허증"},
    )
    html = client.get(reverse("disclosure:request", args=[request.pk])).content.decode()
    history = html.split('id="history"', 1)[1]
    assert "본인 확인" in history and "신분증 대조" in history and "운전면허증" in history
    assert "청구서 열람" not in history  # page openings are in the log, not in the history
