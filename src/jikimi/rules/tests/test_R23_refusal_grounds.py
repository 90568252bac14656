"""R23: refusal grounds come from a fixed list with their citations; R22: the appeal routes are data."""

from __future__ import annotations

import pytest

from jikimi.rules.refusal_grounds import (
    APPEAL_ROUTES,
    BY_CODE,
    GROUNDS,
    HELD_FOR_INVESTIGATION,
    NEEDED_BY_ANOTHER_REQUEST,
    UnknownGround,
    check_grounds,
    grounds_for,
)


def test_every_ground_has_a_unique_code_a_korean_label_and_a_citation():
    assert len({g.code for g in GROUNDS}) == len(GROUNDS)
    for ground in GROUNDS:
        assert ground.label and ground.citation
        assert any("\uac00" <= ch <= "\ud7a3" for ch in ground.label)


def test_the_law_items_of_article_35_4_are_all_there():
    citations = {g.citation for g in GROUNDS}
    for item in ("제1호", "제2호", "제3호가목", "제3호나목", "제3호다목", "제3호라목", "제3호마목"):
        assert f"개인정보 보호법 제35조제4항{item}" in citations


def test_the_guideline_grounds_of_R23_are_there():
    assert "이미 파기" in BY_CODE["already_destroyed"].label
    assert "재판" in BY_CODE["investigation_trial"].label
    assert "정당한 사유" in BY_CODE["just_cause"].label


def test_osan_items_are_offered_to_osan_only():
    osan = {g.code for g in grounds_for("osan")}
    incheon = {g.code for g in grounds_for("incheon")}
    assert {"osan_investigation_trial", "osan_deletion_difficult", "osan_privacy_of_others"} <= osan
    assert "osan_public_interest" in osan
    assert not any(code.startswith("osan_") for code in incheon)
    assert all("오산시" not in g.citation for g in grounds_for("incheon"))
    assert BY_CODE["osan_deletion_difficult"].citation.endswith("제33조제3항제2호")


def test_a_deletion_only_ground_is_not_offered_for_viewing():
    assert "osan_deletion_difficult" in {g.code for g in grounds_for("osan", "deletion")}
    assert "osan_deletion_difficult" not in {g.code for g in grounds_for("osan", "viewing")}


def test_check_grounds_keeps_the_list_order_and_refuses_unknown_or_foreign_ones():
    chosen = check_grounds(["just_cause", "law_prohibits", "just_cause"], "incheon", "viewing")
    assert [g.code for g in chosen] == ["law_prohibits", "just_cause"]
    with pytest.raises(UnknownGround, match="목록에 없는"):
        check_grounds(["made_up"], "incheon", "viewing")
    with pytest.raises(UnknownGround, match="쓸 수 없습니다"):
        check_grounds(["osan_public_interest"], "incheon", "viewing")


def test_the_grounds_jikimi_points_to_exist():
    assert HELD_FOR_INVESTIGATION in BY_CODE and NEEDED_BY_ANOTHER_REQUEST in BY_CODE


def test_appeal_routes_name_the_four_bodies_with_their_numbers():
    names = [r.name for r in APPEAL_ROUTES]
    assert names == ["행정심판", "행정소송", "개인정보침해 신고센터", "개인정보 분쟁조정위원회"]
    text = " ".join(f"{r.contact} {r.how} {r.citation}" for r in APPEAL_ROUTES)
    assert "(국번없이) 118" in text and "1833-6972" in text and "90일" in text
