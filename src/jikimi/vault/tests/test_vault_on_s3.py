"""The whole vault on S3-compatible object storage (a real moto server on 127.0.0.1).

The engine's storage tests run every store operation against both backends; these run the vault's own
paths — ingest, playback, damage detection, a legal hold kept apart, destruction and collection — with
settings.STORAGE_URL naming a bucket, as a deployment on object storage would.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from jikimi.audit.context import Actor
from jikimi.engine.footage import EnvelopeReader
from jikimi.vault import keyring
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.models import HeldSegment, Segment
from jikimi.vault.playback import FootageDamaged, segment_plaintext
from jikimi.vault.tests.conftest import ACTOR, new_device, traffic_group

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _keys(client: Any, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_footage_on_s3_is_stored_encrypted_played_held_and_destroyed(
    s3_vault: Any, silent_clip: Path
) -> None:
    client, days, holds = s3_vault
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        result = ingest(ACTOR, device, silent_clip, kst("2026-11-23T09:00:00"))
    segments = list(Segment.objects.filter(device=device).order_by("start"))
    assert result.segments == len(segments) >= 1
    stored = _keys(client, days)
    assert stored == sorted(f"vault/{s.object_name}" for s in segments)

    # Playback decrypts from the bucket; the bytes are the ones indexed (SHA-256 of the plaintext).
    plaintext = segment_plaintext(segments[0])
    assert plaintext[4:8] == b"ftyp"
    ciphertext = client.get_object(Bucket=days, Key=stored[0])["Body"].read()
    assert plaintext[:64] not in ciphertext

    # A legal hold copies the footage into the hold bucket under its own key.
    with time_machine.travel(kst("2026-11-23T13:00:00")):
        hold = place_hold(
            Actor.system("test"),
            device,
            kst("2026-11-23T09:00:00"),
            kst("2026-11-23T09:00:01"),
            basis="수사기관 보존 요청 제2026-7호",
            requester="금천경찰서",
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    copy = HeldSegment.objects.get(hold=hold)
    assert _keys(client, holds) == [f"held/{copy.object_name}"]

    # One day later (1일) the day key is destroyed and its objects collected; the held copy stays readable.
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        report = enforce_retention(Actor.system("retention"))
    assert len(report.destroyed) == 1 and not report.failed
    assert _keys(client, days) == []
    hold.refresh_from_db()
    key = keyring.master_key().unwrap(bytes(hold.wrapped_key), hold.key_id)
    held = EnvelopeReader(keyring.hold_store().get(copy.object_name), key).read()
    assert held == plaintext


def test_a_flipped_byte_in_an_s3_object_is_detected_and_not_served(s3_vault: Any, silent_clip: Path) -> None:
    client, days, _holds = s3_vault
    device = new_device()
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        ingest(ACTOR, device, silent_clip, kst("2026-11-23T09:00:00"))
    segment = Segment.objects.filter(device=device).order_by("start").first()
    assert segment is not None
    name = f"vault/{segment.object_name}"
    data = bytearray(client.get_object(Bucket=days, Key=name)["Body"].read())
    data[len(data) // 2] ^= 0x01
    client.put_object(Bucket=days, Key=name, Body=bytes(data))
    with pytest.raises(FootageDamaged, match="변조"):
        segment_plaintext(segment)
