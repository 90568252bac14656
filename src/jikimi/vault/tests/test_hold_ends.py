"""A legal hold ends (법 제21조③, R18): at its end date, with its case, or when an officer releases it;
until then an officer may extend it. Its footage is then kept only as the device's retention allows
(R17), unless another hold still covers it.

Every test pins the clock: D is the day the footage was recorded, and every date is counted from it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage import EnvelopeReader
from jikimi.lib.clock import SEOUL
from jikimi.vault import keyring
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import HoldError, end_holds_for_case, extend_hold, place_hold
from jikimi.vault.models import DayKey, Destruction, HeldSegment, LegalHold, Segment
from jikimi.vault.tests.conftest import CLOCK_CONFIRMED, new_device, synthetic_segment, traffic_group

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("retention")
OFFICER = Actor.system("test")
D = date(2026, 3, 2)  # the day recorded; the clock is pinned to days counted from it


def at(days: int, hour: int = 3) -> datetime:
    """`hour` o'clock Korea time, `days` days after D (the sweep runs at 03:00)."""
    return datetime.combine(D + timedelta(days=days), time(hour), SEOUL)


def _device(retention: str = "1일") -> tuple[Any, list[Segment]]:
    device = new_device(traffic_group(retention=retention))
    with time_machine.travel(at(0, 12), tick=False):
        segments = [synthetic_segment(device, at(0, 9) + timedelta(minutes=i)) for i in range(3)]
    return device, segments


def _hold(device: Any, *, ends_in: int, minutes: int = 2, placed: int = 0, case: str = "") -> LegalHold:
    with time_machine.travel(at(placed, 13), tick=False):
        return place_hold(
            OFFICER,
            device,
            at(0, 9),
            at(0, 9) + timedelta(minutes=minutes),
            basis="수사기관 보존 요청 제2026-1호",
            requester="금천경찰서",
            ends_on=D + timedelta(days=ends_in),
            case_reference=case,
        )


def _sweep(days: int) -> Any:
    with time_machine.travel(at(days), tick=False):
        return enforce_retention(SYSTEM, clock_confirmed=CLOCK_CONFIRMED)


def _readable(copy: HeldSegment) -> bool:
    hold = LegalHold.objects.get(pk=copy.hold_id)
    if hold.wrapped_key is None:
        return False
    key = keyring.master_key().unwrap(bytes(hold.wrapped_key), hold.key_id)
    return len(EnvelopeReader(keyring.hold_store().get(copy.object_name), key).read()) == 200


def test_R18_the_daily_sweep_keeps_a_hold_until_its_end_date() -> None:
    device, _ = _device()
    hold = _hold(device, ends_in=5)
    _sweep(2)  # the day key is destroyed on time (R17); the copies live on (R18)
    report = _sweep(4)
    assert report.holds_ended == []
    assert all(_readable(c) for c in hold.copies.all()) and hold.copies.count() == 2


def test_R18_at_its_end_date_the_sweep_ends_the_hold_and_destroys_its_expired_footage() -> None:
    device, _ = _device()
    hold = _hold(device, ends_in=5)
    _sweep(2)
    report = _sweep(5)
    assert [ending.hold.pk for ending in report.holds_ended] == [hold.pk]
    hold.refresh_from_db()
    assert hold.wrapped_key is None and hold.released_by is None
    assert hold.release_reason == f"보존 종료일({D + timedelta(days=5):%Y-%m-%d}) 도래"
    assert not HeldSegment.objects.exists()
    assert list(keyring.hold_store().list(keyring.HOLD_PREFIX)) == []
    record = Destruction.objects.get(kind=Destruction.Kind.HOLD)
    assert record.segments == 2 and record.actor_label == SYSTEM.label
    entry = AuditEntry.objects.get(action="vault.end_hold_at_end_date")
    assert entry.details["type"] == "파기" and entry.reason == hold.release_reason


def test_R18_footage_still_within_retention_returns_to_its_day_key_when_the_hold_ends() -> None:
    device, segments = _device(retention="10일")
    _hold(device, ends_in=3)
    _sweep(3)
    assert not HeldSegment.objects.exists()
    key = DayKey.objects.get(device=device, day=D)
    assert key.wrapped_key is not None  # kept as the retention says, no longer and no shorter
    assert Segment.objects.filter(pk__in=[s.pk for s in segments]).count() == 3
    _sweep(11)  # 10일: expires on D+11, destroyed that night (R17)
    key.refresh_from_db()
    assert key.wrapped_key is None


def test_R18_when_a_hold_ends_another_hold_covering_the_same_footage_keeps_it() -> None:
    device, _ = _device()
    first = _hold(device, ends_in=5)
    _sweep(2)  # day key gone: the footage lives only in the first hold's copies
    second = _hold(device, ends_in=20, minutes=3, placed=3)
    assert second.copies.count() == 0  # nothing live to copy when it was placed
    _sweep(5)
    first.refresh_from_db()
    assert first.wrapped_key is None
    kept = list(second.copies.all())
    assert len(kept) == 2 and all(_readable(c) for c in kept)
    _sweep(20)
    assert not HeldSegment.objects.exists()  # and it ends in its turn


