"""The recipient's duty to destroy (군산시 제4조: "제공받은자는 제공목적 달성한 후 즉시 파기 및 통보";
오산시 지침 제35조③): the report — online by the body's own officer, or entered by staff with the scan —
closes the case and ends its holds; overdue cases are listed; another body's officer cannot report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.provision_after import DutyError, settle_duties
from jikimi.disclosure.actions.provision_destruction import (
    CHANNEL_PORTAL,
    CHANNEL_STAFF,
    DestructionReport,
    report_destruction,
)
from jikimi.disclosure.attachments import attachment_bytes, check_upload
from jikimi.disclosure.models import LedgerEntry, ProvisionAttachment, ProvisionCase
from jikimi.disclosure.tests.conftest import SETUP, Desk
from jikimi.disclosure.tests.factories_provisions import make_provided_case
from jikimi.disclosure.tests.intake_world import jpeg, pdf, upload
from jikimi.disclosure.tests.provision_after_world import (
    PROVIDED,
    Police,
    at,
    attachment_store,
    pinned_clock,
    police,
)
from jikimi.lib.clock import today
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.models import LegalHold
from jikimi.vault.tests.conftest import synthetic_segment

__all__ = ["attachment_store", "pinned_clock", "police"]

pytestmark = pytest.mark.django_db(transaction=True)


def provided(desk: Desk, police: Police, **fields: object) -> ProvisionCase:
    fields.setdefault("applicant", police.kim)
    fields.setdefault("destroy_by", date(2026, 12, 31))
    with time_machine.travel(PROVIDED, tick=False):
        return make_provided_case(
            desk.institution,
            police.namdong,
            desk.gate_camera,
            officer=desk.alice,
            **fields,  # type: ignore[arg-type]
        )


def held(desk: Desk, case: ProvisionCase) -> LegalHold:
    footage = case.footage.get()
    synthetic_segment(desk.gate_camera, footage.start + timedelta(minutes=5))
    return place_hold(
        SETUP,
        desk.gate_camera,
        footage.start,
        footage.end,
        basis=f"제3자 제공 {case.case_number}",
        requester=case.body.name,
        ends_on=today() + timedelta(days=90),
        case_reference=case.hold_reference,
    )


def test_the_handover_sets_the_destruction_date_not_before_the_day_of_provision(
    desk: Desk, police: Police
) -> None:
    case = provided(desk, police)
    assert case.destroy_by == date(2026, 12, 31)
    with pytest.raises(
        DutyError, match="파기 기한\\(2026-11-30\\)이 제공일\\(2026-12-01\\)보다 앞섭니다"
    ) as refused:
        settle_duties(case, date(2026, 11, 30))
    assert refused.value.field == "destroy_by"
    case.refresh_from_db()
    assert case.destroy_by == date(2026, 12, 31)


def test_the_body_reports_online_and_the_case_closes_with_its_holds(
    desk: Desk, police: Police, smtp_inbox: object
) -> None:
    case = provided(desk, police)
    hold = held(desk, case)
    client = Client()
    with time_machine.travel(at("2026-12-20T14:00"), tick=False):
        log_in(client, police.kim.user)
        url = reverse("portal:destruction", args=[case.pk])
        page = client.get(url)
        assert page.status_code == 200 and "파기 기한 2026-12-31 (11일 남음)" in page.content.decode()
        answer = client.post(
            url, {"destroyed_on": "2026-12-19", "method": "수사 종결 후 저장매체에서 영구 삭제"}
        )
    assert answer.status_code == 200, answer.content.decode()
    assert "사건이 종결되었습니다" in answer.content.decode()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.CLOSED and case.closed_at is not None
    assert (case.destroyed_on, case.destruction_method) == (
        date(2026, 12, 19),
        "수사 종결 후 저장매체에서 영구 삭제",
    )
    hold.refresh_from_db()
    assert hold.released_at is not None
    assert AuditEntry.objects.filter(action=AuditEvent.VAULT_END_HOLD_FOR_CASE).count() == 1
    report = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_REPORT_DESTRUCTION)
    assert report.actor_id == police.kim.user.pk
    assert (
        report.details["report_channel"] == CHANNEL_PORTAL and report.details["destroyed_on"] == "2026-12-19"
    )
    closing = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_CLOSE_PROVISION)
    assert closing.details == {"case_number": case.case_number, "previous_state": "provided"}
    assert closing.sequence > report.sequence
    # The officer who handed it over is told.
    ((to, _message),) = smtp_inbox.received()  # type: ignore[attr-defined]
    assert to == ["alice@incheon.test"]
    # The 관리대장 (R26, R30) has the 파기 row of the report, with the day and the method.
    row = LedgerEntry.objects.get(provision=case, kind=LedgerEntry.Kind.DESTRUCTION)
    assert row.audit_entry_id == report.pk and "2026-12-19" in row.form + row.purpose + row.period


def test_staff_enter_a_paper_report_with_its_scan(desk: Desk, police: Police) -> None:
    case = provided(desk, police, applicant=None)
    hold = held(desk, case)
    client = Client()
    with time_machine.travel(at("2026-12-22"), tick=False):
        log_in(client, desk.alice)
        page = client.get(reverse("provisions:after", args=[case.pk]))
        assert page.status_code == 200 and "파기 통보 등록" in page.content.decode()
        answer = client.post(
            reverse("provisions:after_destruction", args=[case.pk]),
            {"destroyed_on": "2026-12-21", "method": "물리적 파쇄", "scan": upload("파기확인서.pdf", pdf())},
            follow=True,
        )
    text = answer.content.decode()
    assert "파기 통보를 기록하고 사건을 종결했습니다. 분리 보관 1건을 해제했습니다." in text
    case.refresh_from_db()
    hold.refresh_from_db()
    assert case.state == ProvisionCase.State.CLOSED and hold.released_at is not None
    scan = ProvisionAttachment.objects.get(case=case, kind=ProvisionAttachment.Kind.DESTRUCTION_REPORT)
    assert attachment_bytes(scan) == pdf()  # type: ignore[arg-type]
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_REPORT_DESTRUCTION)
    assert entry.details["report_channel"] == CHANNEL_STAFF and entry.details["sha256"] == scan.sha256
    assert "2026-12-21 파기 — 물리적 파쇄" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"destroyed_on": "", "method": "영구 삭제"}, "파기 일자: 파기 일자를 입력하세요"),
        ({"destroyed_on": "2026-13-01", "method": "영구 삭제"}, "파기 일자를 YYYY-MM-DD로 입력하세요"),
        (
            {"destroyed_on": "2026-11-30", "method": "영구 삭제"},
            "파기 일자(2026-11-30)가 제공일(2026-12-01)보다 앞섭니다",
        ),
        ({"destroyed_on": "2026-12-25", "method": "영구 삭제"}, "파기 일자(2026-12-25)가 오늘보다 뒤입니다"),
        ({"destroyed_on": "2026-12-19", "method": "   "}, "파기 방법을 입력하세요"),
        ({"destroyed_on": "2026-12-19", "method": "삭\x07제"}, "파기 방법: 제어 문자(U+0007)"),
    ],
)
def test_a_bad_online_report_is_refused_in_korean_and_nothing_changes(
    desk: Desk, police: Police, data: dict[str, str], message: str
) -> None:
    case = provided(desk, police)
    client = Client()
    with time_machine.travel(at("2026-12-20"), tick=False):
        log_in(client, police.kim.user)
        answer = client.post(reverse("portal:destruction", args=[case.pk]), data)
    assert answer.status_code == 400
    assert message in answer.content.decode()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.PROVIDED and case.destruction_reported_at is None
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_REPORT_DESTRUCTION).exists()


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        (None, "파기 확인서(스캔): 파기 확인서(스캔)를 첨부하세요"),
        (
            upload("확인서.pdf", b"this is not a pdf"),
            "파기 확인서: 확인서.pdf 파일은 JPG·PNG 이미지 또는 PDF가 아닙니다",
        ),
    ],
)
def test_staff_need_a_real_scan(desk: Desk, police: Police, scan: object, message: str) -> None:
    case = provided(desk, police)
    client = Client()
    with time_machine.travel(at("2026-12-22"), tick=False):
        log_in(client, desk.alice)
        data = {"destroyed_on": "2026-12-21", "method": "물리적 파쇄"}
        if scan is not None:
            data["scan"] = scan  # type: ignore[assignment]
        answer = client.post(reverse("provisions:after_destruction", args=[case.pk]), data, follow=True)
    assert f"저장하지 않았습니다 — {message}" in answer.content.decode()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.PROVIDED
    assert not ProvisionAttachment.objects.filter(case=case).exists()


def test_the_action_refuses_a_closed_case_and_a_staff_report_without_scan(desk: Desk, police: Police) -> None:
    case = provided(desk, police)
    actor = desk.actor(desk.alice)
    with time_machine.travel(at("2026-12-22"), tick=False):
        with pytest.raises(DutyError, match="파기 확인서") as refused:
            report_destruction(
                actor,
                case,
                DestructionReport(date(2026, 12, 21), "파쇄"),
                channel=CHANNEL_STAFF,
                today=today(),
            )
        assert refused.value.field == "scan"
        scan = check_upload("scan", "파기 확인서", "destruction_report", upload("a.jpg", jpeg()))
        report_destruction(
            actor,
            case,
            DestructionReport(date(2026, 12, 21), "파쇄", scan),
            channel=CHANNEL_STAFF,
            today=today(),
        )
        with pytest.raises(RequestError, match="이미 파기 통보를 받아 종결되었습니다"):
            report_destruction(
                actor,
                case,
                DestructionReport(date(2026, 12, 21), "파쇄"),
                channel=CHANNEL_PORTAL,
                today=today(),
            )
    assert AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_REPORT_DESTRUCTION).count() == 1


def test_another_bodys_officer_cannot_see_nor_report_the_case(desk: Desk, police: Police) -> None:
    case = provided(desk, police)
    client = Client()
    with time_machine.travel(at("2026-12-20"), tick=False):
        log_in(client, police.lee.user)  # 연수경찰서: not the recipient
        url = reverse("portal:destruction", args=[case.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"destroyed_on": "2026-12-19", "method": "영구 삭제"}).status_code == 404
        # Nor the staff pages: he holds no HANDLE_PROVISIONS.
        assert client.get(reverse("provisions:after", args=[case.pk])).status_code == 403
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.PROVIDED


def test_staff_of_another_institution_or_site_do_not_see_the_case(desk: Desk, police: Police) -> None:
    case = provided(desk, police)
    with time_machine.travel(at("2026-12-20"), tick=False):
        for user in (desk.other_officer, desk.charlie):  # 광양's privacy officer; 총무과's officer
            client = Client()
            log_in(client, user)
            assert client.get(reverse("provisions:after", args=[case.pk])).status_code == 404
        client = Client()
        log_in(client, desk.bob)  # the privacy officer of the whole institution
        assert client.get(reverse("provisions:after", args=[case.pk])).status_code == 200


def test_the_overdue_list_shows_cases_past_their_date_without_report(desk: Desk, police: Police) -> None:
    late = provided(desk, police, destroy_by=date(2026, 12, 10))
    on_time = provided(desk, police, destroy_by=date(2026, 12, 31))
    reported = provided(desk, police, destroy_by=date(2026, 12, 5))
    with time_machine.travel(at("2026-12-06"), tick=False):
        report_destruction(
            desk.actor(desk.bob),
            reported,
            DestructionReport(date(2026, 12, 4), "영구 삭제"),
            channel=CHANNEL_PORTAL,
            today=today(),
        )
    client = Client()
    with time_machine.travel(at("2026-12-15"), tick=False):
        log_in(client, desk.alice)
        page = client.get(reverse("provisions:overdue")).content.decode()
        case_page = client.get(reverse("provisions:after", args=[late.pk])).content.decode()
        home = client.get(reverse("home")).content.decode()
    assert late.case_number in page and "5일 지남" in page
    assert on_time.case_number not in page and reported.case_number not in page
    assert 'class="jk-overdue"' in case_page and "5일 지남 (파기 통보 없음)" in case_page
    assert "파기 통보 기한 지남" in home and late.case_number in home
