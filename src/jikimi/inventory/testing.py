"""Helpers for tests that publish a seed register (registers/*.yaml) as it stands.

인천광역시 and 금천구 publish retentions beyond 30 days without a reason; their registers say the reason
is not published (issue 16) and publishing waits until one is recorded (R16). A test that publishes
them records one first, through the officer's own edit (audited like any other).
"""

from __future__ import annotations

from jikimi.audit.context import Actor
from jikimi.inventory.actions import update_device_group
from jikimi.inventory.checks import reasons_not_published_of
from jikimi.inventory.models import Institution

TEST_REASON = "시험용 사유: 보관기간 30일 초과 (기관이 정한 사유)"


def record_retention_reasons(institution: Institution, reason: str = TEST_REASON) -> list[str]:
    """Record `reason` for every group whose retention reason is not published; their names."""
    names = []
    for group, _ in reasons_not_published_of(institution):
        update_device_group(Actor.system("test"), group, {"retention_reason": reason}, "보관 사유 기록 (R16)")
        names.append(group.name)
    return names
