"""시행령 제25조① (R4): the eight items every 운영·관리방침 must contain, and which sections carry them.

The generator asks `missing_items` for the sections of the institution's own structure; the officer is
shown each item it lacks with a proposed wording (the generated section of `append_key`, under
`append_title`) to write or adopt as the institution's own text before publishing (issue 16).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PolicyItem:
    number: int
    label: str
    # Generated section keys that carry the item.
    keys: frozenset[str]
    # A free-text section of the seed carries it when its title holds one of these words.
    title_words: tuple[str, ...]
    # What is proposed to the officer when the structure lacks the item (never published unadopted).
    append_key: str
    append_title: str


# 시행령 제25조① 1호–8호.
POLICY_ITEMS: tuple[PolicyItem, ...] = (
    PolicyItem(
        1,
        "영상정보처리기기의 설치 근거 및 설치 목적",
        frozenset({"fixed_purposes", "mobile_purposes"}),
        ("설치 근거", "설치근거", "설치 목적", "설치목적"),
        "fixed_purposes",
        "영상정보처리기기의 설치 근거 및 설치 목적",
    ),
    PolicyItem(
        2,
        "영상정보처리기기의 설치 대수, 설치 위치 및 촬영 범위",
        frozenset({"counts_summary", "operation_table", "group_cards"}),
        ("설치 대수", "설치대수", "설치위치", "설치 위치", "운영현황", "운영 현황"),
        "operation_table",
        "영상정보처리기기의 설치 대수, 설치 위치 및 촬영 범위",
    ),
    PolicyItem(
        3,
        "관리책임자, 담당 부서 및 영상정보에 대한 접근 권한이 있는 사람",
        frozenset({"managers", "managers_by_purpose", "operation_table", "group_cards"}),
        ("관리책임자", "접근권한자"),
        "managers",
        "관리책임자 및 접근권한자",
    ),
    PolicyItem(
        4,
        "영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법",
        frozenset({"recording_retention", "operation_table", "group_cards"}),
        ("보관기간", "보관 기간", "촬영시간"),
        "recording_retention",
        "개인영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법",
    ),
    PolicyItem(
        5,
        "영상정보처리기기 운영자의 영상정보 확인 방법 및 장소",
        frozenset({"viewing_method_place"}),
        ("확인 방법", "확인방법"),
        "viewing_method_place",
        "개인영상정보의 확인 방법 및 장소에 관한 사항",
    ),
    PolicyItem(
        6,
        "정보주체의 영상정보 열람 등 요구에 대한 조치",
        frozenset({"subject_rights"}),
        ("열람 등 요구", "열람등 요구", "열람 등 요청", "열람 등의 요청"),
        "subject_rights",
        "정보주체의 개인영상정보 열람 등 요구에 대한 조치",
    ),
    PolicyItem(
        7,
        "영상정보 보호를 위한 기술적·관리적 및 물리적 조치",
        frozenset({"safety_measures"}),
        ("안전성 확보", "안전성확보", "보호조치"),
        "safety_measures",
        "개인영상정보의 안전성 확보조치",
    ),
    PolicyItem(
        8,
        "그 밖에 영상정보처리기기의 설치·운영 및 관리에 필요한 사항",
        frozenset(
            {
                "provision",
                "provision_procedure",
                "outsourcing",
                "signage",
                "processing_records",
                "change_history",
                "privacy_officer",
                "remedies",
            }
        ),
        ("위탁", "안내판", "제3자 제공", "변경"),
        "change_history",
        "영상정보처리기기 운영·관리방침 변경에 관한 사항",
    ),
)


# The generated keys a section may name in its `covers` list: the keys that carry an R4 item.
COVERABLE_KEYS: frozenset[str] = frozenset(key for item in POLICY_ITEMS for key in item.keys)


def items_of_section(section: dict[str, Any]) -> set[int]:
    """The R4 items one section of the structure carries (an empty free-text section carries none).

    A section of the seed may carry an item under a title of its own (인천 4.: how to ask for 열람 and
    where to hand in the 청구서 is its 확인 방법 및 장소): its `covers` list names the generated keys
    of the items it carries, so the generator does not append a second section for them.
    """
    key = section.get("generated") or ""
    covered = {item.number for item in POLICY_ITEMS if set(section.get("covers") or []) & item.keys}
    if key:
        return covered | {item.number for item in POLICY_ITEMS if key in item.keys}
    if not str(section.get("body") or "").strip():
        return set()
    title = str(section.get("title") or "")
    return covered | {item.number for item in POLICY_ITEMS if any(word in title for word in item.title_words)}


def missing_items(sections: Iterable[dict[str, Any]]) -> list[PolicyItem]:
    covered: set[int] = set()
    for section in sections:
        covered |= items_of_section(section)
    return [item for item in POLICY_ITEMS if item.number not in covered]
