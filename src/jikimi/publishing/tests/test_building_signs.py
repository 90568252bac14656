"""R10 (시행령 제24조①단서): one sign at a building's entrance may cover every device in the building;
only where the register says which building a location is in, otherwise one sign per device group."""

from __future__ import annotations

from django.urls import reverse

from jikimi.inventory.models import DeviceGroup, Location, Officer
from jikimi.publishing.queries import groups_of
from jikimi.publishing.signs import building_sign_url, building_signs
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze


def put_both_groups_in_the_city_hall(gunsan) -> None:
    Officer.objects.filter(key="general-head").update(phone="063-454-2100")
    Location.objects.filter(device_group__key="control-centre").update(building="시청 본관")
    hall = DeviceGroup.objects.get(key="city-hall")
    Location.objects.create(device_group=hall, name="본관 1층 복도", count=35, building="시청 본관")


def test_a_register_without_buildings_has_signs_per_group_only(gunsan):
    assert building_signs(groups_of(gunsan)) == []


def test_one_sign_covers_every_device_of_a_building(gunsan):
    put_both_groups_in_the_city_hall(gunsan)
    [sign] = building_signs(groups_of(gunsan))
    assert sign.building == "시청 본관"
    assert sign.group_names == ("방범용 CCTV", "청사 시설관리용 CCTV")
    assert sign.count == 2 + 35
    assert "범죄예방" in sign.purpose and "시설안전 및 화재예방" in sign.purpose
    assert "063-454-3100" in sign.contact and "063-454-2100" in sign.contact  # R9: each manager's contact
    assert sign.contractors == (("㈜영창티엠에스", "063-000-0000"),)  # R34
    assert sign.missing == ()


def test_the_building_sign_prints_and_is_listed(client, published, gunsan):
    put_both_groups_in_the_city_hall(gunsan)
    listing = client.get(reverse("publishing:signs", args=["gunsan"])).content.decode()
    url = building_sign_url("gunsan", "시청 본관")
    assert url in listing
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(response.content))
    for fact in ("시청본관출입구", "범죄예방", "063-454-3100", "063-454-2100", "㈜영창티엠에스"):
        assert fact in text, fact


def test_a_building_sign_lacking_a_contact_is_refused(client, published, gunsan):
    put_both_groups_in_the_city_hall(gunsan)
    Officer.objects.filter(key="general-head").update(phone="")
    response = client.get(building_sign_url("gunsan", "시청 본관"))
    assert response.status_code == 422
    assert "관리책임자 연락처" in response.content.decode()


def test_an_unknown_building_is_not_found(client, published, gunsan):
    assert client.get(building_sign_url("gunsan", "없는 건물")).status_code == 404
