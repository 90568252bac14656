"""R4 (시행령 제25조①): every item a structure lacks is listed, never invented (issue 16); the officer
adopts a wording for it before publishing (test_adopting_a_missing_item)."""

from __future__ import annotations

import pytest

from jikimi.inventory.models import PolicyDocument
from jikimi.publishing.coverage import POLICY_ITEMS, missing_items
from jikimi.publishing.generator import BUILDERS, DEFAULT_SECTIONS, build_document
from jikimi.publishing.queries import load_policy_context


def covered(content) -> set[int]:
    return {number for section in content["sections"] for number in section["r4"]}


def test_every_generated_key_of_the_register_format_has_a_builder():
    assert set(BUILDERS) == set(PolicyDocument.GENERATED_SECTIONS)


@pytest.mark.parametrize(
    "sections",
    [
        [],
        [{"title": "개인정보의 처리목적", "body": "민원사무 처리"}],
        [{"title": "영상정보처리기기 설치 및 운영현황", "generated": "group_cards"}],
        [{"title": "영상정보의 안전성 확보조치", "body": ""}],  # an empty free-text section carries nothing
    ],
)
def test_it_lists_each_missing_item_and_adds_no_section(gunsan, sections):
    PolicyDocument.objects.filter(institution=gunsan).update(sections=sections)
    content = build_document(load_policy_context(gunsan))
    listed = {item["number"] for item in content.get("missing_r4", [])}
    assert covered(content) | listed == {item.number for item in POLICY_ITEMS}
    assert not covered(content) & listed
    # Nothing added in the institution's name (no structure at all: the default one, which lacks nothing).
    assert len(content["sections"]) == len(sections or DEFAULT_SECTIONS)


def test_it_keeps_the_seed_structure_and_numbers_it_as_articles(gunsan):
    content = build_document(load_policy_context(gunsan))
    headings = [section["heading"] for section in content["sections"]]
    assert headings[0] == "[주요 개인정보 처리 표시(라벨링)]"
    assert headings[1] == "제1조(고정형 영상정보처리기기의 설치 근거 및 설치 목적)"
    assert headings[-1] == "제8조(영상정보처리기기 운영·관리방침 변경에 관한 사항)"
    # 군산's structure carries every item itself: nothing missing.
    assert "missing_r4" not in content


def test_the_gunsan_structure_lacks_nothing():
    from jikimi.publishing.tests.conftest import GUNSAN_SECTIONS

    assert missing_items(GUNSAN_SECTIONS) == []


def test_numbered_style_writes_n_dot_title(gunsan):
    PolicyDocument.objects.filter(institution=gunsan).update(article_style="numbered")
    content = build_document(load_policy_context(gunsan))
    assert content["sections"][1]["heading"] == "1. 고정형 영상정보처리기기의 설치 근거 및 설치 목적"


def test_an_unknown_generated_key_is_a_clear_error(gunsan):
    from jikimi.publishing.generator import UnknownSectionKey

    PolicyDocument.objects.filter(institution=gunsan).update(sections=[{"title": "x", "generated": "nope"}])
    with pytest.raises(UnknownSectionKey, match="'nope'"):
        build_document(load_policy_context(gunsan))


def test_the_provision_procedure_table_has_the_six_steps(gunsan):
    content = build_document(load_policy_context(gunsan))
    section = next(s for s in content["sections"] if s["key"] == "provision_procedure")
    table = next(b for b in section["blocks"] if b["type"] == "table")
    assert [row[0] for row in table["rows"]] == [
        "신청",
        "접수·확인",
        "내용 검토",
        "열람·제공",
        "안전 관리",
        "파기",
    ]


def test_the_classification_of_byeolpyo_1_is_shown_with_counts(gunsan):
    content = build_document(load_policy_context(gunsan))
    section = next(s for s in content["sections"] if s["key"] == "fixed_purposes")
    table = next(b for b in section["blocks"] if b["type"] == "table")
    assert ["사회안정", "방범용(범죄예방)", "120대"] in table["rows"]
    assert ["교통안전", "주정차위반단속", "-"] in table["rows"]


def test_a_structure_with_closing_sections_only_lists_every_item(gunsan):
    PolicyDocument.objects.filter(institution=gunsan).update(
        article_style="heading",
        sections=[
            {"title": "제1장 총칙", "body": "제1조(목적) …"},
            {"title": "부칙", "body": "제1조(시행일) 이 지침은 발령한 날부터 시행한다."},
            {"title": "[별지 제4호서식] 개인영상정보 청구서", "generated": "request_form"},
        ],
    )
    content = build_document(load_policy_context(gunsan))
    titles = [section["title"] for section in content["sections"]]
    assert titles[0] == "제1장 총칙"
    assert titles[-2:] == ["부칙", "[별지 제4호서식] 개인영상정보 청구서"]
    assert len(content["sections"]) == 3  # nothing appended
    assert [item["number"] for item in content["missing_r4"]] == [1, 2, 3, 4, 5, 6, 7, 8]
