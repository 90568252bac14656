"""The Django admin shows every model of the register to system administrators who hold a grant to see
it, and changes none of it (R36: a superuser is no back door; jikimi.accounts.admin)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.models import AuditEntry


@pytest.fixture
def admin_client(client, institution):
    # A superuser (the only kind of user the admin lets in) who administers the institution.
    admin = make_user("root", "administrator", institution=institution, is_superuser=True, is_staff=True)
    log_in(client, admin)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "institution",
        "department",
        "officer",
        "contractor",
        "devicegroup",
        "location",
        "declaredtotal",
        "policydocument",
        "policyrevision",
        "requestfee",
    ],
)
def test_every_register_model_has_an_admin_list(admin_client, model):
    assert admin_client.get(reverse(f"admin:inventory_{model}_changelist")).status_code == 200


def test_the_group_page_shows_its_locations_inline(admin_client, bus_lane):
    response = admin_client.get(reverse("admin:inventory_devicegroup_change", args=[bus_lane.pk]))
    assert response.status_code == 200
    assert "율목동 유동3거리" in response.content.decode()


def test_R16_a_change_in_the_admin_is_refused_so_the_law_checks_cannot_be_bypassed(admin_client, bus_lane):
    # 법 제21조①: retention is changed only through the audited, checked action (inventory:group_edit).
    url = reverse("admin:inventory_devicegroup_change", args=[bus_lane.pk])
    assert admin_client.post(url, {"name": bus_lane.name, "retention": "3년"}).status_code == 403
    bus_lane.refresh_from_db()
    assert bus_lane.retention != "3년"
    page = admin_client.get(url).content.decode()
    assert 'name="retention"' not in page and "_save" not in page


def test_nothing_of_the_register_is_added_or_deleted_in_the_admin(admin_client, institution, bus_lane):
    assert admin_client.get(reverse("admin:inventory_location_add")).status_code == 403
    assert admin_client.post(reverse("admin:inventory_institution_add"), {"name": "x"}).status_code == 403
    delete = reverse("admin:inventory_devicegroup_delete", args=[bus_lane.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:inventory_devicegroup_changelist")
    response = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [bus_lane.pk]})
    assert response.status_code in (200, 302)
    assert type(bus_lane).objects.filter(pk=bus_lane.pk).exists()
    assert not AuditEntry.objects.filter(action__startswith="inventory.admin").exists()
