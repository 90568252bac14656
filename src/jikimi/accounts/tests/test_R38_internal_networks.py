"""Access from outside the institution's networks (안전성 확보조치 기준 제6조①, R38).

Outside JIKIMI_INTERNAL_NETWORKS only the public pages (the policy, its versions and comparisons, the
signs and their QR targets) and the citizens' request pages answer; every staff page, the Django admin
and the API answer 403 in Korean. With JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS=1 staff may log in from outside,
and then every account passes a second factor, whatever its role; enrolling one needs the inside.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jikimi.accounts import access
from jikimi.accounts.testing import (
    PASSWORD,
    current_code,
    enrol_second_factor,
    log_in,
    make_contract_in_force,
    make_group,
    make_institution,
    make_user,
)
from jikimi.lib.networks import address_in, parse_networks

pytestmark = [pytest.mark.django_db]

OUTSIDE = "203.0.113.9"  # TEST-NET-3: the internet
INSIDE = "10.20.30.40"


@pytest.fixture(autouse=True)
def office_network(settings):
    settings.JIKIMI_INTERNAL_NETWORKS = ["127.0.0.0/8", "10.20.0.0/16"]
    settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS = False


@pytest.fixture
def outsider():
    return Client(REMOTE_ADDR=OUTSIDE)


def test_the_default_internal_network_is_loopback_only():
    from jikimi.web import settings as module

    assert module.JIKIMI_INTERNAL_NETWORKS == ["127.0.0.0/8", "::1/128"]
    assert module.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS is False


def test_a_network_list_is_cidr_and_a_wrong_entry_is_named():
    assert address_in("10.20.1.2", ["10.20.0.0/16"]) and not address_in("10.21.1.2", ["10.20.0.0/16"])
    assert address_in("::ffff:10.20.1.2", ["10.20.0.0/16"])  # an IPv4 client on a dual-stack socket
    assert not address_in("not-an-address", ["0.0.0.0/0"])
    with pytest.raises(ValueError, match="JIKIMI_INTERNAL_NETWORKS: '10.0.0.0/33'"):
        parse_networks("10.0.0.0/8, 10.0.0.0/33", "JIKIMI_INTERNAL_NETWORKS")


def test_from_outside_the_public_pages_answer(outsider):
    institution = make_institution()
    group = make_group("교통행정과", "bus-lane", institution)
    assert outsider.get("/").status_code == 200
    assert outsider.get("/healthz").status_code == 200
    for name, args in [
        ("publishing:policy", [institution.slug]),
        ("publishing:signs", [institution.slug]),
        ("publishing:sign_pdf", [institution.slug, group.key]),
    ]:
        assert outsider.get(reverse(name, args=args)).status_code != 403, name


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/register/", "/vault/", "/audit/", "/publishing/", "/admin/", "/no-such-page/"],
)
def test_from_outside_every_staff_page_answers_403_in_korean(outsider, path):
    response = outsider.get(path)
    assert response.status_code == 403
    assert "기관 내부망에서만 열 수 있습니다" in response.content.decode()


def test_from_outside_the_api_answers_403(outsider):
    response = outsider.get("/api/vault/coverage")
    assert response.status_code == 403 and "기관 내부망" in response.json()["detail"]


def test_a_logged_in_session_carried_outside_is_refused_too(client):
    alice = make_user("alice", "officer")
    log_in(client, alice)
    assert client.get("/register/").status_code == 200
    assert client.get("/register/", REMOTE_ADDR=OUTSIDE).status_code == 403


def test_a_forwarded_for_header_from_an_untrusted_client_does_not_make_it_internal(outsider, settings):
    settings.JIKIMI_TRUSTED_PROXIES = ["10.20.0.1/32"]
    assert outsider.get("/register/", HTTP_X_FORWARDED_FOR=INSIDE).status_code == 403


def test_an_unnamed_proxy_on_this_host_does_not_make_the_internet_internal(settings):
    # nginx on the same machine, JIKIMI_TRUSTED_PROXIES forgotten: every request comes from 127.0.0.1
    # with the visitor in X-Forwarded-For. It is refused rather than taken for the inside.
    settings.JIKIMI_TRUSTED_PROXIES = []
    local_proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert local_proxy.get("/accounts/login/", HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 403
    assert local_proxy.get("/accounts/login/").status_code == 200


def test_behind_the_trusted_proxy_the_forwarded_address_decides(settings):
    settings.JIKIMI_TRUSTED_PROXIES = ["127.0.0.1/32"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    assert proxy.get("/accounts/login/", HTTP_X_FORWARDED_FOR=OUTSIDE).status_code == 403
    assert proxy.get("/accounts/login/", HTTP_X_FORWARDED_FOR=INSIDE).status_code == 200


def test_outside_staff_access_when_allowed_needs_a_second_factor_for_every_role(outsider, settings):
    settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS = True
    # A role that reads the register only (the 관제요원 now watches live video: a second factor, R38).
    operator = make_user("olga", "contractor")  # inside, the password alone would do
    make_user("head", "control_head")  # R35: an official owns the centre while a contract runs
    make_contract_in_force(operator)  # R33: a contractor works only under a contract in force
    inside = Client(REMOTE_ADDR=INSIDE)
    inside.post("/accounts/login/", {"username": "olga", "password": PASSWORD})
    assert inside.get("/register/").status_code == 200

    response = outsider.post("/accounts/login/", {"username": "olga", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    assert outsider.get("/register/")["Location"].startswith(reverse("accounts:second_factor"))
    # No app yet: enrolling one is refused outside (a stolen password must not register a phone).
    enrol = outsider.get(reverse("accounts:second_factor"), follow=True)
    assert enrol.status_code == 403 and "기관 내부망에서만" in enrol.content.decode()

    device = enrol_second_factor(operator, INSIDE)
    verified = outsider.post(reverse("accounts:second_factor"), {"code": current_code(device)})
    assert verified.status_code == 302
    assert outsider.get("/register/").status_code == 200


def test_the_citizen_request_pages_have_their_own_allow_list():
    # The citizens' pages are the "requests" namespace (the 청구서, the status link): open from anywhere;
    # the staff's request pages ("disclosure") are not.
    assert access.CITIZEN_REQUEST_NAMESPACE == "requests"
    assert not any(name.startswith("disclosure:") for name in access.CITIZEN_REQUEST_VIEW_NAMES)
    assert "publishing:policy" in access.PUBLIC_VIEW_NAMES
    assert not any(name.startswith(("accounts:", "admin:", "api")) for name in access.PUBLIC_VIEW_NAMES)
