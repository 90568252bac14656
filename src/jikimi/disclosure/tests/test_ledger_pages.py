"""The 관리대장 page (VIEW_LEDGER): the filter a person fills, links to the case and its audit entries,
결재 and correction through the page, and the exports — XLSX in the 별지 제2호 layout, PDF with its
embedded Korean font — each audited (R26, R30, R40)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.ledger_export import COLUMNS
from jikimi.disclosure.models import Decision, LedgerEntry
from jikimi.disclosure.tests.factories_decisions import (
    WINDOW_START,
    actor,
    make_request,
    people,
    pinned_clock,  # noqa: F401 (fixture)
    vault_storage,  # noqa: F401 (fixture)
)
from jikimi.disclosure.tests.ledger_world import gate_device, provide, provision_case
from jikimi.publishing.tests.pdf_reading import pdf_fonts, pdf_text, squeeze
from jikimi.vault.actions.playback import open_viewing

pytestmark = pytest.mark.usefixtures("vault_storage", "pinned_clock")
Kind = LedgerEntry.Kind


@pytest.fixture
def crew(db):
    crew = people()
    device = gate_device()
    request, _ = make_request()
    decide(actor(crew["head"]), request, Decision.Outcome.VIEWING_ONLINE)  # 1 열람
    open_viewing(
        actor(crew["officer"]),
        device,
        WINDOW_START,
        WINDOW_START + timedelta(minutes=5),
        "교통사고 경위 확인",
    )  # 2 이용
    provide(
        provision_case(device, preparer=crew["officer"], approver=crew["privacy"]), crew["officer"]
    )  # 3 제공
    return crew


def _numbers(page: str) -> list[str]:
    import re

    return re.findall(r'<tr data-kind="(\w+)">', page)


def test_the_filter_picks_rows_by_kind_period_and_body(client, crew):
    log_in(client, crew["privacy"])
    page = client.get(reverse("ledger:index")).content.decode()
    assert _numbers(page) == ["viewing", "use", "provision"]
    assert 'name="kind"' in page and 'type="date"' in page and "인천남동경찰서" in page
    assert _numbers(client.get(reverse("ledger:index"), {"kind": "provision"}).content.decode()) == [
        "provision"
    ]
    assert _numbers(client.get(reverse("ledger:index"), {"body": "인천남동경찰서"}).content.decode()) == [
        "provision"
    ]
    device = gate_device().pk
    assert len(_numbers(client.get(reverse("ledger:index"), {"device": device}).content.decode())) == 3
    assert _numbers(client.get(reverse("ledger:index"), {"date_from": "2026-11-24"}).content.decode()) == []
    assert _numbers(client.get(reverse("ledger:index"), {"text": "경위 확인"}).content.decode()) == ["use"]
    # the provision came signed by its approver; the others wait for their 결재
    unsigned = client.get(reverse("ledger:index"), {"unapproved": "on"}).content.decode()
    assert _numbers(unsigned) == ["viewing", "use"]


def test_a_bad_filter_names_the_field(client, crew):
    log_in(client, crew["privacy"])
    page = client.get(reverse("ledger:index"), {"kind": "bogus", "date_from": "2026-13-01"}).content.decode()
    assert "구분: 구분은 목록에서 고르세요" in page and "시작일: 시작일을(를) YYYY-MM-DD로 입력하세요" in page
    page = client.get(
        reverse("ledger:index"), {"date_from": "2026-11-20", "date_to": "2026-11-01"}
    ).content.decode()
    assert "종료일: 종료일이 시작일보다 앞섭니다" in page


def test_each_row_links_to_its_case_and_its_audit_entries(client, crew):
    log_in(client, crew["privacy"])
    page = client.get(reverse("ledger:index")).content.decode()
    request_row = LedgerEntry.objects.get(kind=Kind.VIEWING)
    assert reverse("disclosure:request", args=[request_row.subject_request_id]) in page
    audit = f"{reverse('audit:entry_list')}?target_type=disclosure.SubjectRequest&amp;target={request_row.subject_request_id}"
    assert audit in page
    provision = LedgerEntry.objects.get(kind=Kind.PROVISION)
    assert f"target_type=disclosure.ProvisionCase&amp;target={provision.provision_id}" in page


def test_결재_on_the_page_by_the_head_and_not_by_the_auditor(client, crew):
    use = LedgerEntry.objects.get(kind=Kind.USE)
    log_in(client, crew["auditor"])
    assert client.post(reverse("ledger:approve", args=[use.pk])).status_code == 404
    log_in(client, crew["head"])
    page = client.get(reverse("ledger:index")).content.decode()
    assert reverse("ledger:approve", args=[use.pk]) in page
    response = client.post(
        reverse("ledger:approve", args=[use.pk]), {"next": "/ledger/?kind=use"}, follow=True
    )
    assert "관리대장 2번을 결재했습니다" in response.content.decode()
    use.refresh_from_db()
    assert use.approved_by == crew["head"]


def test_a_correction_through_the_page(client, crew):
    use = LedgerEntry.objects.get(kind=Kind.USE)
    log_in(client, crew["privacy"])
    fields = {
        name: getattr(use, name)
        for name in ("file_description", "officer_name", "purpose", "party", "legal_basis", "form", "period")
    }
    bad = client.post(
        reverse("ledger:correct", args=[use.pk]), {**fields, "purpose": "새 목적", "reason": ""}
    )
    assert bad.status_code == 422 and "정정 사유: 정정 사유를 적으십시오" in bad.content.decode()
    response = client.post(
        reverse("ledger:correct", args=[use.pk]),
        {**fields, "purpose": "교통사고 경위 확인(2차)", "reason": "목적 보완"},
        follow=True,
    )
    page = response.content.decode()
    assert "2번을 정정한 4번을 기록했습니다" in page and "교통사고 경위 확인(2차)" in page
    assert LedgerEntry.objects.get(number=4).corrects == use


def test_the_xlsx_opens_with_the_별지_columns_and_is_audited(client, crew):
    log_in(client, crew["privacy"])
    response = client.get(reverse("ledger:export_xlsx"), {"kind": "provision"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "[별지 제2호서식] 영상정보제공 관리대장"
    header = [cell.value for cell in sheet[3]]
    assert header == list(COLUMNS)
    assert header[:11] == [
        "번호",
        "구분",
        "일시",
        "파일명/형태",
        "담당자",
        "목적/사유",
        "이용·제공받는 제3자/열람등 요구자",
        "이용·제공근거",
        "이용·제공 형태",
        "기간",
        "결재",
    ]
    row = [cell.value for cell in sheet[4]]
    assert row[0] == 3 and row[1] == "제공" and row[6] == "인천남동경찰서 형사과 경위 최수사"
    assert row[10].startswith("이보호 ") and "요구한 제한" in row[11]
    assert sheet["A3"].font.name == "맑은 고딕" and sheet.column_dimensions["D"].width == 36
    audit = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_EXPORT_LEDGER)
    assert audit.details == {"format": "xlsx", "rows": 1} and "구분 제공" in audit.reason


def test_the_pdf_renders_in_korean_and_is_audited(client, crew):
    log_in(client, crew["privacy"])
    response = client.get(reverse("ledger:export_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = squeeze(pdf_text(response.content))
    for words in (
        "영상정보제공 관리대장",
        "이용·제공근거",
        "인천남동경찰서",
        "교통사고 경위 확인",
        "개인정보 보호법 제18조제2항제7호",
    ):
        assert squeeze(words) in text
    assert AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_EXPORT_LEDGER).details == {
        "format": "pdf",
        "rows": 3,
    }
    fonts = pdf_fonts(response.content)
    assert fonts and all(font["emb"] == "yes" for font in fonts)  # the Korean font travels with the file


def test_a_department_reader_sees_only_rows_about_his_groups(client, crew):
    from jikimi.accounts.testing import make_group, make_user
    from jikimi.disclosure.tests.factories_decisions import gate

    other = make_group("총무과", "city-hall")
    hall = gate(other, key="hall", name="본관")
    from jikimi.vault.actions.devices import add_device
    from jikimi.vault.tests.conftest import ACTOR

    device = add_device(ACTOR, other, "본관 1번", location=hall)
    open_viewing(
        actor(crew["privacy"]), device, WINDOW_START, WINDOW_START + timedelta(minutes=1), "본관 확인 목적"
    )
    hall_head = make_user("hallhead", "operating_head", departments=["총무과"], name="총무과장")
    log_in(client, hall_head)
    page = client.get(reverse("ledger:index")).content.decode()
    assert _numbers(page) == ["use"] and "본관 확인 목적" in page and "교통사고 경위 확인" not in page
    assert client.get(reverse("ledger:entry", args=[LedgerEntry.objects.get(number=2).pk])).status_code == 404


def test_an_export_over_its_limit_asks_to_narrow_and_writes_nothing(client, crew, monkeypatch):
    from jikimi.disclosure import ledger_views

    monkeypatch.setattr(ledger_views, "MAX_PDF_ROWS", 2)
    log_in(client, crew["privacy"])
    response = client.get(reverse("ledger:export_pdf"), follow=True)
    page = response.content.decode()
    assert "PDF로 내려받을 수 있는 기록은 2건까지입니다 (지금 조건: 3건)" in page
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_EXPORT_LEDGER).exists()
    assert client.get(reverse("ledger:export_pdf"), {"kind": "use"}).status_code == 200
