"""The auditor picks an event by its Korean name on the audit log page and reads only those entries
(안전성 확보조치 기준 제8조②, R40: the monthly review of access logs looks for failed logins)."""

from __future__ import annotations

import pytest

from jikimi.accounts.actions import attempt_login
from jikimi.accounts.testing import make_user
from jikimi.audit.context import Actor
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_R40_the_auditor_filters_the_log_by_an_event_chosen_by_its_korean_name(page, live_server):
    make_user("auditor", "auditor", name="정감사")
    make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
    for _ in range(2):
        attempt_login(Actor(user=None, label="익명", client_address="10.0.0.9"), "alice", "wrong-password")

    log_in(page, live_server, "auditor")

    page.goto(f"{live_server.url}/audit/")
    page.get_by_label("행위", exact=True).select_option(label="로그인 실패")
    page.get_by_role("button", name="조회").click()
    page.wait_for_load_state("networkidle")

    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    for text in rows.all_inner_texts():
        assert "로그인 실패" in text and "10.0.0.9" in text
    assert page.get_by_text("2건").is_visible()
    assert page.get_by_label("행위", exact=True).input_value() == "accounts.login_failed"
