"""'Unknown' is a value (issue 16, Fidelity): a fact the register file omits is not published, and the
policy says so — no silent default such as '안내판' printed as the institution's word.

small.yaml's 청사 방범 CCTV states no 촬영사실 고지 방법 (법 제25조④ is the institution's duty; whether
it uses a sign is its fact to publish, not ours to assume).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command

from jikimi.inventory.models import DeviceGroup, Institution, PolicyDocument
from jikimi.publishing.content import MISSING
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context
from jikimi.rules.register_checks import GroupFacts

SMALL = Path(__file__).resolve().parents[2] / "inventory" / "tests" / "data" / "small.yaml"


def operation_rows(institution: Institution) -> dict[str, dict[str, str]]:
    # small.yaml's own structure has no operation table, and nothing is added to it (issue 16): give
    # it one, as an institution publishing its 운영·관리 현황 does.
    PolicyDocument.objects.filter(institution=institution).update(
        sections=[{"title": "영상정보처리기기의 운영·관리 현황", "generated": "operation_table"}]
    )
    content = build_document(load_policy_context(institution))
    for section in content["sections"]:
        for block in section.get("blocks", []):
            if block.get("type") == "table" and "촬영 사실 고지 방법" in block["columns"]:
                return {
                    row[1].split("\n")[0]: dict(zip(block["columns"], row, strict=True))
                    for row in block["rows"]
                }
    raise AssertionError("no operation table")


def test_an_omitted_notice_method_is_not_published_and_prints_as_missing(db):
    call_command("import_register", str(SMALL), verbosity=0)
    assert DeviceGroup.objects.get(key="city-hall").notice_method == ""
    assert DeviceGroup.objects.get(key="body-cam").notice_method == "불빛 및 음성 안내"
    rows = operation_rows(Institution.objects.get())
    assert rows["청사 방범 CCTV"]["촬영 사실 고지 방법"] == MISSING
    assert rows["단속 공무원 착용형 카메라"]["촬영 사실 고지 방법"] == "불빛 및 음성 안내"


def test_the_law_checks_assume_no_sign_either():
    facts = GroupFacts(
        key="g",
        name="g",
        department="d",
        kind="fixed",
        legal_bases=("crime",),
        purpose="p",
        count=1,
        retention="",
        recording_hours="",
    )
    assert facts.notice_method == ""
