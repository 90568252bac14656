"""Run the suite on another day: `JIKIMI_TEST_CLOCK_SHIFT_DAYS=365 pytest` (or -365) moves Python's clock
that many days from the real date for the whole session, in every xdist worker, and lets it tick.
A fraction moves the hour too: 0.45 days from a Seoul afternoon lands before dawn, when Seoul's date
is a day ahead of UTC's.

A test that depends on the date must pin its own clock (`time_machine.travel(..., tick=False)`); this
plugin is how we find the ones that do not. time-machine patches only this process's Python clock
(`time.time`, `datetime.now`, `date.today`…), not `time.sleep`, `time.monotonic` or child processes —
which is why it is used here rather than libfaketime, which breaks sleeping and Chromium.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

ENV = "JIKIMI_TEST_CLOCK_SHIFT_DAYS"
_KEY = pytest.StashKey[time_machine.travel]()


def shift() -> timedelta:
    """The shift asked for in the environment (zero when it is not set)."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return timedelta(0)
    try:
        return timedelta(days=float(raw))
    except ValueError:
        raise pytest.UsageError(
            f"{ENV} must be a number of days, e.g. 365, -365 or 0.45 (got {raw!r})"
        ) from None


def pytest_configure(config: pytest.Config) -> None:
    if shift():
        traveller = time_machine.travel(datetime.now(UTC) + shift(), tick=True)
        traveller.start()
        config.stash[_KEY] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_KEY, None)
    if traveller is not None:
        traveller.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A module that imports time_machine pins its clock, so its results depend on the date: it is
    marked `calendar` (and so runs shifted in `make test`) without anyone having to remember to."""
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and getattr(module, "time_machine", None) is time_machine:
            item.add_marker(pytest.mark.calendar)


def pytest_report_header(config: pytest.Config) -> str | None:
    if not shift():
        return None
    days = shift() / timedelta(days=1)
    return f"clock shifted by {days:+g} days ({ENV}): it is now {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
