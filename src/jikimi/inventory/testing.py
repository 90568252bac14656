"""Helpers for tests that publish a seed register (registers/*.yaml) as it stands.

인천광역시 and 금천구 publish retentions beyond 30 days without a reason; 광양시 cites 법 제25조①1호
without naming the law. Their registers say the fact is not published (issue 16) and publishing waits
until one is recorded (R16, R1). A test that publishes them records one first, through the officer's own
edit (audited like any other), in words marked as the test's.
"""

from __future__ import annotations

from jikimi.audit.context import Actor
from jikimi.inventory.actions import update_device_group
from jikimi.inventory.checks import laws_not_published_of, reasons_not_published_of
from jikimi.inventory.models import Institution

TEST_REASON = "시험용 사유: 보관기간 30일 초과 (기관이 정한 사유)"
TEST_LAW = "시험용 법령: 1호 근거 (기관이 근거로 삼은 법령)"


def record_retention_reasons(institution: Institution, reason: str = TEST_REASON) -> list[str]:
    """Record `reason` for every group whose retention reason is not published; their names."""
    names = []
    for group, _ in reasons_not_published_of(institution):
        update_device_group(Actor.system("test"), group, {"retention_reason": reason}, "보관 사유 기록 (R16)")
        names.append(group.name)
    return names


def record_enabling_laws(institution: Institution, law: str = TEST_LAW) -> list[str]:
    """Record `law` for every group citing 1호 whose enabling law is not published; their names."""
    names = []
    for group, _ in laws_not_published_of(institution):
        update_device_group(Actor.system("test"), group, {"enabling_law": law}, "근거 법령 기록 (R1)")
        names.append(group.name)
    return names
