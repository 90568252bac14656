"""A generated section's lead-ins give way to the institution's own text, and only to it: a section
without text of its own keeps every lead-in (not just the first)."""

from __future__ import annotations

from jikimi.inventory.models import Contractor, PolicyDocument
from jikimi.publishing.content import section_lines
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context

OUTSOURCING = {"title": "위탁에 관한 사항", "generated": "outsourcing"}


def outsourcing_lines(gunsan, section: dict) -> list[str]:
    Contractor.objects.filter(institution=gunsan).update(clause_inspection=True)
    PolicyDocument.objects.filter(institution=gunsan).update(sections=[section])
    content = build_document(load_policy_context(gunsan))
    return section_lines(next(s for s in content["sections"] if s["key"] == "outsourcing"))


def test_a_section_without_own_text_keeps_all_its_lead_ins(gunsan):
    lines = outsourcing_lines(gunsan, OUTSOURCING)
    assert lines[0] == "군산시는 아래와 같이 영상정보처리기기 설치 및 관리 등을 위탁하고 있습니다."
    assert "- 영상정보의 관리 현황 점검에 관한 사항" in lines


def test_the_institutions_own_text_replaces_the_lead_ins(gunsan):
    lines = outsourcing_lines(gunsan, {**OUTSOURCING, "body": "군산시는 아래와 같이 위탁하고 있습니다."})
    assert lines[0] == "군산시는 아래와 같이 위탁하고 있습니다."
    assert "군산시는 아래와 같이 영상정보처리기기 설치 및 관리 등을 위탁하고 있습니다." not in lines
