"""A sign stands at a place and names it (법 제25조④, R9): 인천's 23 bus-lane cameras get a sign at each of
their 23 locations, never one sign reading "위치 목록 23곳"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from jikimi.audit.context import Actor
from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.inventory.testing import record_retention_reasons
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.queries import groups_of
from jikimi.publishing.signs import site_signs
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze

REGISTER = Path(__file__).resolve().parents[4] / "registers" / "incheon.yaml"


def test_each_location_has_its_own_sign(client, db):
    call_command("import_register", str(REGISTER), verbosity=0)
    incheon = Institution.objects.get(slug="incheon")
    record_retention_reasons(incheon)  # R16: 인천 publishes none for 3개월 and 준영구
    publish_policy(
        Actor.command("test"),
        incheon,
        date(2026, 11, 1),
        date(2026, 11, 10),
        "최초 공개",
        check_permission=False,
    )
    bus_lane = DeviceGroup.objects.get(institution=incheon, name="버스전용차로 단속 CCTV")
    signs = [sign for sign in site_signs(groups_of(incheon)) if sign.group_key == bus_lane.key]
    assert len(signs) == 23
    assert all(sign.place != "위치 목록 23곳" and sign.location_key for sign in signs)
    assert {"율목동 유동3거리", "제물포역 철교"} <= {sign.place for sign in signs}

    page = client.get(reverse("publishing:signs", args=["incheon"])).content.decode()
    assert "위치 목록 23곳" not in page and "율목동 유동3거리" in page
    pdf = client.get(
        reverse("publishing:location_sign_pdf", args=["incheon", bus_lane.key, "yulmokdong-yudong3geori"])
    )
    text = squeeze(pdf_text(pdf.content))
    assert "율목동유동3거리" in text and "버스전용차로단속" in text and "위치목록23곳" not in text
