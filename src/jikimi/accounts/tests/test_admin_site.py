"""The Django admin shows accounts, grants and the audit log read-only (R36, R40)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from jikimi.accounts.models import RoleGrant, User
from jikimi.accounts.testing import make_user, personas
from jikimi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [User, RoleGrant, AuditEntry])
def test_nobody_adds_changes_or_deletes_through_the_admin(model):
    request = RequestFactory().get("/admin/")
    request.user = make_user("root", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_superuser_without_an_auditor_role_cannot_read_the_log_in_the_admin():
    people = personas()
    request = RequestFactory().get("/admin/")
    request.user = make_user("root", is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[AuditEntry]
    assert not model_admin.has_view_permission(request)
    request.user = people["auditor"]
    assert model_admin.has_view_permission(request)


def test_the_admin_login_goes_through_jikimis_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
