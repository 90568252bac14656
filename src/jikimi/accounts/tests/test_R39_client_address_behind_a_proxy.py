"""The audit log records the client's own address (R39 "origin"), behind a reverse proxy too, and a
client cannot write someone else's address into it (JIKIMI_TRUSTED_PROXY_HEADER, JIKIMI_TRUSTED_PROXIES)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from jikimi.accounts.testing import PASSWORD, make_user
from jikimi.audit.context import client_address
from jikimi.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db]

PROXY = "10.20.0.5"


@pytest.fixture(autouse=True)
def behind_a_proxy(settings):
    settings.JIKIMI_INTERNAL_NETWORKS = ["127.0.0.0/8", "10.0.0.0/8"]
    settings.JIKIMI_TRUSTED_PROXIES = ["10.20.0.0/30", "10.20.0.4/30"]
    settings.JIKIMI_TRUSTED_PROXY_HEADER = "X-Forwarded-For"


def address(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_the_settings_read_the_documented_environment_variables():
    from jikimi.web import settings as module

    assert module.JIKIMI_TRUSTED_PROXY_HEADER == "X-Forwarded-For"
    assert module.JIKIMI_TRUSTED_PROXIES == []  # nobody's header is believed until proxies are named


def test_behind_the_trusted_proxy_the_client_address_is_the_one_it_forwards():
    assert address(PROXY, "10.1.2.3") == "10.1.2.3"
    # The right-most address that is not one of our proxies: what a client put on the left is ignored.
    assert address(PROXY, "1.2.3.4, 10.1.2.3") == "10.1.2.3"
    assert address(PROXY, "1.2.3.4, 10.1.2.3, 10.20.0.1") == "10.1.2.3"
    assert address(PROXY, "garbage") == "invalid:garbage"
    assert address(PROXY) == PROXY  # the proxy's own request (a health check)


def test_a_client_not_behind_the_proxy_cannot_choose_its_address():
    assert address("10.9.9.9", "1.2.3.4") == "10.9.9.9"


def test_the_header_may_be_named_as_in_request_meta(settings):
    settings.JIKIMI_TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    assert address(PROXY, "10.1.2.3") == "10.1.2.3"


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.JIKIMI_TRUSTED_PROXIES = []
    assert address(PROXY, "10.1.2.3") == PROXY


def test_a_spoofed_header_does_not_reach_the_audit_log(settings):
    make_user("alice")
    direct = Client(REMOTE_ADDR="10.9.9.9")
    # A forwarding header from a client that is not a proxy counts as outside (jikimi.accounts.access):
    # refused outright, and with outside access allowed its login is recorded at its own address.
    assert direct.get("/accounts/login/", HTTP_X_FORWARDED_FOR="10.7.7.7").status_code == 403
    settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS = True
    direct.post(
        "/accounts/login/", {"username": "alice", "password": "wrong"}, HTTP_X_FORWARDED_FOR="10.7.7.7"
    )
    proxied = Client(REMOTE_ADDR=PROXY)
    proxied.post(
        "/accounts/login/",
        {"username": "alice", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.7.7.7, 10.1.2.3",
    )
    failed = AuditEntry.objects.get(action="accounts.login_failed")
    login = AuditEntry.objects.get(action="accounts.login")
    assert (failed.client_address, login.client_address) == ("10.9.9.9", "10.1.2.3")


def test_the_forwarded_scheme_is_believed_only_from_the_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    direct = Client(REMOTE_ADDR="10.9.9.9").get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    proxied = Client(REMOTE_ADDR=PROXY).get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
