"""Inputs have limits: a register file is refused, naming file, line and field, before its size,
depth or number of entries costs any work — and nothing is imported."""

from __future__ import annotations

import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError
from jikimi.inventory.register_file.reading import MAX_DEPTH, MAX_REGISTER_BYTES

from .conftest import small_text, table_counts

FILE = "registers/big.yaml"


@pytest.fixture
def before(institution):
    return table_counts(), AuditEntry.objects.count()


def refused(text: str, before) -> list[str]:
    started = time.monotonic()
    with pytest.raises(RegisterFileError) as raised:
        import_register(Actor.system("test"), text, FILE)
    assert time.monotonic() - started < 10, "refused before the work, not after it"
    assert (table_counts(), AuditEntry.objects.count()) == before, "nothing may be imported"
    return [str(p) for p in raised.value.problems]


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(before):
    text = small_text() + "#" + "가" * (MAX_REGISTER_BYTES // 3 + 10) + "\n"
    [message] = refused(text, before)
    assert message.startswith(f"{FILE}: 파일이 너무 큽니다") and "5MB까지" in message


def test_the_command_refuses_an_oversize_file_without_reading_it(before, tmp_path: Path):
    big = tmp_path / "big.yaml"
    with big.open("wb") as out:
        out.truncate(MAX_REGISTER_BYTES + 1)  # sparse: the size is there, the bytes never need be read
    with pytest.raises(CommandError, match="파일이 너무 큽니다"):
        call_command("import_register", str(big), stdout=StringIO(), stderr=StringIO())


def test_an_alias_bomb_is_refused_by_its_count_of_entries(before):
    """ "Billion laughs": nine lines that expand to 10⁹ strings."""
    lines = ["bomb:", "  a0: &a0 [" + ", ".join(["가"] * 10) + "]"]
    for n in range(1, 9):
        lines.append(f"  a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]")
    messages = refused(small_text() + "\n".join(lines) + "\n", before)
    assert len(messages) == 1 and "항목이 너무 많습니다" in messages[0]
    assert messages[0].startswith(f"{FILE}:")


def test_a_self_referencing_alias_is_refused_not_followed(before):
    text = small_text() + "loop: &loop [*loop]\n"
    [message] = refused(text, before)
    assert "자기를 담은 항목" in message and message.startswith(f"{FILE}:{text.count(chr(10))}: loop[0]")


def test_deep_nesting_is_refused_with_its_line(before):
    text = small_text() + "deep: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    [message] = refused(text, before)
    assert "너무 깊게" in message


def test_too_many_device_groups_are_refused_by_count_naming_the_field(before):
    head, _, _ = small_text().partition("device_groups:")
    groups = "".join(f"  - key: g{n}\n    name: 묶음 {n}\n" for n in range(2_001))
    messages = refused(head + "device_groups:\n" + groups, before)
    assert any("device_groups" in m and "2000개까지 적을 수 있습니다" in m for m in messages), messages
