"""영25①4호 처리방법: the register's own text is part of the generated data, never dropped as a lead-in
when the institution wrote its own text for the section (금천구 제11조③)."""

from __future__ import annotations

from jikimi.inventory.models import DeviceGroup, PolicyDocument
from jikimi.publishing.content import MISSING, section_lines
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context

METHOD = "개인영상정보의 목적외 이용, 제3자제공, 파기, 열람 등 요구에 관한 사항을 기록·관리하고, 보관기간 만료시 삭제합니다."


def operation_section(gunsan, body: str):
    PolicyDocument.objects.filter(institution=gunsan).update(
        sections=[
            {
                "title": "영상정보처리기기의 설치위치, …, 처리방법",
                "body": body,
                "generated": "operation_table",
            }
        ]
    )
    content = build_document(load_policy_context(gunsan))
    return next(s for s in content["sections"] if s["key"] == "operation_table")


def test_the_registers_processing_method_stays_under_the_institutions_own_text(gunsan):
    DeviceGroup.objects.filter(institution=gunsan).update(processing_method=METHOD)
    section = operation_section(
        gunsan, "③ 영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법은 아래와 같습니다."
    )
    lines = section_lines(section)
    assert lines.count(f"처리방법: {METHOD}") == 1


def test_different_processing_methods_get_a_column_of_their_own(gunsan):
    DeviceGroup.objects.filter(institution=gunsan, key="control-centre").update(processing_method=METHOD)
    section = operation_section(gunsan, "③ …처리방법은 아래와 같습니다.")
    table = next(b for b in section["blocks"] if b["type"] == "table")
    column = table["columns"].index("처리 방법")
    assert [row[column] for row in table["rows"]] == [METHOD, MISSING]
    assert table["groups"][1] == ["2. 영상정보 관리", 5]
    assert sum(span for _label, span in table["groups"]) == len(table["columns"])


def test_nothing_recorded_is_said_once_and_gives_way_to_the_institutions_own_text(gunsan):
    # Nothing recorded: the policy says it is not published (no generic sentence in the institution's
    # name, issue 16), and only as a lead-in, as the seed's own text says it (군산 제3조②).
    section = operation_section(gunsan, "2. 군산시에서는 개인영상정보에 대해 다음과 같이 처리하고 있습니다.")
    assert not any(line.startswith("처리방법") for line in section_lines(section))
    bare = operation_section(gunsan, "")
    assert section_lines(bare).count(f"처리방법: {MISSING}") == 1
