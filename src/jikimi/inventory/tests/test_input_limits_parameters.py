"""Inputs have limits: the register's API and list page range-check their parameters (never a 500)."""

from __future__ import annotations

from typing import Any

import pytest

from jikimi.accounts.testing import log_in, make_group, make_user

pytestmark = pytest.mark.django_db

HUGE = "9999999999999999999999999"


@pytest.fixture
def officer(client: Any) -> Any:
    make_group("교통행정과", "bus-lane")
    user = make_user("alice", "officer", departments=["교통행정과"])
    log_in(client, user)
    return user


def test_a_group_id_past_bigint_is_refused_by_name(client: Any, officer: Any) -> None:
    response = client.get(f"/api/inventory/groups/{HUGE}/reconciliation")
    assert response.status_code == 400
    assert "group_id" in response.json()["error"] and "이하여야 합니다" in response.json()["error"]


def test_an_institution_slug_of_any_length_is_answered_without_a_crash(client: Any, officer: Any) -> None:
    response = client.get("/api/inventory/reconciliation", {"institution": "x" * 5000})
    assert response.status_code == 400 and "institution" in response.json()["error"]


def test_the_register_list_ignores_a_department_number_past_bigint(client: Any, officer: Any) -> None:
    assert client.get("/register/", {"department": HUGE, "q": "가" * 5000}).status_code == 200
    assert client.get("/register/", {"q": "버스\x00", "site": "\x00"}).status_code == 200  # NUL: PostgreSQL
