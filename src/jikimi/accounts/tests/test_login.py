"""Login with lockout after repeated failures (안전성 확보조치 기준 제5조⑥, R37); every attempt is audited."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.actions import LOGIN_FAILED_MESSAGE
from jikimi.accounts.testing import PASSWORD, log_in, make_user
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log

pytestmark = [pytest.mark.django_db]

LOGIN = "/accounts/login/"
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def office_network(settings):
    # The clients of these tests sit in the institution's network 10.0.0.0/8 (R38).
    settings.JIKIMI_INTERNAL_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, REMOTE_ADDR="10.9.8.7")


def actions():
    return list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))


def test_the_login_page_is_korean_and_uses_krds(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "직원 로그인" in page and "krds-input" in page and "krds-btn" in page


def test_a_successful_login_is_recorded_with_the_client_address(client):
    alice = make_user("alice")
    response = post_login(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    entry = AuditEntry.objects.get(action="accounts.login")
    assert (entry.actor, entry.client_address, entry.target_id) == (alice, "10.9.8.7", str(alice.pk))


def test_a_failed_login_is_recorded_and_says_nothing_about_which_part_was_wrong(client):
    make_user("alice")
    response = post_login(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert LOGIN_FAILED_MESSAGE in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.details["cause"] == "wrong_password" and entry.actor is None


def test_a_login_with_an_unknown_username_is_recorded(client):
    post_login(client, "mallory", "whatever")
    entry = AuditEntry.objects.get(action="accounts.login_failed")
    assert entry.details == {"username": "mallory", "cause": "unknown_user"}


def test_the_account_locks_after_the_configured_number_of_failures(client, settings):
    settings.JIKIMI_LOGIN_FAILURE_LIMIT = 3
    settings.JIKIMI_LOCKOUT_MINUTES = 30
    alice = make_user("alice")
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            post_login(client, "alice", "wrong-password")
        alice.refresh_from_db()
        assert alice.locked_until == START + timedelta(minutes=30)
        assert actions().count("accounts.locked") == 1
        # While locked even the right password is refused, and that is recorded too.
        response = post_login(client, "alice", PASSWORD)
        # The same words as for a wrong password or an unknown user: nothing tells that alice exists.
        assert LOGIN_FAILED_MESSAGE in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert AuditEntry.objects.filter(action="accounts.login_failed", details__cause="locked").exists()
    with time_machine.travel(START + timedelta(minutes=31), tick=False):
        assert post_login(client, "alice", PASSWORD).status_code == 302
    assert verify_log().ok


def test_a_success_resets_the_count_of_consecutive_failures(client, settings):
    settings.JIKIMI_LOGIN_FAILURE_LIMIT = 3
    alice = make_user("alice")
    post_login(client, "alice", "wrong-password")
    post_login(client, "alice", "wrong-password")
    post_login(client, "alice", PASSWORD)
    alice.refresh_from_db()
    assert alice.failed_login_count == 0
    client.logout()
    post_login(client, "alice", "wrong-password")
    alice.refresh_from_db()
    assert alice.locked_until is None


def test_an_inactive_account_cannot_log_in(client):
    make_user("alice", is_active=False)
    response = post_login(client, "alice", PASSWORD)
    assert response.status_code == 200
    assert AuditEntry.objects.get(action="accounts.login_failed").details["cause"] == "inactive"


def test_a_user_who_must_change_the_password_is_sent_to_the_change_page(client):
    make_user("alice", must_change_password=True)
    response = post_login(client, "alice", PASSWORD)
    assert response["Location"] == reverse("accounts:password_change")


def test_it_follows_a_local_next_but_not_a_foreign_one(client):
    make_user("alice")
    assert (
        post_login(client, "alice", PASSWORD, next="/accounts/password/")["Location"] == "/accounts/password/"
    )
    client.logout()
    assert (
        "evil.example" not in post_login(client, "alice", PASSWORD, next="https://evil.example/")["Location"]
    )


def test_logout_is_recorded_and_needs_post(client):
    alice = make_user("alice")
    log_in(client, alice)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="accounts.logout").actor == alice
    assert "_auth_user_id" not in client.session
