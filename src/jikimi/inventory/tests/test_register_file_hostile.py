"""Hostile and careless register files (issue 16, "Bad input"): each is refused by the safe loader at
the limit it crosses — before the work, not after it — in Korean, naming file, line and field, and
nothing is imported. The time and memory these refusals cost are measured by bench/register_import
(not here: the machine is shared, timings in unit tests would be flaky)."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError
from jikimi.inventory.register_file.errors import MAX_KEPT, MAX_LISTED
from jikimi.inventory.register_file.reading import MAX_ALIASES, MAX_DEPTH, MAX_KEYS
from jikimi.inventory.register_file.schema import MAX_TEXT

from .conftest import small_text, table_counts

FILE = "registers/hostile.yaml"
# English that libyaml or pydantic would have printed: none of it may reach the officer.
ENGLISH = re.compile(r"\b(while|expected|found|could not|mapping|parsing|Input|should|Field)\b")


@pytest.fixture
def before(institution):
    return table_counts(), AuditEntry.objects.count()


def refused(text: str, before) -> list[str]:
    with pytest.raises(RegisterFileError) as raised:
        import_register(Actor.system("test"), text, FILE)
    assert (table_counts(), AuditEntry.objects.count()) == before, "nothing may be imported"
    messages = [str(p) for p in raised.value.problems]
    assert all(m.startswith(f"{FILE}") and not ENGLISH.search(m) for m in messages), messages
    return messages


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_16_kb_alias_bomb_is_refused_at_its_first_expansion_past_the_limit(before):
    """Today's loader composed the whole tree first: 2.7 GB and no end. Ten levels of ten aliases."""
    lines = ["bomb:", "  l0: &l0 [" + ", ".join(["하하하하하하하하"] * 10) + "]"]
    lines += [f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    padding = "# " + "가" * 60 + "\n"
    text = small_text() + "\n".join(lines) + "\n" + padding * (16 * 1024 // len(padding.encode()))
    assert len(text.encode()) > 16 * 1024
    [message] = refused(text, before)
    assert "항목이 너무 많습니다" in message and "별칭(*)" in message


def test_more_aliases_than_a_register_needs_are_refused(before):
    text = small_text() + "x: &x 1\ny: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    [message] = refused(text, before)
    assert f"별칭(*)이 너무 많습니다 ({MAX_ALIASES}개까지)" in message
    assert message.startswith(f"{FILE}:{line_of(text, 'y: [')}: y[{MAX_ALIASES}]")


def test_an_alias_of_nothing_is_refused_in_korean(before):
    text = small_text().replace("    count: 35\n", "    count: *thirty-five\n")
    [message] = refused(text, before)
    assert f"{FILE}:{line_of(text, '*thirty-five')}: device_groups[1].count: 정의되지 않은 별칭" in message


def test_block_nesting_past_the_limit_is_refused_with_its_line(before):
    deep = "".join("  " * n + f"d{n}:\n" for n in range(MAX_DEPTH + 5)) + "  " * (MAX_DEPTH + 5) + "end\n"
    text = small_text() + deep
    [message] = refused(text, before)
    assert f"너무 깊게 겹쳐 있습니다 ({MAX_DEPTH}단계까지" in message
    assert message.startswith(f"{FILE}:{line_of(text, f'd{MAX_DEPTH}:')}: d0.d1.")


def test_a_hundred_thousand_unknown_keys_are_refused_at_the_first_past_the_limit(before):
    """Today: 10⁶ unknown keys took 75 s, 2.2 GB and printed 141 MB of errors."""
    keys = "".join(f"  k{n}: 1\n" for n in range(100_000))
    text = small_text().replace("institution:\n", "institution:\n" + keys, 1)
    [message] = refused(text, before)
    assert f"한 항목에 키가 너무 많습니다 ({MAX_KEYS}개까지" in message
    assert message.startswith(f"{FILE}:{line_of(text, f'  k{MAX_KEYS}: 1')}: institution:")


def test_a_text_past_the_limit_is_refused_naming_its_field(before):
    purpose = "    purpose: 버스전용차로 단속\n"
    text = small_text().replace(purpose, purpose + "    notes: " + "가" * (MAX_TEXT + 1) + "\n", 1)
    [message] = refused(text, before)
    assert re.search(
        r"device_groups\[\d\]\.notes: 값이 너무 깁니다 \(50,001자; 한 값은 50,000자까지\)", message
    )


def test_a_name_past_its_column_is_refused_in_characters(before):
    text = small_text().replace("  name: 시험시\n", f"  name: {'시' * 101}\n")
    [message] = refused(text, before)
    assert (
        message
        == f"{FILE}:{line_of(text, '  name: 시시')}: institution.name (기관명): 100자 이하여야 합니다 (지금 101자)"
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("  name: 시험시\n", '  name: "시험\\n시"\n', "institution.name (기관명)"),
        ("    name: 총무과\n", '    name: "총무과\\u2029"\n', "departments[1].name (부서명)"),
        (
            "    department: 총무과\n",
            '    department: "총무과\\u2028"\n',
            "officers[2].department (소속 부서)",
        ),
        (
            "    phone: 063-454-1000\n",
            "    phone: |\n      063-454-1000\n      063-454-1001\n",
            "departments[0].phone",
        ),
    ],
)
def test_one_line_fields_refuse_line_breaks(before, old, new, field):
    """Today a name with a line break was accepted, and the next import of the export failed."""
    assert old in small_text()
    text = small_text().replace(old, new, 1)
    messages = refused(text, before)
    assert any(field in m and "한 줄로 적어야 합니다" in m for m in messages), messages


def test_multi_line_text_stays_allowed_where_the_policy_prints_paragraphs(institution):
    text = small_text().replace("  name: 시험시\n", "  name: 시험시\n  notes: |\n    첫 줄\n    둘째 줄\n", 1)
    import_register(Actor.system("test"), text, FILE)
    institution.refresh_from_db()
    assert institution.notes == "첫 줄\n둘째 줄\n"


def test_yaml_syntax_errors_are_told_in_korean_with_line_and_column(before):
    text = small_text().replace("    purpose: 버스전용차로 단속\n", "    purpose: [버스전용차로 단속\n")
    [message] = refused(text, before)
    assert "YAML 문법 오류" in message and "열)" in message and "닫히지 않았습니다" in message


def test_a_tab_indentation_is_told_in_korean(before):
    text = small_text().replace("    count: 35\n", "\tcount: 35\n")
    [message] = refused(text, before)
    assert f"{FILE}:{line_of(text, chr(9) + 'count')}" in message and "YAML 문법 오류" in message


def test_every_problem_of_a_readable_file_is_reported_in_one_run(before):
    """A duplicate key, a value too long, a wrong type and a line break: four problems, one run."""
    text = (
        small_text()
        .replace("  slug: siheom\n", "  slug: siheom\n  slug: siheom2\n")
        .replace("    count: 35\n", "    count: 서른다섯\n")
        .replace("  scope_statement: 본청 및 소속기관\n", f"  scope_statement: {'가' * (MAX_TEXT + 1)}\n")
        .replace("  head_title: 시험시장\n", '  head_title: "시험\\n시장"\n')
    )
    messages = refused(text, before)
    assert len(messages) == 4, messages
    assert "같은 항목이 두 번 있습니다" in messages[0] and "institution.slug" in messages[0]
    assert "institution.scope_statement" in messages[1] and "값이 너무 깁니다" in messages[1]
    assert "institution.head_title" in messages[2] and "한 줄로" in messages[2]
    assert "device_groups[1].count" in messages[3] and "정수여야 합니다" in messages[3]


def test_a_duplicate_key_and_a_wrong_reference_are_reported_in_one_run(before):
    """The schema reads the file: the reading's problem is reported with the references' and the law's."""
    text = (
        small_text()
        .replace("  slug: siheom\n", "  slug: siheom\n  slug: siheom\n")
        .replace("    department: 총무과\n    legal_bases:", "    department: 없는과\n    legal_bases:")
    )
    messages = refused(text, before)
    assert len(messages) == 2, messages
    assert "institution.slug" in messages[0] and "같은 항목이 두 번 있습니다" in messages[0]
    assert (
        "device_groups[1].department" in messages[1]
        and "부서 '없는과'이(가) departments에 없습니다" in messages[1]
    )


def test_at_most_the_first_errors_are_listed_with_the_count_of_the_rest(before, tmp_path: Path):
    keys = "".join(f"  colour{n}: red\n" for n in range(MAX_LISTED + 12))
    text = small_text().replace("institution:\n", "institution:\n" + keys, 1)
    with pytest.raises(RegisterFileError) as raised:
        import_register(Actor.system("test"), text, FILE)
    listed = raised.value.listed()
    assert len(raised.value.problems) == MAX_LISTED + 12
    assert len(listed) == MAX_LISTED + 1
    assert listed[-1] == f"{FILE}: 그 밖의 오류 12건은 줄였습니다 (모두 {MAX_LISTED + 12}건)"
    register = tmp_path / "many.yaml"
    register.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=f"오류 {MAX_LISTED + 12}건"):
        call_command("import_register", str(register), stdout=StringIO(), stderr=err)
    assert err.getvalue().count("알 수 없는 항목") == MAX_LISTED and "그 밖의 오류 12건" in err.getvalue()


