"""Stated totals only (issue 16, Fidelity): the policy prints the totals the institution states — per
kind, per department, overall — and never a sum of the rows it did not state (R6 checks the stated
ones against the rows; a mismatch is the officer's to fix, not the policy's to recompute).

small.yaml states 고정형 39, 이동형 3, 교통행정과 7 and 교통단속 4; its rows are 4 + 35 fixed, 3 mobile.
"""

from __future__ import annotations

from pathlib import Path

from jikimi.audit.context import Actor
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import Contractor, DeclaredTotal, DeviceGroup, Institution, PolicyDocument
from jikimi.publishing.content import MISSING, section_lines
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context

SMALL = Path(__file__).resolve().parents[2] / "inventory" / "tests" / "data" / "small.yaml"


def small(db) -> Institution:
    return import_register(Actor.system("test"), SMALL.read_text(encoding="utf-8"), "small.yaml").institution


def section(institution: Institution, key: str) -> list[str]:
    PolicyDocument.objects.filter(institution=institution).update(
        sections=[{"title": "설치 대수", "generated": key}, {"title": "현황", "generated": "operation_table"}]
    )
    content = build_document(load_policy_context(institution))
    return section_lines(next(s for s in content["sections"] if s["key"] == key))


def test_the_counts_summary_prints_every_stated_total(db):
    lines = section(small(db), "counts_summary")
    assert lines[2].startswith("고정형 | 39대 |")
    assert lines[3].startswith("이동형 | 3대 |")
    assert "교통행정과 | 7대 | - | -" in lines
    assert "교통단속 | 4대 | - | -" in lines


def test_a_kind_without_a_stated_total_shows_its_rows_counts_not_their_sum(db):
    institution = small(db)
    DeclaredTotal.objects.filter(institution=institution, key="gojeonghyeong").delete()
    lines = section(institution, "counts_summary")
    fixed = next(line for line in lines if line.startswith("고정형 |"))
    assert "버스전용차로 단속 CCTV 4대, 청사 방범 CCTV 35대" in fixed
    assert "39대" not in "\n".join(lines)
    labelling = section(institution, "labelling")
    assert "- 설치 대수: 고정형 버스전용차로 단속 CCTV 4대, 청사 방범 CCTV 35대, 이동형 3대" in labelling


def test_the_operation_table_states_the_institutions_totals_under_it(db):
    lines = section(small(db), "operation_table")
    assert "설치 대수: 고정형 39대, 이동형 3대, 교통행정과 7대, 교통단속 4대" in lines


def test_the_classification_table_lists_a_rows_groups_instead_of_adding_them_up(gunsan):
    # 오산시 지침 [별표 1]: two groups of one classification are shown each with its own count.
    DeviceGroup.objects.filter(institution=gunsan, key="city-hall").update(
        classification_primary="사회안정", classification_secondary="방범용(범죄예방)", count=7
    )
    content = build_document(load_policy_context(gunsan))
    section = next(s for s in content["sections"] if s["key"] == "fixed_purposes")
    table = next(b for b in section["blocks"] if b["type"] == "table")
    row = next(r for r in table["rows"] if r[:2] == ["사회안정", "방범용(범죄예방)"])
    assert row[2] == "방범용 CCTV 120대, 청사 시설관리용 CCTV 7대"


def test_the_labelling_claims_no_outsourcing_the_register_does_not_state(gunsan):
    Contractor.objects.filter(institution=gunsan).delete()
    PolicyDocument.objects.filter(institution=gunsan).update(
        sections=[{"title": "라벨링", "generated": "labelling"}]
    )
    content = build_document(load_policy_context(gunsan))
    lines = section_lines(next(s for s in content["sections"] if s["key"] == "labelling"))
    assert f"- 처리 위탁: {MISSING}" in lines
