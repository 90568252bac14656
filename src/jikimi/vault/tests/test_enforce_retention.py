"""enforce_retention destroys expired day keys, records R19's entry, then deletes the ciphertext (R17)."""

from __future__ import annotations

from datetime import datetime
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.vault import keyring
from jikimi.vault.actions import destruction as destruction_actions
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.models import DayKey, Destruction, Segment
from jikimi.vault.tests.conftest import new_device, stored_objects, synthetic_segment, traffic_group

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("retention")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _record_day(retention: str = "1일", day: str = "2026-11-23") -> Any:
    device = new_device(traffic_group(retention=retention))
    with time_machine.travel(kst(f"{day}T12:00:00")):
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
    # R19: 파일명, 파기일시, 담당자
    assert entry.details["type"] == "파기" and sorted(entry.details["files"]) == names
    assert entry.details["officer"] == "명령 enforce_retention" and entry.details["destroyed_at"]
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
        destruction_actions, "collect_garbage", lambda: (_ for _ in ()).throw(SystemExit("crash"))
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
        call_command("enforce_retention", stdout=StringIO(), stderr=err)
    assert Destruction.objects.get().overdue  # R17: deadline 11-30
    assert "기한 경과" in err.getvalue()


def test_months_count_calendar_months() -> None:
    _record_day("1개월", day="2026-01-31")  # kept through 02-28; expires 03-01
    with time_machine.travel(kst("2026-02-28T23:00:00")):
        assert enforce_retention(SYSTEM).destroyed == []
    with time_machine.travel(kst("2026-03-01T01:00:00")):
        assert len(enforce_retention(SYSTEM).destroyed) == 1


def test_ciphertext_an_interrupted_ingest_left_unindexed_goes_with_its_day() -> None:
    device = _record_day("1일")
    orphan = f"days/{device.storage_name}/2026-11-23/20261123T010000000000Z-deadbeef.mp4.jkv"
    keyring.footage_store().put(orphan, b"stored, then the process was killed before indexing")
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        report = enforce_retention(SYSTEM)
    assert report.collected == 3 and stored_objects() == []
