"""Deleting the last entries and setting the chain head back is caught by the signed checkpoint (R40).

Issue 11: on SQLite this passed `verify_audit`, because the head is in the same database as the entries.
"""

from datetime import UTC, datetime

import pytest
import time_machine

from jikimi.audit.tests.conftest import command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, move_head, sql, write_entries

pytestmark = pytest.mark.django_db


def test_deleting_the_last_entries_and_moving_the_head_back_is_detected():
    entries = write_entries(8)
    run_command("anchor_audit")
    disable_guard()
    sql("DELETE FROM audit_auditentry WHERE sequence >= 6")
    move_head(5, entries[4].entry_hash)
    error = str(command_failure("verify_audit"))
    assert "감사 기록 5건" in error and "(truncated)" in error
    assert "항목 #8까지 있었다고 서명했는데" in error


def test_the_cut_log_is_not_signed_again():
    entries = write_entries(6)
    run_command("anchor_audit")
    disable_guard()
    sql("DELETE FROM audit_auditentry WHERE sequence = 6")
    move_head(5, entries[4].entry_hash)
    assert "고정점을 만들지 않았습니다" in str(command_failure("anchor_audit"))


def test_verification_names_the_last_anchored_checkpoint():
    with time_machine.travel(datetime(2026, 3, 1, 1, 0, tzinfo=UTC), tick=False):
        write_entries(5)
        run_command("anchor_audit")
    with time_machine.travel(datetime(2026, 3, 1, 2, 0, tzinfo=UTC), tick=False):
        write_entries(2)
        out = run_command("verify_audit")
    assert out.strip() == "감사 기록 7건: 이상 없음 — 마지막 외부 고정점 #5 (2026-03-01 01:00:00 UTC 고정)"


def test_entries_written_after_the_last_checkpoint_are_only_as_safe_as_the_head():
    # What no checkpoint covers yet can still be cut: the next checkpoint (hourly, or after N
    # entries) closes that window. The verification says how far the anchor reaches.
    entries = write_entries(5)
    run_command("anchor_audit")
    write_entries(2)
    disable_guard()
    sql("DELETE FROM audit_auditentry WHERE sequence >= 6")
    move_head(5, entries[4].entry_hash)
    assert "마지막 외부 고정점 #5" in run_command("verify_audit")
