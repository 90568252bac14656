"""enforce_retention destroys expired day keys, records R19's entry, then deletes the ciphertext (R17)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.vault import keyring
from jikimi.vault.actions import destruction as destruction_actions
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.models import DayKey, Destruction, Segment
from jikimi.vault.tests.conftest import (
    CLOCK_CONFIRMED,
    new_device,
    stored_objects,
    synthetic_segment,
    traffic_group,
)

pytestmark = [pytest.mark.django_db]
SYSTEM = Actor.system("retention")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _record_day(retention: str = "1일", day: str = "2026-11-23") -> Any:
    # The device is registered the day it records: audit entries are written in time order (R40).
    with time_machine.travel(kst(f"{day}T12:00:00")):
        device = new_device(traffic_group(retention=retention))
        synthetic_segment(device, kst(f"{day}T09:00:00"))
        synthetic_segment(device, kst(f"{day}T09:01:00"))
    return device


def test_an_expired_day_key_is_destroyed_recorded_and_its_ciphertext_deleted() -> None:
    _record_day("1일")  # kept through 11-24; expires on 11-25
    names = sorted(Segment.objects.values_list("object_name", flat=True))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        out = StringIO()
        call_command("enforce_retention", stdout=out)
    key = DayKey.objects.get()
    assert key.wrapped_key is None and key.destroyed_at is not None
    record = Destruction.objects.get()
    assert sorted(record.object_names) == names and record.segments == 2 and not record.overdue
    assert record.ciphertext_deleted_at is not None and record.actor_label == "명령 enforce_retention"
    entry = AuditEntry.objects.get(action="vault.destroy_day_key")
    # R19: 파일명 (the day's prefix and how many; the names and their SHA-256 when deleted), 파기일시, 담당자
    device = key.device
    prefix = f"days/{device.storage_name}/2026-11-23/"
    assert entry.details["type"] == "파기" and entry.details["files"] == {"prefix": prefix, "count": 2}
    assert entry.details["officer"] == "명령 enforce_retention" and entry.details["destroyed_at"]
    assert entry.details["destruction"] == record.pk and entry.target_id == str(key.pk)
    listed = AuditEntry.objects.get(action="vault.record_destroyed_files")
    digest = hashlib.sha256("".join(f"{n}\n" for n in names).encode()).hexdigest()
    assert listed.details["files"] == {"prefix": prefix, "count": 2, "sha256": digest}
    assert listed.sequence > entry.sequence and verify_log().ok
    assert stored_objects() == [] and not Segment.objects.exists()
    assert "파기 1건" in out.getvalue()


def test_footage_within_retention_is_kept() -> None:
    _record_day("1일")
    with time_machine.travel(kst("2026-11-24T23:59:00")):
        report = enforce_retention(SYSTEM)
    assert report.destroyed == [] and DayKey.objects.get().wrapped_key is not None
    assert len(stored_objects()) == 2


def test_semi_permanent_footage_never_expires() -> None:
    _record_day("준영구")
    with time_machine.travel(kst("2036-11-25T03:00:00")):
        assert enforce_retention(SYSTEM).destroyed == []
    assert len(stored_objects()) == 2


def test_it_is_idempotent() -> None:
    _record_day("1일")
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention(SYSTEM)
        again = enforce_retention(SYSTEM)
    assert again.destroyed == [] and Destruction.objects.count() == 1


def test_a_crash_between_destruction_and_deletion_is_finished_by_the_next_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _record_day("1일")
    monkeypatch.setattr(
        destruction_actions, "collect_garbage", lambda *_: (_ for _ in ()).throw(SystemExit("crash"))
    )
    with time_machine.travel(kst("2026-11-25T03:00:00")), pytest.raises(SystemExit):
        enforce_retention(SYSTEM)
    assert DayKey.objects.get().wrapped_key is None  # destroyed: the ciphertext is noise already
    assert len(stored_objects()) == 2 and Destruction.objects.get().ciphertext_deleted_at is None
    monkeypatch.undo()
    with time_machine.travel(kst("2026-11-25T04:00:00")):
        report = enforce_retention(SYSTEM)
    assert report.collected == 2 and stored_objects() == []
    assert Destruction.objects.get().ciphertext_deleted_at is not None


def test_destruction_later_than_expiry_plus_five_days_is_reported_overdue() -> None:
    _record_day("1일")
    with time_machine.travel(kst("2026-12-01T03:00:00")):
        err = StringIO()
        call_command("enforce_retention", "--confirm-clock", CLOCK_CONFIRMED, stdout=StringIO(), stderr=err)
    assert Destruction.objects.get().overdue  # R17: deadline 11-30
    assert "기한 경과" in err.getvalue()


def test_months_count_calendar_months() -> None:
    _record_day("1개월", day="2026-01-31")  # kept through 02-28; expires 03-01
    with time_machine.travel(kst("2026-02-28T23:00:00")):
        assert enforce_retention(SYSTEM).destroyed == []
    with time_machine.travel(kst("2026-03-01T01:00:00")):
        assert len(enforce_retention(SYSTEM, clock_confirmed=CLOCK_CONFIRMED).destroyed) == 1


def test_ciphertext_an_interrupted_ingest_left_unindexed_goes_with_its_day() -> None:
    device = _record_day("1일")
    orphan = f"days/{device.storage_name}/2026-11-23/20261123T010000000000Z-deadbeef.mp4.jkv"
    keyring.footage_store().put(orphan, b"stored, then the process was killed before indexing")
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        report = enforce_retention(SYSTEM)
    assert report.collected == 3 and stored_objects() == []


def _record_days(devices: int, retention: str = "1일", day: str = "2026-11-23") -> list[Any]:
    # The devices are registered the day they record: audit entries are written in time order (R40).
    with time_machine.travel(kst(f"{day}T12:00:00")):
        group = traffic_group(retention=retention)
        made = [new_device(group, f"카메라 {i}") for i in range(devices)]
        for device in made:
            synthetic_segment(device, kst(f"{day}T09:00:00"))
            synthetic_segment(device, kst(f"{day}T09:01:00"))
    return made


def _destroy_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="vault.destroy_day_key").order_by("sequence"))


def test_keys_are_destroyed_in_batches_each_with_its_record_and_audit_entry() -> None:
    devices = _record_days(5)
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        report = enforce_retention(SYSTEM, batch_size=2)  # batches of 2, 2, 1
    assert len(report.destroyed) == 5 and report.failed == []
    assert not DayKey.objects.filter(wrapped_key__isnull=False).exists()
    records = {d.device_id: d for d in Destruction.objects.all()}
    assert sorted(records) == sorted(d.pk for d in devices)
    for record in records.values():
        assert record.segments == 2 and record.stored_bytes > 0 and len(record.object_names) == 2
        assert record.day_key is not None and record.key_id == record.day_key.key_id
    entries = _destroy_entries()
    assert sorted(e.details["destruction"] for e in entries) == sorted(d.pk for d in records.values())
    sequences = [e.sequence for e in entries]
    assert sequences == list(range(sequences[0], sequences[0] + 5))  # one writer, no gap
    assert verify_log().ok and stored_objects() == []


def test_a_crash_inside_a_batch_leaves_that_batch_untouched_and_the_next_run_completes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _record_days(5)
    real_entry, calls = destruction_actions._entry, []

    def crash_on_the_fourth_key(*args: Any) -> Any:
        calls.append(args)
        if len(calls) == 4:  # the second key of the second batch
            raise SystemExit("killed")
        return real_entry(*args)

    monkeypatch.setattr(destruction_actions, "_entry", crash_on_the_fourth_key)
    with time_machine.travel(kst("2026-11-25T03:00:00")), pytest.raises(SystemExit):
        enforce_retention(SYSTEM, batch_size=2)
    # The first batch committed whole; the second left nothing: no key nulled, no record, no entry.
    assert DayKey.objects.filter(wrapped_key__isnull=True).count() == 2
    assert Destruction.objects.count() == 2 and len(_destroy_entries()) == 2
    assert DayKey.objects.filter(wrapped_key__isnull=True, destroyed_at__isnull=True).count() == 0
    assert verify_log().ok
    monkeypatch.undo()
    with time_machine.travel(kst("2026-11-25T04:00:00")):
        report = enforce_retention(SYSTEM, batch_size=2)
    assert len(report.destroyed) == 3 and Destruction.objects.count() == 5
    assert len(_destroy_entries()) == 5 and verify_log().ok
    assert not DayKey.objects.filter(wrapped_key__isnull=False).exists() and stored_objects() == []


def test_a_key_whose_held_footage_cannot_be_copied_stays_and_the_rest_of_its_batch_goes() -> None:
    held, free, other = _record_days(3)
    with time_machine.travel(kst("2026-11-23T13:00:00")):
        hold = place_hold(
            SYSTEM,
            held,
            kst("2026-11-23T09:00:00"),
            kst("2026-11-23T10:00:00"),
            basis="수사기관 보존 요청 제2026-7호",
            requester="광양경찰서",
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    with time_machine.travel(kst("2026-11-23T15:00:00")):
        late = synthetic_segment(held, kst("2026-11-23T09:30:00"))  # indexed after the hold
    keyring.footage_store().delete(late.object_name)  # its ciphertext is gone: it cannot be copied
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        report = enforce_retention(SYSTEM, batch_size=3)
    held_key = DayKey.objects.get(device=held)
    assert held_key.wrapped_key is not None  # R18: not destroyed while its held footage is unsecured
    assert len(report.failed) == 1 and report.failed[0].startswith(held_key.key_id)
    assert sorted(d.device_id for d in report.destroyed) == sorted([free.pk, other.pk])
    assert hold.copies.count() == 2 and len(_destroy_entries()) == 2 and verify_log().ok


def test_a_hold_in_a_batch_is_secured_and_unheld_keys_of_the_batch_go_with_it() -> None:
    held, free = _record_days(2)
    with time_machine.travel(kst("2026-11-23T13:00:00")):
        hold = place_hold(
            SYSTEM,
            held,
            kst("2026-11-23T09:00:00"),
            kst("2026-11-23T10:00:00"),
            basis="수사기관 보존 요청 제2026-8호",
            requester="광양경찰서",
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    with time_machine.travel(kst("2026-11-23T15:00:00")):
        late = synthetic_segment(held, kst("2026-11-23T09:30:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        report = enforce_retention(SYSTEM, batch_size=2)
    assert len(report.destroyed) == 2 and report.failed == []
    assert hold.copies.filter(source_object=late.object_name).exists()  # copied before its key went
    assert len(list(keyring.hold_store().list(""))) == 3
    assert not DayKey.objects.filter(wrapped_key__isnull=False).exists()
