"""제6조④ (R38): a signed-in session ends after SESSION_COOKIE_AGE without activity, and activity keeps it —
written at most once a minute (accounts.middleware.IdleSessionMiddleware), not once per request."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jikimi.accounts.middleware import SESSION_REFRESH_SECONDS
from jikimi.accounts.testing import log_in, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.calendar]

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
HOME = "/"


@pytest.fixture(autouse=True)
def office_network(settings):
    settings.JIKIMI_INTERNAL_NETWORKS = ["127.0.0.0/8"]
    settings.SESSION_COOKIE_AGE = 30 * 60


def signed_in(client) -> bool:
    return client.get(HOME).wsgi_request.user.is_authenticated


def session_writes(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return sum(
        1 for q in queries if q["sql"].lstrip().upper().startswith("UPDATE") and "django_session" in q["sql"]
    )


def test_R38_activity_keeps_the_session_and_idleness_ends_it(client):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, make_user("alice"))
        for _ in range(3):  # 25 minutes apart, an hour and a quarter in all: still signed in
            clock.shift(timedelta(minutes=25))
            assert signed_in(client)
        clock.shift(timedelta(minutes=31))  # then idle past the limit
        assert not signed_in(client)


def test_R38_a_burst_of_requests_writes_the_session_once_a_minute(client):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, make_user("alice"))
        client.get(HOME)
        clock.shift(timedelta(seconds=SESSION_REFRESH_SECONDS))
        assert session_writes(client) == 1  # a minute on: the expiry moves forward
        assert [session_writes(client) for _ in range(5)] == [0] * 5  # the live wall's tiles: no writes
        clock.shift(timedelta(seconds=SESSION_REFRESH_SECONDS))
        assert session_writes(client) == 1


def test_R38_no_session_is_made_for_an_anonymous_visitor(client):
    client.get("/accounts/login/")
    assert "sessionid" not in client.cookies
