"""법 제36조 (R24): a deletion destroys exactly the window's segments, keeps the rest of the day readable
under a new day key, records the destruction (R19) and never touches held footage (R18)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage.envelope import verify
from jikimi.rules.coverage import Coverage
from jikimi.vault import keyring
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.actions.segment_destruction import SegmentDestructionRefused, destroy_segments
from jikimi.vault.models import DayKey, Destruction, Segment
from jikimi.vault.queries import device_coverage
from jikimi.vault.tests.conftest import ACTOR, new_device, synthetic_segment

DAY = datetime.fromisoformat("2026-11-20T10:00:00+09:00")


@pytest.fixture
def clock():
    with time_machine.travel(datetime.fromisoformat("2026-11-23T12:00:00+09:00"), tick=False):
        yield


def _day(device):
    return [synthetic_segment(device, DAY + timedelta(minutes=m)) for m in (0, 1, 2, 60)]


def _readable(segment: Segment) -> bool:
    segment.refresh_from_db()
    key = keyring.unwrap(segment.day_key.wrapped_key, segment.day_key.key_id)
    info = verify(keyring.footage_store().reader(segment.object_name), key)
    return info.plaintext_sha256 == segment.plaintext_sha256


def test_the_window_is_destroyed_and_the_rest_of_the_day_kept(db, clock, django_capture_on_commit_callbacks):
    device = new_device()
    other = new_device(name="후문 2번")
    first, second, third, later = _day(device)
    elsewhere = synthetic_segment(other, DAY + timedelta(minutes=1))
    old_key = DayKey.objects.get(device=device).key_id
    with django_capture_on_commit_callbacks(execute=True):
        [destruction] = destroy_segments(
            ACTOR,
            device,
            DAY + timedelta(minutes=1),
            DAY + timedelta(minutes=2),
            reason="삭제 청구 2026-00001",
        )
    assert set(Segment.objects.filter(device=device)) == {first, third, later}
    assert all(_readable(s) for s in (first, third, later, elsewhere))
    key = DayKey.objects.get(device=device)
    assert key.key_id != old_key and key.wrapped_key is not None
    assert destruction.kind == Destruction.Kind.SEGMENTS and destruction.segments == 1
    assert destruction.object_names == [second.object_name] and destruction.key_id == old_key
    destruction.refresh_from_db()
    assert destruction.ciphertext_deleted_at is not None
    stored = set(keyring.footage_store().list(""))
    assert second.object_name not in stored
    assert {s.object_name for s in (first, third, later, elsewhere)} <= stored
    assert len(stored) == 4  # the old copies of the kept segments are gone too
    entry = AuditEntry.objects.get(action=AuditEvent.VAULT_DESTROY_SEGMENTS)
    assert entry.details["kept"] == 3 and entry.details["files"]["count"] == 1
    # The existence check says why the minute is gone (R41).
    check = device_coverage(device, DAY, DAY + timedelta(minutes=3))
    assert [i.coverage for i in check.intervals] == [Coverage.FOOTAGE, Coverage.DELETED, Coverage.FOOTAGE]


def test_held_footage_is_not_destroyed(db, clock):
    device = new_device()
    segments = _day(device)
    place_hold(
        ACTOR,
        device,
        DAY,
        DAY + timedelta(minutes=3),
        basis="수사기관 보존 요청",
        requester="경찰서",
        ends_on=datetime(2026, 12, 31).date(),
    )
    with pytest.raises(SegmentDestructionRefused, match="분리 보관"):
        destroy_segments(ACTOR, device, DAY, DAY + timedelta(minutes=2), reason="삭제 청구")
    assert Segment.objects.filter(device=device).count() == 4
    assert all(_readable(s) for s in segments)
    assert not Destruction.objects.filter(kind=Destruction.Kind.SEGMENTS).exists()


def test_todays_footage_waits_for_the_next_day(db):
    with time_machine.travel(DAY + timedelta(hours=3), tick=False):
        device = new_device()
        _day(device)
        with pytest.raises(SegmentDestructionRefused, match="다음 날부터"):
            destroy_segments(ACTOR, device, DAY, DAY + timedelta(minutes=2), reason="삭제 청구")
        assert Segment.objects.filter(device=device).count() == 4


def test_a_crash_before_the_objects_are_deleted_is_made_good_by_collection(db, clock):
    from jikimi.vault.actions.collection import collect_garbage

    device = new_device()
    _first, second, _third, _later = _day(device)
    # Without the commit hooks (as after a crash between the commit and the deletion).
    [destruction] = destroy_segments(
        ACTOR, device, DAY + timedelta(minutes=1), DAY + timedelta(minutes=2), reason="삭제 청구"
    )
    assert second.object_name in set(keyring.footage_store().list(""))
    collect_garbage(ACTOR)
    destruction.refresh_from_db()
    assert destruction.ciphertext_deleted_at is not None
    assert second.object_name not in set(keyring.footage_store().list(""))
