"""R36: the Django admin is no back door.

It is for system administrators (superusers) only — an institution's administrator made by
`create_admin --institution` is not staff, and staff alone opens nothing; it is read-only for everybody;
and a superuser sees in it only what jikimi's roles let them see: no legal holds, destructions or
recording triggers at all, the register and devices only of institutions where they hold a grant.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from jikimi.accounts.models import User
from jikimi.accounts.testing import log_in, make_group, make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.inventory.models import DeviceGroup
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import Destruction, LegalHold, RecordingTrigger

pytestmark = pytest.mark.django_db

SETUP = Actor(user=None, label="테스트 준비", client_address="test")


@pytest.fixture
def world():
    incheon = make_institution()
    gunsan = make_institution("gunsan", "군산시")
    traffic = make_group("교통행정과", "bus-lane", retention="30일")
    gunsan_group = make_group("안전총괄과", "gs-cctv", institution=gunsan)
    return {
        "incheon": incheon,
        "gunsan": gunsan,
        "traffic": traffic,
        "device": add_device(SETUP, traffic, "정문 1번"),
        "gunsan_group": gunsan_group,
        "gunsan_device": add_device(SETUP, gunsan_group, "시청 GUNSAN-DEVICE"),
    }


def test_create_admin_with_an_institution_no_longer_makes_staff(world):
    call_command(
        "create_admin", "--username", "kim", "--name", "김관리", "--institution", "incheon", stdout=StringIO()
    )
    kim = User.objects.get(username="kim")
    assert not kim.is_staff and not kim.is_superuser


def test_create_admin_takes_staff_away_from_an_institution_administrator_who_had_it(world):
    make_user("kim", "administrator", is_staff=True)
    call_command(
        "create_admin", "--username", "kim", "--name", "김관리", "--institution", "incheon", stdout=StringIO()
    )
    assert not User.objects.get(username="kim").is_staff


@pytest.mark.parametrize("is_staff", [False, True])
def test_an_institutions_administrator_is_refused_the_admin(client, world, is_staff):
    # Even one made staff (as create_admin --institution used to) opens nothing; sent to the admin's
    # login, which is jikimi's, a logged-in user is refused there: 403.
    log_in(client, make_user("kim", "administrator", institution=world["gunsan"], is_staff=is_staff))
    for url in (
        reverse("admin:index"),
        reverse("admin:inventory_device_change", args=[world["device"].pk]),
        reverse("admin:inventory_device_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:inventory_devicegroup_changelist"),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 403, url
        assert "GUNSAN" not in response.content.decode() and "정문 1번" not in response.content.decode()


def test_footage_holds_and_destructions_are_not_in_the_admin():
    for model in (LegalHold, Destruction, RecordingTrigger, Group):
        assert not admin.site.is_registered(model), model
    with pytest.raises(NoReverseMatch):
        reverse("admin:vault_legalhold_changelist")


def test_a_superuser_without_a_grant_sees_accounts_only(client, world):
    log_in(client, make_user("root", is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    for url in (
        reverse("admin:inventory_devicegroup_changelist"),
        reverse("admin:inventory_device_changelist"),
        reverse("admin:inventory_device_change", args=[world["device"].pk]),
        reverse("admin:audit_auditentry_changelist"),
    ):
        assert client.get(url).status_code == 403, url


def test_a_superuser_sees_devices_only_of_institutions_where_they_hold_a_grant(client, world):
    log_in(client, make_user("root", "administrator", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:inventory_device_changelist")).content.decode()
    assert "정문 1번" in page and "GUNSAN-DEVICE" not in page
    response = client.get(
        reverse("admin:inventory_device_change", args=[world["gunsan_device"].pk]), follow=True
    )
    assert "GUNSAN-DEVICE" not in response.content.decode()
    groups = client.get(reverse("admin:inventory_devicegroup_changelist")).content.decode()
    assert "bus-lane" in groups and "gs-cctv" not in groups


def test_the_user_page_shows_no_password_hash(client, world):
    log_in(client, make_user("root", is_superuser=True, is_staff=True))
    kim = make_user("kim", "officer")
    page = client.get(reverse("admin:accounts_user_change", args=[kim.pk])).content.decode()
    assert kim.password not in page and "argon2" not in page


def test_a_superuser_cannot_set_a_groups_retention_through_the_admin(client, world):
    """The register page refuses '영원히 abc'; the admin must not take it either (and stop destruction)."""
    log_in(client, make_user("root", "administrator", is_superuser=True, is_staff=True))
    group = world["traffic"]
    url = reverse("admin:inventory_devicegroup_change", args=[group.pk])
    form = {
        "name": group.name,
        "department": group.department_id,
        "kind": group.kind,
        "status": group.status,
        "purpose": group.purpose,
        "count": group.count,
        "site": group.site,
        "storage_place": group.storage_place,
        "retention": "영원히 abc",
        "legal_bases": '["crime"]',
        "locations-TOTAL_FORMS": "0",
        "locations-INITIAL_FORMS": "0",
        "_save": "저장",
    }
    assert client.post(url, form).status_code == 403
    assert client.post(reverse("admin:inventory_devicegroup_add"), form).status_code == 403
    delete = reverse("admin:inventory_devicegroup_delete", args=[group.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    group.refresh_from_db()
    assert group.retention == "30일"
    assert DeviceGroup.objects.filter(pk=group.pk).exists()
