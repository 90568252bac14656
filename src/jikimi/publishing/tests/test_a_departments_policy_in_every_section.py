"""Issue 16: a policy scoped to one department (policy.scope_department) states that department's
groups, totals, managers and contractors only — in every section the generator builds, not just the
operation table. The county register has three departments; its 환경과 policy is generated with every
generated section and with totals stated for the institution, for 안전건설과 and for 환경과. Also:
the signage section claims 안내판 only where the register states one, and the 확인 장소 is the place
the institution states, never its department's name put in its stead."""

from __future__ import annotations

import pytest
import yaml

from jikimi.audit.context import Actor
from jikimi.inventory import models
from jikimi.inventory.actions import import_register
from jikimi.publishing.content import MISSING, document_text
from jikimi.publishing.generator import build_document
from jikimi.publishing.queries import load_policy_context
from jikimi.publishing.tests.test_register_shapes import COUNTY

EVERY_SECTION = [
    key for key in models.PolicyDocument.GENERATED_SECTIONS if key not in ("labelling", "request_form")
]
TOTALS = [
    {"key": "all-fixed", "label": "고정형 전체", "count": 451, "kind": "fixed"},
    {"key": "anjeon", "label": "안전건설과 소관", "count": 418, "department": "안전건설과"},
    {"key": "hwangyeong", "label": "환경과 소관", "count": 12, "department": "환경과"},
]
# What only the other departments (안전건설과, 교통과) and the institution as a whole state.
OTHERS = (
    "안전건설과", "교통과", "방범용 CCTV", "불법주정차 단속 CCTV", "누리시큐리티", "033-500-21", "033-500-24",
    "418", "451", "21대", "군 관내 읍·면", "교통과 단속 서버", "푸른군 CCTV 통합관제센터",
)  # fmt: skip
OWN = ("환경과", "산불감시 CCTV", "12대", "033-500-2301", "환경과 산불상황실", "반경 5km", "환경과 소관")


def _county(*, scope: str = "", edit=None) -> models.Institution:
    data = yaml.safe_load(COUNTY.read_text(encoding="utf-8"))
    data["declared_totals"] = TOTALS
    data["policy"]["sections"] = [{"title": f"절 {key}", "generated": key} for key in EVERY_SECTION]
    if scope:
        data["policy"]["scope_department"] = scope
    if edit:
        edit(data)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return import_register(Actor.system("test"), text, "county.yaml").institution


def _text(institution: models.Institution) -> dict[str, str]:
    content = build_document(load_policy_context(institution))
    return {
        section["title"]: document_text({**content, "sections": [section]}) for section in content["sections"]
    }


@pytest.mark.django_db
def test_a_departments_policy_shows_only_its_groups_totals_managers_in_every_section():
    whole = _text(_county())
    # The institution's policy does state the others (so their absence below is the scope's doing).
    assert all(any(word in text for text in whole.values()) for word in OTHERS)
    sections = _text(_county(scope="환경과"))
    assert len(sections) >= len(EVERY_SECTION)
    for title, text in sections.items():
        leaked = [word for word in OTHERS if word in text]
        assert not leaked, (title, leaked)
    everything = "\n".join(sections.values())
    assert all(word in everything for word in OWN), [w for w in OWN if w not in everything]


@pytest.mark.django_db
def test_signage_is_claimed_only_where_the_register_states_a_sign():
    def no_methods(data):
        for group in data["device_groups"]:
            group.pop("notice_method", None)
        data["device_groups"][2]["notice_method"] = "홈페이지 게재"

    sections = _text(_county(edit=no_methods))
    signage = sections["절 signage"]
    assert "안내판을 설치하고 있습니다" not in signage
    assert f"방범용 CCTV, 산불감시 CCTV: {MISSING}" in signage and "홈페이지 게재" in signage
    signage = _text(_county())["절 signage"]
    assert "안내판을 설치하고 있습니다" in signage and MISSING not in signage


@pytest.mark.django_db
def test_the_place_to_check_footage_is_what_the_institution_states_or_omitted():
    def no_places(data):
        for group in data["device_groups"]:
            group.pop("monitoring_place", None)

    viewing = _text(_county(edit=no_places))["절 viewing_method_place"]
    assert "확인 장소" not in viewing
    assert "각 영상정보처리기기의 담당부서" not in viewing

    def one_place(data):
        no_places(data)
        data["device_groups"][1]["monitoring_place"] = "환경과 산불상황실"

    viewing = _text(_county(edit=one_place))["절 viewing_method_place"]
    assert "확인 장소" in viewing and "환경과 산불상황실" in viewing
    # 안전건설과 and 교통과 state no place: their rows do not get their department's name as one.
    assert "안전건설과 | 안전건설과" not in viewing and "교통과 | 교통과" not in viewing
