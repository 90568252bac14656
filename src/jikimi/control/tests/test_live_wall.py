"""The live wall's rules, audit, layouts and stream (issue 17; 오산시 지침 제19조; R41, R47)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in, make_group, make_user
from jikimi.audit.models import AuditEntry
from jikimi.control.actions.live import LiveRefused, open_live_viewing, save_layout
from jikimi.control.live_queries import watchable_devices
from jikimi.control.models import LiveViewing, WallLayout
from jikimi.rules.live_monitoring import LiveHours, is_crime_prevention, live_hours
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR

pytestmark = pytest.mark.django_db


OPERATOR_ACTOR_ADDRESS = "10.0.0.7"


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _actor(user):
    from jikimi.audit.context import Actor

    return Actor.for_user(user, OPERATOR_ACTOR_ADDRESS)


@pytest.fixture
def cameras():
    """방범 (crime prevention, 24h) in 안전총괄과, 교통 (weekday rush hours) in 교통행정과."""
    safety = make_group("안전총괄과", "safety", purpose="방범 및 시설물관리")
    traffic = make_group("교통행정과", "traffic", purpose="교통정보 수집", recording_hours="평일 07:00~09:00")
    return {
        "safety": add_device(ACTOR, safety, "공원 1번", source_url="rtsp://127.0.0.1:8554/cam1"),
        "safety2": add_device(ACTOR, safety, "공원 2번", source_url="rtsp://127.0.0.1:8554/cam2"),
        "traffic": add_device(ACTOR, traffic, "교차로 1번", source_url="rtsp://127.0.0.1:8554/cam3"),
    }


# -- rules -------------------------------------------------------------------------------------------


def test_crime_prevention_by_classification_or_published_purpose():
    assert is_crime_prevention("", "사회안정", "방범용(범죄예방)")
    assert is_crime_prevention("방범 및 시설물관리")
    assert is_crime_prevention("범죄예방")
    assert not is_crime_prevention("교통정보 수집", "교통안전", "교통정보수집")


def test_out_of_hours_only_where_the_register_allows():
    assert live_hours(True, False) is LiveHours.IN_HOURS
    assert live_hours(False, True) is LiveHours.OFF_HOURS
    assert live_hours(False, False) is LiveHours.CLOSED


# -- scoping (R36, R47) -------------------------------------------------------------------------------


def test_an_operator_sees_only_the_groups_of_his_grant(cameras):
    operator = make_user("op", "operator", departments=["안전총괄과"])
    assert {d.name for d in watchable_devices(operator)} == {"공원 1번", "공원 2번"}
    with pytest.raises(LiveRefused, match="권한"):
        open_live_viewing(_actor(operator), [cameras["traffic"]], size=1)


def test_a_seconded_police_officer_sees_only_crime_prevention_cameras(cameras):
    # R47: even with an institution-wide grant, the police see 방범 cameras only.
    police = make_user("police", "seconded_police")
    assert {d.name for d in watchable_devices(police)} == {"공원 1번", "공원 2번"}
    with pytest.raises(LiveRefused):
        open_live_viewing(_actor(police), [cameras["traffic"]], size=1)
    head = make_user("head", "control_head")
    assert {d.name for d in watchable_devices(head)} == {"공원 1번", "공원 2번", "교차로 1번"}


def test_without_watch_live_the_wall_is_refused(cameras, client: Client):
    officer = make_user("officer", "officer")  # footage, but not the live wall
    log_in(client, officer)
    assert client.get(reverse("control:wall")).status_code == 403
    auditor = make_user("auditor", "auditor")
    client.logout()
    log_in(client, auditor)
    assert client.get(reverse("control:wall")).status_code == 403


# -- audit (R41) --------------------------------------------------------------------------------------


def test_every_live_view_is_audited_per_camera_with_who_when_where(cameras):
    operator = make_user("op", "operator", departments=["안전총괄과"])
    viewing = open_live_viewing(_actor(operator), [cameras["safety"], cameras["safety2"]], size=4)
    entries = AuditEntry.objects.filter(action="control.watch_live").order_by("id")
    assert [e.target_id for e in entries] == [str(cameras["safety"].pk), str(cameras["safety2"].pk)]
    for entry in entries:
        assert entry.actor_label and entry.client_address == OPERATOR_ACTOR_ADDRESS
        assert entry.details["live_viewing"] == viewing.pk and entry.details["layout"] == 4
        assert entry.details["live_hours"] == "in_hours" and entry.details["replay"] is False
    assert viewing.client_address == OPERATOR_ACTOR_ADDRESS


def test_the_wall_page_opens_an_audited_viewing_and_a_full_size_replay(cameras, client: Client):
    operator = make_user("op", "operator", departments=["안전총괄과"])
    log_in(client, operator)
    page = client.get(reverse("control:wall"), {"size": 4})
    assert page.status_code == 200 and "공원 1번" in page.text and "교차로 1번" not in page.text
    answer = client.post(
        reverse("control:wall_save"),
        {"size": 4, "tile_0": cameras["safety"].pk, "tile_1": cameras["safety2"].pk, "watch": "1"},
    )
    viewing = LiveViewing.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("control:wall_live", args=[viewing.pk])
    wall = client.get(answer["Location"])
    assert wall.status_code == 200 and wall.text.count("data-tile") == 2
    assert wall["Cache-Control"] == "no-store"
    full = client.post(reverse("control:wall_camera", args=[viewing.pk, cameras["safety"].pk]))
    replay = LiveViewing.objects.get(replay=True)
    assert full["Location"] == reverse("control:wall_live", args=[replay.pk])
    assert AuditEntry.objects.filter(action="control.watch_live", details__replay=True).count() == 1


# -- out of hours (오산시 지침 제19조②) ---------------------------------------------------------------


@pytest.mark.calendar
def test_outside_published_hours_only_where_the_register_allows_and_shown_as_such(cameras, client: Client):
    head = make_user("head", "control_head")
    with time_machine.travel(kst("2026-12-05T22:00:00"), tick=False):  # a Saturday night
        with pytest.raises(LiveRefused, match="운영시간 외"):
            open_live_viewing(_actor(head), [cameras["traffic"]], size=1)
        group = cameras["traffic"].device_group
        group.off_hours_monitoring = True
        group.save()
        cameras["traffic"].refresh_from_db()
        viewing = open_live_viewing(_actor(head), [cameras["traffic"]], size=1)
        assert viewing.off_hours_devices == [cameras["traffic"].pk]
        entry = AuditEntry.objects.get(action="control.watch_live")
        assert entry.details["live_hours"] == "off_hours" and "제19조②" in entry.reason
        log_in(client, head)
        page = client.get(reverse("control:wall_live", args=[viewing.pk]))
        assert "운영시간 외 공익 관제 (오산시 지침 제19조②)" in page.text


# -- layouts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4, 9, 16])
def test_layouts_of_1_4_9_16_are_saved_per_operator(cameras, size):
    operator = make_user("op", "operator", departments=["안전총괄과"])
    other = make_user("op2", "operator", departments=["안전총괄과"])
    layout = save_layout(_actor(operator), "야간", size, [cameras["safety"]])
    assert layout.size == size and layout.tiles == [cameras["safety"].pk] + [None] * (size - 1)
    save_layout(_actor(other), "야간", 1, [cameras["safety2"]])
    assert WallLayout.objects.get(user=operator, name="야간").tiles[0] == cameras["safety"].pk
    assert AuditEntry.objects.filter(action="control.save_wall_layout").count() == 2


def test_a_layout_refuses_other_sizes_too_many_cameras_and_unscoped_ones(cameras):
    operator = make_user("op", "operator", departments=["안전총괄과"])
    with pytest.raises(LiveRefused):
        save_layout(_actor(operator), "기본", 6, [])
    with pytest.raises(LiveRefused):
        save_layout(_actor(operator), "기본", 1, [cameras["safety"], cameras["safety2"]])
    with pytest.raises(LiveRefused):
        save_layout(_actor(operator), "기본", 4, [cameras["traffic"]])
    assert not WallLayout.objects.exists()


# -- the stream ---------------------------------------------------------------------------------------


def _publish(directory: Path) -> None:
    """A live window as the recorder writes it: one complete segment and an open one."""
    directory.mkdir(parents=True)
    (directory / "init-1.mp4").write_bytes(b"init")
    for name in ("0.0.m4s", "0.1.m4s", "1.0.m4s"):
        (directory / name).write_bytes(name.encode())
    index = {
        "part_target": 0.5,
        "segments": [
            {"msn": 0, "init": "init-1.mp4", "start": "2026-12-07T01:00:00+00:00", "complete": True,
             "parts": [[0.5, True], [0.5, False]]},
            {"msn": 1, "init": "init-1.mp4", "start": "2026-12-07T01:00:01+00:00", "complete": False,
             "parts": [[0.5, True]]},
        ],
    }  # fmt: skip
    (directory / "index.json").write_text(json.dumps(index))


def test_the_stream_is_served_to_the_viewings_opener_only(cameras, client: Client, settings, tmp_path):
    settings.LIVE_DIR = tmp_path
    _publish(tmp_path / cameras["safety"].storage_name)
    operator = make_user("op", "operator", departments=["안전총괄과"])
    viewing = open_live_viewing(_actor(operator), [cameras["safety"]], size=1)
    args = [viewing.pk, cameras["safety"].pk]
    log_in(client, operator)
    playlist = client.get(reverse("control:live_playlist", args=args))
    assert playlist.status_code == 200 and playlist["Cache-Control"] == "no-store"
    text = playlist.text
    assert "#EXT-X-PART-INF:PART-TARGET=0.500" in text and "CAN-BLOCK-RELOAD=YES" in text
    # when the recorder received the segment, for the wall's clock; no PROGRAM-DATE-TIME (live_stream)
    assert "#JIKIMI-RECEIVED:2026-12-07T01:00:00.000Z" in text and "PROGRAM-DATE-TIME" not in text
    assert reverse("control:live_segment", args=[*args, 0]) in text
    assert reverse("control:live_part", args=[*args, 1, 0]) in text
    assert f'#EXT-X-MAP:URI="{reverse("control:live_init", args=[*args, "init-1.mp4"])}"' in text
    segment = client.get(reverse("control:live_segment", args=[*args, 0]))
    assert segment.content == b"0.0.m4s0.1.m4s"  # a segment is its parts
    not_a_part = reverse("control:live_init", args=[*args, "index.json"])
    assert client.get(not_a_part).status_code == 404
    # Another camera, another operator, an expired viewing: refused.
    assert (
        client.get(reverse("control:live_playlist", args=[viewing.pk, cameras["safety2"].pk])).status_code
        == 404
    )
    client.logout()
    log_in(client, make_user("op2", "operator", departments=["안전총괄과"]))
    assert client.get(reverse("control:live_playlist", args=args)).status_code == 403
    client.logout()
    log_in(client, operator)
    LiveViewing.objects.filter(pk=viewing.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("control:live_playlist", args=args)).status_code == 403


def test_a_camera_that_is_not_live_answers_404_without_waiting(cameras, client: Client, settings, tmp_path):
    settings.LIVE_DIR = tmp_path
    operator = make_user("op", "operator", departments=["안전총괄과"])
    viewing = open_live_viewing(_actor(operator), [cameras["safety"]], size=1)
    log_in(client, operator)
    answer = client.get(reverse("control:live_playlist", args=[viewing.pk, cameras["safety"].pk]))
    assert answer.status_code == 404
