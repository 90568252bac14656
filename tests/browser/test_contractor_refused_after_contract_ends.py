"""A contractor account refused after its contract ends (R33; 시행령 제26조; 오산시 지침 제25조).

군산시 제5조: ㈜영창티엠에스 monitored 군산시's control centre under a contract of 2024.01.01~2024.12.31,
and when it ended nobody noticed. Here the contractor's employee works on the last evening, is
refused at midnight in the middle of his session, cannot log in the next morning, and the official
reads on the contracts page that the contract has ended.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from playwright.sync_api import expect

from jikimi.accounts import actions
from jikimi.accounts.models import Role
from jikimi.accounts.testing import PASSWORD, make_institution, make_user, personas
from jikimi.audit.context import Actor
from jikimi.lib.clock import SEOUL
from jikimi.rules.people_duties import CONTRACT_CLAUSES
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.calendar, pytest.mark.django_db(transaction=True)]

ENDED = "위탁 계약 '㈜영창티엠에스'의 위탁기간(2024-01-01~2024-12-31)이 끝났습니다"


def _seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


def _gunsan() -> None:
    with time_machine.travel(_seoul(2024, 1, 2, 9, 0), tick=False):
        people = personas()
        make_user("head", Role.CONTROL_HEAD, name="관제센터장")  # R35: an official owns the centre
        worker = make_user("worker", Role.CONTRACTOR, name="한수탁")
        bob = Actor.for_user(people["bob"], "10.0.0.2")
        contract = actions.record_contract(
            bob,
            institution=make_institution(),
            contractor_name="㈜영창티엠에스",
            task="통합관제센터 관제(모니터링)",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
            clauses={clause.key: f"제{n}조" for n, clause in enumerate(CONTRACT_CLAUSES, start=3)},
        )
        actions.assign_staff(bob, contract, worker)


def _log_in_by_hand(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state("networkidle")


def test_R33_a_contractor_account_refused_after_its_contract_ends(page, live_server):
    _gunsan()
    with time_machine.travel(_seoul(2024, 12, 31, 23, 50), tick=True):
        log_in(page, live_server, "worker")
        page.get_by_role("link", name="설치·운영 현황").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_contain_text("설치·운영 현황")

    # Ten minutes past midnight, the same session: every page refuses, saying why.
    with time_machine.travel(_seoul(2025, 1, 1, 0, 10), tick=True):
        page.reload()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("heading", level=1)).to_have_text("이 화면을 볼 권한이 없습니다")
        expect(page.locator("main")).to_contain_text(ENDED)
        page.get_by_role("button", name="로그아웃").click()
        page.wait_for_load_state("networkidle")

    # The next morning he cannot log in, and is told why (his password was right).
    with time_machine.travel(_seoul(2025, 1, 2, 9, 0), tick=True):
        _log_in_by_hand(page, live_server, "worker")
        assert "/accounts/login/" in page.url
        expect(page.get_by_role("alert")).to_contain_text(ENDED)
        expect(page.get_by_role("alert")).to_contain_text("시행령 제26조①")

        # The official sees it on the contracts page.
        log_in(page, live_server, "bob")
        page.get_by_role("link", name="위탁 계약").first.click()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#contract-alerts")).to_contain_text(
            "위탁 계약 '㈜영창티엠에스'의 위탁기간이 2024-12-31에 끝났습니다. 수탁자 직원의 계정은 사용할 수 없습니다."
        )
        page.get_by_role("link", name="㈜영창티엠에스").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_role("alert")).to_contain_text(ENDED)
