"""1차·2차 분류 of 오산시 지침 [별표 1] for a device group whose register does not state them.

The register's classification_primary/secondary win when given (오산시's own groups). Otherwise the
분류 is read from the group's 설치 목적 (its words: "방범", "쓰레기", "주정차" …) and, failing that, from its
법 제25조① basis; a purpose that names two classes ("방범 및 시설물관리") gets both. What cannot be
classified stays "공개 문서에 미수록" — a guess would be a false fact on an official form.
"""

from __future__ import annotations

from dataclasses import dataclass

from jikimi.inventory.models import DeviceGroup
from jikimi.rules.purposes import OSAN_CLASSIFICATION

# (word in the 설치 목적, 1차 분류, 2차 분류); each pair is a row of 별표 1 (checked at import).
PURPOSE_WORDS: tuple[tuple[str, str, str], ...] = (
    ("방범", "사회안정", "방범용(범죄예방)"),
    ("범죄", "사회안정", "방범용(범죄예방)"),
    ("쓰레기", "환경개선", "쓰레기투기 감시"),
    ("투기", "환경개선", "쓰레기투기 감시"),
    ("오염", "환경개선", "오염행위단속"),
    ("출입", "시설관리", "출입통제"),
    ("주정차", "교통안전", "주정차위반단속"),
    ("주차", "시설관리", "주차관리"),
    ("공원", "시설관리", "공원관리"),
    ("시설", "시설관리", "시설물관리"),
    ("교통정보", "교통안전", "교통정보수집"),
    ("과속", "교통안전", "과속위반단속"),
    ("재난", "특수지역", "재난·화재감시용(산불·홍수 등)"),
    ("화재", "특수지역", "재난·화재감시용(산불·홍수 등)"),
    ("산불", "특수지역", "재난·화재감시용(산불·홍수 등)"),
    ("수해", "특수지역", "재난·화재감시용(산불·홍수 등)"),
    ("홍수", "특수지역", "재난·화재감시용(산불·홍수 등)"),
    ("항만", "특수지역", "공항·항만관리"),
    ("공항", "특수지역", "공항·항만관리"),
    ("지하철", "특수지역", "지하철안전관리"),
    ("체납", "문제차량", "채납차량"),
    ("채납", "문제차량", "채납차량"),
    ("과태료", "문제차량", "과태료차량"),
    ("수배", "문제차량", "수배차량"),
)

# 법 제25조① basis → 별표 1 row, where the purpose's words say nothing.
BASIS_CLASSES: dict[str, tuple[str, str]] = {
    "crime": ("사회안정", "방범용(범죄예방)"),
    "facility_safety": ("시설관리", "시설물관리"),
    "traffic_information": ("교통안전", "교통정보수집"),
}

for _word, _primary, _secondary in PURPOSE_WORDS:
    assert _secondary in OSAN_CLASSIFICATION[_primary], (_primary, _secondary)
for _primary, _secondary in BASIS_CLASSES.values():
    assert _secondary in OSAN_CLASSIFICATION[_primary], (_primary, _secondary)


@dataclass(frozen=True)
class GroupClass:
    primary: str
    secondary: str
    derived: bool  # read from the purpose or basis, not stated in the register


def _joined(values: list[str]) -> str:
    return ", ".join(dict.fromkeys(values))


def classify(group: DeviceGroup) -> GroupClass | None:
    """The group's 별표 1 분류, stated or derived; None when nothing in the register says it."""
    if group.classification_primary.strip() or group.classification_secondary.strip():
        return GroupClass(group.classification_primary.strip(), group.classification_secondary.strip(), False)
    purpose = group.purpose or ""
    found = sorted(
        (purpose.find(word), primary, secondary)
        for word, primary, secondary in PURPOSE_WORDS
        if word in purpose
    )
    rows = [(primary, secondary) for _at, primary, secondary in found]
    if not rows:
        rows = [BASIS_CLASSES[basis] for basis in group.legal_bases or [] if basis in BASIS_CLASSES]
    if not rows:
        return None
    rows = list(dict.fromkeys(rows))
    return GroupClass(_joined([p for p, _s in rows]), _joined([s for _p, s in rows]), True)
