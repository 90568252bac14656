"""'Unknown' is a value (issue 16, Fidelity): a fact the published text does not give is recorded as
not published — never a default that would then be printed as the institution's word. Legal bases may
be stated once for the whole institution; a mobile type makes a group mobile.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.inventory.checks import group_facts, group_problems
from jikimi.inventory.register_file import RegisterFileError, export_register
from jikimi.rules.register_checks import GroupFacts, Severity, TotalFacts, check_totals

HEAD = """\
format: jikimi-register/1
institution:
  name: 시험군
  slug: siheomgun
{institution}departments:
  - {{key: anjeon, name: 안전총괄과}}
device_groups:
"""

# What a total-only county publishes of a group: its purpose and terms, nothing more.
BARE_GROUP = """\
  - key: crime
    name: 방범용 CCTV
    department: 안전총괄과
    purpose: 범죄예방
    recording_hours: 24시간
    retention: 30일
{extra}"""


def register(group_extra: str = "", institution: str = "  legal_bases: [crime]\n") -> str:
    return HEAD.format(institution=institution) + BARE_GROUP.format(extra=group_extra)


def imported(text: str) -> models.Institution:
    return import_register(Actor.system("test"), text, "siheomgun.yaml").institution


def documented_layout(institution: models.Institution) -> str:
    """The export in the documented layout: without the imported file kept (that one is returned as
    it was, test_register_export_keeps_comments), every fact is written out."""
    models.RegisterSource.objects.filter(institution=institution).delete()
    return export_register(institution)


def test_the_model_assumes_no_notice_method_and_no_location_count():
    assert models.DeviceGroup().notice_method == ""
    assert models.Location().count is None


def test_a_group_that_publishes_no_count_site_or_storage_place_is_recorded_as_such(db):
    institution = imported(register())
    group = institution.device_groups.get()
    assert (group.count, group.site, group.storage_place, group.notice_method) == (None, "", "", "")
    text = documented_layout(institution)
    assert "    count: null\n" in text
    assert documented_layout(imported(text)) == text


def test_a_location_without_a_count_is_not_published(db):
    institution = imported(register("    count: 3\n    locations:\n      - {key: gate, name: 정문}\n"))
    [location] = institution.device_groups.get().locations.all()
    assert location.count is None
    assert str(location) == "정문(대수 미공개)"


def test_legal_bases_stated_once_carry_every_group_that_states_none(db):
    institution = imported(register())
    group = institution.device_groups.get()
    assert group.legal_bases == []
    assert group_facts(group).legal_bases == ("crime",)
    assert not [p for p in group_problems(group) if p.rule == "R1"]
    institution_part = documented_layout(institution).split("departments:")[0]
    assert "  legal_bases:\n    - crime\n" in institution_part


def test_without_them_a_group_without_bases_is_refused(db):
    with pytest.raises(RegisterFileError) as raised:
        imported(register(institution=""))
    assert "설치 근거" in str(raised.value) and "device_groups[0]" in str(raised.value)


def test_a_camera_mounted_on_a_vehicle_is_mobile_without_writing_kind(db):
    text = register(institution="  mobile_legal_bases: [public_duty]\n") + "    mobile_type: mounted\n"
    group = imported(text).device_groups.get()
    assert (group.kind, group.mobile_type) == ("mobile", "mounted")


def test_a_mobile_rule_stated_once_is_a_reminder_not_a_refusal(db):
    text = register(institution="  mobile_rule: 「시험군 이동형 영상정보처리기기 운영 규정」\n") + (
        "    mobile_type: wearable\n"
    )
    group = imported(text).device_groups.get()
    [problem] = [p for p in group_problems(group) if p.rule == "R1"]
    assert problem.severity == Severity.WARNING and "운영 규정" in problem.message


def _facts(key: str, count: int | None) -> GroupFacts:
    return GroupFacts(key, key, "안전총괄과", "fixed", ("crime",), "범죄예방", count, "30일", "24시간")


def test_R6_a_stated_total_over_rows_without_counts_is_told_not_refused():
    [problem] = check_totals([_facts("a", None), _facts("b", 2)], [TotalFacts("총", 1452)])
    assert problem.severity == Severity.WARNING
    assert "1,452대를 확인할 수 없습니다" in problem.message and "a" in problem.message
    # The rows that do state a count still may not exceed the total.
    [problem] = check_totals([_facts("a", None), _facts("b", 1500)], [TotalFacts("총", 1452)])
    assert problem.severity == Severity.ERROR


@pytest.mark.parametrize(
    "file", ["geumcheon.yaml", "gunsan.yaml", "gwangyang.yaml", "incheon.yaml", "osan.yaml"]
)
def test_the_seed_registers_carry_no_sentence_of_ours_for_a_site_storage_place_or_reason(file):
    # Issue 16: a site, storage place, retention reason or enabling law the seed does not give is not published
    # ("" / null) — not a note of ours such as "(공개 방침에 위치 … 미기재)" printed as the institution's.
    import yaml

    text = (Path(__file__).resolve().parents[4] / "registers" / file).read_text(encoding="utf-8")
    for group in yaml.safe_load(text)["device_groups"]:
        for name in ("site", "storage_place", "retention_reason", "enabling_law"):
            value = group.get(name) or ""
            assert not any(word in value for word in ("미기재", "없음)", "확인 필요", "기재되어 있지")), (
                group["key"],
                name,
                value,
            )
