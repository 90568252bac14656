"""The yearly self-inspection's checklist (R8; 표준 개인정보 보호지침 제52조, 오산시 지침 제26조·제34조)."""

from __future__ import annotations

import re

from jikimi.rules.self_inspection import (
    AREAS,
    BY_CODE,
    CHECKLIST,
    Answer,
    Source,
    completion_problems,
    needs_remark,
    verdict,
)

LAW = re.compile(r"제\d+조|R\d+")


def test_R8_every_item_cites_the_law_and_says_what_it_checks():
    assert len(BY_CODE) == len(CHECKLIST), "item codes are unique"
    for item in CHECKLIST:
        assert LAW.search(item.basis), item.code
        assert item.title and item.question and item.area in AREAS


def test_R8_an_auto_item_judges_only_figures_it_declares():
    for item in CHECKLIST:
        keys = {figure.key for figure in item.figures}
        if item.source is Source.AUTO:
            assert item.faults, item.code
            assert set(item.faults) <= keys and (not item.applies or item.applies in keys), item.code
        else:
            assert not item.figures and not item.faults


def test_R8_the_checklist_covers_what_a_cctv_inspection_checks():
    assert {
        "register",
        "signs",
        "policy",
        "retention",
        "requests",
        "provisions",
        "access_reviews",
        "training",
        "contracts",
        "control_room",
    } <= {item.code for item in CHECKLIST if item.source is Source.AUTO}
    assert {"opinions", "audio_ptz", "safety_measures", "committee"} <= {
        item.code for item in CHECKLIST if item.source is Source.OFFICER
    }


def test_R8_verdict_from_figures():
    signs = BY_CODE["signs"]
    assert verdict(signs, {"groups": 3, "without_notice": 0, "incomplete_signs": 0}) is Answer.CONFORMING
    assert verdict(signs, {"groups": 3, "without_notice": 0, "incomplete_signs": 1}) is Answer.NONCONFORMING
    assert verdict(signs, {"groups": 0, "without_notice": 0, "incomplete_signs": 0}) is Answer.NOT_APPLICABLE
    reviews = BY_CODE["access_reviews"]
    assert verdict(reviews, {"months": 12, "reviewed": 11, "missing": 1}) is Answer.NONCONFORMING
    # the policy applies to every institution: no 해당없음
    assert verdict(BY_CODE["policy"], {"versions_in_force": 0, "published_in_year": 0, "missing": 1}) is (
        Answer.NONCONFORMING
    )
    assert verdict(BY_CODE["opinions"], {}) is None


def test_R8_remarks_are_needed_for_nonconforming_and_not_applicable():
    assert not needs_remark(Answer.CONFORMING)
    assert needs_remark(Answer.NONCONFORMING) and needs_remark(Answer.NOT_APPLICABLE)


def test_R8_completion_needs_every_answer_remark_and_follow_up():
    answers = {item.code: Answer.CONFORMING for item in CHECKLIST}
    assert completion_problems(answers, {}, {}) == []
    answers["signs"] = Answer.NONCONFORMING
    answers["committee"] = None  # type: ignore[assignment]
    problems = completion_problems(answers, {}, {})
    assert len(problems) == 3
    assert any("답하지 않았습니다" in p for p in problems)
    assert any("부적합의 사유" in p for p in problems)
    assert any("후속 조치" in p for p in problems)
    answers["committee"] = Answer.NOT_APPLICABLE
    assert (
        completion_problems(answers, {"signs": "정문 훼손", "committee": "위원회 없음"}, {"signs": 1}) == []
    )
