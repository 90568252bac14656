"""[별지] 개인영상정보 청구서: the boxes and examples come from the register's request_form section (the
seed's own form); by default the 표준 form's 존재확인·열람·삭제 (R20)."""

from __future__ import annotations

import pytest

from jikimi.inventory.models import PolicyDocument
from jikimi.publishing.content import section_lines
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context
from jikimi.publishing.sections_standard import BadRequestForm
from jikimi.publishing.tests.conftest import GUNSAN_SECTIONS

INCHEON_FORM = {
    "title": "[별지] 개인영상정보 열람·존재확인 청구서",
    "generated": "request_form",
    "choices": ["존재확인", "열람"],
    "example_period": "2014.01.01 18:30 ~ 2014.01.01 19:00",
    "example_place": "00시 00구 00대로 0 인근 CCTV",
    "policy_name": "인천광역시 영상정보처리기기 운영관리 방침",
}


def form_text(gunsan, form: dict) -> str:
    PolicyDocument.objects.filter(institution=gunsan).update(sections=[*GUNSAN_SECTIONS, form])
    content = build_document(load_policy_context(gunsan))
    return "\n".join(section_lines(content["sections"][-1]))


def test_the_default_form_offers_what_r20_allows(gunsan):
    text = form_text(gunsan, {"title": "개인영상정보 청구서", "generated": "request_form"})
    assert "개인영상정보(□ 존재확인 □ 열람 □ 삭제) 청구서" in text
    assert "개인영상정보의 존재확인, 열람, 삭제를 청구합니다." in text
    assert "2024" not in text
    assert "군산시장 귀하" in text


def test_incheons_form_has_only_its_own_boxes_and_examples(gunsan):
    text = form_text(gunsan, INCHEON_FORM)
    assert "개인영상정보(□ 존재확인 □ 열람) 청구서" in text
    assert "삭제" not in text
    assert "(예 : 2014.01.01 18:30 ~ 2014.01.01 19:00)" in text
    assert "(예 : 00시 00구 00대로 0 인근 CCTV)" in text
    assert (
        "「인천광역시 영상정보처리기기 운영관리 방침」에 따라 위와 같이 개인영상정보의 존재확인, 열람을 청구합니다."
        in text
    )
    assert "담당자의 청구인에 대한 확인 서명" in text


def test_a_box_the_form_cannot_offer_is_a_clear_error(gunsan):
    with pytest.raises(BadRequestForm, match="'처리정지'"):
        form_text(gunsan, {**INCHEON_FORM, "choices": ["열람", "처리정지"]})  # 법 제58조②: no 처리정지
