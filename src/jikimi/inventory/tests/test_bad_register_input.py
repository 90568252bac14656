"""Bad register files: each gets a clear error naming file, line and field, and nothing is imported."""

from __future__ import annotations

import pytest

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.actions import import_register
from jikimi.inventory.register_file import RegisterFileError

from .conftest import small_text, table_counts


@pytest.fixture
def before(institution):
    """A register is already there: a failed import must leave it exactly as it was."""
    return table_counts(), AuditEntry.objects.count()


def refused(text: str, before) -> list[str]:
    with pytest.raises(RegisterFileError) as raised:
        import_register(Actor.system("test"), text, "registers/bad.yaml")
    assert (table_counts(), AuditEntry.objects.count()) == before, "nothing may be imported"
    return [str(p) for p in raised.value.problems]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    return text[:index].count("\n") + 1


def test_malformed_yaml_names_the_line(before):
    text = small_text().replace("    purpose: 버스전용차로 단속\n", "    purpose: [버스전용차로 단속\n")
    [message] = refused(text, before)
    assert message.startswith("registers/bad.yaml:")
    assert "YAML 문법 오류" in message


def test_an_unknown_key_names_its_line_and_path(before):
    text = small_text().replace("    coverage: 100m 이내\n", "    coverage: 100m 이내\n    colour: red\n")
    [message] = refused(text, before)
    assert message.startswith(f"registers/bad.yaml:{line_of(text, 'colour: red')}: device_groups[0].colour")
    assert "알 수 없는 항목" in message


def test_a_misspelt_top_level_key_is_refused(before):
    text = small_text().replace("declared_totals:", "declared_total:")
    [message] = refused(text, before)
    assert f":{line_of(text, 'declared_total:')}: declared_total:" in message


def test_a_negative_count_is_refused(before):
    text = small_text().replace("    count: 35\n", "    count: -3\n")
    [message] = refused(text, before)
    assert message == (
        f"registers/bad.yaml:{line_of(text, 'count: -3')}: device_groups[1].count (설치 대수): 0 이상이어야 합니다 (적힌 값: -3)"
    )


def test_a_count_of_the_wrong_type_is_refused(before):
    text = small_text().replace("    count: 35\n", '    count: "서른다섯"\n')
    [message] = refused(text, before)
    assert "device_groups[1].count (설치 대수): 정수여야 합니다" in message


def test_an_impossible_date_is_refused(before):
    text = small_text().replace("period_end: 2024-12-31", "period_end: 2024-02-30")
    [message] = refused(text, before)
    assert (
        f"registers/bad.yaml:{line_of(text, '2024-02-30')}: contractors[0].period_end (위탁기간 끝)"
        in message
    )
    assert "있을 수 없는 날짜" in message


def test_a_period_that_ends_before_it_starts_is_refused(before):
    text = small_text().replace("period_end: 2024-12-31", "period_end: 2023-12-31")
    [message] = refused(text, before)
    assert "contractors[0].period_end" in message and "앞섭니다" in message


def test_a_totals_mismatch_is_refused(before):
    text = small_text().replace(
        "label: 고정형, count: 39, kind: fixed}", "label: 고정형, count: 40, kind: fixed}"
    )
    [message] = refused(text, before)
    assert message.startswith(
        f"registers/bad.yaml:{line_of(text, 'label: 고정형')}: declared_totals[0].count (대수):"
    )
    assert "40대" in message and "39대" in message and "[R6]" in message


def test_a_location_list_that_does_not_add_up_is_refused(before):
    text = small_text().replace("신라저축은행, count: 2}", "신라저축은행, count: 3}")
    messages = refused(text, before)
    assert any("device_groups[0].count" in m and "[R6]" in m for m in messages)


