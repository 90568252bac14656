"""The monthly review of the log (안전성 확보조치 기준 제8조②, R40): downloads with their reasons, viewing
after hours, volume outliers per person; signed off once per month, after the month, itself recorded."""

from __future__ import annotations

import html
from datetime import date, datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user, personas
from jikimi.audit import actions
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry, AuditReview
from jikimi.audit.review import after_hours, viewings_by_person
from jikimi.lib.clock import SEOUL
from jikimi.lib.public_holidays import holidays_between

pytestmark = [pytest.mark.django_db, pytest.mark.calendar, pytest.mark.urls("jikimi.audit.tests.urls")]

HOLIDAYS = holidays_between(2026, 2026)
LATER = datetime(2026, 12, 10, 10, 0, tzinfo=SEOUL)  # the review of November is done in December


def _seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (_seoul(2026, 11, 2, 8, 59), True),  # a Monday, before 09:00
        (_seoul(2026, 11, 2, 9, 0), False),
        (_seoul(2026, 11, 2, 17, 59), False),
        (_seoul(2026, 11, 2, 18, 0), True),
        (_seoul(2026, 11, 7, 11, 0), True),  # Saturday
        (_seoul(2026, 11, 8, 11, 0), True),  # Sunday
        (_seoul(2026, 10, 9, 11, 0), True),  # 한글날, a Friday
        (_seoul(2026, 10, 5, 11, 0), True),  # 추석 대체공휴일, a Monday
        (_seoul(2026, 10, 6, 11, 0), False),
        (datetime(2026, 11, 2, 0, 30, tzinfo=SEOUL).astimezone(SEOUL), True),
    ],
)
def test_R40_after_hours_is_outside_nine_to_six_on_working_days_in_seoul(moment, late):
    assert after_hours(moment, HOLIDAYS) is late


def _view(user, moment: datetime, purpose: str = "교통사고 경위 확인", place: str = "정문 1번") -> None:
    with time_machine.travel(moment, tick=False), transaction.atomic():
        record(
            Actor.for_user(user, "10.0.0.7"),
            AuditEvent.VAULT_VIEW_FOOTAGE,
            target_label=place,
            reason=purpose,
            details={"viewing": 1, "device": 1, "start": moment, "end": moment},
        )


@pytest.fixture
def november():
    """November 2026: alice views 13 times (one late at night), charlie twice (once on a Saturday),
    bob three times; the auditor exported the log once, with a reason."""
    with time_machine.travel(_seoul(2026, 11, 1, 9, 0), tick=False):
        people = personas()
    alice, bob, charlie = people["alice"], people["bob"], people["charlie"]
    views = [
        (alice, _seoul(2026, 11, day, 10, 0), "교통사고 경위 확인", "정문 1번")
        for day in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17)
    ]
    views += [
        (alice, _seoul(2026, 11, 16, 22, 30), "야간 민원 확인", "정문 1번"),
        (charlie, _seoul(2026, 11, 17, 11, 0), "교통사고 경위 확인", "정문 1번"),
        (charlie, _seoul(2026, 11, 21, 11, 0), "주말 분실물 확인", "후문 2번"),  # a Saturday
    ]
    views += [(bob, _seoul(2026, 11, day, 14, 0), "교통사고 경위 확인", "정문 1번") for day in (18, 19, 20)]
    # In the order they happened: times along the log never go backwards (R40).
    for user, moment, purpose, place in sorted(views, key=lambda view: view[1]):
        _view(user, moment, purpose, place)
    with time_machine.travel(_seoul(2026, 11, 24, 15, 0), tick=False):
        actions.export_log(
            Actor.for_user(people["auditor"], "10.0.0.8"),
            reason="11월 접속기록 점검 자료",
            described={"action": "vault"},
            count=18,
        )
    _view(people["alice"], _seoul(2026, 12, 1, 23, 0), purpose="12월의 열람")  # not November
    return people


def _review_page(client, month: str = "2026-11", status: int = 200) -> str:
    response = client.get(reverse("audit:review"), {"month": month})
    assert response.status_code == status
    return html.unescape(response.content.decode())


def _section(page: str, table_id: str) -> str:
    return page.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


def test_R40_the_review_lists_downloads_after_hours_viewings_and_outliers(client, november):
    with time_machine.travel(LATER):
        log_in(client, november["auditor"])
        page = _review_page(client)
    downloads = _section(page, "downloads")
    assert "11월 접속기록 점검 자료" in downloads and "정감사 (auditor)" in downloads
    assert "감사 기록 내려받기(엑셀)" in downloads and "행위 영상 보관" in downloads
    late = _section(page, "after-hours")
    assert "야간 민원 확인" in late and "2026-11-16" in late and "22:30" in late
    assert "주말 분실물 확인" in late and "후문 2번" in late
    assert "교통사고 경위 확인" not in late and "12월의 열람" not in late
    assert "근무시간 외 열람 2건" in page and "내려받기·반출 1건" in page
    people = _section(page, "per-person")
    alice_row = people.split("김앨리스 (alice)", 1)[1].split("</tr>", 1)[0]
    assert "13" in alice_row and "열람량 이상" in alice_row
    assert "열람량 이상" not in people.split("이밥 (bob)", 1)[1].split("</tr>", 1)[0]
    assert "중앙값의 3배를 넘는 경우" in page and "중앙값 3건, 기준 9건 초과" in page
    assert "평일 09:00~18:00 밖" in page


