"""Inputs have limits: every parameter of the vault's API and pages is range-checked before any work.

Ids are BIGINTs (a longer number used to reach SQLite and crash it: 500), days and times lie between
2000-01-01 and a year after today, a window spans at most 366 days, names and reasons are short. Each
refusal is 400 (or the page's own error) with a Korean sentence naming the field — never a 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.lib.clock import SEOUL
from jikimi.vault.tests.conftest import new_device

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=SEOUL)
HUGE = "9999999999999999999999999"


@pytest.fixture
def pinned() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def alice(client: Any, people: dict[str, Any], pinned: None) -> Any:
    log_in(client, people["alice"])
    return people["alice"]


def _coverage(client: Any, **params: Any) -> Any:
    query = {"start": "2026-11-23T00:00", "end": "2026-11-23T06:00", **params}
    return client.get("/api/vault/coverage", query)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"start": "0001-01-01T00:00"}, "start", id="start in year 1"),
        pytest.param({"end": "9999-12-31T23:59"}, "end", id="end in year 9999"),
        pytest.param({"start": "1999-12-31T23:00"}, "start", id="start before 2000"),
        pytest.param({"start": "2024-01-01T00:00"}, "구간이 너무 깁니다", id="a span of three years"),
        pytest.param({"group": HUGE}, "group", id="group past BIGINT"),
        pytest.param({"device": HUGE}, "device", id="device past BIGINT"),
        pytest.param({"device": "0"}, "device", id="device zero"),
        pytest.param({"device": "-1"}, "device", id="device negative"),
        pytest.param({"site": "가" * 5000}, "site", id="a site name of 5000 characters"),
        pytest.param(
            {"site": "정문\x00"}, "제어 문자", id="a NUL in a site name (PostgreSQL cannot store it)"
        ),
        pytest.param({"start": "2026-11-23T00:00" + "0" * 100}, "start", id="a long time text"),
    ],
)
def test_the_coverage_api_refuses_a_parameter_out_of_range_by_name(
    client: Any, alice: Any, params: dict[str, str], field: str
) -> None:
    device = new_device()
    if not {"group", "site"} & params.keys():
        params.setdefault("device", str(device.pk))
    response = _coverage(client, **params)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error
    assert any("가" <= ch <= "힣" for ch in error)  # said in Korean


def test_the_coverage_api_refuses_too_many_devices_at_once(client: Any, alice: Any) -> None:
    response = client.get(
        "/api/vault/coverage?start=2026-11-23T00:00&end=2026-11-23T06:00&"
        + "&".join(f"device={n}" for n in range(1, 150))
    )
    assert response.status_code == 400 and "device" in response.json()["error"]


def test_the_coverage_api_still_answers_a_window_in_range(client: Any, alice: Any) -> None:
    device = new_device()
    response = _coverage(client, device=device.pk)
    assert response.status_code == 200 and response.json()["devices"][0]["id"] == device.pk


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"group": "bus-lane", "device": int(HUGE), "reason": "비"}, id="device past BIGINT"),
        pytest.param({"group": "가" * 10_000, "reason": "비"}, id="a group name of 10000 characters"),
        pytest.param({"group": "bus-lane", "reason": "비" * 10_000}, id="a reason of 10000 characters"),
        pytest.param({"group": "bus\x00lane", "reason": "비"}, id="a NUL in the group name"),
        pytest.param({"group": "bus-lane", "reason": "비\ud800"}, id="a lone surrogate in the reason"),
    ],
)
def test_the_recording_signal_refuses_values_out_of_range(
    client: Any, alice: Any, body: dict[str, Any]
) -> None:
    new_device()
    response = client.post("/api/vault/recording/start", body, content_type="application/json")
    assert response.status_code == 400
    assert any("가" <= ch <= "힣" for ch in response.json()["error"])


@pytest.mark.parametrize(
    "path",
    [
        f"/vault/devices/{HUGE}/",
        f"/vault/devices/{HUGE}/play/",
        f"/vault/viewings/{HUGE}/",
        f"/vault/viewings/1/segments/{HUGE}/init.mp4",
        f"/register/groups/{HUGE}/",
        f"/accounts/users/{HUGE}/",
    ],
)
def test_an_id_in_the_path_past_bigint_is_not_found_not_a_crash(client: Any, alice: Any, path: str) -> None:
    assert client.get(path).status_code == 404


def test_the_coverage_page_says_which_parameter_is_out_of_range(client: Any, alice: Any) -> None:
    page = client.get(
        reverse("vault:coverage"), {"start": "2026-11-23T00:00", "end": "2026-11-23T06:00", "group": HUGE}
    )
    assert page.status_code == 200 and "group: 번호가 너무 깁니다" in page.content.decode()
    page = client.get(reverse("vault:coverage"), {"start": "0001-01-01T00:00", "end": "2026-11-23T06:00"})
    assert page.status_code == 200 and "받을 수 있는 날짜가 아닙니다" in page.content.decode()


def test_the_destruction_certificate_refuses_a_period_out_of_range(
    client: Any, people: dict[str, Any], pinned: None
) -> None:
    log_in(client, people["bob"])
    url = reverse("vault:destruction_certificate")
    assert client.get(url, {"since": "0001-01-01", "until": "2026-11-23"}).status_code == 400
    assert client.get(url, {"since": "2026-11-01", "until": "9999-12-31"}).status_code == 400
    assert (
        client.get(
            reverse("vault:destruction_list"), {"since": "0001-01-01", "until": "9999-12-31"}
        ).status_code
        == 200
    )


def test_a_hold_may_not_end_in_year_9999(client: Any, people: dict[str, Any], pinned: None) -> None:
    device = new_device()
    log_in(client, people["bob"])
    page = client.post(
        reverse("vault:hold_new", args=[device.pk]),
        {
            "start": "2026-11-23T00:00",
            "end": "2026-11-23T06:00",
            "basis": "수사 협조",
            "requester": "경찰서",
            "ends_on": "9999-12-31",
        },
    )
    assert (
        page.status_code == 200
        and "보존 종료일: 9999-12-31은(는) 받을 수 있는 날짜가 아닙니다" in page.content.decode()
    )
