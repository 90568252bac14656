"""The staff home page shows each person what needs doing, within their scope (R36), with the clock pinned.

One world: 교통행정과 has a camera that is down (with an open alert) and one that records (with a hold
ending in a week, one released yesterday, and footage past its retention); 총무과 has a camera that
never recorded and footage past its destruction deadline (R17); the institution has a policy version
announced and not yet in force (R7). Each persona sees what is theirs and nothing else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_group, make_user
from jikimi.audit.context import Actor
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.publishing.actions import publish_policy
from jikimi.vault.actions.alerts import raise_alert
from jikimi.vault.actions.holds import place_hold, release_hold
from jikimi.vault.models import VaultAlert
from jikimi.vault.tests.conftest import ACTOR, new_device, synthetic_segment

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def vault_storage(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "footage"
    settings.STORAGE_URL = f"file://{root}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    return root


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    with time_machine.travel(NOW - timedelta(days=40), tick=False):
        traffic = make_group("교통행정과", "bus-lane")
        general = make_group("총무과", "city-hall")
        people = {
            "admin": make_user("admin", "administrator", name="최관리"),
            "bob": make_user("bob", "privacy_officer", name="이밥"),
            "alice": make_user("alice", "officer", departments=["교통행정과"], name="김앨리스"),
            "auditor": make_user("auditor", "auditor", name="정감사"),
            "operator": make_user("operator", "operator", name="한관제"),
        }
        down = new_device(traffic, "버스정류장 1번")
        Device.objects.filter(pk=down.pk).update(
            status=Device.Status.FAILED, source_url="rtsp://cam.invalid/1"
        )
        working = new_device(traffic, "버스정류장 2번")
        new_device(general, "시청 로비")  # no footage ever
        hall = new_device(general, "시청 현관")
        # 40 days ago: past 30 days' retention and its 5 days' grace (overdue); 33 days ago: due only.
        synthetic_segment(hall, NOW - timedelta(days=40))
    with time_machine.travel(NOW - timedelta(days=33), tick=False):
        synthetic_segment(working, NOW - timedelta(days=33))
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        start = NOW - timedelta(days=33)
        place_hold(
            ACTOR,
            working,
            start,
            start + timedelta(seconds=30),
            basis="수사 협조 공문 제1호",
            requester="인천경찰서",
            ends_on=TODAY + timedelta(days=7),
        )
        released = place_hold(
            ACTOR,
            working,
            start,
            start + timedelta(seconds=60),
            basis="민원 열람 청구",
            requester="청구인",
            ends_on=TODAY + timedelta(days=60),
        )
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        release_hold(ACTOR, released, reason="청구 취하")
        raise_alert(ACTOR, VaultAlert.Kind.RECORDER_DOWN, "녹화기가 멈췄습니다", device=down)
        publish_policy(
            ACTOR,
            traffic.institution,
            TODAY - timedelta(days=1),
            TODAY + timedelta(days=6),
            "보관기간 변경",
            check_permission=False,
        )
    return people


def _items(client: Any, user: Any) -> tuple[dict[str, int], str]:
    with time_machine.travel(NOW, tick=False):
        log_in(client, user)
        response = client.get(reverse("home"))
    assert response.status_code == 200
    items = {item.key: item.count for section in response.context["sections"] for item in section.items}
    return items, response.content.decode()


EVERYTHING = {
    "not_recording": 2,
    "open_alerts": 1,
    "holds_ending": 1,
    "holds_ended": 1,
    "destruction_due": 2,
    "destruction_overdue": 1,
    "policies_announced": 1,
    "requests_open": 0,
    "requests_due_soon": 0,
    "requests_overdue": 0,
}
NO_REQUESTS = {"requests_open": 0, "requests_due_soon": 0, "requests_overdue": 0}
# What follows a provision (issue 14): none in this world; its counts are tested in
# disclosure/tests/test_provision_after_*.py.
NO_PROVISION_DUTIES = {
    "provision_destruction_overdue": 0,
    "provision_destruction_due_soon": 0,
    "provision_publication_overdue": 0,
    "provision_publication_due_soon": 0,
    "provision_notice_pending": 0,
}
EVERYTHING.update(NO_PROVISION_DUTIES)
# The control room (오산시 지침 제21조③, 제27조): no incident and no ticket in this world; their counts
# are tested in control/tests. Who sees which item follows the role's permissions.
NO_TICKETS = {"tickets_open": 0}
NO_INCIDENTS = {"incident_notices": 0, "incidents_open": 0}
CONTROL = {"admin": {**NO_INCIDENTS, **NO_TICKETS}, "bob": NO_TICKETS, "auditor": NO_TICKETS}
CONTROL["operator"] = {**NO_INCIDENTS, **NO_TICKETS}


@pytest.mark.parametrize("persona", ["admin", "bob"])
def test_the_administrator_and_the_privacy_officer_see_the_whole_institution(
    client: Any, world: dict[str, Any], persona: str
) -> None:
    items, html = _items(client, world[persona])
    assert items == {**EVERYTHING, **CONTROL[persona]}
    for words in (
        "녹화 안 됨",
        "버스정류장 1번",
        "시청 로비",
        "14일 안에 끝나는 보존",
        "파기 기한이 지난 영상",
        "시청 현관",
    ):
        assert words in html
    assert f"{reverse('vault:index')}?state=down" in html


def test_the_department_officer_sees_his_department_only_and_no_destruction_or_policy(
    client: Any, world: dict[str, Any]
) -> None:
    items, html = _items(client, world["alice"])
    # R36: 총무과's camera that never recorded is not his; he holds no destruction or publishing.
    assert items == {
        "not_recording": 1,
        "open_alerts": 1,
        "holds_ending": 1,
        "holds_ended": 1,
        **NO_REQUESTS,
        **NO_PROVISION_DUTIES,
        **NO_TICKETS,
    }
    assert "버스정류장 1번" in html and "시청 로비" not in html
    assert "영상 파기" not in html and "파기 기한" not in html and "공고 중" not in html


@pytest.mark.parametrize("persona", ["auditor", "operator"])
def test_the_auditor_and_the_operator_see_no_footage_work(
    client: Any, world: dict[str, Any], persona: str
) -> None:
    items, html = _items(client, world[persona])
    assert items == CONTROL[persona]  # the control room's duties only
    assert "녹화 안 됨" not in html and "보존" not in html and "버스정류장" not in html
    assert reverse("inventory:group_list") in html  # the register stays one click away
    assert (reverse("audit:entry_list") in html) == (persona == "auditor")


def test_the_count_links_to_the_device_list_filtered_to_those_cameras(
    client: Any, world: dict[str, Any]
) -> None:
    with time_machine.travel(NOW, tick=False):
        log_in(client, world["alice"])
        response = client.get(reverse("vault:index"), {"state": "down"})
    html = response.content.decode()
    assert [d.name for d in response.context["devices"]] == ["버스정류장 1번"]
    assert "녹화 안 됨 (1대)" in html


def test_a_hold_ending_soon_is_no_longer_counted_once_it_has_ended(
    client: Any, world: dict[str, Any]
) -> None:
    with time_machine.travel(NOW + timedelta(days=8), tick=False):
        log_in(client, world["alice"])
        response = client.get(reverse("home"))
    items = {item.key: item.count for section in response.context["sections"] for item in section.items}
    # The hold's end date passed (the sweep has not run): it is ended, not ending.
    assert items["holds_ending"] == 0 and items["holds_ended"] == 2


def test_login_lands_on_the_dashboard(client: Any, world: dict[str, Any]) -> None:
    from django.conf import settings

    assert reverse(settings.LOGIN_REDIRECT_URL) == reverse("home")


def test_a_version_withdrawn_before_it_took_effect_is_no_longer_announced(
    client: Any, world: dict[str, Any]
) -> None:
    from jikimi.publishing.actions import withdraw_version
    from jikimi.publishing.models import PolicyVersion

    with time_machine.travel(NOW, tick=False):
        withdraw_version(
            Actor.for_user(world["bob"], "127.0.0.1"), PolicyVersion.objects.get(), "공고 내용 오류"
        )
    items, _ = _items(client, world["bob"])
    assert items["policies_announced"] == 0
