"""Headings of sections: a title the seed already prints in brackets keeps its own brackets."""

from __future__ import annotations

from jikimi.inventory.models import PolicyDocument
from jikimi.publishing.generator import build_document, heading_for
from jikimi.publishing.queries import load_policy_context
from jikimi.publishing.tests.conftest import GUNSAN_SECTIONS


def test_an_unnumbered_title_gets_brackets():
    assert (
        heading_for("numbered", None, "주요 개인정보 처리 표시(라벨링)")
        == "[주요 개인정보 처리 표시(라벨링)]"
    )


def test_a_title_already_in_brackets_is_not_bracketed_again():
    title = "[별지] 개인영상정보 열람·존재확인 청구서"
    assert heading_for("numbered", None, title) == title


def test_incheons_form_heading_is_printed_as_the_seed_prints_it(gunsan):
    # 인천 seed: "[별지] 개인영상정보 열람·존재확인 청구서", not "[[별지] …]".
    sections = [
        *GUNSAN_SECTIONS,
        {"title": "[별지] 개인영상정보 열람·존재확인 청구서", "generated": "request_form"},
    ]
    PolicyDocument.objects.filter(institution=gunsan).update(article_style="numbered", sections=sections)
    content = build_document(load_policy_context(gunsan))
    assert content["sections"][-1]["heading"] == "[별지] 개인영상정보 열람·존재확인 청구서"
    assert not any(section["heading"].startswith("[[") for section in content["sections"])
