"""Only published versions are public (R5): a register imported but never published is a draft, full of
"공개 문서에 미수록"; the public home does not list it and its public pages answer 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.inventory.models import DeviceGroup, Location
from jikimi.publishing.queries import published_institutions
from jikimi.publishing.tests.conftest import as_staff

PUBLIC_PAGES = [
    ("publishing:policy", {}),
    ("publishing:policy_pdf", {}),
    ("publishing:version", {"number": 1}),
    ("publishing:version_pdf", {"number": 1}),
    ("publishing:compare", {"a": 1, "b": 2}),
    ("publishing:compare_pdf", {"a": 1, "b": 2}),
    ("publishing:signs", {}),
    ("publishing:sign_pdf", {"group_key": "control-centre"}),
]


def test_the_public_home_lists_only_institutions_with_a_published_version(client, gunsan):
    assert list(published_institutions()) == []
    page = client.get(reverse("home")).content.decode()
    # The header may name the institution that runs the server; the list of policies does not, and
    # nothing links to a policy not yet published.
    main = page[page.index("<main") : page.index("</main>")]
    assert "군산시" not in main
    assert reverse("publishing:policy", args=["gunsan"]) not in page
    assert reverse("publishing:signs", args=["gunsan"]) not in page


def test_the_home_lists_it_once_published(client, published):
    assert list(published_institutions()) == [published]
    assert "군산시" in client.get(reverse("home")).content.decode()


def test_every_public_page_of_a_never_published_institution_is_not_found(client, gunsan):
    location = Location.objects.get(device_group__key="control-centre")
    pages = [
        *PUBLIC_PAGES,
        ("publishing:location_sign_pdf", {"group_key": "control-centre", "location_key": location.key}),
    ]
    for name, kwargs in pages:
        response = client.get(reverse(name, kwargs={"slug": "gunsan", **kwargs}))
        assert response.status_code == 404, name
    response = client.get(reverse("publishing:policy", args=["gunsan"]))
    assert "아직 공개된 방침이 없습니다" in response.content.decode()
    building = client.get(reverse("publishing:building_sign_pdf", args=["gunsan"]), {"building": "본관"})
    assert building.status_code == 404


def test_staff_who_may_publish_still_see_the_draft(client, gunsan):
    staff = as_staff(client, gunsan)
    assert staff.get(reverse("publishing:policy", args=["gunsan"])).status_code == 200
    assert staff.get(reverse("publishing:signs", args=["gunsan"])).status_code == 200


def test_a_sign_stands_at_a_location_and_lists_its_devices(client, published):
    group = DeviceGroup.objects.get(key="control-centre")
    Location.objects.create(device_group=group, key="naun", name="나운동 은파호수공원 입구", count=3)
    text = client.get(reverse("publishing:signs", args=["gunsan"])).content.decode()
    assert "나운동 은파호수공원 입구" in text and "조촌동 시청로 17" in text
    assert "3대" in text
    assert reverse("publishing:location_sign_pdf", args=["gunsan", "control-centre", "naun"]) in text
    pdf = client.get(reverse("publishing:location_sign_pdf", args=["gunsan", "control-centre", "naun"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.slow
def test_imported_seed_registers_are_not_public_until_published(client, db):
    registers = Path(__file__).resolve().parents[4] / "registers"
    for slug in ("gunsan", "osan", "geumcheon"):
        call_command("import_register", str(registers / f"{slug}.yaml"), verbosity=0)
    home = client.get(reverse("home")).content.decode()
    for name, slug in (("군산시", "gunsan"), ("오산시", "osan"), ("금천구", "geumcheon")):
        assert name not in home, name
        response = client.get(reverse("publishing:policy", args=[slug]))
        assert response.status_code == 404 and "공개 문서에 미수록" not in response.content.decode()
