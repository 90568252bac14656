"""Legal holds (법 제21조③, R18): held footage is copied under a hold key and outlives its day key."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage import EnvelopeReader
from jikimi.vault import keyring
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import HoldError, place_hold, release_hold
from jikimi.vault.models import Destruction, HeldSegment, LegalHold
from jikimi.vault.tests.conftest import new_device, synthetic_segment, traffic_group

pytestmark = [pytest.mark.django_db]
SYSTEM = Actor.system("retention")


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _setup() -> tuple[Any, list[Any]]:
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        segments = [synthetic_segment(device, kst(f"2026-11-23T09:0{i}:00")) for i in range(3)]
    return device, segments


def _hold(device: Any, start: str = "2026-11-23T09:00:00", end: str = "2026-11-23T09:02:00") -> LegalHold:
    with time_machine.travel(kst("2026-11-23T13:00:00")):
        return place_hold(
            Actor.system("test"),
            device,
            kst(start),
            kst(end),
            basis="수사기관 보존 요청 제2026-1호",
            requester="금천경찰서",
            ends_on=timezone.localdate() + timedelta(days=30),
        )


def _readable(copy: HeldSegment) -> bytes:
    hold = copy.hold
    hold.refresh_from_db()
    key = keyring.master_key().unwrap(bytes(hold.wrapped_key), hold.key_id)
    return EnvelopeReader(keyring.hold_store().get(copy.object_name), key).read()


def test_held_segments_survive_the_destruction_of_their_day_key() -> None:
    device, segments = _setup()
    hold = _hold(device)
    assert sorted(c.source_object for c in hold.copies.all()) == sorted(s.object_name for s in segments[:2])
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        report = enforce_retention(SYSTEM)
    assert len(report.destroyed) == 1  # the day key went on time (R17)
    for copy in hold.copies.all():
        assert len(_readable(copy)) == 200  # the held footage did not (R18)
    assert AuditEntry.objects.filter(action="vault.place_hold").exists()


def test_releasing_an_expired_hold_destroys_its_footage_at_once() -> None:
    device, _ = _setup()
    hold = _hold(device)
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention(SYSTEM)
        release_hold(Actor.system("test"), hold, reason="수사 종결")
    hold.refresh_from_db()
    assert hold.wrapped_key is None and not HeldSegment.objects.exists()
    assert list(keyring.hold_store().list(keyring.HOLD_PREFIX)) == []
    record = Destruction.objects.get(kind=Destruction.Kind.HOLD)
    assert record.segments == 2 and record.ciphertext_deleted_at is not None
    assert AuditEntry.objects.get(action="vault.release_hold").details["type"] == "파기"


def test_releasing_before_expiry_returns_the_footage_to_normal_retention() -> None:
    device, segments = _setup()
    hold = _hold(device)
    with time_machine.travel(kst("2026-11-23T14:00:00")):
        release_hold(Actor.system("test"), hold, reason="요청 철회")
    assert all(keyring.footage_store().exists(s.object_name) for s in segments)


def test_footage_indexed_after_the_hold_is_copied_before_its_day_key_goes() -> None:
    device, _ = _setup()
    hold = _hold(device, end="2026-11-23T10:00:00")
    with time_machine.travel(kst("2026-11-23T15:00:00")):
        late = synthetic_segment(device, kst("2026-11-23T09:30:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention(SYSTEM)
    copy = hold.copies.get(source_object=late.object_name)
    assert len(_readable(copy)) == 200


def test_a_hold_needs_a_basis_and_a_forward_range() -> None:
    device, _ = _setup()
    with pytest.raises(HoldError, match="근거"):
        place_hold(
            Actor.system("t"),
            device,
            kst("2026-11-23T09:00:00"),
            kst("2026-11-23T10:00:00"),
            basis=" ",
            requester="x",
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    with pytest.raises(HoldError, match="끝"):
        place_hold(
            Actor.system("t"),
            device,
            kst("2026-11-23T10:00:00"),
            kst("2026-11-23T09:00:00"),
            basis="b",
            requester="x",
            ends_on=timezone.localdate() + timedelta(days=30),
        )


def test_an_officer_of_another_department_may_not_place_or_release_holds(
    client: Any, people: dict[str, Any]
) -> None:
    device, _ = _setup()
    hold = _hold(device)
    log_in(client, people["charlie"])
    assert client.get(reverse("vault:hold_new", args=[device.pk])).status_code == 403
    assert client.post(reverse("vault:hold_release", args=[hold.pk]), {"reason": "x"}).status_code == 403
    hold.refresh_from_db()
    assert hold.active


def test_an_officer_places_a_hold_on_the_page(client: Any, people: dict[str, Any]) -> None:
    device, _ = _setup()
    with time_machine.travel(kst("2026-11-23T13:00:00")):  # the session is opened on the pinned clock too
        log_in(client, people["alice"])
        response = client.post(
            reverse("vault:hold_new", args=[device.pk]),
            {
                "start": "2026-11-23T09:00",
                "end": "2026-11-23T09:01",
                "basis": "정보주체 열람청구",
                "requester": "홍길동",
                "ends_on": "2026-12-31",
            },
        )
    assert response.status_code == 302
    assert LegalHold.objects.get().copies.count() == 1
