"""존재확인: for devices and a window, which intervals have footage and why the others have none."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.engine.recording import Gap
from jikimi.inventory.models import Device
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.devices import add_device, report_recording_state
from jikimi.vault.recording import VaultSink
from jikimi.vault.tests.conftest import (
    ACTOR,
    CLOCK_CONFIRMED,
    admin_group,
    new_device,
    place,
    synthetic_segment,
    traffic_group,
)

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _api(client: Any, **params: Any) -> Any:
    return client.get(reverse("api:coverage"), params)


def test_it_reports_footage_and_gaps_not_recording(client: Any, people: dict[str, Any]) -> None:
    device = new_device()
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
        synthetic_segment(device, kst("2026-11-23T09:01:00"))
    log_in(client, people["alice"])
    response = _api(client, device=device.pk, start="2026-11-23T08:58", end="2026-11-23T09:05")
    intervals = response.json()["devices"][0]["intervals"]
    assert [(i["start"][11:16], i["end"][11:16], i["coverage"]) for i in intervals] == [
        ("08:58", "09:00", "not_recording"),
        ("09:00", "09:02", "footage"),
        ("09:02", "09:05", "not_recording"),
    ]


def test_outside_the_recording_hours_is_not_scheduled(client: Any, people: dict[str, Any]) -> None:
    device = new_device(traffic_group(recording_hours="평일 07:00~09:00"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T08:00:00"))
    log_in(client, people["alice"])
    intervals = _api(client, device=device.pk, start="2026-11-23T07:59", end="2026-11-23T09:30").json()[
        "devices"
    ][0]["intervals"]
    assert [(i["start"][11:16], i["coverage"]) for i in intervals] == [
        ("07:59", "not_recording"),
        ("08:00", "footage"),
        ("08:01", "not_recording"),
        ("09:00", "not_scheduled"),
    ]


def test_destroyed_days_are_reported_as_destroyed(client: Any, people: dict[str, Any]) -> None:
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
    with time_machine.travel(kst("2026-11-26T03:00:00")):
        enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
        log_in(client, people["alice"])
        intervals = _api(client, device=device.pk, start="2026-11-23T08:00", end="2026-11-23T10:00").json()[
            "devices"
        ][0]["intervals"]
    assert [i["coverage"] for i in intervals] == ["destroyed"]


def test_a_recorded_outage_is_reported_as_camera_down_with_its_reason(
    client: Any, people: dict[str, Any]
) -> None:
    device = new_device()
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
        # What `jikimi record` reports when a source drops and comes back (vault.recording.VaultSink).
        VaultSink(Actor.system("recorder")).on_gap(
            Gap(device.storage_name, kst("2026-11-23T09:01:00"), kst("2026-11-23T09:03:00"), "RTSP 연결 끊김")
        )
    log_in(client, people["alice"])
    body = _api(client, device=device.pk, start="2026-11-23T09:00", end="2026-11-23T09:05").json()
    intervals = body["devices"][0]["intervals"]
    assert [(i["start"][11:16], i["coverage"]) for i in intervals] == [
        ("09:00", "footage"),
        ("09:01", "camera_down"),
        ("09:03", "not_recording"),
    ]
    assert body["devices"][0]["outages"] == [
        {"start": "2026-11-23T09:01:00+09:00", "end": "2026-11-23T09:03:00+09:00", "reason": "RTSP 연결 끊김"}
    ]
    page = client.get(
        reverse("vault:coverage"),
        {"device": device.pk, "start": "2026-11-23T09:00", "end": "2026-11-23T09:05"},
    ).content.decode()
    assert "카메라 장애로 녹화 중단" in page and "RTSP 연결 끊김" in page


def test_a_camera_down_now_is_down_since_its_state_changed(client: Any, people: dict[str, Any]) -> None:
    device = new_device()
    with time_machine.travel(kst("2026-11-23T09:00:00"), tick=False):
        report_recording_state(Actor.system("recorder"), device, Device.Status.RECONNECTING, "timeout")
    with time_machine.travel(kst("2026-11-23T09:30:00"), tick=False):
        log_in(client, people["alice"])
        intervals = _api(client, device=device.pk, start="2026-11-23T08:30", end="2026-11-23T10:00").json()[
            "devices"
        ][0]["intervals"]
    # Down from 09:00 until now (09:30); after now nothing is known yet, so it is not "down".
    assert [(i["start"][11:16], i["coverage"]) for i in intervals] == [
        ("08:30", "not_recording"),
        ("09:00", "camera_down"),
        ("09:30", "not_recording"),
    ]


def test_a_whole_group_can_be_asked_at_once(client: Any, people: dict[str, Any]) -> None:
    group = traffic_group()
    new_device(group, "1번")
    new_device(group, "2번")
    log_in(client, people["alice"])
    response = _api(client, group=group.pk, start="2026-11-23T08:00", end="2026-11-23T09:00")
    assert sorted(d["name"] for d in response.json()["devices"]) == ["1번", "2번"]


def test_staff_without_scope_get_nothing(client: Any, people: dict[str, Any]) -> None:
    device = new_device()
    for name in ("charlie", "auditor", "operator"):
        log_in(client, people[name])
        response = _api(client, device=device.pk, start="2026-11-23T08:00", end="2026-11-23T09:00")
        assert response.status_code == 403, name
        assert (
            client.get(
                reverse("vault:coverage"),
                {"device": device.pk, "start": "2026-11-23T08:00", "end": "2026-11-23T09:00"},
            ).status_code
            == 403
        )


def test_a_bad_window_gets_a_clear_error(client: Any, people: dict[str, Any]) -> None:
    device = new_device()
    log_in(client, people["alice"])
    response = _api(client, device=device.pk, start="2026-11-23T09:00", end="2026-11-23T08:00")
    assert response.status_code == 400 and "늦어야" in response.json()["error"]
    response = _api(client, device=device.pk, start="2026-01-01T00:00", end="2026-11-23T08:00")
    assert response.status_code == 400 and "31일" in response.json()["error"]


def test_the_staff_page_shows_the_intervals(client: Any, people: dict[str, Any]) -> None:
    device = new_device()
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
    log_in(client, people["alice"])
    page = client.get(
        reverse("vault:coverage"),
        {"device": device.pk, "start": "2026-11-23T08:00", "end": "2026-11-23T10:00"},
    ).content.decode()
    assert "영상 있음" in page and "녹화되지 않음" in page
    # The timeline bar links the footage to the purpose form, prefilled with its range (R41).
    playback = reverse("vault:playback_new", args=[device.pk])
    assert f'href="{playback}?start=2026-11-23T09:00&amp;end=2026-11-23T09:01"' in page


def test_the_api_is_described_in_openapi_and_refuses_strangers(client: Any, people: dict[str, Any]) -> None:
    device = new_device()
    assert _api(client, device=device.pk, start="2026-11-23T08:00", end="2026-11-23T09:00").status_code == 401
    log_in(client, people["alice"])
    schema = client.get("/api/openapi.json").json()
    assert "/api/vault/coverage" in schema["paths"]
    response = _api(client, device=987654, start="2026-11-23T08:00", end="2026-11-23T09:00")
    assert response.status_code == 400 and "987654" in response.json()["error"]
    assert _api(client, start="2026-11-23T08:00", end="2026-11-23T09:00").status_code == 400
    # A malformed or missing parameter names itself, in the same shape as every other error.
    response = _api(client, device="abc", start="2026-11-23T08:00", end="2026-11-23T09:00")
    assert response.status_code == 400 and "device" in response.json()["error"]
    response = _api(client, device=device.pk, start="2026-11-23T08:00")
    assert response.status_code == 400 and "end" in response.json()["error"]


def test_a_site_is_every_device_in_scope_installed_there(client: Any, people: dict[str, Any]) -> None:
    # 현장 (site): the devices at one installation location; another department's camera there is
    # not Alice's to see, so the answer covers hers only.
    # The same gate is a location of both departments' groups: the site is found through each.
    place(traffic_group(), "front-gate", "시청 정문")
    place(traffic_group(), "back-gate", "시청 후문")
    place(admin_group(), "front-gate", "시청 정문")
    add_device(ACTOR, traffic_group(), "정문 1번", location="front-gate")
    add_device(ACTOR, traffic_group(), "정문 2번", location="시청 정문")
    add_device(ACTOR, traffic_group(), "후문 1번", location="back-gate")
    add_device(ACTOR, admin_group(), "정문 청사관리", location="front-gate")
    log_in(client, people["alice"])
    body = _api(client, site="시청 정문", start="2026-11-23T08:00", end="2026-11-23T09:00").json()
    assert [d["name"] for d in body["devices"]] == ["정문 1번", "정문 2번"]
    page = client.get(reverse("vault:coverage")).content.decode()
    assert '<option value="시청 정문">' in page and '<option value="시청 후문">' in page


# -- the staff page as a person meets it: arriving from a device, pressing 확인, a wrong window --


def _page(client: Any, **params: Any) -> str:
    return client.get(reverse("vault:coverage"), params).content.decode()


def test_R20_the_page_opened_from_a_device_has_it_chosen_and_shows_no_errors_yet(
    client: Any, people: dict[str, Any]
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    page = _page(client, device=device.pk)  # the device page's 존재확인 button
    assert f'<option value="{device.pk}" selected>' in page
    assert "필수 항목" not in page and 'role="alert"' not in page


def test_R20_confirming_with_nothing_chosen_says_what_to_choose(client: Any, people: dict[str, Any]) -> None:
    new_device()
    log_in(client, people["alice"])
    # An untouched form sends its empty selects: nothing was asked, and the page must say so.
    page = _page(client, device="", group="", site="", start="2026-11-23T08:00", end="2026-11-23T09:00")
    assert "확인할 기기, 기기 묶음 또는 설치 위치(현장)를 하나 이상 고르세요" in page


def test_R20_a_chosen_place_without_devices_in_scope_is_told_not_shown_as_an_empty_answer(
    client: Any, people: dict[str, Any]
) -> None:
    place(admin_group(), "front-gate", "시청 정문")
    add_device(ACTOR, admin_group(), "정문 청사관리", location="front-gate")
    log_in(client, people["alice"])  # 교통행정과: the site's only camera is 총무과's
    page = _page(client, site="시청 정문", start="2026-11-23T08:00", end="2026-11-23T09:00")
    assert "고른 기기 묶음·설치 위치(현장)에 확인할 수 있는 기기가 없습니다" in page


def test_R20_a_wrong_window_is_told_once_in_korean_next_to_the_form(
    client: Any, people: dict[str, Any]
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    page = _page(client, device=device.pk, start="2026-11-23T09:00", end="2026-11-23T08:00")
    assert page.count("끝 시각이 시작 시각보다 늦어야 합니다") == 1
    assert "__all__" not in page
    page = _page(client, device=device.pk, start="2026-11-23T09:00", end="")
    assert "끝 (한국 시각): 필수 항목입니다" in page and "end:" not in page


def test_the_api_names_a_problem_of_the_whole_window_without_a_field_name(
    client: Any, people: dict[str, Any]
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    error = _api(client, device=device.pk, start="2026-11-23T09:00", end="2026-11-23T08:00").json()["error"]
    assert error == "구간이 올바르지 않습니다 — 끝 시각이 시작 시각보다 늦어야 합니다"


def test_a_span_over_midnight_names_the_day_it_ends(client: Any, people: dict[str, Any]) -> None:
    # The device page's last 24 hours always cross midnight: "12-05 17:05:00 ~ 17:05:00" read as nothing.
    device = new_device()
    with time_machine.travel(kst("2026-11-24T12:00:00"), tick=False):
        log_in(client, people["alice"])
        page = _page(client, device=device.pk, start="2026-11-23T20:00", end="2026-11-24T04:00")
    assert "2026-11-23 20:00:00 ~ 2026-11-24 04:00:00 · 녹화되지 않음" in page
