"""R4 (시행령 제25조①) binds the 운영·관리방침, not a 지침: a 지침 (오산시) is published as written; a 방침
lacking an item lists it for the officer (nothing is added in its name, issue 16), unless one of its
own sections carries the item under another title (`covers`, e.g. 인천 4.)."""

from __future__ import annotations

import pytest

from jikimi.inventory.models import PolicyDocument
from jikimi.publishing.coverage import POLICY_ITEMS
from jikimi.publishing.generator import UnknownSectionKey, build_document
from jikimi.publishing.queries import load_policy_context
from jikimi.publishing.tests.conftest import GUNSAN_SECTIONS

GUIDELINE = [
    {"title": "제1장 총칙", "body": "제1조(목적) 이 지침은 …"},
    {"title": "제4장 영상정보 보호를 위한 준수사항", "body": "제29조(수집의 제한) …"},
    {"title": "부칙", "body": "제1조(시행일) 이 지침은 발령한 날부터 시행한다."},
    {"title": "[별지 제1호서식] 영상정보처리기기 설치현황(총괄)", "generated": "operation_table"},
]

# 인천's structure, shortened: no section is titled 확인 방법, but 4. tells how to ask (청구서) and where
# to hand it in (담당부서).
INCHEON = [
    {"title": "영상정보처리기기의 설치 근거 및 설치 목적", "body": "본 기관은 …"},
    {"title": "영상정보처리기기 설치 및 운영현황", "body": "귀하의 영상정보를 …", "generated": "group_cards"},
    {
        "title": "정보주체의 영상정보 열람 등 요구에 대한 조치",
        "body": "열람 등을 요구할 경우에는 [별지]서식 개인영상정보 열람·존재확인 청구서를 작성하여 담당부서에 제출하여야 합니다",
        "covers": ["viewing_method_place"],
    },
    {"title": "영상정보의 안전성 확보조치", "body": "본 기관에서 처리하는 영상정보는 …"},
    {"title": "개인정보 처리방침 변경에 관한 사항", "body": "이 영상정보처리기기 운영․관리방침은 …"},
    {"title": "[별지] 개인영상정보 열람·존재확인 청구서", "generated": "request_form"},
]


def titles(content) -> list[str]:
    return [section["title"] for section in content["sections"]]


def test_a_guideline_gets_no_generic_sections_appended(gunsan):
    PolicyDocument.objects.filter(institution=gunsan).update(
        kind="guideline", article_style="heading", sections=GUIDELINE
    )
    content = build_document(load_policy_context(gunsan))
    assert titles(content) == [section["title"] for section in GUIDELINE]
    assert "missing_r4" not in content
    assert "최소 7일 전" not in str(content)


@pytest.mark.parametrize("kind", ["standalone", "within_privacy_policy"])
def test_a_policy_lacking_an_item_lists_it_and_adds_nothing(gunsan, kind):
    sections = [s for s in GUNSAN_SECTIONS if s["generated"] != "viewing_method_place"]
    PolicyDocument.objects.filter(institution=gunsan).update(kind=kind, sections=sections)
    content = build_document(load_policy_context(gunsan))
    assert titles(content) == [section["title"] for section in sections]
    assert [item["key"] for item in content["missing_r4"]] == ["viewing_method_place"]
    assert "시행령 제25조①에 따라 추가" not in str(content) and "jikimi가" not in str(content)


def test_a_seed_section_that_covers_an_item_under_its_own_title_is_not_duplicated(gunsan):
    PolicyDocument.objects.filter(institution=gunsan).update(article_style="numbered", sections=INCHEON)
    content = build_document(load_policy_context(gunsan))
    assert titles(content) == [section["title"] for section in INCHEON]  # nothing appended
    assert not any(section["key"] == "viewing_method_place" for section in content["sections"])
    rights = next(
        s for s in content["sections"] if s["title"] == "정보주체의 영상정보 열람 등 요구에 대한 조치"
    )
    assert 5 in rights["r4"]
    assert {n for s in content["sections"] for n in s["r4"]} == {item.number for item in POLICY_ITEMS}


def test_without_covers_the_same_structure_lacks_the_item(gunsan):
    sections = [{k: v for k, v in s.items() if k != "covers"} for s in INCHEON]
    PolicyDocument.objects.filter(institution=gunsan).update(article_style="numbered", sections=sections)
    content = build_document(load_policy_context(gunsan))
    assert [item["key"] for item in content["missing_r4"]] == ["viewing_method_place"]


def test_an_unknown_covers_key_is_a_clear_error(gunsan):
    sections = [{**GUNSAN_SECTIONS[1], "covers": ["viewing_place"]}, *GUNSAN_SECTIONS[2:]]
    PolicyDocument.objects.filter(institution=gunsan).update(sections=sections)
    with pytest.raises(UnknownSectionKey, match="covers의 'viewing_place'"):
        build_document(load_policy_context(gunsan))