def test_a_flood_of_unknown_keys_is_counted_not_turned_into_a_thousand_messages(before):
    """Today 10⁶ unknown keys printed 141 MB of errors: past MAX_KEPT they are counted, the first listed."""
    extra = "".join(f"      colour{n}: red\n" for n in range(190))
    departments = "".join(
        f"  - key: d{n}\n    name: 부서{n}\n" + extra.replace("      ", "    ") for n in range(6)
    )
    text = small_text().replace("departments:\n", "departments:\n" + departments, 1)
    with pytest.raises(RegisterFileError) as raised:
        import_register(Actor.system("test"), text, FILE)
    error = raised.value
    assert (len(error.problems), error.omitted, error.count) == (MAX_KEPT, 6 * 190 - MAX_KEPT, 6 * 190)
    listed = error.listed()
    assert (
        listed[0]
        == f"{FILE}:{line_of(text, 'colour0')}: departments[0].colour0: 알 수 없는 항목입니다 (오타인지 확인하세요; docs/register-format.md 참조)"
    )
    assert listed[-1] == f"{FILE}: 그 밖의 오류 {6 * 190 - MAX_LISTED:,}건은 줄였습니다 (모두 1,140건)"
    assert len(str(error)) < 10_000


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
def test_a_cp949_or_euc_kr_file_is_told_how_to_save_it_as_utf8(before, tmp_path: Path, encoding):
    register = tmp_path / "siheom.yaml"
    register.write_bytes(small_text().encode(encoding))
    first_korean = line_of(small_text(), next(c for c in small_text() if ord(c) > 127))
    with pytest.raises(CommandError) as raised:
        call_command("import_register", str(register), stdout=StringIO(), stderr=StringIO())
    message = str(raised.value)
    assert message.startswith(f"{register}:{first_korean}: UTF-8 텍스트가 아닙니다")
    assert "CP949(EUC-KR" in message and "UTF-8로 골라 다시 저장하세요" in message


def test_a_utf8_file_with_a_bom_imports(institution, tmp_path: Path):
    register = tmp_path / "siheom.yaml"
    register.write_bytes(small_text().encode("utf-8-sig"))
    out = StringIO()
    call_command("import_register", str(register), stdout=out, stderr=StringIO())
    assert "시험시(siheom)" in out.getvalue()


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_read(before, tmp_path: Path):
    register = tmp_path / "big.yaml"
    with register.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    with pytest.raises(CommandError, match="파일이 너무 큽니다 \\(50.0MB\\)"):
        call_command("import_register", str(register), stdout=StringIO(), stderr=StringIO())


def test_a_python_tag_is_refused_not_constructed(before):
    text = small_text() + "x: !!python/object/apply:os.system ['true']\n"
    messages = refused(text, before)
    assert any("쓸 수 없는 태그입니다" in m for m in messages), messages


def test_two_documents_in_one_file_are_refused(before):
    [message] = refused(small_text() + "---\nformat: jikimi-register/1\n", before)
    assert "대장 하나만" in message
