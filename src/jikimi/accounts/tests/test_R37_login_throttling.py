"""Login throttling per client address as well as per account, one message for every refusal, and the
password rules (안전성 확보조치 기준 제5조⑤⑥, R37)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django.urls import reverse

from jikimi.accounts.actions import LOGIN_FAILED_MESSAGE
from jikimi.accounts.testing import PASSWORD, enrol_second_factor, log_in, make_user
from jikimi.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db]

LOGIN = "/accounts/login/"
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ATTACKER = "10.66.0.1"


@pytest.fixture(autouse=True)
def office_network(settings):
    settings.JIKIMI_INTERNAL_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]
    settings.JIKIMI_ADDRESS_FAILURE_LIMIT = 5
    settings.JIKIMI_ADDRESS_FAILURE_WINDOW_MINUTES = 15
    settings.JIKIMI_ADDRESS_LOCKOUT_MINUTES = 30


def attempt(username, password, address=ATTACKER):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


@pytest.mark.calendar
def test_one_password_tried_across_many_accounts_gets_the_address_refused():
    for number in range(8):
        make_user(f"user{number}")
    with time_machine.travel(START, tick=False):
        for number in range(5):
            assert attempt(f"user{number}", "Winter2026!!").status_code == 200
        blocked = AuditEntry.objects.get(action="accounts.address_blocked")
        assert blocked.client_address == ATTACKER and blocked.details["address"] == ATTACKER
        # Refused now even with a right password, and the message is the same as for a wrong one.
        refused = attempt("user7", PASSWORD)
        assert refused.status_code == 200 and LOGIN_FAILED_MESSAGE in refused.content.decode()
        assert AuditEntry.objects.filter(details__cause="address_blocked").count() == 1
        # Other addresses are not affected, and no single account reached its own lockout.
        assert attempt("user7", PASSWORD, address="10.1.2.3").status_code == 302
    with time_machine.travel(START + timedelta(minutes=31), tick=False):
        assert attempt("user7", PASSWORD).status_code == 302


@pytest.mark.calendar
def test_failures_spread_beyond_the_window_do_not_add_up():
    make_user("alice")
    for minute in range(0, 80, 16):
        with time_machine.travel(START + timedelta(minutes=minute), tick=False):
            attempt("mallory", "guess")
    with time_machine.travel(START + timedelta(minutes=81), tick=False):
        assert attempt("alice", PASSWORD).status_code == 302
    assert not AuditEntry.objects.filter(action="accounts.address_blocked").exists()


def test_wrong_second_factor_codes_count_against_the_address_too(settings):
    alice = make_user("alice", "officer")
    enrol_second_factor(alice, ATTACKER)
    client = Client(REMOTE_ADDR=ATTACKER)
    client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    start = datetime.now(tz=UTC)
    for seconds in range(5):
        # Spaced out beyond django-otp's own slowing down on the device.
        with time_machine.travel(start + timedelta(seconds=60 * seconds), tick=False):
            client.post(reverse("accounts:second_factor"), {"code": "000000"})
    assert AuditEntry.objects.filter(action="accounts.address_blocked").exists()


class CountingHasher(Argon2PasswordHasher):
    """Argon2, counting how often a password is hashed: the work that decides how long a login takes."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        CountingHasher.calls += 1
        return super().verify(password, encoded)


@pytest.mark.calendar
def test_unknown_wrong_locked_and_inactive_accounts_answer_alike(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    settings.JIKIMI_LOGIN_FAILURE_LIMIT = 2
    settings.JIKIMI_ADDRESS_FAILURE_LIMIT = 100
    with time_machine.travel(START, tick=False):
        make_user("alice")
        make_user("locked")
        make_user("gone", is_active=False)
        attempt("locked", "wrong-password-1")
        attempt("locked", "wrong-password-2")
        pages = {}
        for case, username, password in [
            ("unknown", "mallory", PASSWORD),
            ("wrong password", "alice", "wrong-password"),
            ("locked, right password", "locked", PASSWORD),
            ("inactive", "gone", PASSWORD),
        ]:
            CountingHasher.calls = 0
            response = attempt(username, password)
            # The same page but for the username typed back and the CSRF token.
            pages[case] = re.sub(
                r"[A-Za-z0-9]{32,}", "TOKEN", response.content.decode().replace(username, "U")
            )
            assert response.status_code == 200, case
            assert CountingHasher.calls == 1, case  # one hash on every path: the same time taken
        assert all(LOGIN_FAILED_MESSAGE in page for page in pages.values())
        assert len(set(pages.values())) == 1
        assert "잠겼습니다" not in "".join(pages.values())


def test_a_password_shorter_than_12_characters_is_refused(client):
    alice = make_user("alice")
    log_in(client, alice)
    form = {"old_password": PASSWORD, "new_password1": "Tr9#kq2!Lm4", "new_password2": "Tr9#kq2!Lm4"}
    response = client.post(reverse("accounts:password_change"), form)
    assert response.status_code == 200 and "12자" in response.content.decode()
    common = {"old_password": PASSWORD, "new_password1": "password1234", "new_password2": "password1234"}
    assert client.post(reverse("accounts:password_change"), common).status_code == 200
    good = {"old_password": PASSWORD, "new_password1": "Tr9#kq2!Lm4x", "new_password2": "Tr9#kq2!Lm4x"}
    assert client.post(reverse("accounts:password_change"), good).status_code == 302
