"""Registers of shapes jikimi was not tuned to (issue 16, Fidelity) import and render faithfully: each
fact of the file is in the policy, and the policy states no fact the file does not — no "0대", no
안내판 the institution did not write, no total it did not state, no fixed-camera section for a body
that has none.

The three files under registers/ are written from the issue's shapes: a county that states only its
total, a body with a mobile-only policy, a county whose only camera is mounted on a vehicle.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jikimi.audit.context import Actor
from jikimi.inventory.actions.importing import ImportResult, import_register
from jikimi.inventory.models import DeviceGroup, Institution, PolicyDocument
from jikimi.inventory.register_file import export_register
from jikimi.publishing.content import MISSING, document_text, section_lines
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context

REGISTERS = Path(__file__).resolve().parent / "registers"
# Sections whose content comes from the register's facts (the rest is the law's fixed text).
FACT_SECTIONS = {
    "fixed_purposes",
    "mobile_purposes",
    "counts_summary",
    "operation_table",
    "group_cards",
    "managers",
    "recording_retention",
    "labelling",
}
# A number of devices: "1,452대", "6대" (not "1호").
COUNTS = re.compile(r"(?<![\d,])(\d[\d,]*)대")


def load(name: str) -> ImportResult:
    path = REGISTERS / name
    return import_register(Actor.system("test"), path.read_text(encoding="utf-8"), str(path))


def rendered(institution: Institution) -> dict[str, Any]:
    return build_document(load_policy_context(institution))


def fact_text(content: dict[str, Any]) -> str:
    return "\n".join(
        line
        for section in content["sections"]
        if section["key"] in FACT_SECTIONS
        for line in section_lines(section)
    )


def operation_rows(content: dict[str, Any]) -> list[dict[str, str]]:
    section = next(s for s in content["sections"] if s["key"] == "operation_table")
    table = next(b for b in section["blocks"] if b["type"] == "table")
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


@pytest.mark.parametrize("name", ["total-only-county.yaml", "mobile-only-body.yaml", "vehicle-county.yaml"])
def test_each_shape_imports_and_round_trips(db, name):
    institution = load(name).institution
    first = export_register(institution)
    import_register(Actor.system("test"), first, "exported.yaml")
    assert export_register(institution) == first
    text = document_text(rendered(institution))
    assert not re.search(r"(?<![\d,])0대", text)


def test_a_county_that_states_only_its_total(db):
    result = load("total-only-county.yaml")
    groups = {g.key: g for g in DeviceGroup.objects.all()}
    # Not published: no number, no site, no storage place, no notice method is made up.
    assert [groups[key].count for key in ("crime", "dumping", "parking")] == [None, None, None]
    assert groups["dumping"].storage_place == "" and groups["crime"].site == ""
    assert all(group.notice_method == "" for group in groups.values())
    # R6: the stated total cannot be checked against rows without counts: the officer is told.
    assert any("1,452대를 확인할 수 없습니다" in warning.message for warning in result.warnings)

    content = rendered(result.institution)
    facts = fact_text(content)
    # The stated total is printed, and it is the only count: no sum of the rows, no placeholder.
    assert "총 1,452대" in facts
    assert COUNTS.findall(facts) == ["1,452"]
    assert "안내판" not in facts
    rows = operation_rows(content)
    assert [row["설치(운영) 부서"] for row in rows] == ["안전총괄과", "환경위생과", "교통행정과"]
    assert [row["설치(운영) 대수"] for row in rows] == [f"고정형 {MISSING}"] * 3
    assert [row["보관 장소"] for row in rows] == ["솔내군 통합관제센터", MISSING, MISSING]
    assert [row["촬영 사실 고지 방법"] for row in rows] == [MISSING] * 3
    for fact in (
        "범죄예방",
        "쓰레기 무단투기 방지",
        "불법 주정차 단속",
        "평일 09:00~18:00",
        "30일",
        "안전총괄과장",
    ):
        assert fact in facts
    # The county's legal bases, stated once, are printed once (법 제25조① 2·3·4호).
    purposes = next(s for s in content["sections"] if s["key"] == "fixed_purposes")
    [listing] = [b for b in purposes["blocks"] if b["type"] == "list"]
    assert [entry.split(" ")[0] for entry in listing["items"]] == ["2호", "3호", "4호"]
    # …and the purposes once beside them, not paired with a basis the county did not pair them with.
    assert "2호 범죄의 예방 및 수사를 위하여 필요한 경우" in listing["items"]
    assert "설치 목적: 범죄예방, 쓰레기 무단투기 방지, 불법 주정차 단속" in section_lines(purposes)


def test_a_mobile_only_body_gets_no_fixed_camera_section(db):
    institution = load("mobile-only-body.yaml").institution
    content = rendered(institution)
    assert "fixed_purposes" not in [s["key"] for s in content["sections"]]
    text = document_text(content)
    assert "고정형 영상정보처리기기를 설치·운영" not in text
    facts = fact_text(content)
    assert "고정형" not in facts
    # Its bases, stated once for all its mobile devices: 법 제25조의2 and its own rule.
    assert "「개인정보 보호법」 제25조의2제1항" in facts
    assert "근거 규정: 「한빛시설관리공단 이동형 영상정보처리기기 운영 규정」" in facts
    assert facts.count("공공기관이 법령 등에서 정하는 소관 업무의 수행을 위하여 불가피한 경우") == 1
    assert "설치 목적: 시설 현장 점검 중 안전사고 예방, 민원 현장 기록" in facts
    # Each group's own count, never their sum (8대) that the body did not state.
    assert sorted(COUNTS.findall(facts)) == ["2", "2", "6", "6"]
    rows = operation_rows(content)
    assert [row["설치(운영) 대수"] for row in rows] == ["이동형 (착용형) 6대", "이동형 (휴대형) 2대"]
    assert [row["촬영 사실 고지 방법"] for row in rows] == ["녹화 표시등 및 음성 안내", MISSING]
    for fact in (
        "현장 점검 시",
        "필요시",
        "30일 이내",
        "안전관리팀 전용 PC",
        "민원 현장 기록",
        "안전관리팀장",
    ):
        assert fact in facts
    assert "안내판" not in facts


def test_a_camera_mounted_on_a_vehicle_is_published_as_mobile(db):
    institution = load("vehicle-county.yaml").institution
    group = DeviceGroup.objects.get(key="patrol-car")
    assert (group.kind, group.mobile_type) == ("mobile", "mounted")
    content = rendered(institution)
    assert "fixed_purposes" not in [s["key"] for s in content["sections"]]
    facts = fact_text(content)
    assert "제25조의2" in facts and "고정형" not in facts
    [row] = operation_rows(content)
    assert row["설치(운영) 대수"] == "이동형 (부착·거치형) 1대"
    assert row["촬영 사실 고지 방법"] == "차량 외부 표지"
    for fact in (
        "불법 주정차 단속",
        "단속 차량 1대",
        "평일 09:00~18:00",
        "30일",
        "건설교통과 단속 서버",
        "건설교통과장",
    ):
        assert fact in facts
    assert "안내판" not in facts


def test_a_mobile_only_policy_without_a_purposes_section_gets_no_fixed_one_either(db):
    # 시행령 제25조①1호 is owed all the same; for a mobile-only body it is never a fixed-camera section.
    institution = load("mobile-only-body.yaml").institution
    PolicyDocument.objects.filter(institution=institution).update(
        sections=[{"title": "영상정보처리기기의 설치·운영 현황", "generated": "operation_table"}]
    )
    content = rendered(institution)
    assert "fixed_purposes" not in [s["key"] for s in content["sections"]]
    assert "고정형" not in document_text(content)
