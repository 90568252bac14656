"""The clock-shift plugin really moves Python's clock (and only by the days asked for): without this
check a shifted run that silently stayed on the real date would prove nothing."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.clock_shift import shift

pytestmark = pytest.mark.calendar

SLACK = timedelta(seconds=30)  # the shifted clock ticks on: the gap stays the shift, give or take


def test_python_clock_is_the_real_clock_moved_by_the_asked_shift(tmp_path: Path) -> None:
    # The kernel stamps a fresh file with the real time: time-machine cannot move it.
    fresh = tmp_path / "fresh"
    fresh.touch()
    real = datetime.fromtimestamp(os.stat(fresh).st_mtime, UTC)
    for now in (datetime.fromtimestamp(time.time(), UTC), datetime.now(UTC), timezone.now()):
        assert abs(now - real - shift()) < SLACK
    assert abs(date.today() - real.date() - shift()) <= timedelta(days=1)
