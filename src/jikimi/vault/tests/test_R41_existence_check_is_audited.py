"""R39, R41: an existence check (존재확인) is a search of personal video. Each one — on the page or
through the API — is in the audit chain: who, when, from where, which camera, which hours, and how
much footage was found; one entry per camera, scoped to its group (R36)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log
from jikimi.vault.tests.conftest import admin_group, new_device, synthetic_segment, traffic_group

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def _checks() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEvent.VAULT_EXISTENCE_CHECK).order_by("sequence"))


@pytest.fixture
def cameras() -> list[Any]:
    group = traffic_group()
    first, second = new_device(group), new_device(group, name="후문 2번")
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(first, kst("2026-11-23T09:00:00"))
    return [first, second]


def test_R41_the_existence_check_page_records_each_camera_searched(
    client: Any, people: dict[str, Any], cameras: list[Any]
) -> None:
    log_in(client, people["alice"])
    # As the page's form sends it: a group chosen, the device and site selects left alone.
    page = client.get(
        reverse("vault:coverage"),
        {
            "group": cameras[0].device_group_id,
            "device": "",
            "site": "",
            "start": "2026-11-23T08:58",
            "end": "2026-11-23T09:05",
        },
    )
    assert page.status_code == 200 and "영상 있음" in page.content.decode()
    entries = _checks()
    assert [entry.target_id for entry in entries] == [str(cameras[0].pk), str(cameras[1].pk)]
    for entry, found in zip(entries, (60, 0), strict=True):
        assert entry.actor == people["alice"] and entry.client_address == "127.0.0.1"
        assert entry.details["via"] == "page" and entry.details["footage_seconds"] == found
        assert entry.details["start"] == "2026-11-23T08:58:00+09:00" and entry.details["end"].endswith(
            "09:05:00+09:00"
        )
        assert entry.scope_device_group == cameras[0].device_group_id
    assert verify_log().ok


def test_R41_the_existence_check_api_records_it_too(
    client: Any, people: dict[str, Any], cameras: list[Any]
) -> None:
    log_in(client, people["alice"])
    answer = client.get(
        reverse("api:coverage"),
        {"device": cameras[0].pk, "start": "2026-11-23T08:58", "end": "2026-11-23T09:05"},
    )
    assert answer.status_code == 200
    (entry,) = _checks()
    assert entry.target_id == str(cameras[0].pk) and entry.details["via"] == "api"


def test_R41_a_refused_check_searches_nothing_and_records_nothing(
    client: Any, people: dict[str, Any], cameras: list[Any]
) -> None:
    log_in(client, people["alice"])
    too_long = client.get(
        reverse("api:coverage"),
        {"device": cameras[0].pk, "start": "2026-01-01T00:00", "end": "2026-11-23T00:00"},
    )
    refused = client.get(
        reverse("api:coverage"),
        {"device": cameras[0].pk, "start": "2026-11-23T09:00", "end": "2026-11-23T08:00"},
    )
    outside = client.get(
        reverse("api:coverage"),
        {"device": new_device(admin_group()).pk, "start": "2026-11-23T08:00", "end": "2026-11-23T09:00"},
    )
    assert too_long.status_code == 400 and refused.status_code == 400 and outside.status_code in (403, 404)
    assert _checks() == []


def test_R36_another_departments_auditor_does_not_read_who_searched_these_cameras(
    client: Any, people: dict[str, Any], cameras: list[Any]
) -> None:
    log_in(client, people["alice"])
    client.get(
        reverse("api:coverage"),
        {"device": cameras[0].pk, "start": "2026-11-23T08:58", "end": "2026-11-23T09:05"},
    )
    general_auditor = make_user("general_auditor", "auditor", departments=["총무과"])
    log_in(client, general_auditor)
    log_page = client.get(
        reverse("audit:entry_list"), {"action": AuditEvent.VAULT_EXISTENCE_CHECK}
    ).content.decode()
    assert cameras[0].name not in log_page
    log_in(client, people["auditor"])
    log_page = client.get(
        reverse("audit:entry_list"), {"action": AuditEvent.VAULT_EXISTENCE_CHECK}
    ).content.decode()
    assert cameras[0].name in log_page
