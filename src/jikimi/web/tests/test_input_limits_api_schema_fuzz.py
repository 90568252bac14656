"""Inputs have limits: schemathesis sends every operation of /api/openapi.json generated values — huge
ids, year-1 dates, long strings, wrong types — as a signed-in officer, and no answer is a 500.

The run is bounded and reproducible: a few examples per operation, derandomized (the same examples on
every run), no deadline (the machine is shared). The schema itself, and /api/docs, are for signed-in
staff only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, not_a_server_error, status_code_conformance

from jikimi.accounts.testing import log_in, make_group, make_user
from jikimi.web.api import api
from jikimi.web.wsgi import application

pytestmark = pytest.mark.django_db


# The officer's session, set per test by `signed_in` and put into every request by `_as_the_officer`
# (the WSGI test client's cookie jar would replace a Cookie header).
_SESSION: dict[str, str] = {}


def _as_the_officer(environ: dict[str, Any], start_response: Any) -> Any:
    environ.update(_SESSION)
    return application(environ, start_response)


# The schema as /api/openapi.json serves it to a signed-in officer (the URL itself needs a login, which
# pytest collection cannot do; test_the_schema_… below checks the URL serves this same document).
def _served_schema() -> dict[str, Any]:
    served: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
    return served


def _without_the_cookie_scheme(document: dict[str, Any]) -> dict[str, Any]:
    """The session cookie is always sent (above): without the declared scheme, schemathesis does not
    count a request "missing" it as invalid data (anonymous callers: test_anonymous_… below)."""
    for operations in document["paths"].values():
        for operation in operations.values():
            operation.pop("security", None)
    document.get("components", {}).pop("securitySchemes", None)
    return document


schema = schemathesis.openapi.from_dict(_without_the_cookie_scheme(_served_schema()))
schema.app = _as_the_officer


@pytest.fixture
def signed_in(db: Any) -> Iterator[None]:
    """A signed-in officer with a device group: session cookie and CSRF token on every request.

    As Django's test client does, the WSGI requests keep the test's database connection (the end of a
    request would otherwise close it: the test's transaction is not in autocommit)."""
    make_group("교통행정과", "bus-lane")
    user = make_user("fuzz", "officer", departments=["교통행정과"])
    client = Client(enforce_csrf_checks=True)
    log_in(client, user)  # before the signals go: each test-client request connects them again
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    csrf = "c" * 32
    _SESSION.update(
        HTTP_COOKIE=f"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}", HTTP_X_CSRFTOKEN=csrf
    )
    yield
    _SESSION.clear()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_generated_request_makes_the_api_answer_500(case: Any, signed_in: None) -> None:
    response = case.call()
    case.validate_response(
        response, checks=[not_a_server_error, status_code_conformance, negative_data_rejection]
    )


def test_the_schema_and_the_docs_are_for_signed_in_staff_only(client: Any) -> None:
    for path in ("/api/openapi.json", "/api/docs"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], path
    log_in(client, make_user("reader", "officer"))
    served = client.get("/api/openapi.json")
    assert served.status_code == 200 and served.json() == _served_schema()
    assert client.get("/api/docs").status_code == 200


def test_anonymous_callers_get_401_from_every_operation(client: Any) -> None:
    assert (
        client.get(
            "/api/vault/coverage", {"start": "2026-01-01T00:00", "end": "2026-01-01T01:00"}
        ).status_code
        == 401
    )
    assert client.get("/api/inventory/reconciliation").status_code == 401
