"""The people of a control centre for the room's tests: a head, two operators, a privacy officer, an
auditor, an officer (no room rights), and another institution's head. The clock is pinned by the tests."""

from __future__ import annotations

from datetime import datetime

from jikimi.accounts.testing import make_institution, make_user
from jikimi.lib.clock import SEOUL

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=SEOUL)


def room_people() -> dict[str, object]:
    osan = make_institution("osan", "오산시")
    other = make_institution("incheon", "인천광역시")
    return {
        "osan": osan,
        "other": other,
        "head": make_user("head", "control_head", osan, name="한센터"),
        "op1": make_user("op1", "operator", osan, name="김관제"),
        "op2": make_user("op2", "operator", osan, name="이야간"),
        "privacy": make_user("privacy", "privacy_officer", osan, name="박보호"),
        "auditor": make_user("auditor", "auditor", osan, name="정감사"),
        "officer": make_user("officer", "officer", osan, name="최담당"),
        "other_head": make_user("otherhead", "control_head", other, name="남센터"),
    }
