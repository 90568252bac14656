"""Rewriting the log from one entry on and computing every hash again is caught by the checkpoint (R40).

Issue 11: rewriting from row 50 and rehashing the rest passed `verify_audit`.
"""

import pytest

from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.audit.tests.conftest import command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, rewrite_from, write_entries

pytestmark = pytest.mark.django_db


def test_rewriting_from_entry_50_and_rehashing_is_detected():
    write_entries(60)
    run_command("anchor_audit")
    disable_guard()
    rewrite_from(50, reason="다른 사유로 고쳐 씀")
    error = str(command_failure("verify_audit"))
    assert "(rewritten)" in error and "#60" in error
    assert AuditEntry.objects.get(sequence=50).reason == "다른 사유로 고쳐 씀"


def test_the_rehashed_chain_holds_by_itself_so_only_the_checkpoint_shows_it():
    write_entries(10)
    run_command("anchor_audit")
    disable_guard()
    rewrite_from(4, reason="x")
    result = verify_log()
    assert result.problem is not None and result.problem.kind == "rewritten"


def test_a_rewritten_log_is_not_signed():
    write_entries(10)
    run_command("anchor_audit")
    disable_guard()
    rewrite_from(4, reason="x")
    assert "(rewritten)" in str(command_failure("anchor_audit"))
