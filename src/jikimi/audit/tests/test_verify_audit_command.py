"""`jikimi verify_audit` finds the first modified, deleted, inserted or reordered entry (R40).

Each test tampers like an attacker with database superuser rights: the append-only trigger is
switched off (PostgreSQL) or dropped (SQLite), then rows are changed with raw SQL.
"""

import json
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jikimi.audit.chain import EntryData, entry_hash
from jikimi.audit.tests.tampering import disable_guard, sql, write_entries

pytestmark = pytest.mark.django_db


def run_verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out, stderr=out)
    return out.getvalue()


def failure() -> CommandError:
    with pytest.raises(CommandError) as caught:
        run_verify()
    assert caught.value.returncode == 1
    return caught.value


def test_an_untouched_log_verifies():
    write_entries(5)
    assert run_verify().startswith("감사 기록 5건: 이상 없음 — 외부 고정점 없음")


def test_an_empty_log_verifies():
    assert run_verify().startswith("감사 기록 0건: 이상 없음")


def test_it_reports_a_modified_entry():
    write_entries(5)
    disable_guard()
    sql("UPDATE audit_auditentry SET reason = %s WHERE sequence = 3", ["몰래 고친 사유"])
    error = failure()
    assert "#3" in str(error) and "(modified)" in str(error)


def test_it_reports_modified_details():
    write_entries(5)
    disable_guard()
    sql("UPDATE audit_auditentry SET details = %s WHERE sequence = 2", [json.dumps({"i": 99})])
    assert "#2에서 이상 발견 (modified)" in str(failure())


def test_it_reports_an_entry_deleted_in_the_middle():
    write_entries(5)
    disable_guard()
    sql("DELETE FROM audit_auditentry WHERE sequence = 3")
    assert "#3에서 이상 발견 (deleted)" in str(failure())


def test_it_reports_entries_deleted_at_the_end():
    write_entries(5)
    disable_guard()
    sql("DELETE FROM audit_auditentry WHERE sequence >= 4")
    assert "#4에서 이상 발견 (truncated)" in str(failure())


def test_it_reports_an_inserted_entry():
    entries = write_entries(5)
    disable_guard()
    # A forged entry that links correctly to #2 and carries a correct hash of its own.
    second = entries[1]
    forged = EntryData(
        sequence=6,
        at=second.at,
        actor="테스트",
        action="test.step",
        target_type="",
        target_id="",
        target_label="",
        reason="끼워 넣은 기록",
        client_address="127.0.0.1",
        details={},
        previous_hash=second.entry_hash,
    )
    forged = replace(forged, entry_hash=entry_hash(second.entry_hash, forged))
    sql(
        "INSERT INTO audit_auditentry (sequence, at, actor_label, action, target_type, target_id, target_label,"
        " reason, client_address, details, previous_hash, entry_hash)"
        " VALUES (%s, %s, %s, %s, '', '', '', %s, %s, %s, %s, %s)",
        [
            6,
            forged.at,
            forged.actor,
            forged.action,
            forged.reason,
            forged.client_address,
            "{}",
            forged.previous_hash,
            forged.entry_hash,
        ],
    )
    assert "#6에서 이상 발견 (inserted)" in str(failure())


def test_it_reports_reordered_entries():
    entries = write_entries(5)
    disable_guard()
    third, fourth = entries[2].pk, entries[3].pk
    # Swap the storage order of #3 and #4; their contents and hashes stay as they were.
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [10_000, third])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [third, fourth])
    sql("UPDATE audit_auditentry SET id = %s WHERE id = %s", [fourth, 10_000])
    assert "#4에서 이상 발견 (reordered)" in str(failure())


def test_the_problem_is_printed_with_sequence_kind_and_message():
    write_entries(3)
    disable_guard()
    sql("UPDATE audit_auditentry SET actor_label = %s WHERE sequence = 2", ["다른 사람"])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stdout=out, stderr=out)
    assert "순번: 2" in out.getvalue() and "종류: modified" in out.getvalue()
