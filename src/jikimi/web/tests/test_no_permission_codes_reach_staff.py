"""Staff read permissions by their Korean names (accounts.permissions.PERMISSION_LABELS), never the
code: "방침을 공개할 권한(PUBLISH_POLICY)이 있는 기관이 없습니다" reached the publishing page (issue 12)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from jikimi.accounts.permissions import PERMISSION_LABELS, Permission
from jikimi.accounts.testing import log_in, make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.publishing.actions import NotPermitted, publish_policy

SOURCE = Path(__file__).resolve().parents[2]  # src/jikimi
CODES = [p.name for p in Permission]
HANGUL = re.compile("[가-힣]")


def _shipped(pattern: str) -> list[Path]:
    return [p for p in SOURCE.rglob(pattern) if "tests" not in p.parts]


def test_every_permission_has_a_korean_label() -> None:
    assert set(PERMISSION_LABELS) == set(Permission)


def test_no_template_shows_a_permission_code() -> None:
    found = [
        f"{path.relative_to(SOURCE)}: {code}"
        for path in _shipped("*.html")
        for code in CODES
        if code in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_no_message_in_the_code_names_a_permission_code() -> None:
    """Korean string literals (what people read) outside docstrings and comments."""
    found = []
    for path in _shipped("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            if id(node) not in docstrings and HANGUL.search(text):
                found += [f"{path.relative_to(SOURCE)}:{node.lineno}: {c}" for c in CODES if c in text]
    assert found == []


@pytest.mark.django_db
def test_the_publishing_page_names_the_permission_in_korean(client: Any) -> None:
    log_in(client, make_user("olga", "operator"))
    page = client.get(reverse("publishing:staff_index")).content.decode()
    assert f"({PERMISSION_LABELS[Permission.PUBLISH_POLICY]})" in page and "PUBLISH_POLICY" not in page


@pytest.mark.django_db
def test_the_refusal_to_publish_names_the_permission_in_korean() -> None:
    olga = make_user("olga", "operator")
    with pytest.raises(NotPermitted) as refused:
        publish_policy(Actor.for_user(olga, "127.0.0.1"), make_institution(), *_dates(), "사유")
    assert PERMISSION_LABELS[Permission.PUBLISH_POLICY] in str(refused.value)
    assert "PUBLISH_POLICY" not in str(refused.value)


def _dates() -> tuple[Any, Any]:
    from datetime import date

    return date(2026, 12, 1), date(2026, 12, 8)
