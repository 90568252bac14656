"""Structures real policies use (issue 16): a per-purpose table of 관리부서 / 관리책임자 / 접근권한자
without counts (a district), own vs outsourced operation per department with the contractor where
stated (a county), an inventory published as a dated attachment, and a policy of one department.

The two registers in registers/ are written from these shapes, not from any institution's text. Each
imports and renders faithfully: every fact of the file is in the policy, and the policy prints nothing
the file or the law's fixed text does not contain (no "공개 문서에 미수록", no appended section, no count
or phone number of its own).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import RegisterEdit, edit_register, import_register
from jikimi.inventory.register_file import RegisterFileError, export_register
from jikimi.publishing.content import MISSING, document_text
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context
from jikimi.rules.purposes import FIXED_PURPOSE_ITEMS, FixedPurpose

REGISTERS = Path(__file__).parent / "registers"
DISTRICT = REGISTERS / "district_managers_by_purpose.yaml"
COUNTY = REGISTERS / "county_own_and_outsourced.yaml"
OPERATION = {"own": "자체", "outsourced": "위탁"}
# Identities and references: not facts the policy prints (it prints what they point at).
NOT_PRINTED = {"key", "format", "slug", "department", "managers", "staff", "contractors", "operator",
               "supervising_department", "legal_bases", "kind", "article_style", "generated", "sections"}  # fmt: skip


def imported(path: Path) -> models.Institution:
    return import_register(Actor.system("test"), path.read_text(encoding="utf-8"), path.name).institution


def policy_text(institution: models.Institution) -> str:
    return document_text(build_document(load_policy_context(institution)))


def facts(data: Any, key: str = "") -> list[str]:
    """Every value of the file the policy must state, as it would read in the policy."""
    if isinstance(data, dict):
        return [fact for name, value in data.items() for fact in facts(value, name)]
    if isinstance(data, list):
        return [fact for value in data for fact in facts(value, key)]
    if key in NOT_PRINTED or data in (None, ""):
        return []
    if key == "count":
        return [f"{data:,}대"]
    if key == "operation":
        return [OPERATION[data]]
    if key == "attachment_date":
        return [f"{data.year}. {data.month}. {data.day}. 기준"]
    if key in ("period_start", "period_end"):
        return [data.strftime("%Y.%m.%d")]
    return [str(data)]


@pytest.mark.parametrize("path", [DISTRICT, COUNTY], ids=["district", "county"])
def test_every_fact_of_the_file_is_in_the_policy_and_nothing_else(db, path):
    text = policy_text(imported(path))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))

    missing = [fact for fact in facts(data) if fact not in text]
    assert missing == []
    for group in data["device_groups"]:
        for basis in group["legal_bases"]:
            assert f"{FIXED_PURPOSE_ITEMS[FixedPurpose(basis)]}호 " in text  # 법 제25조① 각 호
    # Nothing of its own: no fact marked missing, no section the file does not have, no count and no
    # phone number the file does not state.
    assert MISSING not in text
    assert "에 따라 추가)" not in text
    counts = {f"{group['count']:,}대" for group in data["device_groups"]}
    assert set(re.findall(r"[\d,]+대", text)) <= counts
    phones = set(re.findall(r"\d{2,3}-\d{3,4}-\d{4}", path.read_text(encoding="utf-8")))
    assert set(re.findall(r"\d{2,3}-\d{3,4}-\d{4}", text)) <= phones


def test_the_district_publishes_managers_per_purpose_without_counts(db):
    content = build_document(load_policy_context(imported(DISTRICT)))
    tables = [
        block
        for section in content["sections"]
        for block in section["blocks"]
        if block.get("type") == "table" and block["columns"][0] == "설치 목적"
    ]
    assert [table["columns"] for table in tables] == [["설치 목적", "관리부서", "관리책임자", "접근권한자"]]
    assert [row[:2] for row in tables[0]["rows"]] == [
        ["범죄 예방 및 수사", "안전총괄과"],
        ["불법 주정차 단속", "주차관리과"],
        ["쓰레기 무단투기 방지", "청소행정과"],
    ]
    assert not any("대" in cell for row in tables[0]["rows"] for cell in row[:2])


def test_the_county_states_own_or_outsourced_operation_per_department(db):
    institution = imported(COUNTY)
    assert [
        (d.name, d.operation, d.operator.key if d.operator else "") for d in institution.departments.all()
    ] == [
        ("안전건설과", "outsourced", "nuri-security"),
        ("환경과", "own", ""),
        ("교통과", "outsourced", ""),
    ]
    content = build_document(load_policy_context(institution))
    (table,) = [
        block
        for section in content["sections"]
        for block in section["blocks"]
        if block.get("type") == "table" and block["columns"] == ["부서", "운영 방식", "수탁자"]
    ]
    assert table["rows"] == [
        ["안전건설과", "위탁", "㈜누리시큐리티 (통합관제센터 관제 운영, 033-600-7000)"],
        ["환경과", "자체", "-"],
        ["교통과", "위탁", "-"],  # 위탁 without a named contractor: none is made up
    ]


def test_an_inventory_in_a_dated_attachment_is_cited_with_its_date(db):
    text = policy_text(imported(COUNTY))
    assert "내역: 별첨 1. 방범용 CCTV 설치 현황 (2024. 12. 31. 기준)" in text


def test_a_policy_of_one_department_states_that_department_only(db):
    source = COUNTY.read_text(encoding="utf-8").replace(
        "  sections:\n", "  scope_department: 환경과\n  sections:\n", 1
    )
    institution = import_register(Actor.system("test"), source, "county.yaml").institution
    assert institution.policy_document.scope_department.name == "환경과"
    text = policy_text(institution)
    assert "본 푸른군(환경과, 이하 본 기관이라 함)" in text
    assert "산불감시 CCTV" in text
    assert "방범용 CCTV" not in text and "불법주정차 단속 CCTV" not in text
    assert "안전건설과 | 위탁" not in text and "환경과 | 자체" in text


@pytest.mark.parametrize("path", [DISTRICT, COUNTY], ids=["district", "county"])
def test_the_shapes_survive_export_with_the_file_comments(db, path):
    institution = imported(path)
    first = export_register(institution)
    assert first.splitlines()[0] == path.read_text(encoding="utf-8").splitlines()[0]  # the file's own note
    again = import_register(Actor.system("test"), first, "exported.yaml")
    assert again.unchanged
    assert export_register(again.institution) == first
    # and without the file (the plain layout) the new fields are written too
    models.RegisterSource.objects.all().delete()
    plain = export_register(again.institution)
    for word in (
        ("operation: outsourced", "operator: nuri-security", "attachment_date: 2024-12-31")
        if (path == COUNTY)
        else ("generated: managers_by_purpose",)
    ):
        assert word in plain


def test_an_operator_needs_an_outsourced_operation_and_a_listed_contractor(db):
    source = COUNTY.read_text(encoding="utf-8")
    bad = source.replace("    operation: own\n", "    operation: own\n    operator: nuri-security\n", 1)
    bad = bad.replace("    operator: nuri-security\n", "    operator: nobody\n", 1)
    with pytest.raises(RegisterFileError) as error:
        import_register(Actor.system("test"), bad, "county.yaml")
    listed = "\n".join(error.value.listed(10))
    assert "departments[0].operator" in listed and "수탁자 'nobody'이(가) contractors에 없습니다" in listed
    assert "departments[1].operator" in listed and "위탁(outsourced)인 부서에만" in listed


def test_renaming_the_department_of_a_departments_policy_keeps_the_policy_its_own(db):
    source = COUNTY.read_text(encoding="utf-8").replace(
        "  sections:\n", "  scope_department: 환경과\n  sections:\n", 1
    )
    institution = import_register(Actor.system("test"), source, "county.yaml").institution
    edit = RegisterEdit("departments", key="hwangyeonggwa", values={"name": "기후환경과"})
    edit_register(Actor.system("test"), institution, edit, "조직 개편")
    document = models.PolicyDocument.objects.get(institution=institution)
    assert document.scope_department is not None and document.scope_department.name == "기후환경과"
    assert "scope_department: 기후환경과" in export_register(institution)


def test_groups_of_one_purpose_with_the_same_people_are_one_row(db):
    source = DISTRICT.read_text(encoding="utf-8")
    second = source[source.index("  - key: bangbeom\n") : source.index("  - key: jucha-dansok\n")]
    second = second.replace("key: bangbeom", "key: bangbeom-2").replace(
        "name: 방범용 CCTV", "name: 방범용 CCTV (공원)"
    )
    source = source.replace("  - key: jucha-dansok\n", second + "  - key: jucha-dansok\n", 1)
    content = build_document(
        load_policy_context(import_register(Actor.system("test"), source, "d.yaml").institution)
    )
    (table,) = [
        block
        for section in content["sections"]
        for block in section["blocks"]
        if block.get("type") == "table" and block["columns"][0] == "설치 목적"
    ]
    assert [row[0] for row in table["rows"]] == [
        "범죄 예방 및 수사",
        "불법 주정차 단속",
        "쓰레기 무단투기 방지",
    ]
