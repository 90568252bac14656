"""Inputs have limits: every route takes at most its body limit, refused (413, in Korean) before the
body is read — the JSON API and the forms at JIKIMI_MAX_REQUEST_BODY_KB; and every id in the URL conf
goes through the `id` converter (at most 18 digits), never Django's unbounded `int`."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from tests.servers import run_apart

from jikimi.accounts.testing import log_in, make_user
from jikimi.web.asgi import application as asgi_application
from jikimi.web.request_limits import BODY_LIMITS, body_limit

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_default(settings: Any) -> int:
    settings.JIKIMI_MAX_REQUEST_BODY_BYTES = 16 * 1024
    return settings.JIKIMI_MAX_REQUEST_BODY_BYTES  # type: ignore[no-any-return]


def test_a_json_body_over_the_default_limit_is_refused_413_with_a_json_error(
    client: Any, small_default: int
) -> None:
    log_in(client, make_user("alice", "officer"))
    body = json.dumps({"group": "bus-lane", "reason": "비" * small_default})
    response = client.post("/api/vault/recording/start", body, content_type="application/json")
    assert response.status_code == 413
    assert "요청 본문이(가) 너무 큽니다" in response.json()["error"]


def test_a_form_over_the_default_limit_is_refused_before_the_login_is_even_checked(
    client: Any, small_default: int
) -> None:
    response = client.post("/accounts/login/", {"username": "x", "password": "p" * (2 * small_default)})
    assert response.status_code == 413 and "너무 큽니다" in response.content.decode()


def test_a_content_length_that_is_not_a_number_is_refused(client: Any) -> None:
    response = client.generic("POST", "/accounts/login/", b"x", CONTENT_LENGTH="12abc")
    assert response.status_code == 400 and "Content-Length" in response.content.decode()


def test_only_the_footage_upload_takes_large_bodies(settings: Any) -> None:
    assert body_limit("/vault/devices/1/upload/") is BODY_LIMITS["vault:upload"]
    assert body_limit("/api/vault/recording/start").bytes == settings.JIKIMI_MAX_REQUEST_BODY_BYTES
    assert body_limit("/no/such/page/").bytes == settings.JIKIMI_MAX_REQUEST_BODY_BYTES


def test_under_asgi_a_declared_length_over_the_limit_is_refused_before_any_byte_is_read(
    small_default: int,
) -> None:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        raise AssertionError("the body must not be read")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/vault/recording/start",
        "headers": [(b"content-length", str(small_default + 1).encode())],
    }
    run_apart(asgi_application(scope, receive, send))
    assert sent[0]["status"] == 413 and "너무 큽니다" in json.loads(sent[1]["body"])["error"]


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _patterns(entry, route)
        elif isinstance(entry, URLPattern):
            found.append((route, entry.pattern))
    return found


def test_no_route_takes_an_unbounded_int() -> None:
    unbounded = [
        route
        for route, pattern in _patterns(get_resolver())
        if any(isinstance(c, IntConverter) for c in getattr(pattern, "converters", {}).values())
    ]
    assert unbounded == []
