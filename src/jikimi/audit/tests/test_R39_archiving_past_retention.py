"""Entries past their retention may leave the database only into a signed archive (R39, R36, R40).

The log is kept 2 years (안전성 확보조치 기준 제8조①), grant history 3 years (제5조③). `jikimi
archive_audit --before DAY` refuses anything younger, refuses without a fresh checkpoint, writes the
entries and the checkpoint that signs their last hash to a file, and deletes them; the rest of the
chain then verifies from that checkpoint, and removing one entry more is reported.
"""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.anchoring import public_key
from jikimi.audit.archiving import read_archive
from jikimi.audit.chain import GENESIS_HASH, EntryData, entry_hash, verify_chain
from jikimi.audit.checkpoints import verify_signature
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.audit.tests.conftest import command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, sql, write_entries

pytestmark = pytest.mark.django_db
TODAY = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)  # 19:00 in Seoul


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def old_log():
    """10 entries of January 2023, 5 of June 2025; today is 1 February 2026."""
    with at(datetime(2023, 1, 10, 1, 0, tzinfo=UTC)):
        write_entries(10)
    with at(datetime(2025, 6, 1, 1, 0, tzinfo=UTC)):
        write_entries(5)


def test_entries_younger_than_two_years_are_refused(old_log, tmp_path):
    with at(TODAY):
        run_command("anchor_audit")
        error = str(command_failure("archive_audit", "--before", "2024-06-01", "--output-dir", str(tmp_path)))
    assert "최소 2년" in error and "2024-02-01 이전 기록만" in error
    assert AuditEntry.objects.count() == 15 and not list(tmp_path.iterdir())


def test_archiving_without_a_fresh_checkpoint_is_refused(old_log, tmp_path):
    with at(TODAY):
        assert "외부 고정점이 없어" in str(
            command_failure("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
        )
    with at(TODAY - timedelta(days=2)):
        run_command("anchor_audit")
    with at(TODAY):
        assert "24시간 이내의 외부 고정점" in str(
            command_failure("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
        )
    assert AuditEntry.objects.count() == 15


def test_archived_entries_go_to_a_signed_file_and_the_rest_still_verifies(old_log, tmp_path):
    with at(TODAY):
        run_command("anchor_audit")
        out = run_command("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
        assert "#1부터 #10까지 10건" in out
        summary = run_command("verify_audit")
    assert "이상 없음" in summary and "#10까지는 보관 파일로 이전됨" in summary

    (path,) = tmp_path.iterdir()
    entries, checkpoint = read_archive(path)
    verify_signature(checkpoint, public_key())
    assert checkpoint.kind == "archive" and checkpoint.sequence == 10
    assert [entry["sequence"] for entry in entries] == list(range(1, 11))
    # The file's entries are a whole chain from the genesis to the signed hash.
    chain = [_entry_data(entry) for entry in entries]
    assert verify_chain(chain, checkpoint.sequence, checkpoint.entry_hash) is None
    assert chain[-1].entry_hash == checkpoint.entry_hash

    first_left = AuditEntry.objects.order_by("sequence").first()
    assert first_left.sequence == 11 and first_left.previous_hash == checkpoint.entry_hash
    archive_entry = AuditEntry.objects.get(action=AuditEvent.AUDIT_ARCHIVE)
    assert archive_entry.details["last_sequence"] == 10 and archive_entry.details["file"] == str(path)


def test_removing_more_than_was_archived_is_detected(old_log, tmp_path):
    with at(TODAY):
        run_command("anchor_audit")
        run_command("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
    disable_guard()
    sql("DELETE FROM audit_auditentry WHERE sequence = 11")
    assert "#11에서 이상 발견 (deleted)" in str(command_failure("verify_audit"))


def test_grant_history_younger_than_three_years_stops_the_archive(tmp_path):
    actor = Actor(user=None, label="테스트", client_address="127.0.0.1")
    with at(datetime(2023, 1, 10, 1, 0, tzinfo=UTC)):
        write_entries(4)
    with at(datetime(2023, 3, 15, 1, 0, tzinfo=UTC)), transaction.atomic():
        record(actor, AuditEvent.ACCOUNTS_GRANT_ROLE, reason="역할 부여", target_label="김앨리스")
    with at(datetime(2023, 6, 1, 1, 0, tzinfo=UTC)):
        write_entries(3)
    with at(TODAY):
        run_command("anchor_audit")
        out = run_command("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
        assert "#1부터 #4까지 4건" in out
        assert verify_log().ok
    assert AuditEntry.objects.filter(action=AuditEvent.ACCOUNTS_GRANT_ROLE).exists()


def test_an_archive_never_overwrites_an_earlier_one(old_log, tmp_path):
    with at(TODAY):
        run_command("anchor_audit")
        run_command("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
        # Nothing older is left: refused, and the file stays as it was.
        before = {path: path.read_bytes() for path in tmp_path.iterdir()}
        assert "항목이 없습니다" in str(
            command_failure("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
        )
    assert {path: path.read_bytes() for path in tmp_path.iterdir()} == before


def _entry_data(fields: dict) -> EntryData:
    data = EntryData(
        sequence=fields["sequence"],
        at=datetime.fromisoformat(fields["at"]),
        actor=fields["actor"],
        actor_id=fields["actor_id"],
        action=fields["action"],
        target_type=fields["target_type"],
        target_id=fields["target_id"],
        target_label=fields["target_label"],
        reason=fields["reason"],
        client_address=fields["client_address"],
        details=fields["details"],
        scope_institution=fields["scope_institution"],
        scope_department=fields["scope_department"],
        scope_device_group=fields["scope_device_group"],
        previous_hash=fields["previous_hash"],
        entry_hash=fields["entry_hash"],
    )
    assert entry_hash(data.previous_hash, replace(data, entry_hash="")) == data.entry_hash
    return data


def test_the_archive_file_is_json_lines(old_log, tmp_path):
    with at(TODAY):
        run_command("anchor_audit")
        run_command("archive_audit", "--before", "2024-01-01", "--output-dir", str(tmp_path))
    (path,) = tmp_path.iterdir()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 11 and all(json.loads(line) for line in lines)
    assert json.loads(lines[0])["previous_hash"] == GENESIS_HASH
