"""Password change: audited, clears the must-change flag; the login decorator enforces the flag."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from jikimi.accounts.permissions import login_required
from jikimi.accounts.testing import PASSWORD, log_in, make_user
from jikimi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW = "a-much-longer-passphrase-2026"


def test_a_user_changes_the_password_and_it_is_recorded(client):
    alice = make_user("alice", must_change_password=True)
    log_in(client, alice)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "임시 비밀번호로 로그인했습니다" in page
    # Every word on the page in Korean: Django's help text under the confirmation was English.
    assert "확인을 위해 새 비밀번호를 한 번 더 입력하십시오" in page and "Enter the same" not in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW) and not alice.must_change_password
    assert alice.password.startswith("argon2$")  # R42: one-way hashed, Argon2
    assert AuditEntry.objects.get(action="accounts.change_password").actor == alice
    # The session survives the change.
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_wrong_current_password_is_refused_in_korean(client):
    log_in(client, make_user("alice"))
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "현재 비밀번호가 맞지 않습니다" in response.content.decode()
    assert not AuditEntry.objects.filter(action="accounts.change_password").exists()


def test_a_weak_or_unchanged_password_is_refused(client):
    log_in(client, make_user("alice"))
    for new in ("12345678901", PASSWORD):
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 200


def test_the_login_decorator_sends_a_must_change_user_to_the_change_page():
    @login_required
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/somewhere/")
    request.user = make_user("alice", must_change_password=True)
    assert view(request)["Location"] == reverse("accounts:password_change")
    request.user = make_user("bob")
    assert view(request).content == b"ok"
