"""The auditor reads the log and verifies the chain; reading is itself recorded (R39, R40)."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in, make_user, personas
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.tests.tampering import disable_guard, sql, write_entries

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jikimi.audit.tests.urls")]


def _table(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


@pytest.fixture
def people():
    return personas()


@pytest.mark.parametrize("who", ["auditor", "bob", "admin"])
def test_auditors_privacy_officers_and_administrators_read_the_log(client, people, who):
    log_in(client, people[who])
    response = client.get(reverse("audit:entry_list"))
    assert response.status_code == 200
    assert "역할 부여" in _table(response.content.decode())


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_officers_are_refused_the_log(client, people, who):
    log_in(client, people[who])
    assert client.get(reverse("audit:entry_list")).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403


def test_a_superuser_without_a_role_is_refused_the_log(client, people):
    log_in(client, make_user("root", is_superuser=True, is_staff=True))
    assert client.get(reverse("audit:entry_list")).status_code == 403


def test_reading_the_log_is_recorded_with_the_filter(client, people):
    log_in(client, people["auditor"])
    client.get(reverse("audit:entry_list"), {"action": "accounts", "actor": people["auditor"].pk})
    entry = AuditEntry.objects.get(action="audit.view_log")
    assert entry.actor == people["auditor"]
    # The person chosen is kept by name, as the page showed it.
    assert entry.details["filter"] == {"actor": "정감사 (auditor)", "action": "accounts"}


def test_it_filters_by_actor_action_target_and_date(client, people):
    # Three days after the people were made (times along the log never go backwards, R40).
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later):
        write_entries(2)
    log_in(client, people["auditor"])
    page = client.get(reverse("audit:entry_list"), {"action": "audit.verify"}).content.decode()
    assert "단계 1" in page and "역할 부여" not in _table(page)
    day = timezone.localtime(later).date().isoformat()
    page = client.get(reverse("audit:entry_list"), {"date_from": day, "date_to": day}).content.decode()
    assert "단계 2" in page and "역할 부여" not in _table(page)
    page = client.get(reverse("audit:entry_list"), {"target": "박찰리"}).content.decode()
    assert "박찰리" in page and "김앨리스" not in _table(page)
    page = client.get(reverse("audit:entry_list"), {"actor": "none"}).content.decode()
    assert "단계 1" in page and "<td>정감사 (auditor)</td>" not in _table(page)
    page = client.get(reverse("audit:entry_list"), {"actor": people["auditor"].pk}).content.decode()
    assert "단계 1" not in page and "<td>정감사 (auditor)</td>" in _table(page)


def test_a_reversed_date_range_is_explained(client, people):
    log_in(client, people["auditor"])
    page = client.get(
        reverse("audit:entry_list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    ).content.decode()
    assert "종료일이 시작일보다 앞섭니다" in page


def test_the_log_is_paginated(client, people):
    write_entries(60)
    log_in(client, people["auditor"])
    page = client.get(reverse("audit:entry_list"), {"action": "audit.verify", "page": 2}).content.decode()
    assert "2/2쪽" in page and "krds-pagination" in page
    assert "단계 1<" in page and "단계 60<" not in page


def test_verify_now_reports_and_is_recorded(client, people):
    log_in(client, people["auditor"])
    response = client.post(reverse("audit:verify"), follow=True)
    assert "이상 없음" in response.content.decode()
    assert AuditEntry.objects.get(action="audit.verify").details["ok"] is True


def test_verify_now_shows_the_first_problem(client, people):
    write_entries(3)
    disable_guard()
    sql("UPDATE audit_auditentry SET reason = 'x' WHERE sequence = 2")
    log_in(client, people["auditor"])
    response = client.post(reverse("audit:verify"), follow=True)
    assert "#2에서 이상 발견 (modified)" in response.content.decode()


def _options(page: str) -> dict[str, str]:
    """The 행위 select as the page builds it: option value → the text a person reads."""
    select = re.search(r'<select name="action"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the page has no 행위 select"
    return {
        value: html.unescape(text)
        for value, text in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    }


def test_R40_the_event_filter_lists_every_declared_event_by_its_korean_label(client, people):
    log_in(client, people["auditor"])
    options = _options(client.get(reverse("audit:entry_list")).content.decode())
    assert options[""] == "전체" and options["accounts"] == "계정·권한 전체"
    for event in AuditEvent:
        assert options[event.value] == event.label


def test_R40_choosing_an_event_shows_its_entries_only_with_their_labels(client, people):
    write_entries(2)  # audit.verify
    log_in(client, people["auditor"])
    options = _options(client.get(reverse("audit:entry_list")).content.decode())
    chosen = next(value for value, text in options.items() if text == "감사 기록 검증")
    page = client.get(reverse("audit:entry_list"), {"action": chosen}).content.decode()
    assert "2건" in page and "단계 2" in page and "감사 기록 검증" in page
    assert "역할 부여" not in _table(page)
    assert '<option value="audit.verify" selected>' in page  # the page shows what was asked


def test_an_event_not_in_the_list_is_explained_and_the_whole_log_is_shown(client, people):
    log_in(client, people["auditor"])
    page = client.get(reverse("audit:entry_list"), {"action": "vault.add_devcie"}).content.decode()
    assert "행위 &#x27;vault.add_devcie&#x27;은(는) 목록에 없습니다" in page
    assert "역할 부여" in _table(page)


def test_R40_the_details_read_in_seoul_time_and_korean(client, people):
    # An upload recorded 08:59–09:00 KST is stored as 23:59–00:00 UTC of the day before; the auditor
    # compares the log with pages that all show Seoul time, so the log must show it too.
    start = datetime(2026, 11, 22, 23, 59, tzinfo=UTC)
    record(
        Actor.system("test"),
        AuditEvent.VAULT_INGEST_FILE,
        details={"source": "중앙로.mp4", "start": start, "outside_hours": [{"start": start}]},
        target_label="중앙로 1호기",
    )
    log_in(client, people["auditor"])
    table = html.unescape(_table(client.get(reverse("audit:entry_list")).content.decode()))
    text = re.sub(r"<[^>]+>", "", table)
    assert "원본: 중앙로.mp4" in text and "시작: 2026-11-23 08:59:00" in text
    assert "촬영시간 밖이라 버린 구간: 시작 2026-11-23 08:59:00" in text
    assert "23:59" not in table and "{" not in table and "source" not in table
