"""Every audited event is declared once with its Korean label, and nothing else is recorded (R40)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.db import transaction

import jikimi
from jikimi.audit.actions import BadAuditEntry, Entry, record, record_many
from jikimi.audit.context import Actor
from jikimi.audit.events import APP_LABELS, AuditEvent, app_of, label_of
from jikimi.audit.models import AuditEntry

SYSTEM = Actor(user=None, label="시스템 작업 테스트", client_address="system")
SOURCE = Path(jikimi.__file__).parent
HANGUL = re.compile(r"[가-힣]")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["vault.add_devcie", "accounts.login ", "", "Vault.add_device"])
def test_R40_an_undeclared_event_is_refused_and_nothing_is_written(name):
    with pytest.raises(BadAuditEntry, match="선언되지 않았습니다"), transaction.atomic():
        record(SYSTEM, name)
    with pytest.raises(BadAuditEntry, match="jikimi.audit.events"), transaction.atomic():
        record_many(SYSTEM, [Entry(AuditEvent.AUDIT_VERIFY), Entry(name)])
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_R40_a_declared_event_is_stored_by_its_declared_name():
    with transaction.atomic():
        entry = record(SYSTEM, AuditEvent.VAULT_ADD_DEVICE)
    assert AuditEntry.objects.get(pk=entry.pk).action == "vault.add_device"


@pytest.mark.parametrize("event", list(AuditEvent), ids=lambda event: event.value)
def test_R40_every_declared_event_has_a_korean_label_and_an_app_intent_name(event):
    assert re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_.]*", event.value) and len(event.value) <= 80
    assert event.name == event.value.upper().replace(".", "_")
    assert HANGUL.search(str(event.label)), f"{event.value}: 한글 이름이 없습니다"
    assert app_of(event) in APP_LABELS


def test_R40_labels_tell_events_apart():
    labels = [str(event.label) for event in AuditEvent]
    assert len(set(labels)) == len(labels)


def test_a_stored_name_no_longer_declared_is_shown_as_stored():
    assert label_of("vault.add_device") == "기기 등록"
    assert label_of("inventory.admin_change") == "inventory.admin_change"


def _audit_calls(tree: ast.AST):
    """Calls of record(actor, action, …), record_many(actor, [Entry(action, …)]) and Entry(action, …)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        position = {"record": 1, "Entry": 0}.get(name)
        if position is None:
            continue
        keyword = next((k.value for k in node.keywords if k.arg == "action"), None)
        if keyword is not None:
            yield node, keyword
        elif len(node.args) > position:
            yield node, node.args[position]


def test_R40_actions_name_their_events_by_declaration_never_by_a_bare_string():
    bare = []
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, action in _audit_calls(tree):
            if isinstance(action, ast.Constant | ast.JoinedStr):
                bare.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
            elif isinstance(action, ast.Attribute) and getattr(action.value, "id", "") == "AuditEvent":
                assert hasattr(AuditEvent, action.attr), f"{path}:{node.lineno}: AuditEvent.{action.attr}"
    assert not bare, f"감사 행위를 문자열로 적은 곳 (AuditEvent로 바꾸십시오): {bare}"


def test_R40_only_actions_write_the_log():
    # A view, admin page or command that wrote an entry itself would change things outside the action
    # that applies the law's checks (DESIGN: every state change is a function in an app's actions).
    outside = []
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if "tests" in parts or "migrations" in parts or path.stem == "actions" or "actions" in parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = (
                    node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                )
                if name in ("record", "record_many"):
                    outside.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert not outside, f"감사 기록을 actions 밖에서 씁니다: {outside}"
