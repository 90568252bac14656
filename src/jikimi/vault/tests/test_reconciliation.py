"""Reconciliation, as the officer sees it (R6): per group and per location, the count the published
register states against the devices registered and connected in jikimi, and the devices whose recorder
has never delivered footage — on the register pages and in the API, scoped like the group pages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.inventory.actions import import_register
from jikimi.inventory.models import Institution
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR, synthetic_segment
from jikimi.vault.tests.test_devices_in_the_register import IMPORTER, REGISTER

pytestmark = pytest.mark.django_db

REGISTERS = Path(__file__).resolve().parents[4] / "registers"
WITH_TOTAL = REGISTER + "declared_totals:\n  - {key: fixed, label: 고정형, count: 8, kind: fixed}\n"


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


def siheomgu() -> Institution:
    institution = import_register(IMPORTER, WITH_TOTAL, "siheomgu.yaml").institution
    city_hall = institution.device_groups.get(key="city-hall")
    lift = add_device(ACTOR, city_hall, "승강기 1호기", location="elevators")
    add_device(ACTOR, city_hall, "현관 1번", location="hall", source_url="rtsp://10.0.0.5/1")
    add_device(ACTOR, city_hall, "현관 2번", location="hall")
    with time_machine.travel(kst("2026-11-01T12:00:00"), tick=False):
        synthetic_segment(lift, kst("2026-11-01T09:00:00"))
    return institution


def _group(body: dict[str, Any], key: str) -> dict[str, Any]:
    [group] = [g for g in body["groups"] if g["key"] == key]
    return group


def test_R6_each_group_and_location_shows_stated_registered_connected_and_silent_devices(client: Any) -> None:
    institution = siheomgu()
    log_in(client, make_user("bob", "privacy_officer", institution=institution))
    paths = client.get("/api/openapi.json").json()["paths"]
    assert (
        "/api/inventory/reconciliation" in paths
        and "/api/inventory/groups/{group_id}/reconciliation" in paths
    )
    body = client.get(reverse("api:reconciliation")).json()
    city_hall = _group(body, "city-hall")
    assert {k: city_hall["tally"][k] for k in ("stated", "registered", "connected", "difference")} == {
        "stated": 7,
        "registered": 3,
        "connected": 1,
        "difference": -4,
    }
    assert sorted(d["name"] for d in city_hall["tally"]["never_delivered"]) == ["현관 1번", "현관 2번"]
    hall, lifts = city_hall["locations"]
    assert (hall["key"], hall["tally"]["stated"], hall["tally"]["registered"]) == ("hall", 5, 2)
    assert (lifts["retention"], lifts["tally"]["registered"], lifts["tally"]["never_delivered"]) == (
        "14일",
        1,
        [],
    )
    [total] = body["totals"]
    assert (total["label"], total["tally"]["stated"], total["tally"]["registered"]) == ("고정형", 8, 3)

    page = client.get(reverse("inventory:reconciliation")).content.decode()
    assert "대장 8대 · 등록 3대 · 연결 1대 · 영상을 보낸 적 없는 기기 2대" in page
    detail = client.get(reverse("inventory:group_detail", args=[city_hall["id"]])).content.decode()
    assert "한 번도 영상을 보내지 않은 기기 (2대)" in detail and "현관 2번" in detail


def test_R6_gwangyangs_published_totals_are_set_against_the_devices_registered(client: Any) -> None:
    path = REGISTERS / "gwangyang.yaml"
    institution = import_register(IMPORTER, path.read_text(encoding="utf-8"), str(path)).institution
    add_device(ACTOR, institution.device_groups.get(key="fixed"), "시청 정문 1번")
    log_in(client, make_user("bob", "privacy_officer", institution=institution))
    totals = {t["label"]: t["tally"] for t in client.get(reverse("api:reconciliation")).json()["totals"]}
    assert (totals["고정형"]["stated"], totals["고정형"]["registered"]) == (2417, 1)
    assert (totals["이동형"]["stated"], totals["이동형"]["registered"]) == (19, 0)


def test_an_officer_of_another_department_sees_nothing_of_its_reconciliation(client: Any) -> None:
    institution = siheomgu()
    city_hall = institution.device_groups.get(key="city-hall")
    assert client.get(reverse("api:reconciliation")).status_code == 401
    # An officer of 교통행정과: the register pages show bus-lane only, and so does the reconciliation.
    log_in(client, make_user("eve", "officer", institution=institution, departments=["교통행정과"]))
    body = client.get(reverse("api:reconciliation")).json()
    assert [g["key"] for g in body["groups"]] == ["bus-lane"]
    assert body["totals"] == []  # the total covers 행정지원과's group too
    assert body["registered"] == 0
    response = client.get(reverse("api:group_reconciliation", args=[city_hall.pk]))
    assert response.status_code == 403
    page = client.get(reverse("inventory:reconciliation")).content.decode()
    assert "구청사 내외·승강기 CCTV" not in page and "현관 1번" not in page
    assert client.get(reverse("inventory:group_detail", args=[city_hall.pk])).status_code == 403
