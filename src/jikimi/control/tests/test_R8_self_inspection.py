"""The yearly self-inspection (R8; 표준 개인정보 보호지침 제52조, 오산시 지침 제26조·제34조): the figures
counted from a known year of records, the actions and their audit entries, the pages and the report."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jikimi.accounts.models import Contract, Course, TrainingCompletion
from jikimi.accounts.testing import log_in, make_group
from jikimi.audit.access import readable_entries, readable_scope
from jikimi.audit.actions import sign_review
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.review import month_review
from jikimi.control.actions.room import RoomError
from jikimi.control.actions.self_inspection import (
    answer_item,
    complete_inspection,
    record_finding,
    start_inspection,
)
from jikimi.control.models import SelfInspection, Visit
from jikimi.control.self_inspection_queries import gather
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.models import Decision, ProvisionCase, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import (
    NOW,
    make_request,
    people,
    vault_storage,  # noqa: F401 (fixture)
)
from jikimi.disclosure.tests.intake_world import kst
from jikimi.disclosure.tests.ledger_world import gate_device, provision_case
from jikimi.inventory.models import Department, DeviceGroup, Institution
from jikimi.publishing.tests.pdf_reading import pdf_fonts, pdf_text, squeeze
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.tests.conftest import CLOCK_CONFIRMED, new_device, synthetic_segment

pytestmark = pytest.mark.usefixtures("vault_storage")
Out = Decision.Outcome
NEW_YEAR = kst("2027-01-05T10:00:00")  # the 2026 inspection is run early in 2027


def actor(user):
    return Actor.for_user(user, "10.0.0.5")


@pytest.fixture
def year_2026(db):
    """A known 2026 of 인천광역시: requests, provisions, a retention sweep, reviews, a visit, training,
    a contract, two groups (one with a complete sign, one without notice or contact)."""
    crew = people()
    with time_machine.travel(NOW, tick=False):
        device = gate_device()
        institution = device.device_group.institution
        Department.objects.filter(name="교통행정과").update(phone="032-440-1234")
        DeviceGroup.objects.filter(pk=device.device_group.pk).update(notice_method="안내판")
        quick, _ = make_request(kind=SubjectRequest.Kind.VIEWING)
        slow, _ = make_request(kind=SubjectRequest.Kind.COPY)
        make_request(kind=SubjectRequest.Kind.EXISTENCE)  # never decided: overdue at the year's end
        provided = provision_case(device, preparer=crew["officer"], approver=crew["privacy"])
        ProvisionCase.objects.filter(pk=provided.pk).update(
            state=ProvisionCase.State.PROVIDED,
            provided_at=timezone.now(),
            publish_by=date(2026, 12, 23),  # 법 제18조④: not published by then
            destroy_by=date(2026, 12, 20),  # no destruction reported
        )
        provision_case(device, preparer=crew["officer"], approver=crew["privacy"])  # approved, not provided
        Visit.objects.create(
            institution=institution,
            visitor_name="홍방문",
            organisation="시민단체",
            purpose="견학",
            visit_on=NOW.date(),
            host="센터장",
            state=Visit.State.INSIDE,
            requested_by=crew["privacy"],
            requested_at=timezone.now(),
            decided_by=crew["privacy"],
            decided_at=timezone.now(),
            entered_at=timezone.now(),
        )
        Contract.objects.create(
            institution=institution,
            contractor_name="㈜관제",
            task="CCTV 관제",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            clause_purpose_scope="제2조",
            clause_subcontract_limit="제3조",
            clause_access_safety="제4조",
            clause_inspection="제5조",
            clause_liability="",  # 손해배상 not recorded
            created_at=timezone.now(),
        )
        course = Course.objects.create(
            institution=institution, name="영상정보 보호 교육", roles=["officer"], created_at=timezone.now()
        )
        TrainingCompletion.objects.create(
            course=course,
            user=crew["officer"],
            completed_on=date(2026, 3, 2),
            evidence="수료증 2026-1",
            recorded_at=timezone.now(),
        )
    for days, request, outcome in ((2, quick, Out.VIEWING_ONLINE), (12, slow, Out.COPY)):
        with time_machine.travel(NOW + timedelta(days=days), tick=False):
            decide(actor(crew["head"]), request, outcome)
    swept = new_device(make_group("총무과", "city-hall", retention="1일"), name="본관 1번")
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(swept, kst("2026-11-23T09:00:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
    with time_machine.travel(NEW_YEAR, tick=False):
        scope = readable_scope(crew["auditor"])
        for month in range(1, 11):  # January to October reviewed; November and December not
            review = month_review(date(2026, month, 1), readable_entries(crew["auditor"]), scope.key)
            sign_review(actor(crew["auditor"]), review, scope, comment="이상 없음")
    crew["institution"] = institution
    return crew


def test_R8_the_figures_of_a_known_year(year_2026):
    counted = gather(year_2026["institution"], 2026, NEW_YEAR.date())
    figures = {code: c.figures for code, c in counted.items()}
    assert figures["requests"] == {"received": 3, "on_time": 1, "late": 1, "open_overdue": 1}
    assert figures["provisions"] == {
        "received": 2,
        "provided": 1,
        "publication_late": 1,
        "destruction_unconfirmed": 1,
    }
    assert figures["access_reviews"] == {"months": 12, "reviewed": 10, "missing": 2}
    assert counted["access_reviews"].notes == ["2026년 11월: 점검 확인 없음", "2026년 12월: 점검 확인 없음"]
    assert figures["control_room"] == {"visits": 1, "entered": 1, "without_exit": 1, "entered_unapproved": 0}
    assert figures["contracts"] == {"contracts": 1, "missing_clauses": 1, "not_inspected": 1}
    assert "손해배상" in counted["contracts"].notes[0]
    assert figures["signs"] == {"groups": 2, "without_notice": 1, "incomplete_signs": 1}
    assert figures["policy"] == {"versions_in_force": 0, "published_in_year": 0, "missing": 1}
    assert figures["retention"]["sweeps"] == 1 and figures["retention"]["destructions"] >= 1
    assert figures["retention"]["overdue"] == 0
    # Footage roles: the head, the two officers (one trained: the desk officer is not), the privacy
    # officer and the operator (the live wall) — the last three with no course required of them.
    assert figures["training"] == {"footage_accounts": 5, "trained": 1, "untrained": 4}
    assert any("필수 교육 과정이 정해져 있지 않음" in note for note in counted["training"].notes)
    assert any("'영상정보 보호 교육'(미이수)" in note for note in counted["training"].notes)
    # Another year is another year: nothing of 2026 counts in 2025.
    earlier = gather(year_2026["institution"], 2025, NEW_YEAR.date())
    assert earlier["requests"].figures["received"] == 0 and earlier["access_reviews"].figures["reviewed"] == 0


def test_R8_a_running_year_reviews_only_the_months_that_ended(year_2026):
    counted = gather(year_2026["institution"], 2026, date(2026, 11, 30))
    assert counted["access_reviews"].figures == {"months": 10, "reviewed": 10, "missing": 0}


@pytest.fixture
def started(year_2026):
    with time_machine.travel(NEW_YEAR, tick=False):
        inspection = start_inspection(actor(year_2026["privacy"]), year_2026["institution"], 2026)
    return inspection


def test_R8_starting_snapshots_the_figures_and_is_audited(year_2026, started):
    items = {item.code: item for item in started.items.all()}
    assert len(items) == 14
    assert items["access_reviews"].figures == {"months": 12, "reviewed": 10, "missing": 2}
    assert items["access_reviews"].proposed == items["access_reviews"].answer == "nonconforming"
    assert items["opinions"].proposed == items["opinions"].answer == ""
    assert items["access_reviews"].remark == "점검하지 않은 달 2"
    entry = AuditEntry.objects.get(action=AuditEvent.CONTROL_START_SELF_INSPECTION)
    assert entry.details["inspection_year"] == 2026
    assert "접속기록 월간 점검" in entry.details["nonconforming_items"]
    with time_machine.travel(NEW_YEAR, tick=False), pytest.raises(RoomError, match="이미 시작"):
        start_inspection(actor(year_2026["privacy"]), year_2026["institution"], 2026)
    with time_machine.travel(NEW_YEAR, tick=False), pytest.raises(RoomError, match="점검 연도"):
        start_inspection(actor(year_2026["privacy"]), year_2026["institution"], 2028)


def test_R8_only_the_privacy_officer_runs_it(year_2026):
    with time_machine.travel(NEW_YEAR, tick=False):
        for who in ("auditor", "head", "operator"):
            with pytest.raises(RoomError, match="자체 점검 실시 권한이 없습니다"):
                start_inspection(actor(year_2026[who]), year_2026["institution"], 2026)
    assert not SelfInspection.objects.exists()


def _answer_everything(officer, inspection):
    for item in inspection.items.all():
        if not item.answer:
            answer_item(actor(officer), item, answer="conforming", remark="")


def test_R8_answer_findings_complete_then_locked(year_2026, started):
    officer = year_2026["privacy"]
    with time_machine.travel(NEW_YEAR, tick=False):
        opinions = started.items.get(code="opinions")
        with pytest.raises(RoomError, match="비고"):
            answer_item(actor(officer), opinions, answer="nonconforming", remark="")
        with pytest.raises(RoomError, match="판정"):
            answer_item(actor(officer), opinions, answer="maybe", remark="")
        answer_item(actor(officer), opinions, answer="not_applicable", remark="2026년 신규 설치 없음")
        entry = AuditEntry.objects.filter(action=AuditEvent.CONTROL_ANSWER_SELF_INSPECTION).get()
        assert entry.details["check_item"] == "설치 전 의견 수렴"
        assert entry.details["verdict"] == "not_applicable"
        _answer_everything(officer, started)
        with pytest.raises(RoomError, match="지적 사항과 후속 조치를 기록하지 않았습니다"):
            complete_inspection(actor(officer), started, summary="점검 완료")
        for item in started.items.filter(answer="nonconforming"):
            record_finding(
                actor(officer),
                started,
                item=item,
                finding=f"{item.remark}",
                action="담당 부서에 시정 요구",
                due_on=date(2027, 3, 31),
            )
        finding = AuditEntry.objects.filter(action=AuditEvent.CONTROL_RECORD_SELF_INSPECTION_FINDING).first()
        assert finding.details["follow_up"] == "담당 부서에 시정 요구"
        complete_inspection(actor(officer), started, summary="접속기록 점검과 위탁 계약 보완 필요")
        done = AuditEntry.objects.get(action=AuditEvent.CONTROL_COMPLETE_SELF_INSPECTION)
        assert "위탁 계약과 수탁자 점검" in done.details["nonconforming_items"]
        with pytest.raises(RoomError, match="완료되어 바꿀 수 없습니다"):
            answer_item(actor(officer), opinions, answer="conforming", remark="")
    started.refresh_from_db()
    assert started.locked and started.completed_by == officer


def test_R8_the_pages_and_the_report(client, year_2026, started):
    institution: Institution = year_2026["institution"]
    page = reverse("control:self_inspection", kwargs={"slug": institution.slug, "year": 2026})
    with time_machine.travel(NEW_YEAR, tick=True):
        log_in(client, year_2026["privacy"])
        response = client.get(page)
        assert response.status_code == 200
        text = response.content.decode()
        assert "접속기록 월간 점검" in text and "2026년 11월: 점검 확인 없음" in text
        assert "판정 기록" in text
        item = started.items.get(code="committee")
        answer = reverse(
            "control:self_inspection_answer", kwargs={"slug": institution.slug, "year": 2026, "item": item.pk}
        )
        refused = client.post(
            answer, {f"item-{item.pk}-answer": "nonconforming", f"item-{item.pk}-remark": ""}
        )
        assert refused.status_code == 400
        assert "부적합이나 해당없음이면 그 사유를 적으세요" in refused.content.decode()
        ok = client.post(
            answer, {f"item-{item.pk}-answer": "conforming", f"item-{item.pk}-remark": "연 2회 개최"}
        )
        assert ok.status_code == 302
        item.refresh_from_db()
        assert (item.answer, item.remark) == ("conforming", "연 2회 개최")
        client.logout()

        # The auditor reads and downloads, and has no form to change anything.
        log_in(client, year_2026["auditor"])
        text = client.get(page).content.decode()
        assert "판정 기록" not in text and "점검 완료" not in text
        pdf = client.get(
            reverse("control:self_inspection_pdf", kwargs={"slug": institution.slug, "year": 2026})
        )
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        fonts = pdf_fonts(pdf.content)
        assert fonts and all(font["emb"] == "yes" for font in fonts)
        printed = squeeze(pdf_text(pdf.content))
        assert "2026년영상정보처리기기설치·운영자체점검결과" in printed
        assert "2026년11월:점검확인없음" in printed and "연2회개최" in printed
        xlsx = client.get(
            reverse("control:self_inspection_xlsx", kwargs={"slug": institution.slug, "year": 2026})
        )
        sheet = load_workbook(BytesIO(xlsx.content)).active
        assert sheet["A1"].value == "영상정보처리기기 설치·운영 자체 점검 결과"
        rows = [sheet.cell(row=r, column=3).value or "" for r in range(4, 18)]
        assert any(r.startswith("접속기록 월간 점검") for r in rows)
        assert AuditEntry.objects.filter(action=AuditEvent.CONTROL_EXPORT_SELF_INSPECTION).count() == 2
        assert client.post(answer, {f"item-{item.pk}-answer": "conforming"}).status_code == 403
        client.logout()

        log_in(client, year_2026["operator"])
        assert client.get(page).status_code == 403
