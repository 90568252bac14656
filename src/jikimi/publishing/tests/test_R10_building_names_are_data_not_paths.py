"""R10 (시행령 제24조①단서) building signs, and the rule that names are data: a building named
"민원동/별관" used to make the public sign page and the publishing page answer 500 for the whole
institution (the name was a URL path segment, which "/" cannot be). Any name is listed, linked
(percent-encoded in the query string) and printed: "/", "?", "#", "%", "&", spaces and Korean."""

from __future__ import annotations

from html import unescape

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.inventory.models import DeviceGroup, Location, Officer
from jikimi.publishing.signs import building_sign_url

NAMES = ["민원동/별관", "본관 2층?", "#3 창고", "100% 안전관", "A&B 센터", "시청/본관/../별관"]


@pytest.fixture
def buildings(gunsan) -> list[str]:
    Officer.objects.filter(key="general-head").update(phone="063-454-2100")
    hall = DeviceGroup.objects.get(key="city-hall")
    for index, name in enumerate(NAMES):
        Location.objects.create(
            device_group=hall, key=f"place-{index}", name=f"출입구 {index}", building=name
        )
    return NAMES


def test_every_building_name_is_listed_and_linked_on_the_public_sign_page(client, published, buildings):
    response = client.get(reverse("publishing:signs", args=["gunsan"]))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    for name in buildings:
        assert name in page
        assert building_sign_url("gunsan", name) in page


def test_the_publishing_page_lists_them_too(client, published, buildings, privacy_officer):
    log_in(client, privacy_officer)
    response = client.get(reverse("publishing:staff_institution", args=["gunsan"]))
    assert response.status_code == 200
    assert building_sign_url("gunsan", "민원동/별관") in unescape(response.content.decode())


@pytest.mark.parametrize("name", NAMES)
def test_each_building_sign_prints_from_its_link(client, published, buildings, name):
    response = client.get(building_sign_url("gunsan", name))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_missing_or_overlong_building_name_is_refused_in_korean(client, published, buildings):
    url = reverse("publishing:building_sign_pdf", args=["gunsan"])
    for query in ({}, {"building": "가" * 101}):
        response = client.get(url, query)
        assert response.status_code == 400 and "건물 이름" in response.content.decode()
