"""With the middleware, a user who must change the password reaches nothing else first."""

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def with_middleware(settings):
    name = "jikimi.accounts.middleware.PasswordChangeRequiredMiddleware"
    if name not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, name]


def test_every_other_page_sends_the_user_to_the_change_page(client):
    log_in(client, make_user("alice", must_change_password=True))
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("accounts:user_list"))["Location"] == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200


def test_a_user_with_a_chosen_password_passes(client):
    log_in(client, make_user("alice"))
    assert client.get(reverse("accounts:user_list")).status_code == 403