def test_R40_the_median_rule_never_flags_a_person_alone():
    people, median = viewings_by_person(AuditEntry.objects.none())
    assert people == [] and median == 0.0


def test_R40_the_reviewer_signs_the_month_once_and_the_page_says_who_and_when(client, november):
    with time_machine.travel(LATER, tick=False):
        log_in(client, november["auditor"])
        response = client.post(
            reverse("audit:review_sign"),
            {"month": "2026-11", "comment": "야간 열람 1건 사유 확인, 이상 없음"},
        )
        assert response.status_code == 302
        page = _review_page(client)
    assert "점검 확인됨" in page and "정감사 (auditor), 2026-12-10 10:00" in page
    assert "야간 열람 1건 사유 확인, 이상 없음" in page and 'action="/audit/review/sign/"' not in page
    review = AuditReview.objects.get()
    assert review.month == date(2026, 11, 1) and review.reviewer == november["auditor"]
    entry = AuditEntry.objects.get(action=AuditEvent.AUDIT_SIGN_REVIEW.value)
    assert entry.reason == "야간 열람 1건 사유 확인, 이상 없음"
    assert entry.details["month"] == "2026-11" and entry.details["after_hours"] == 2
    assert entry.details["outliers"] == ["김앨리스 (alice)"]

    with time_machine.travel(LATER, tick=False):
        again = client.post(reverse("audit:review_sign"), {"month": "2026-11", "comment": "두 번째 확인"})
    assert again.status_code == 400
    assert (
        "2026년 11월 점검은 이미 확인되었습니다 (정감사 (auditor), 2026-12-10 10:00)"
        in again.content.decode()
    )
    assert AuditReview.objects.count() == 1


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-12", "2026년 12월은(는) 아직 끝나지 않았습니다"),
        ("2027-01", "2027년 01월은(는) 아직 오지 않은 달입니다."),
        ("2026-13", "점검 월은 2026-11처럼 연-월로 적으십시오."),
        ("", "점검 월이 없습니다."),
    ],
)
def test_R40_a_month_not_ended_cannot_be_signed(client, november, month, message):
    with time_machine.travel(LATER, tick=False):
        log_in(client, november["auditor"])
        response = client.post(reverse("audit:review_sign"), {"month": month, "comment": "확인"})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert not AuditReview.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEvent.AUDIT_SIGN_REVIEW.value).exists()


def test_R40_signing_needs_a_comment(client, november):
    with time_machine.travel(LATER, tick=False):
        log_in(client, november["auditor"])
        response = client.post(reverse("audit:review_sign"), {"month": "2026-11", "comment": "  "})
    assert response.status_code == 400 and "점검 의견을 적으십시오" in response.content.decode()
    assert not AuditReview.objects.exists()


def test_R40_the_current_month_is_shown_but_not_offered_for_signing(client, november):
    with time_machine.travel(LATER, tick=False):
        log_in(client, november["auditor"])
        page = _review_page(client, "2026-12")
        future = _review_page(client, "2027-02", status=400)
    assert "12월의 열람" in page and "아직 끝나지 않아 점검을 확인할 수 없습니다" in page
    assert 'action="/audit/review/sign/"' not in page
    assert "2027년 02월은(는) 아직 오지 않은 달입니다." in future


def test_R40_by_default_the_review_opens_on_the_last_month_that_ended(client, november):
    with time_machine.travel(LATER, tick=False):
        log_in(client, november["auditor"])
        page = html.unescape(client.get(reverse("audit:review")).content.decode())
    assert "2026년 11월" in page and 'value="2026-11"' in page


def test_R36_a_department_auditor_reviews_and_signs_his_department_only(client, november):
    with time_machine.travel(_seoul(2026, 11, 30, 9, 0), tick=False):
        gamsa = make_user(
            "gamsa", "auditor", institution=november["alice"].institution, departments=["총무과"]
        )
    with time_machine.travel(LATER, tick=False):
        log_in(client, gamsa)
        page = _review_page(client)
        assert "주말 분실물 확인" in page and "야간 민원 확인" not in page  # charlie's, not alice's
        assert "점검 범위: 부서 1곳" in page
        client.post(reverse("audit:review_sign"), {"month": "2026-11", "comment": "총무과 이상 없음"})
        log_in(client, november["auditor"])
        page = _review_page(client)
    # The institution's review is a review of its own: still to be signed.
    assert "점검 확인됨" not in page and AuditReview.objects.get().covers == "부서 1곳"


def test_R40_reading_the_review_is_recorded_and_hidden_from_the_list_by_default(client, november):
    with time_machine.travel(LATER, tick=False):
        log_in(client, november["auditor"])
        _review_page(client)
    entry = AuditEntry.objects.filter(action=AuditEvent.AUDIT_VIEW_LOG.value).get()
    assert entry.details == {"via": "review", "month": "2026-11"}
