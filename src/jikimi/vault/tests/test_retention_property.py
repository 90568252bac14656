"""Property (hypothesis): with enforce_retention run daily, over random retentions, holds and clocks,
no held footage is ever destroyed (R18) and no unheld footage outlives expiry + 5 days (R17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import time_machine
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from jikimi.audit.context import Actor
from jikimi.engine.footage import EnvelopeReader
from jikimi.lib.clock import SEOUL
from jikimi.rules.retention import STANDARD_DESTRUCTION_GRACE_DAYS, parse_retention
from jikimi.vault import keyring
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import place_hold, release_hold
from jikimi.vault.models import DayKey, HeldSegment, Segment
from jikimi.vault.tests.conftest import CLOCK_CONFIRMED, new_device, synthetic_segment, traffic_group

FIRST = date(2026, 1, 28)  # month ends and February in range
DAYS = 20
SYSTEM = Actor.system("retention")


@dataclass(frozen=True)
class HoldPlan:
    placed: int  # day index the hold is placed
    first: int  # first day of footage held
    length: int  # days held
    released: int | None  # day index released, or never


holds = st.builds(
    lambda placed, first, length, duration: HoldPlan(
        placed, min(first, placed), length, None if duration is None else placed + duration
    ),
    st.integers(0, DAYS - 1),
    st.integers(0, DAYS - 1),
    st.integers(1, 4),
    st.one_of(st.none(), st.integers(0, 20)),
)


def at(day: int, hour: int) -> datetime:
    return datetime.combine(FIRST + timedelta(days=day), datetime.min.time(), SEOUL) + timedelta(hours=hour)


def readable(segment_name: str, day_key: DayKey) -> bool:
    if day_key.wrapped_key is None:
        return False
    key = keyring.master_key().unwrap(bytes(day_key.wrapped_key), day_key.key_id)
    return len(EnvelopeReader(keyring.footage_store().get(segment_name), key).read()) == 200


def held_readable(source: str) -> bool:
    for copy in HeldSegment.objects.filter(source_object=source, hold__wrapped_key__isnull=False):
        key = keyring.master_key().unwrap(bytes(copy.hold.wrapped_key), copy.hold.key_id)
        if len(EnvelopeReader(keyring.hold_store().get(copy.object_name), key).read()) == 200:
            return True
    return False


class RetentionProperty(TestCase):
    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking a 60-day run takes minutes
    )
    @given(
        retention=st.sampled_from(["1일", "3일", "7일", "1개월", "준영구"]),
        plans=st.lists(holds, max_size=3),
        hour=st.integers(0, 23),
    )
    def test_held_footage_is_never_destroyed_and_unheld_footage_never_outlives_its_deadline(
        self, retention: str, plans: list[HoldPlan], hour: int
    ) -> None:
        import tempfile

        from django.test import override_settings

        with (
            tempfile.TemporaryDirectory() as root,
            override_settings(
                STORAGE_URL=f"file://{root}/footage?reserve=0", MASTER_KEY_FILE=f"{root}/keys/master.key"
            ),
        ):
            self._run(retention, plans, hour)

    def _run(self, retention: str, plans: list[HoldPlan], hour: int) -> None:
        rule = parse_retention(retention)
        device = new_device(traffic_group(retention=retention))
        segments: dict[str, tuple[date, datetime]] = {}  # object name → (day, start)
        placed: dict[int, Any] = {}
        promised: dict[int, set[str]] = {}  # hold → segments alive when placed: must stay readable
        for today in range(DAYS + 40):  # 1개월 + 5일 past the last recording
            if today < DAYS:
                with time_machine.travel(at(today, 9)):
                    row = synthetic_segment(device, at(today, 9))
                    segments[row.object_name] = (FIRST + timedelta(days=today), row.start)
                for index in promised:  # recorded while a hold covering it is active: held too
                    if placed[index].start <= row.start < placed[index].end:
                        promised[index].add(row.object_name)
            with time_machine.travel(at(today, 10)):
                for index, plan in enumerate(plans):
                    if plan.placed == today:
                        placed[index] = place_hold(
                            SYSTEM,
                            device,
                            at(plan.first, 0),
                            at(plan.first + plan.length, 0),
                            basis="수사",
                            requester="경찰",
                            ends_on=FIRST + timedelta(days=365),
                        )
                        promised[index] = {
                            s.object_name
                            for s in Segment.objects.filter(
                                start__gte=at(plan.first, 0),
                                start__lt=at(plan.first + plan.length, 0),
                                day_key__wrapped_key__isnull=False,
                            )
                        }
                    if plan.released == today and index in placed:
                        release_hold(SYSTEM, placed[index], reason="종료")
                        promised.pop(index)
            with time_machine.travel(at(today, hour) + timedelta(minutes=30)):
                enforce_retention(SYSTEM, clock_confirmed=CLOCK_CONFIRMED)
                now_day = FIRST + timedelta(days=today)
                held: set[str] = set().union(*promised.values()) if promised else set()
                covered = {
                    name
                    for name, (_, start) in segments.items()
                    if any(placed[i].start <= start < placed[i].end for i in promised)
                }
                for name in held:
                    key = DayKey.objects.filter(segments__object_name=name).first()
                    assert held_readable(name) or (key is not None and readable(name, key)), name
                for name, (day, _) in segments.items():
                    deadline = rule.destruction_deadline(day, STANDARD_DESTRUCTION_GRACE_DAYS)
                    if name in covered or deadline is None or now_day <= deadline:
                        continue
                    key = DayKey.objects.filter(segments__object_name=name).first()
                    assert key is None or key.wrapped_key is None, f"{name} outlived {deadline}"
                    assert not held_readable(name), f"held copy of {name} outlived its release"
