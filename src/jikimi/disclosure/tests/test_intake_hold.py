"""At intake the named footage is held (법 제21조③, R18): a request on day 29 of a 30-day retention
still finds its footage after the retention sweep; the hold ends with the request; a hold that cannot
be placed leaves nothing behind — no request, no attachment, no held copy."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import time_machine
from django.urls import reverse

from jikimi.audit.context import Actor
from jikimi.disclosure.models import RequestAttachment, SubjectRequest
from jikimi.disclosure.tests.intake_world import (
    World,
    form_data,
    kst,
)
from jikimi.engine.footage import EnvelopeReader
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.engine.store_marker import STORE_MARKER
from jikimi.vault import keyring
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import end_holds_for_case
from jikimi.vault.actions.ingest import store_live_segment
from jikimi.vault.models import DayKey, HeldSegment, LegalHold

SYSTEM = Actor.system("retention")
CLOCK_CONFIRMED = "시계 확인함: 시험에서 시간을 앞으로 옮김"


def record_segment(intake_world: World, start_text: str) -> bytes:
    data = secrets.token_bytes(200)
    start = kst(start_text)
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        store_live_segment(
            Actor.system("recorder"),
            intake_world.gate_camera,
            EngineSegment(
                index=0,
                start=start,
                end=start + timedelta(seconds=60),
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
                frames=1,
                had_audio=False,
            ),
        )
    return data


def held_bytes(copy: HeldSegment) -> bytes:
    hold = copy.hold
    key = keyring.master_key().unwrap(bytes(hold.wrapped_key), hold.key_id)
    return EnvelopeReader(keyring.hold_store().get(copy.object_name), key).read()


def file_on(client: Any, intake_world: World, moment: str, **changes: Any) -> Any:
    with time_machine.travel(kst(moment), tick=False):
        return client.post(reverse("requests:new", args=["incheon"]), form_data(intake_world, **changes))


def test_a_request_on_day_29_of_30_still_finds_its_footage_after_the_sweep(client, intake_world):
    footage = record_segment(intake_world, "2026-11-01T09:10")
    response = file_on(
        client,
        intake_world,
        "2026-11-30T10:00",
        period_start="2026-11-01T09:00",
        period_end="2026-11-01T09:30",
    )
    assert response.status_code == 200, response.content.decode()
    with time_machine.travel(kst("2026-12-02T03:00"), tick=False):
        enforce_retention(SYSTEM, clock_confirmed=CLOCK_CONFIRMED)
    # The day key went on time (R17)…
    assert DayKey.objects.get(device=intake_world.gate_camera).wrapped_key is None
    # …and the footage the request names did not (R18).
    (copy,) = HeldSegment.objects.filter(hold__case_reference=SubjectRequest.objects.get().hold_reference)
    assert held_bytes(copy) == footage


def test_without_the_request_the_same_footage_is_gone(intake_world):
    record_segment(intake_world, "2026-11-01T09:10")
    with time_machine.travel(kst("2026-12-02T03:00"), tick=False):
        enforce_retention(SYSTEM, clock_confirmed=CLOCK_CONFIRMED)
    assert DayKey.objects.get(device=intake_world.gate_camera).wrapped_key is None
    assert not HeldSegment.objects.exists()


def test_the_hold_ends_with_the_request(client, intake_world):
    record_segment(intake_world, "2026-11-23T09:10")
    file_on(client, intake_world, "2026-11-23T12:00")
    subject_request = SubjectRequest.objects.get()
    with time_machine.travel(kst("2026-11-25T12:00"), tick=False):
        (ended,) = end_holds_for_case(
            Actor.system("test"), subject_request.hold_reference, reason="청구 종결"
        )
    assert ended.hold.case_reference == "disclosure:incheon:2026-00001"
    assert LegalHold.objects.get().released_at is not None


def test_a_hold_that_cannot_be_placed_leaves_nothing_behind(
    client, intake_world, intake_stores: Path, settings
):
    record_segment(intake_world, "2026-11-23T09:10")
    # The hold store is a path under a plain file: the copy of the segment fails.
    blocker = intake_stores / "not-a-directory"
    blocker.write_text("x")
    settings.HOLD_STORAGE_URL = f"file://{blocker / 'holds'}?reserve=0"
    response = file_on(client, intake_world, "2026-11-23T12:00")
    page = response.content.decode()
    assert response.status_code == 400 and "청구서를 저장하지 못했습니다 (접수된 것 없음)" in page
    assert not SubjectRequest.objects.exists() and not RequestAttachment.objects.exists()
    assert not LegalHold.objects.exists() and not HeldSegment.objects.exists()
    assert not [
        p for p in (intake_stores / "attachments").rglob("*") if p.is_file() and p.name != STORE_MARKER
    ]


def test_held_copies_are_removed_when_the_request_fails_after_the_hold(
    client, intake_world, intake_stores: Path
):
    """Two sites: the first camera's hold is placed (copies written), the second's fails — the first's
    copies are deleted with the rest."""
    record_segment(intake_world, "2026-11-23T09:10")
    # The park camera's footage: a segment whose ciphertext is missing makes its copy fail.
    data = secrets.token_bytes(200)
    start = kst("2026-11-23T09:12")
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        [segment] = store_live_segment(
            Actor.system("recorder"),
            intake_world.park_camera,
            EngineSegment(
                index=0,
                start=start,
                end=start + timedelta(seconds=60),
                data=data,
                sha256=hashlib.sha256(data).hexdigest(),
                frames=1,
                had_audio=False,
            ),
        )
    keyring.footage_store().delete(segment.object_name)
    response = file_on(
        client,
        intake_world,
        "2026-11-23T12:00",
        locations=[str(intake_world.gate.pk), str(intake_world.park.pk)],
    )
    assert response.status_code == 400
    assert not SubjectRequest.objects.exists() and not LegalHold.objects.exists()
    assert list(keyring.hold_store().list(keyring.HOLD_PREFIX)) == []
    assert not [
        p for p in (intake_stores / "attachments").rglob("*") if p.is_file() and p.name != STORE_MARKER
    ]
