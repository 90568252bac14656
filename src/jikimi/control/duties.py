"""The duties of the control centre a person may reach (오산시 지침 제3장), for the centre's front page
(control.duties_views) and the dashboard's shortcuts. Each page checks its own permission again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.control.incident_queries import READERS


@dataclass(frozen=True)
class Duty:
    label: str
    url: str
    basis: str


def duties(user: Any) -> list[Duty]:
    found = []
    if has_permission(user, Permission.WATCH_LIVE):
        found.append(
            Duty(
                "실시간 관제",
                reverse("control:wall"),
                "카메라를 실시간으로 보고 지난 몇 분을 다시 봅니다 (제12조, 제19조)",
            )
        )
    if any(has_permission(user, p) for p in READERS):
        found.append(
            Duty(
                "관제 사건",
                reverse("control:incidents"),
                "본 것을 기록하고 경찰·재난상황실에 알립니다 (제21조③)",
            )
        )
    if has_permission(user, Permission.VIEW_HEALTH):
        found += [
            Duty("카메라 상태", reverse("control:health"), "카메라·녹화기의 상태와 이상 (제27조)"),
            Duty("유지보수", reverse("control:tickets"), "장애마다 접수되는 유지보수와 수리 내용 (제27조)"),
            Duty(
                "정상작동 점검 기록", reverse("control:inspections"), "기간별 점검 기록과 내려받기 (제31조④)"
            ),
        ]
    if has_permission(user, Permission.OPERATE_PTZ):
        found.append(
            Duty(
                "PTZ 조작",
                reverse("control:ptz"),
                "승인된 프리셋으로, 또는 사유를 적고 카메라를 돌립니다; 벗어나면 경보 (제18조, 제29조)",
            )
        )
    if has_permission(user, Permission.MANAGE_TRAINING):
        found.append(
            Duty("교육 이수", reverse("accounts:training"), "관제요원·담당자의 교육 과정과 이수 (제28조)")
        )
    if has_permission(user, Permission.MANAGE_CONTRACTS):
        found.append(
            Duty("위탁 계약", reverse("accounts:contract_list"), "수탁자와의 계약, 직원, 점검 (제25조)")
        )
    return found
