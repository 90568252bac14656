"""Each day key counts the segments indexed under it (DayKey.segment_count), so that a day's destruction
records how many segments its key sealed (R19 파일명: the day's prefix and the count) without reading
the day's index entries — 20.9 M for a day of 광양시 at 10-s segments (bench/vault --city, issue 18)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db.models import Count

from jikimi.audit.models import AuditEntry
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.actions.segment_destruction import destroy_segments
from jikimi.vault.models import DayKey, Destruction, Segment
from jikimi.vault.tests.conftest import ACTOR, new_device, synthetic_segment, traffic_group

LATE_EVENING = datetime.fromisoformat("2026-11-20T23:59:58+09:00")


def _counted() -> dict[str, int]:
    return dict(DayKey.objects.values_list("key_id", "segment_count"))


def _indexed() -> dict[str, int]:
    rows = Segment.objects.order_by().values("day_key__key_id").annotate(n=Count("*"))
    return {row["day_key__key_id"]: row["n"] for row in rows}


@pytest.fixture
def clock():
    with time_machine.travel(datetime.fromisoformat("2026-11-23T12:00:00+09:00"), tick=False):
        yield


def test_a_file_across_midnight_and_the_recorders_segments_are_counted_under_their_days(
    db, clock, silent_clip: Path
) -> None:
    device = new_device()
    ingest(ACTOR, device, silent_clip, LATE_EVENING)  # two days, two keys
    synthetic_segment(device, LATE_EVENING + timedelta(minutes=5))
    synthetic_segment(device, LATE_EVENING + timedelta(minutes=6))
    assert len(_counted()) == 2 and _counted() == _indexed()


def test_a_deletion_request_leaves_the_count_of_what_it_kept(db, clock) -> None:
    device = new_device()
    start = datetime.fromisoformat("2026-11-20T10:00:00+09:00")
    for minute in (0, 1, 2):
        synthetic_segment(device, start + timedelta(minutes=minute))
    destroy_segments(
        ACTOR, device, start + timedelta(minutes=1), start + timedelta(minutes=2), reason="삭제 청구"
    )
    assert DayKey.objects.get().segment_count == 2 == Segment.objects.count()


def test_the_destruction_records_the_count_kept_by_indexing(db) -> None:
    with time_machine.travel(datetime.fromisoformat("2026-11-23T12:00:00+09:00")):
        device = new_device(traffic_group(retention="1일"))
        for minute in range(3):
            synthetic_segment(device, datetime.fromisoformat(f"2026-11-23T09:0{minute}:00+09:00"))
    with time_machine.travel(datetime.fromisoformat("2026-11-25T03:00:00+09:00")):
        enforce_retention(ACTOR)
    assert Destruction.objects.get().segments == 3
    entry = AuditEntry.objects.get(action="vault.destroy_day_key")
    assert entry.details["files"]["count"] == 3
