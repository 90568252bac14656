"""A visitor from request to approval to entry to exit with the security check, by hand (issue 17;
오산시 지침 제22조②: 사전 승인, ③: 퇴실 때 보안검색; R41). An operator takes the request at the desk, the
head of the centre approves it from the visitors' page, the operator lets the visitor in with a badge
and an escort on the day, and at the exit ticks the security checklist. The log holds each step."""

from __future__ import annotations

import pytest

from jikimi.accounts.testing import make_institution, make_user
from jikimi.audit.models import AuditEntry
from jikimi.control.models import CHECKLIST, Visit
from jikimi.lib.clock import today
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state("networkidle")


def open_visitors(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="통합관제센터").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="출입자 현황").click()
    page.wait_for_load_state("networkidle")


def test_a_visitor_from_request_to_exit(page, live_server) -> None:  # type: ignore[no-untyped-def]
    osan = make_institution("osan", "오산시")
    make_user("op1", "operator", osan, name="김관제")
    make_user("op2", "operator", osan, name="이야간")
    make_user("head", "control_head", osan, name="한센터")
    day = today()

    # The operator takes the request at the desk.
    log_in(page, live_server, "op1")
    open_visitors(page, live_server)
    form = page.locator("#request-form")
    form.get_by_label("방문자 성명").fill("홍길동")
    form.get_by_label("소속").fill("오산시의회")
    form.get_by_label("방문 목적").fill("관제센터 견학")
    form.get_by_label("방문일").fill(day.isoformat())
    form.get_by_label("방문 대상(면담자)").fill("한센터")
    form.get_by_role("button", name="방문 신청 접수").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("홍길동님의 방문 신청을 접수했습니다").is_visible()
    # Not approved yet: the operator cannot let him in (no entry form), only wait.
    assert "센터장 승인 대기" in page.locator("#requested").inner_text()
    assert page.locator("#approved").get_by_role("button", name="입실 기록").count() == 0
    log_out(page)

    # The head of the centre approves it in advance.
    log_in(page, live_server, "head")
    open_visitors(page, live_server)
    row = page.locator("#requested tr", has_text="홍길동")
    row.get_by_label("의견").fill("견학 동행 필수")
    row.get_by_role("button", name="승인").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("홍길동님의 방문을 승인했습니다").is_visible()
    log_out(page)

    # On the day the operator lets him in with a badge and an escort.
    log_in(page, live_server, "op1")
    open_visitors(page, live_server)
    row = page.locator("#approved tr", has_text="홍길동")
    row.get_by_label("출입증 번호").fill("V-07")
    row.get_by_label("동행자").select_option(label="이야간 (op2)")
    row.get_by_role("button", name="입실 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("홍길동님의 입실을 기록했습니다").is_visible()
    inside = page.locator("#inside tr", has_text="홍길동")
    assert "V-07" in inside.inner_text() and "이야간" in inside.inner_text()

    # At the exit: a box left unticked needs a finding; then every box, and he leaves.
    # KRDS draws the box on the label: a person clicks the label.
    inside.locator("label", has_text=CHECKLIST["no_recording_device"]).click()
    inside.get_by_role("button", name="퇴실·보안검색 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#visit-errors").get_by_text("특이 사항을 적으세요").is_visible()
    inside = page.locator("#inside tr", has_text="홍길동")
    for label in CHECKLIST.values():
        inside.locator("label", has_text=label).click()
    inside.get_by_role("button", name="퇴실·보안검색 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("홍길동님의 퇴실과 보안검색(이상 없음)을 기록했습니다").is_visible()
    record = page.locator("#visits tr", has_text="홍길동").inner_text()
    assert "퇴실" in record and "이상 없음" in record and "이야간" in record

    visit = Visit.objects.get()
    assert visit.state == "left" and visit.entered_at and visit.left_at and visit.exit_check.all_clear
    assert visit.decided_by.username == "head" and visit.escort.username == "op2"
    steps = list(
        AuditEntry.objects.filter(action__startswith="control.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert steps == [
        "control.request_visit",
        "control.approve_visit",
        "control.visitor_entered",
        "control.visitor_left",
    ]
