"""The pure chain check (R40), on plain values: no database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from jikimi.audit.chain import GENESIS_HASH, EntryData, canonical_encoding, entry_hash, verify_chain


def make_chain(n: int) -> list[EntryData]:
    entries: list[EntryData] = []
    previous = GENESIS_HASH
    start = datetime(2026, 11, 23, 1, 2, 3, 456789, tzinfo=UTC)
    for i in range(1, n + 1):
        data = EntryData(
            sequence=i,
            at=start + timedelta(seconds=i),
            actor="김앨리스 (alice)",
            actor_id=7,
            action="inventory.update_device_group",
            target_type="inventory.DeviceGroup",
            target_id=str(i),
            target_label=f"버스전용차로 {i}",
            reason="대수 정정",
            client_address="10.0.0.5",
            details={"count": [i, i + 1]},
            previous_hash=previous,
        )
        data = replace(data, entry_hash=entry_hash(previous, data))
        entries.append(data)
        previous = data.entry_hash
    return entries


def verify(entries, head=None):
    head = head if head is not None else make_chain(5)[-1]
    return verify_chain(entries, head.sequence, head.entry_hash)


def test_an_intact_chain_has_no_problem():
    assert verify(make_chain(5)) is None


def test_an_empty_log_with_an_empty_head_has_no_problem():
    assert verify_chain([], None, None) is None
    assert verify_chain([], 0, GENESIS_HASH) is None


def test_it_reports_a_modified_entry():
    entries = make_chain(5)
    entries[2] = replace(entries[2], reason="다른 사유")
    problem = verify(entries)
    assert (problem.sequence, problem.kind) == (3, "modified")


def test_moving_an_entry_to_another_person_is_a_modification():
    entries = make_chain(5)
    entries[1] = replace(entries[1], actor_id=8)
    assert verify(entries).kind == "modified"


def test_it_reports_a_deleted_entry_in_the_middle():
    entries = make_chain(5)
    del entries[2]
    problem = verify(entries)
    assert (problem.sequence, problem.kind) == (3, "deleted")


def test_it_reports_entries_deleted_at_the_end_against_the_head():
    problem = verify(make_chain(3))
    assert (problem.sequence, problem.kind) == (4, "truncated")


def test_it_reports_an_entry_inserted_in_the_middle():
    entries = make_chain(5)
    forged = replace(entries[2], sequence=6, target_label="가짜", entry_hash="")
    forged = replace(forged, entry_hash=entry_hash(forged.previous_hash, forged))
    entries.insert(2, forged)
    problem = verify(entries)
    assert (problem.sequence, problem.kind) == (6, "inserted")


def test_it_reports_a_well_formed_entry_appended_after_the_head():
    entries = make_chain(6)
    problem = verify(entries, head=entries[4])
    assert (problem.sequence, problem.kind) == (6, "inserted")


def test_it_reports_reordered_entries():
    entries = make_chain(5)
    entries[2], entries[3] = entries[3], entries[2]
    problem = verify(entries)
    assert (problem.sequence, problem.kind) == (4, "reordered")


def test_it_reports_a_last_entry_that_no_longer_matches_the_head():
    entries = make_chain(5)
    rewritten = replace(entries[4], reason="바꿈", entry_hash="")
    entries[4] = replace(rewritten, entry_hash=entry_hash(rewritten.previous_hash, rewritten))
    problem = verify(entries, head=make_chain(5)[-1])
    assert (problem.sequence, problem.kind) == (5, "modified")


def test_it_reports_a_missing_head():
    assert verify_chain(make_chain(2), None, None).kind == "head"


def test_the_encoding_survives_what_jsonb_does_to_numbers_and_keys():
    # jsonb gives 1e20 back as the integer 100000000000000000000 and sorts keys its own way.
    before = replace(make_chain(1)[0], details={"b": 1e20, "a": 0.1, "c": [1.0]})
    after = replace(before, details={"a": 0.1, "c": [1], "b": 100000000000000000000})
    assert canonical_encoding(before) == canonical_encoding(after)


def test_the_encoding_keeps_microseconds_in_utc():
    entry = make_chain(1)[0]
    assert b'"at":"2026-11-23T01:02:04.456789+00:00"' in canonical_encoding(entry)


def test_the_chain_check_imports_nothing_of_django():
    import subprocess
    import sys

    code = (
        "import sys, jikimi.audit.chain; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
