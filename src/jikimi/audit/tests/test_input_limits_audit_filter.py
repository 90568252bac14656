"""Inputs have limits: the audit log's filter refuses days outside 2000-01-01 … a year ahead by field
(a date of year 9999 used to overflow when the day's end was computed: 500)."""

from __future__ import annotations

from typing import Any

import pytest

from jikimi.accounts.testing import log_in, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "0001-01-01", "date_to": "9999-12-31"}, "종료일"),
        ({"date_to": "9999-12-31"}, "종료일"),
        ({"date_from": "0001-01-01"}, "시작일"),
    ],
)
def test_the_audit_filter_refuses_a_day_out_of_range_by_field(
    client: Any, params: dict[str, str], field: str
) -> None:
    log_in(client, make_user("auditor", "auditor"))
    page = client.get("/audit/", params)
    assert page.status_code == 200
    assert f"{field}: " in page.content.decode() and "받을 수 있는 날짜가 아닙니다" in page.content.decode()
