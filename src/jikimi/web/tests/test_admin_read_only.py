"""No model of jikimi is added, changed or deleted through the Django admin, not even by a superuser.

Every change goes through an app's actions, which apply the law's checks and write the audit entry in
the same transaction (ISSUE 10 §4); an admin form would bypass both.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from jikimi.accounts.testing import make_user

pytestmark = pytest.mark.django_db

JIKIMI_ADMINS = [
    model_admin
    for model, model_admin in admin.site._registry.items()
    if model.__module__.startswith("jikimi.")
]


def test_every_app_with_models_of_record_is_in_the_admin_but_the_vault():
    apps = {model_admin.model._meta.app_label for model_admin in JIKIMI_ADMINS}
    assert {"accounts", "audit", "inventory", "publishing"} <= apps
    # R36: footage, legal holds and destructions are not in the admin at all (jikimi.vault.admin).
    assert "vault" not in apps


@pytest.mark.parametrize("model_admin", JIKIMI_ADMINS, ids=lambda m: m.model._meta.label)
def test_a_superuser_can_neither_add_change_nor_delete_in_the_admin(model_admin):
    request = RequestFactory().get("/admin/")
    request.user = make_user("root", is_superuser=True, is_staff=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert not model_admin.get_actions(request), "bulk actions (delete selected) must be off"
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None)
        assert not inline.has_change_permission(request)
        assert not inline.has_delete_permission(request)
