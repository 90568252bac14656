"""A viewing plays as one HLS timeline over its range: gaps skipped and shown, parts only for the
viewing's owner and only inside its range, damage detected, nothing cached, one audit entry (R41)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import av
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.actions.playback import open_viewing
from jikimi.vault.models import HeldSegment, Segment, Viewing
from jikimi.vault.tests.conftest import ACTOR, new_device, traffic_group

pytestmark = [pytest.mark.django_db]
T0 = datetime.fromisoformat("2026-11-23T09:00:00+09:00")
# Three 4-second clips (a keyframe every second): 09:00:00–04, 09:00:04–08, then a gap, 09:00:20–24.
CLIP_STARTS = (0, 4, 20)


@pytest.fixture
def device(silent_clip: Path, seoul_morning: None) -> Any:
    device = new_device()
    for offset in CLIP_STARTS:
        ingest(ACTOR, device, silent_clip, T0 + timedelta(seconds=offset))
    return device


@pytest.fixture
def segments(device: Any) -> list[Segment]:
    found = list(Segment.objects.filter(device=device).order_by("start"))
    assert [(s.start - T0).total_seconds() for s in found] == [0, 4, 20]
    return found


def _viewing(user: Any, device: Any, start: datetime, end: datetime) -> Viewing:
    return open_viewing(
        Actor(user=user, label=user.username, client_address="10.0.0.7"),
        device,
        start,
        end,
        "교통사고 경위 확인",
    )


def _urls(viewing: Viewing, segment: Segment) -> tuple[str, str]:
    return (
        reverse("vault:viewing_init", args=[viewing.pk, segment.pk]),
        reverse("vault:viewing_media", args=[viewing.pk, segment.pk]),
    )


def test_the_playlist_lists_every_segment_with_its_wall_clock_start_and_a_discontinuity_between(
    client: Any, people: dict[str, Any], segments: list[Segment]
) -> None:
    viewing = _viewing(
        people["alice"], segments[0].device, T0 - timedelta(minutes=1), T0 + timedelta(minutes=10)
    )
    log_in(client, people["alice"])
    response = client.get(reverse("vault:viewing_playlist", args=[viewing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response["Cache-Control"] == "no-store"
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-PLAYLIST-TYPE:VOD", "#EXT-X-TARGETDURATION:4"]
    lines += ["#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-DISCONTINUITY-SEQUENCE:0"]
    for index, (segment, utc) in enumerate(zip(segments, ("00:00:00", "00:00:04", "00:00:20"), strict=True)):
        init, media = _urls(viewing, segment)
        if index:
            lines.append("#EXT-X-DISCONTINUITY")
        lines += [f"#EXT-X-PROGRAM-DATE-TIME:2026-11-23T{utc}.000Z", f'#EXT-X-MAP:URI="{init}"']
        lines += ["#EXTINF:4.000,", media]
    lines.append("#EXT-X-ENDLIST")
    assert response.content.decode() == "\n".join(lines) + "\n"


def test_each_part_is_the_segment_split_at_its_first_fragment_and_plays_every_frame(
    client: Any, people: dict[str, Any], segments: list[Segment]
) -> None:
    viewing = _viewing(people["alice"], segments[0].device, T0, T0 + timedelta(minutes=1))
    log_in(client, people["alice"])
    for segment in segments:
        init_url, media_url = _urls(viewing, segment)
        init, media = client.get(init_url), client.get(media_url)
        assert (init.status_code, media.status_code) == (200, 200)
        assert init["Cache-Control"] == media["Cache-Control"] == "no-store"
        assert init.content[4:8] == b"ftyp" and b"moof" not in init.content
        assert media.content[4:8] == b"moof"
        with av.open(io.BytesIO(init.content + media.content)) as container:
            assert [s.type for s in container.streams] == ["video"]
            assert sum(1 for _ in container.decode(video=0)) == segment.frames == 40
    assert AuditEntry.objects.filter(action="vault.view_footage").count() == 1  # the opening, not each part


def test_a_range_cuts_the_edge_segments_to_the_fragments_it_covers_and_refuses_the_others(
    client: Any, people: dict[str, Any], segments: list[Segment]
) -> None:
    first, second, third = segments
    viewing = _viewing(
        people["alice"], first.device, T0 + timedelta(seconds=5.5), T0 + timedelta(seconds=21.2)
    )
    log_in(client, people["alice"])
    playlist = client.get(reverse("vault:viewing_playlist", args=[viewing.pk])).content.decode()
    assert "#EXT-X-PROGRAM-DATE-TIME:2026-11-23T00:00:05.000Z\n" in playlist  # the keyframe before 5.5 s
    assert "#EXT-X-PROGRAM-DATE-TIME:2026-11-23T00:00:20.000Z\n" in playlist
    assert [line for line in playlist.splitlines() if line.startswith("#EXTINF")] == [
        "#EXTINF:3.000,",  # 5–8 s
        "#EXTINF:2.000,",  # 20–22 s: the fragments that overlap [20, 21.2)
    ]
    assert _urls(viewing, first)[1] not in playlist
    for url in _urls(viewing, first):
        assert client.get(url).status_code == 404  # outside the viewing's range: never served
    for segment, frames in ((second, 30), (third, 20)):
        init, media = (client.get(url).content for url in _urls(viewing, segment))
        with av.open(io.BytesIO(init + media)) as container:
            assert sum(1 for _ in container.decode(video=0)) == frames
    assert client.get(reverse("vault:viewing_media", args=[viewing.pk, 999_999])).status_code == 404


def test_only_the_viewings_owner_gets_the_playlist_or_any_part_and_only_while_it_is_open(
    client: Any, people: dict[str, Any], segments: list[Segment]
) -> None:
    viewing = _viewing(people["alice"], segments[0].device, T0, T0 + timedelta(minutes=1))
    urls = [reverse("vault:viewing_playlist", args=[viewing.pk]), *_urls(viewing, segments[2])]
    for name in ("charlie", "bob", "operator", "auditor"):
        log_in(client, people[name])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (name, url)  # charlie: no scope; bob: not his viewing
            assert b"moof" not in response.content and b"#EXTM3U" not in response.content
    log_in(client, people["alice"])
    assert all(client.get(url).status_code == 200 for url in urls)
    Viewing.objects.filter(pk=viewing.pk).update(expires_at=viewing.opened_at)  # its time is up
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]


def test_a_flipped_byte_is_detected_and_nothing_of_the_segment_is_served(
    client: Any, people: dict[str, Any], segments: list[Segment], vault_storage: Path
) -> None:
    damaged = segments[1]
    path = vault_storage / damaged.object_name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    viewing = _viewing(people["alice"], damaged.device, T0, T0 + timedelta(minutes=1))
    log_in(client, people["alice"])
    for url in _urls(viewing, damaged):
        response = client.get(url)
        assert response.status_code == 409 and "변조" in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        assert b"ftyp" not in response.content and b"moof" not in response.content
    assert all(client.get(url).status_code == 200 for url in _urls(viewing, segments[0]))


def test_the_viewing_page_has_one_player_and_a_timeline_with_the_gap_and_its_reason(
    client: Any, people: dict[str, Any], segments: list[Segment]
) -> None:
    viewing = _viewing(people["alice"], segments[0].device, T0, T0 + timedelta(minutes=1))
    log_in(client, people["alice"])
    response = client.get(reverse("vault:viewing", args=[viewing.pk]))
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert (
        page.count("<video") == 1
        and f'data-playlist="{reverse("vault:viewing_playlist", args=[viewing.pk])}"' in page
    )
    assert "vault/player.js" in page and "vendor/hls/hls.min.js" in page
    # 09:00:00–08 footage, 08–20 a gap with the existence check's reason, 20–24 footage, then nothing.
    assert "2026-11-23 09:00:00 ~ 09:00:08 · 영상 있음" in page
    assert "2026-11-23 09:00:08 ~ 09:00:20 · 녹화되지 않음" in page
    assert "2026-11-23 09:00:20 ~ 09:00:24 · 영상 있음" in page
    assert f'data-start-ms="{round(T0.timestamp() * 1000)}"' in page


def test_the_device_page_shows_the_last_day_and_links_a_footage_span_to_a_prefilled_purpose_form(
    client: Any, people: dict[str, Any], segments: list[Segment]
) -> None:
    device = segments[0].device
    log_in(client, people["alice"])
    page = client.get(reverse("vault:device_detail", args=[device.pk])).content.decode()
    assert "최근 24시간" in page and "jk-timeline-footage" in page
    link = (
        f"{reverse('vault:playback_new', args=[device.pk])}?start=2026-11-23T09:00&amp;end=2026-11-23T09:01"
    )
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="2026-11-23T09:00"' in form and 'value="2026-11-23T09:01"' in form
    assert not Viewing.objects.exists()  # a prefilled form is not a viewing: the purpose comes first
    log_in(client, people["operator"])  # may see the device page? not the footage timeline
    response = client.get(reverse("vault:device_detail", args=[device.pk]))
    assert response.status_code == 403 or "jk-timeline" not in response.content.decode()


@pytest.mark.usefixtures("s3_vault", "seoul_morning")
def test_parts_are_served_from_s3_object_storage_too(
    client: Any, people: dict[str, Any], silent_clip: Path
) -> None:
    device = new_device()
    ingest(ACTOR, device, silent_clip, T0)
    segment = Segment.objects.get(device=device)
    viewing = _viewing(people["alice"], device, T0, T0 + timedelta(minutes=1))
    log_in(client, people["alice"])
    init, media = (client.get(url) for url in _urls(viewing, segment))
    assert (init.status_code, media.status_code) == (200, 200)
    with av.open(io.BytesIO(init.content + media.content)) as container:
        assert sum(1 for _ in container.decode(video=0)) == segment.frames == 40


def test_held_footage_plays_from_its_hold_copy_after_the_day_key_is_destroyed(
    client: Any, people: dict[str, Any], silent_clip: Path
) -> None:
    # R18: a hold keeps footage that is still needed — so it must still play once the day key is gone.
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(T0 + timedelta(hours=3)):
        for offset in (0, 4):
            ingest(ACTOR, device, silent_clip, T0 + timedelta(seconds=offset))
        for requester in ("금천경찰서", "서울중앙지검"):  # two holds over the first segment: one copy plays
            place_hold(
                ACTOR,
                device,
                T0,
                T0 + timedelta(seconds=1),
                basis="수사기관 보존 요청",
                requester=requester,
                ends_on=timezone.localdate() + timedelta(days=30),
            )
    # Every request runs on the pinned clock: on the real date the session would be long idle (R38).
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        report = enforce_retention(Actor.system("retention"))
        assert len(report.destroyed) == 1
        viewing = _viewing(people["alice"], device, T0, T0 + timedelta(minutes=1))
        log_in(client, people["alice"])
        playlist = client.get(reverse("vault:viewing_playlist", args=[viewing.pk])).content.decode()
        copy = HeldSegment.objects.filter(device=device).order_by("hold_id").first()
        assert copy is not None
        init_url = reverse("vault:viewing_held_init", args=[viewing.pk, copy.pk])
        media_url = reverse("vault:viewing_held_media", args=[viewing.pk, copy.pk])
        # Only the held segment is left; the other one was destroyed with its day key.
        assert [line for line in playlist.splitlines() if not line.startswith("#")] == [media_url]
        assert f'#EXT-X-MAP:URI="{init_url}"' in playlist
        init, media = client.get(init_url), client.get(media_url)
        assert (init.status_code, media.status_code) == (200, 200)
        with av.open(io.BytesIO(init.content + media.content)) as container:
            assert sum(1 for _ in container.decode(video=0)) == 40
        # A held copy is reachable only through a viewing that covers it.
        other = _viewing(people["alice"], device, T0 + timedelta(minutes=5), T0 + timedelta(minutes=6))
        assert client.get(reverse("vault:viewing_held_media", args=[other.pk, copy.pk])).status_code == 404
