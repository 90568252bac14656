"""Inputs have limits: the publishing form's dates lie between 2000-01-01 and a year ahead, refused
by field in Korean (year 9999 used to reach the date arithmetic)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.publishing.models import PolicyVersion


@pytest.mark.parametrize(
    ("announced", "effective", "field"),
    [
        ("9999-12-24", "9999-12-31", "공고일"),
        ("0001-01-01", "0001-01-08", "공고일"),
        ("2026-11-01", "9999-12-31", "시행일"),
    ],
)
def test_publishing_refuses_dates_out_of_range_by_field(
    client, gunsan, privacy_officer, announced, effective, field
):
    log_in(client, privacy_officer)
    before = PolicyVersion.objects.count()
    response = client.post(
        reverse("publishing:publish", args=["gunsan"]),
        {"announced_on": announced, "effective_on": effective, "reason": "정기 개정"},
    )
    assert response.status_code in (200, 400, 422)
    assert (
        f"{field}: " in response.content.decode()
        and "받을 수 있는 날짜가 아닙니다" in response.content.decode()
    )
    assert PolicyVersion.objects.count() == before


def test_the_date_check_answers_out_of_range_dates_without_a_crash(client, gunsan, privacy_officer):
    log_in(client, privacy_officer)
    for dates in (
        {"announced_on": "9999-12-31", "effective_on": "9999-12-31"},
        {"announced_on": "0001-01-01", "effective_on": "0001-01-01"},
    ):
        response = client.get(reverse("publishing:check_dates", args=["gunsan"]), dates)
        assert response.status_code == 200 and "받을 수 있는 날짜가 아닙니다" in response.content.decode()
