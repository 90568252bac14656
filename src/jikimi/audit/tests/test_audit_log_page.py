"""The auditor reads the log and verifies the chain; reading is itself recorded (R39, R40)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import make_user, personas
from jikimi.audit.models import AuditEntry
from jikimi.audit.tests.tampering import disable_guard, sql, write_entries

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jikimi.audit.tests.urls"), pytest.mark.calendar]


@pytest.fixture
def people():
    return personas()


@pytest.mark.parametrize("who", ["auditor", "bob", "admin"])
def test_auditors_privacy_officers_and_administrators_read_the_log(client, people, who):
    client.force_login(people[who])
    response = client.get(reverse("audit:entry_list"))
    assert response.status_code == 200
    assert "accounts.grant_role" in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_officers_are_refused_the_log(client, people, who):
    client.force_login(people[who])
    assert client.get(reverse("audit:entry_list")).status_code == 403
    assert client.post(reverse("audit:verify")).status_code == 403


def test_a_superuser_without_a_role_is_refused_the_log(client, people):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    assert client.get(reverse("audit:entry_list")).status_code == 403


def test_reading_the_log_is_recorded_with_the_filter(client, people):
    client.force_login(people["auditor"])
    client.get(reverse("audit:entry_list"), {"action": "accounts", "actor": "admin"})
    entry = AuditEntry.objects.get(action="audit.view_log")
    assert entry.actor == people["auditor"]
    assert entry.details["filter"] == {"actor": "admin", "action": "accounts"}


def test_it_filters_by_actor_action_target_and_date(client, people):
    with time_machine.travel(datetime(2026, 1, 10, 3, 0, tzinfo=UTC)):
        write_entries(2)
    client.force_login(people["auditor"])
    page = client.get(reverse("audit:entry_list"), {"action": "test.step"}).content.decode()
    assert "단계 1" in page and "accounts.grant_role" not in page
    page = client.get(
        reverse("audit:entry_list"), {"date_from": "2026-01-10", "date_to": "2026-01-10"}
    ).content.decode()
    assert "단계 2" in page and "accounts.grant_role" not in page
    page = client.get(reverse("audit:entry_list"), {"target": "박찰리"}).content.decode()
    assert "박찰리" in page and "김앨리스" not in page
    page = client.get(reverse("audit:entry_list"), {"actor": "테스트"}).content.decode()
    assert "단계 1" in page


def test_a_reversed_date_range_is_explained(client, people):
    client.force_login(people["auditor"])
    page = client.get(
        reverse("audit:entry_list"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    ).content.decode()
    assert "종료일이 시작일보다 앞섭니다" in page


def test_the_log_is_paginated(client, people):
    write_entries(60)
    client.force_login(people["auditor"])
    page = client.get(reverse("audit:entry_list"), {"action": "test.step", "page": 2}).content.decode()
    assert "2/2쪽" in page and "krds-pagination" in page
    assert "단계 1<" in page and "단계 60<" not in page


def test_verify_now_reports_and_is_recorded(client, people):
    client.force_login(people["auditor"])
    response = client.post(reverse("audit:verify"), follow=True)
    assert "이상 없음" in response.content.decode()
    assert AuditEntry.objects.get(action="audit.verify").details["ok"] is True


def test_verify_now_shows_the_first_problem(client, people):
    write_entries(3)
    disable_guard()
    sql("UPDATE audit_auditentry SET reason = 'x' WHERE sequence = 2")
    client.force_login(people["auditor"])
    response = client.post(reverse("audit:verify"), follow=True)
    assert "#2에서 이상 발견 (modified)" in response.content.decode()
