"""A fact the register lacks shows as "공개 문서에 미수록"; it names an attachment (별첨) only where the
seed refers to one (the group's `attachment`), never invents one (R4)."""

from __future__ import annotations

from jikimi.inventory.models import DeviceGroup
from jikimi.publishing.content import MISSING, attachment_name, missing_in
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context


def operation_rows(gunsan) -> dict[str, list]:
    content = build_document(load_policy_context(gunsan))
    section = next(s for s in content["sections"] if s["key"] == "operation_table")
    table = next(b for b in section["blocks"] if b["type"] == "table")
    monitoring = table["columns"].index("관제 방법")
    return {row[1].split("\n")[0]: row[monitoring] for row in table["rows"]}


def test_a_missing_fact_without_an_attachment_names_none(gunsan):
    assert MISSING == "공개 문서에 미수록"
    assert operation_rows(gunsan)["청사 시설관리용 CCTV"] == "공개 문서에 미수록"


def test_a_missing_fact_of_a_group_with_an_attachment_names_it(gunsan):
    DeviceGroup.objects.filter(key="city-hall").update(
        attachment="별첨 고정형 영상정보처리기기 보유 현황 — 공개 문서에 미수록"
    )
    rows = operation_rows(gunsan)
    assert rows["청사 시설관리용 CCTV"] == "공개 문서에 미수록 (별첨: 고정형 영상정보처리기기 보유 현황)"
    assert rows["방범용 CCTV"] == "실시간 관제"


def test_attachment_names_read_as_the_seeds_write_them():
    assert attachment_name("파일참조: 금천구 관내 434개소 설치위치 파일 — 공개 문서에 미수록") == (
        "금천구 관내 434개소 설치위치 파일"
    )
    assert missing_in("") == MISSING
