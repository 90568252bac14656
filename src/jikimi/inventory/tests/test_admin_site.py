"""The Django admin shows every model of the register to administrators, and audits what they change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jikimi.audit.models import AuditEntry


@pytest.fixture
def admin_client(client, institution, django_user_model):
    admin = django_user_model.objects.create_superuser(
        username="root", password=None, email="", name="관리자"
    )
    client.force_login(admin)
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
    ],
)
def test_every_register_model_has_an_admin_list(admin_client, model):
    assert admin_client.get(reverse(f"admin:inventory_{model}_changelist")).status_code == 200


def test_the_group_page_shows_its_locations_inline(admin_client, bus_lane):
    response = admin_client.get(reverse("admin:inventory_devicegroup_change", args=[bus_lane.pk]))
    assert response.status_code == 200
    assert "율목동 유동3거리" in response.content.decode()


def test_a_change_in_the_admin_is_audited(admin_client, institution):
    department = institution.departments.get(name="총무과")
    url = reverse("admin:inventory_department_change", args=[department.pk])
    response = admin_client.post(
        url,
        {
            "institution": institution.pk,
            "key": department.key,
            "name": "총무과",
            "phone": "440-2500",
            "position": 1,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="inventory.admin_change")
    assert entry.target_id == str(department.pk) and entry.details == {"fields": ["phone"]}
