"""Inputs have limits: the user list's search is short and holds nothing PostgreSQL cannot store."""

from __future__ import annotations

from typing import Any

import pytest

from jikimi.accounts.testing import log_in, make_user

pytestmark = pytest.mark.django_db


def test_the_user_search_takes_any_text_without_a_crash(client: Any) -> None:
    log_in(client, make_user("admin", "administrator"))
    for query in ("관리\x00자", "가" * 5000, "%ED%A0%80"):
        assert client.get("/accounts/users/", {"q": query}).status_code == 200
