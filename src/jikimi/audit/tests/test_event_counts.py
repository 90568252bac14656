"""The monthly review (안전성 확보조치 기준 제8조②, R40) counts the log's entries by event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.queries import event_counts
from jikimi.audit.tests.tampering import disable_guard, sql

pytestmark = pytest.mark.django_db

SYSTEM = Actor(user=None, label="시스템 작업 테스트", client_address="system")
# 2026-03-01 00:00 KST is 2026-02-28 15:00 UTC: the Seoul month starts nine hours before the UTC one.
MARCH_START = datetime(2026, 2, 28, 15, 0, tzinfo=UTC)


def _record_at(moment: datetime, event: AuditEvent) -> None:
    with time_machine.travel(moment, tick=False), transaction.atomic():
        record(SYSTEM, event)


def test_R40_the_month_is_counted_by_event_in_seoul_days_with_every_event_listed():
    _record_at(MARCH_START - timedelta(seconds=1), AuditEvent.VAULT_VIEW_FOOTAGE)  # 2월 28일 23:59:59 KST
    _record_at(MARCH_START, AuditEvent.VAULT_VIEW_FOOTAGE)
    _record_at(MARCH_START + timedelta(days=30, hours=8), AuditEvent.VAULT_VIEW_FOOTAGE)  # 3월 31일 23시 KST
    _record_at(MARCH_START + timedelta(days=10), AuditEvent.ACCOUNTS_LOGIN_FAILED)
    _record_at(MARCH_START + timedelta(days=31), AuditEvent.ACCOUNTS_LOGIN_FAILED)  # 4월 1일 KST
    counts = {c.action: c for c in event_counts(date(2026, 3, 1), date(2026, 3, 31))}
    assert counts["vault.view_footage"].count == 2 and counts["vault.view_footage"].label == "영상 열람"
    assert counts["accounts.login_failed"].count == 1
    assert counts["audit.verify"].count == 0  # what did not happen is part of the review too
    assert list(counts)[: len(AuditEvent)] == [event.value for event in AuditEvent]


def test_R40_a_name_no_longer_declared_is_still_counted():
    _record_at(MARCH_START, AuditEvent.AUDIT_VERIFY)
    disable_guard()
    sql("UPDATE audit_auditentry SET action = 'inventory.admin_change'")
    counts = event_counts(date(2026, 3, 1), date(2026, 3, 1))
    assert counts[-1].action == "inventory.admin_change" and counts[-1].count == 1
    assert counts[-1].label == "inventory.admin_change"