def test_R18_an_officer_extends_a_hold_with_a_reason_and_it_outlives_its_old_end_date() -> None:
    device, _ = _device()
    hold = _hold(device, ends_in=5)
    with time_machine.travel(at(4, 10), tick=False):
        extend_hold(OFFICER, hold, ends_on=D + timedelta(days=30), reason="보존 기간 연장 요청 제2026-2호")
    entry = AuditEntry.objects.get(action="vault.extend_hold")
    assert entry.reason == "보존 기간 연장 요청 제2026-2호"
    assert entry.details["previous_ends_on"] == (D + timedelta(days=5)).isoformat()
    _sweep(2)
    assert _sweep(5).holds_ended == []
    assert all(_readable(c) for c in hold.copies.all())
    assert len(_sweep(30).holds_ended) == 1


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [(5, "재요청", "보다 늦어야"), (3, "재요청", "보다 늦어야"), (9, " ", "연장 사유")],
)
def test_R18_an_extension_must_move_the_end_later_and_say_why(days: int, reason: str, message: str) -> None:
    device, _ = _device()
    hold = _hold(device, ends_in=5)
    with time_machine.travel(at(1, 10), tick=False), pytest.raises(HoldError, match=message):
        extend_hold(OFFICER, hold, ends_on=D + timedelta(days=days), reason=reason)
    assert not AuditEntry.objects.filter(action="vault.extend_hold").exists()


def test_R18_an_ended_hold_cannot_be_extended() -> None:
    device, _ = _device()
    hold = _hold(device, ends_in=5)
    _sweep(5)
    with time_machine.travel(at(6, 10), tick=False), pytest.raises(HoldError, match="이미 끝난"):
        extend_hold(OFFICER, hold, ends_on=D + timedelta(days=40), reason="재요청")


def test_R18_a_hold_cannot_be_placed_to_end_today_or_earlier() -> None:
    device, _ = _device()
    with pytest.raises(HoldError, match="오늘 이후"):
        _hold(device, ends_in=0)


def test_R18_the_holds_placed_for_a_case_end_when_the_case_ends() -> None:
    device, _ = _device()
    mine = [_hold(device, ends_in=60, case="2026-수사-17"), _hold(device, ends_in=90, case="2026-수사-17")]
    other = _hold(device, ends_in=60, case="2026-수사-18")
    with time_machine.travel(at(7, 10), tick=False):
        ended = end_holds_for_case(OFFICER, " 2026-수사-17 ", reason="불기소 처분으로 사건 종결")
    assert sorted(e.hold.pk for e in ended) == sorted(h.pk for h in mine)
    entries = AuditEntry.objects.filter(action="vault.end_hold_for_case")
    assert entries.count() == 2
    assert {e.reason for e in entries} == {"사건 종료(2026-수사-17): 불기소 처분으로 사건 종결"}
    other.refresh_from_db()
    assert other.wrapped_key is not None and other.released_at is None
    # the other case's hold still keeps the footage both covered
    assert all(_readable(c) for c in other.copies.all()) and other.copies.count() == 2


def test_R18_ending_a_case_needs_its_number_and_a_reason_and_ends_nothing_else() -> None:
    device, _ = _device()
    _hold(device, ends_in=60, case="2026-수사-17")
    with pytest.raises(HoldError, match="사건·요청 번호"):
        end_holds_for_case(OFFICER, " ", reason="종결")
    with pytest.raises(HoldError, match="사건 종료 사유"):
        end_holds_for_case(OFFICER, "2026-수사-17", reason="")
    with time_machine.travel(at(1, 10), tick=False):
        assert end_holds_for_case(OFFICER, "2026-수사-99", reason="종결") == []
    assert LegalHold.objects.filter(released_at__isnull=True).count() == 1


def test_R18_the_device_page_extends_a_hold_with_its_reason(client: Any, people: dict[str, Any]) -> None:
    device, _ = _device()
    hold = _hold(device, ends_in=5)
    with time_machine.travel(at(1, 10), tick=False):
        log_in(client, people["bob"])
        page = client.get(reverse("vault:device_detail", args=[device.pk]))
        assert "연장 사유" in page.content.decode()
        missing = client.post(reverse("vault:hold_extend", args=[hold.pk + 99]), {"reason": "재요청"})
        assert missing.status_code == 404
        refused = client.post(
            reverse("vault:hold_extend", args=[hold.pk]), {"ends_on": str(D), "reason": "재요청"}, follow=True
        )
        assert "보다 늦어야" in refused.content.decode()
        new_end = D + timedelta(days=40)
        done = client.post(
            reverse("vault:hold_extend", args=[hold.pk]),
            {"ends_on": new_end.isoformat(), "reason": "보존 연장 요청 제2026-3호"},
            follow=True,
        )
    assert f"{new_end:%Y-%m-%d}까지 연장했습니다" in done.content.decode()
    hold.refresh_from_db()
    assert hold.ends_on == new_end
    assert AuditEntry.objects.get(action="vault.extend_hold").reason == "보존 연장 요청 제2026-3호"


def test_R18_an_officer_places_a_hold_for_a_case_on_the_page(client: Any, people: dict[str, Any]) -> None:
    device, _ = _device()
    with time_machine.travel(at(0, 13), tick=False):
        log_in(client, people["bob"])  # on the pinned day, not the real one
        client.post(
            reverse("vault:hold_new", args=[device.pk]),
            {
                "start": f"{D}T09:00",
                "end": f"{D}T09:02",
                "basis": "수사협조 요청",
                "requester": "금천경찰서",
                "ends_on": str(D + timedelta(days=90)),
                "case_reference": "2026-수사-17",
            },
        )
        page = client.get(reverse("vault:device_detail", args=[device.pk])).content.decode()
    assert LegalHold.objects.get().case_reference == "2026-수사-17" and "2026-수사-17" in page
    with time_machine.travel(at(3, 10), tick=False):
        assert len(end_holds_for_case(OFFICER, "2026-수사-17", reason="공소 제기 후 재판 종결")) == 1
