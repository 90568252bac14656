"""Emptying both audit tables is caught by the signed checkpoint (R40).

Issue 11: `DELETE FROM audit_auditentry; DELETE FROM audit_chainhead;` gave "0건: 이상 없음".
"""

import pytest

from jikimi.audit.tests.conftest import command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, sql, write_entries

pytestmark = pytest.mark.django_db


def test_deleting_every_entry_and_the_head_is_detected():
    write_entries(5)
    run_command("anchor_audit")
    disable_guard()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_chainhead")
    error = str(command_failure("verify_audit"))
    assert "감사 기록 0건" in error and "(truncated)" in error and "#5" in error


def test_a_wiped_log_that_started_again_is_detected():
    write_entries(5)
    run_command("anchor_audit")
    disable_guard()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_chainhead")
    write_entries(7)  # a fresh chain from the genesis, longer than the old one
    error = str(command_failure("verify_audit"))
    assert "(rewritten)" in error and "#5" in error
