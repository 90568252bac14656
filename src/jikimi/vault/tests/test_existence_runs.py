"""The existence check reads consecutive segments as one span, joined in the database (queries._SPANS,
issue 18: a camera's hour of 10-s segments is one row, not 360) — on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from jikimi.vault.actions.damage import record_damage
from jikimi.vault.queries import _window_spans
from jikimi.vault.tests.conftest import ACTOR, new_device, synthetic_segment

T0 = datetime.fromisoformat("2026-11-20T10:00:00.250000+09:00")


@pytest.fixture
def clock():
    with time_machine.travel(datetime.fromisoformat("2026-11-21T12:00:00+09:00"), tick=False):
        yield


def test_consecutive_segments_are_one_span_a_gap_splits_them_and_damaged_ones_stand_apart(db, clock) -> None:
    device = new_device()
    seconds = [0, 10, 20, 30, 50, 60, 70]  # a gap from 40 to 50
    stored = [synthetic_segment(device, T0 + timedelta(seconds=s), seconds=10) for s in seconds]
    record_damage(ACTOR, stored[5], "객체 없음")  # [60, 70] damaged
    at = lambda s: T0 + timedelta(seconds=s)  # noqa: E731
    footage, damaged, destroyed, deleted = _window_spans(device, at(5), at(75))
    assert sorted(footage) == [(at(0), at(40)), (at(50), at(60)), (at(70), at(80))]
    assert damaged == [(at(60), at(70))] and destroyed == deleted == []
    assert all(s.tzinfo is not None and e.tzinfo is not None for s, e in footage + damaged)


def test_a_window_inside_one_segment_and_an_empty_window(db, clock) -> None:
    device = new_device()
    synthetic_segment(device, T0, seconds=60)
    footage, damaged, _, _ = _window_spans(device, T0 + timedelta(seconds=10), T0 + timedelta(seconds=20))
    assert footage == [(T0, T0 + timedelta(seconds=60))] and damaged == []
    assert _window_spans(device, T0 + timedelta(hours=2), T0 + timedelta(hours=3)) == ([], [], [], [])
