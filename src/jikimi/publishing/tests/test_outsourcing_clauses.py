"""시행령 제26조①: the policy names only the contract items the register records (R33 stays a staff
warning); 군산시 names none, so its policy says nothing of them."""

from __future__ import annotations

from jikimi.inventory.models import Contractor
from jikimi.publishing.content import block_lines, section_lines
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context
from jikimi.publishing.sections_contacts import CONTRACT_CLAUSES, build_outsourcing


def outsourcing_text(gunsan) -> str:
    content = build_document(load_policy_context(gunsan))
    section = next(s for s in content["sections"] if s["key"] == "outsourcing")
    return "\n".join(section_lines(section))


def test_it_says_nothing_of_contract_items_when_none_are_recorded(gunsan):
    blocks = build_outsourcing(load_policy_context(gunsan))
    text = "\n".join(line for block in blocks for line in block_lines(block))
    assert "㈜영창티엠에스" in text
    for _attr, label in CONTRACT_CLAUSES:
        assert label not in text
    assert "계약서 등 문서에 규정" not in text


def test_it_lists_only_the_recorded_contract_items(gunsan):
    Contractor.objects.filter(institution=gunsan).update(clause_access_safety=True, clause_liability=True)
    text = outsourcing_text(gunsan)
    assert "영상정보에 대한 접근 제한 등 안전성 확보 조치에 관한 사항" in text
    assert "손해배상 등 책임에 관한 사항" in text
    assert "위탁업무의 목적 및 범위" not in text
    assert "재위탁 제한에 관한 사항" not in text