def test_a_privacy_space_location_is_refused(before):
    text = small_text().replace("name: 승강기, count: 5,", "name: 1층 화장실, space_type: toilet, count: 5,")
    [message] = refused(text, before)
    assert message.startswith(
        f"registers/bad.yaml:{line_of(text, '1층 화장실')}: device_groups[1].locations[1].space_type (공간 유형):"
    )
    assert "법 제25조②" in message and "[R2]" in message


def test_a_retention_over_30_days_without_a_reason_is_refused(before):
    text = small_text().replace("    retention_reason: 단속 증거 보존 (도로교통법)\n", "")
    [message] = refused(text, before)
    assert "device_groups[0].retention_reason" in message and "[R16]" in message


def test_a_missing_retention_is_refused(before):
    text = small_text().replace("    retention: 7일\n", "")
    [message] = refused(text, before)
    assert "device_groups[1].retention (보관 기간): 보관기간이 없습니다" in message


def test_a_purpose_without_a_legal_basis_is_refused(before):
    text = small_text().replace(
        "    legal_bases: [crime, facility_safety]\n", "    legal_bases: [crime, cctv]\n"
    )
    [message] = refused(text, before)
    assert "device_groups[1].legal_bases" in message and "'cctv'" in message and "[R1]" in message


def test_a_reference_to_an_unknown_department_is_refused(before):
    text = small_text().replace(
        "    department: 총무과\n    legal_bases", "    department: 총무팀\n    legal_bases"
    )
    messages = refused(text, before)
    assert any("device_groups[1].department" in m and "'총무팀'" in m for m in messages)


def test_a_duplicate_key_is_refused(before):
    text = small_text().replace(
        "    coverage: 100m 이내\n", "    coverage: 100m 이내\n    coverage: 50m 이내\n"
    )
    [message] = refused(text, before)
    assert "device_groups[0].coverage" in message and "두 번" in message


def test_a_sign_needing_a_nameless_contractor_is_refused(before):
    text = small_text().replace("    company: ㈜영창티엠에스\n", '    company: ""\n')
    messages = refused(text, before)
    assert any("contractors[0].company" in m for m in messages)


def test_an_invalid_email_is_refused(before):
    text = small_text().replace("traffic@example.go.kr", "traffic-at-example")
    [message] = refused(text, before)
    assert "officers[0].email (이메일)" in message


def test_every_problem_is_reported_at_once(before):
    text = (
        small_text()
        .replace("    count: 35\n", "    count: -3\n")
        .replace("period_end: 2024-12-31", "period_end: 2024-13-01")
    )
    messages = refused(text, before)
    assert len(messages) == 2
    lines = [int(m.split(":")[1]) for m in messages]
    assert lines == sorted(lines)


def test_an_empty_file_is_refused(before):
    [message] = refused("", before)
    assert "비어 있습니다" in message


def test_a_file_that_is_not_a_mapping_is_refused(before):
    [message] = refused("- just\n- a list\n", before)
    assert "최상위" in message


def test_a_control_character_is_refused_before_the_database_sees_it(before):
    text = small_text().replace("    coverage: 100m 이내\n", '    coverage: "100m\\0 이내"\n')
    [message] = refused(text, before)
    assert "device_groups[0].coverage (촬영 범위)" in message and "U+0000" in message


def test_a_location_without_a_key_is_refused_naming_its_line(before):
    text = small_text().replace(
        "{key: ganseok-remianjaiap, name: 간석 레미안자이앞, count: 1}", "간석 레미안자이앞"
    )
    [message] = refused(text, before)
    assert message.startswith(
        f"registers/bad.yaml:{line_of(text, '- 간석 레미안자이앞')}: device_groups[0].locations[1]"
    )
    assert "식별자(key)가 없습니다" in message


def test_a_location_key_twice_in_one_group_is_refused(before):
    text = small_text().replace("{key: ganseok-remianjaiap,", "{key: yulmokdong-yudong3geori,")
    [message] = refused(text, before)
    assert "device_groups[0].locations[1].key" in message and "이미 있습니다" in message
