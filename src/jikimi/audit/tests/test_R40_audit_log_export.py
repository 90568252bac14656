"""Exporting the log to XLSX: what the page shows, with a reason, itself recorded (R40: an export of the
log is a download of personal data, whose reason the monthly review checks)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from jikimi.accounts.testing import log_in, make_user, personas
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("jikimi.audit.tests.urls")]

EXPORTED = AuditEvent.AUDIT_EXPORT_LOG.value


@pytest.fixture
def people():
    return personas()


def _export(client, **data):
    return client.post(reverse("audit:export"), data)


def test_R40_the_export_is_the_filtered_log_in_korean_and_is_recorded_with_its_reason(client, people):
    log_in(client, people["auditor"])
    response = _export(client, action="accounts.grant_role", reason="2026년 11월 접속기록 월간 점검")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    book = load_workbook(BytesIO(response.content))
    rows = list(book["감사 기록"].iter_rows(values_only=True))
    assert rows[0] == ("순번", "일시", "행위자", "접속지", "행위", "대상 유형", "대상", "목적·사유", "세부")
    grants = AuditEntry.objects.filter(action="accounts.grant_role")
    assert len(rows) - 1 == grants.count() == 5
    assert {row[4] for row in rows[1:]} == {"역할 부여"}
    assert {row[5] for row in rows[1:]} == {"사용자"}
    details = "\n".join(row[8] for row in rows[1:])
    assert "역할: 감사자" in details and "{" not in details and "role" not in details
    about = dict(book["내려받기 정보"].iter_rows(values_only=True))
    assert about["사유"] == "2026년 11월 접속기록 월간 점검"
    assert about["내려받은 사람"] == "정감사 (auditor)" and about["조건"] == "행위 역할 부여"
    entry = AuditEntry.objects.get(action=EXPORTED)
    assert entry.actor == people["auditor"] and entry.reason == "2026년 11월 접속기록 월간 점검"
    assert entry.details == {"filter": {"action": "accounts.grant_role"}, "count": 5, "format": "xlsx"}


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "내려받는 사유를 적으십시오"),
        ("점검", "내려받는 사유를 4자 이상 구체적으로 적으십시오."),
        ("가" * 501, "내려받는 사유은(는) 500자 이하로 적으십시오 (지금 501자)."),
    ],
)
def test_R40_no_export_without_a_reason(client, people, reason, message):
    log_in(client, people["auditor"])
    response = _export(client, action="accounts", reason=reason)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action=EXPORTED).exists()


def test_R40_a_bad_filter_refuses_the_export_at_its_field(client, people):
    log_in(client, people["auditor"])
    response = _export(client, date_from="2026-02-01", date_to="2026-01-01", reason="월간 점검 자료")
    assert response.status_code == 400
    assert "종료일이 시작일보다 앞섭니다" in response.content.decode()
    assert not AuditEntry.objects.filter(action=EXPORTED).exists()


def test_R40_an_export_over_the_limit_is_refused_with_the_count(client, people, monkeypatch):
    monkeypatch.setattr("jikimi.audit.views.MAX_EXPORT_ROWS", 3)
    log_in(client, people["auditor"])
    response = _export(client, action="accounts.grant_role", reason="월간 점검 자료")
    assert response.status_code == 400
    page = response.content.decode()
    assert "조건에 맞는 기록이 3건을 넘어 한 번에 내려받을 수 없습니다 (지금 5건)" in page
    assert not AuditEntry.objects.filter(action=EXPORTED).exists()


def test_R36_an_auditor_of_one_department_exports_that_department_only(client, people):
    gamsa = make_user("gamsa", "auditor", institution=people["alice"].institution, departments=["총무과"])
    log_in(client, gamsa)
    response = _export(client, action="accounts.grant_role", reason="총무과 월간 점검")
    rows = list(load_workbook(BytesIO(response.content))["감사 기록"].iter_rows(values_only=True))[1:]
    targets = {row[6] for row in rows}
    assert "박찰리 (charlie)" in targets and "김앨리스 (alice)" not in targets


def test_R40_the_page_offers_the_export_of_what_it_shows(client, people):
    log_in(client, people["auditor"])
    page = client.get(reverse("audit:entry_list"), {"action": "accounts.login"}).content.decode()
    export_form = page.split('action="/audit/export/"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="action" value="accounts.login">' in export_form
    assert "내려받는 사유" in export_form


def test_R40_what_people_typed_is_exported_as_text_never_as_a_formula(client, people):
    with transaction.atomic():
        record(Actor.system("test"), AuditEvent.AUDIT_VERIFY, reason='=HYPERLINK("http://x","열기")')
    log_in(client, people["auditor"])
    response = _export(client, action="audit.verify", reason="=1+1 서식 확인")
    book = load_workbook(BytesIO(response.content))
    cell = next(book["감사 기록"].iter_rows(min_row=2))[7]
    assert cell.value == '=HYPERLINK("http://x","열기")' and cell.data_type == "s"
    reason = next(row for row in book["내려받기 정보"].iter_rows() if row[0].value == "사유")[1]
    assert reason.value == "=1+1 서식 확인" and reason.data_type == "s"
