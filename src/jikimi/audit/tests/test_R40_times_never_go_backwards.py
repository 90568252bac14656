"""An entry whose time is earlier than the one before it is reported, even when the chain was rehashed (R40).

Entries are written one after another under the chain head's lock, so times never go backwards
along the sequence; no tolerance.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from jikimi.audit.models import AuditEntry
from jikimi.audit.tests.conftest import command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, rewrite_from, write_entries

pytestmark = pytest.mark.django_db


def test_a_time_moved_before_the_previous_entry_is_reported():
    with time_machine.travel(datetime(2026, 5, 1, 3, 0, tzinfo=UTC), tick=True):
        write_entries(5)
    second = AuditEntry.objects.get(sequence=2)
    disable_guard()
    rewrite_from(3, at=second.at - timedelta(minutes=10))
    error = str(command_failure("verify_audit"))
    assert "#3에서 이상 발견 (time)" in error and "시각 역행" in error


def test_equal_times_are_in_order():
    with time_machine.travel(datetime(2026, 5, 1, 3, 0, tzinfo=UTC), tick=False):
        write_entries(4)
        assert "이상 없음" in run_command("verify_audit")
