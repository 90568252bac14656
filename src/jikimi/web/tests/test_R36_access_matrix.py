"""R36 (안전성 확보조치 기준 제5조①: least privilege, differentiated): the role × URL × institution matrix.

Every URL pattern of the URL conf — jikimi's pages, the JSON API and every page of the Django admin —
is requested by every persona of two institutions (access_world), with its objects taken from one
institution or the other. The expected answer of each cell comes from the declared table
(access_table), never from the permission checks under test:

- an allowed persona gets an answer past the door (2xx, 400/409/422, or a redirect that is not to the
  login page); a refused one gets 401, 403, 404, 405 or a redirect to the login page;
- nobody ever gets a 500;
- no response carries a marker its reader may not see (a refusal is no public page): a camera
  password is shown to nobody; a hold requester, a viewing's purpose or an account's name only to
  the people whose scope they are in; the register's names only on public pages or in scope.
  (Text bodies only: PDF, XLSX and video answers are judged by their status alone.)

A user who must change the password is sent to the change page by every URL but the few that lead
there; POST-only views are also asked with a GET, which must be refused and show nothing.

The world is built once per module (per xdist worker) inside a transaction that is rolled back at the
end; each cell runs in a savepoint of it (pytest-django's `db`), so POSTs change nothing for the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.crypto import get_random_string

from jikimi.accounts.models import User
from jikimi.accounts.permissions import Permission
from jikimi.accounts.testing import log_in
from jikimi.web.tests.access_table import (
    OPEN_WHILE_PASSWORD_CHANGE_IS_DUE,
    ROWS,
    TARGETS,
    Row,
    Verdict,
    app_list_verdict,
    known_failure,
)
from jikimi.web.tests.access_world import MARKERS, PERSONAS, Kind, Marker, Persona, World, build_world

# ---- the URL conf, walked ---------------------------------------------------------------------


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator[str]:
    """Every pattern's key: its namespaced name, or its full route when it has no name."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        else:
            assert isinstance(pattern, URLPattern)
            yield f"{namespace}{pattern.name}" if pattern.name else prefix + str(pattern.pattern)


def test_every_url_of_the_url_conf_is_classified() -> None:
    urls = set(url_patterns())
    unclassified = sorted(urls - set(ROWS))
    stale = sorted(set(ROWS) - urls)
    assert not unclassified, (
        "URLs missing from jikimi/web/tests/access_table.py (say who may reach them): "
        + ", ".join(unclassified)
    )
    assert not stale, "rows of access_table.py for URLs that no longer exist: " + ", ".join(stale)


# ---- the cells --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    url: str
    variant: str
    target: str | None  # the institution whose objects the URL names; None: it names none
    persona: Persona

    @property
    def row(self) -> Row:
        return ROWS[self.url]

    def expected(self) -> Verdict:
        persona = self.persona
        if (
            persona.must_change_password
            and persona.effective
            and self.url not in OPEN_WHILE_PASSWORD_CHANGE_IS_DUE
        ):
            return Verdict.REFUSED  # sent to the password change first (accounts.middleware)
        if self.row.variant_kwarg:
            return app_list_verdict(self.variant, persona)
        return self.row.who(persona, self.target)


def _cells() -> list[Any]:
    cells = []
    for url in sorted(set(url_patterns()) & set(ROWS)):
        row = ROWS[url]
        for variant in row.variants or ("",):
            for target in TARGETS if row.is_targeted else (None,):
                for persona in PERSONAS:
                    cell = Cell(url, variant, target, persona)
                    name = f"{url}{f'[{variant}]' if variant else ''}@{target or 'any'}/{persona.id}"
                    reason = known_failure(url, target, persona, variant)
                    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                    cells.append(pytest.param(cell, id=name, marks=marks))
    return cells


# ---- the world --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("matrix")
    storage = override_settings(
        STORAGE_URL=f"file://{folder / 'footage'}?reserve=0",
        HOLD_STORAGE_URL=f"file://{folder / 'held'}?reserve=0",
        MASTER_KEY_FILE=folder / "keys" / "master.key",
    )
    with django_db_blocker.unblock(), storage:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world(folder)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# ---- one request, judged ----------------------------------------------------------------------

LOGIN_PATH = "/accounts/login/"
PORTAL_LOGIN_PATH = "/portal/login/"  # the requesting bodies' portal sends its visitors there
PASSWORD_PATH = "/accounts/password/"
TEXT_TYPES = ("text/", "application/json", "application/vnd.apple.mpegurl", "application/javascript")


def outcome(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if location.startswith((LOGIN_PATH, "/admin/login/", PORTAL_LOGIN_PATH)):
            return "login"
        if location.startswith(PASSWORD_PATH):
            return "password"
        return "allowed"
    if status in (401, 403, 404, 405):
        return "refused"
    return "allowed"


ACCEPTED = {
    Verdict.ALLOWED: {"allowed"},
    Verdict.REFUSED: {"refused", "login", "password"},
    Verdict.EITHER: {"allowed", "refused", "login", "password"},
}


def may_see(marker: Marker, persona: Persona, public_page: bool) -> bool:
    """Whether `persona` may read `marker` in a page it was let into."""
    if marker.kind is Kind.SECRET or not persona.effective:
        return marker.kind is Kind.REGISTER and public_page
    where, group = marker.institution, marker.group
    if marker.kind is Kind.REGISTER:
        return public_page or persona.superuser or (group is not None and persona.covers_group(where, group))
    audit = persona.holds(Permission.READ_AUDIT, where, group=group) if group else False
    if marker.about == "requester":
        vault = any(
            persona.holds(p, where, group=group)
            for p in (Permission.VIEW_FOOTAGE, Permission.MANAGE_DEVICES, Permission.PLACE_HOLD)
        )
        return vault or audit
    if marker.about == "purpose":
        # The 관리대장 enters each viewing with its purpose (이용, R26/R41): its readers over the group see it.
        ledger = persona.holds(Permission.VIEW_LEDGER, where, group=group) if group else False
        return (persona.key == "officer_a" and persona.institution == where) or audit or ledger
    if marker.about == "subject":
        # A request's requester: its handlers (R36: scoped by the sites it names), not the log's readers
        # (the log names the request by its receipt number only).
        return persona.holds(Permission.HANDLE_REQUESTS, where, group=group)
    if marker.about == "provision":
        # A provision case's requester: its handlers (scoped by its devices) and its deciders; and the
        # officer of the case's own body (station a) in the portal — never station b's.
        own_body = persona.key == "requesting_officer" and persona.institution == where
        return (
            own_body
            or persona.holds(Permission.HANDLE_PROVISIONS, where, group=group)
            or persona.holds(Permission.APPROVE_PROVISIONS, where, whole=True)
        )
    if marker.about == "clerk":
        return persona.holds(Permission.MANAGE_ACCOUNTS, where, whole=True) or persona.holds(
            Permission.READ_AUDIT, where, whole=True
        )
    raise AssertionError(f"marker of unknown meaning: {marker}")


def leaked(response: Any, persona: Persona, public_page: bool, refused: bool) -> list[str]:
    if getattr(response, "streaming", False):
        return []
    kind = response.get("Content-Type", "")
    if response.content and not kind.startswith(TEXT_TYPES):
        return []  # PDF, XLSX and video are not read here
    body = response.content.decode("utf-8", errors="replace")
    return [
        f"{m.text} ({m.kind.value} {m.about})"
        for m in MARKERS
        if m.text in body and not may_see(m, persona, public_page and not refused)
    ]


@pytest.fixture(scope="module")
def shared_client() -> Client:
    # One client for the module: a new one loads the middleware again, and WhiteNoise's rescans
    # every static file (~0.1 s a client); each cell starts from empty cookies instead.
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


@pytest.fixture(scope="module")
def sessions(world: World, django_db_blocker: Any) -> dict[str, str]:
    """Each active persona logged in once, through every login step (accounts.testing.log_in), in the
    module's transaction: a cell then only presents the session's cookie. Logging in again in every
    cell (a page and a code post) cost two requests more than most cells make. The sessions' expiry is
    stretched past the slowest run of the module; the idle limit (R38) has its own tests."""
    keys = {}
    with django_db_blocker.unblock():
        for persona in PERSONAS:
            user = world.users.get(persona.id)
            if user is None or not persona.active:
                continue
            client = Client()
            log_in(client, user)
            session = import_module(settings.SESSION_ENGINE).SessionStore(
                session_key=client.cookies[settings.SESSION_COOKIE_NAME].value
            )
            session.set_expiry(SESSION_LIFETIME_SECONDS)
            session.save()
            keys[persona.id] = session.session_key
    return keys


SESSION_LIFETIME_SECONDS = 12 * 3600


def _client(client: Client, persona: Persona, world: World, sessions: dict[str, str]) -> tuple[Client, str]:
    client.cookies.clear()
    user = world.users.get(persona.id)
    if persona.id in sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[persona.id]
    elif user is not None and not persona.active:
        # Deactivated while logged in (the session outlives the decision): log in, then deactivate.
        # The savepoint of the cell undoes both.
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.refresh_from_db()
        log_in(client, user)
        User.objects.filter(pk=user.pk).update(is_active=False)
    elif user is not None:
        raise AssertionError(f"{persona.id}: an active persona without a session")
    token = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return client, token


def _url(cell: Cell, world: World) -> str:
    row = cell.row
    site = world.sites[cell.target or "incheon"]
    if row.path is not None:
        url = row.path(world, site)
    else:
        kwargs = dict(row.kwargs(world, site)) if row.kwargs else {}
        if row.variant_kwarg:
            kwargs[row.variant_kwarg] = cell.variant
        url = reverse(cell.url, kwargs=kwargs)
    if row.query is not None:
        url += "?" + urlencode(row.query(world, site))
    return url


def _describe(response: Any) -> str:
    where = f" → {response['Location']}" if response.has_header("Location") else ""
    text = ""
    if response.status_code >= 500 and not getattr(response, "streaming", False):
        text = " " + re.sub(r"\s+", " ", response.content.decode("utf-8", "replace"))[:300]
    return f"{response.status_code}{where}{text}"


@pytest.mark.django_db
@pytest.mark.parametrize("cell", _cells())
def test_access(cell: Cell, world: World, sessions: dict[str, str], shared_client: Client) -> None:
    persona, row = cell.persona, cell.row
    client, token = _client(shared_client, persona, world, sessions)
    url = _url(cell, world)
    expected = cell.expected()
    problems = []
    responses = []
    if row.method == "GET":
        responses.append(("GET", client.get(url), expected))
    else:
        # A POST-only view answers a GET with a refusal (405 or the login page), and shows nothing.
        responses.append(("GET", client.get(url), Verdict.REFUSED))
        site = world.sites[cell.target or "incheon"]
        data = dict(row.data(world, site)) if row.data else {}
        if row.method == "JSON":
            response = client.post(url, data, content_type="application/json", headers={"X-CSRFToken": token})
        else:
            response = client.post(url, {**data, "csrfmiddlewaretoken": token})
        responses.append(("POST", response, expected))
    for method, response, verdict in responses:
        got = outcome(response)
        if got == "error":
            problems.append(f"{method} {url}: 500 — {_describe(response)}")
            continue
        if got not in ACCEPTED[verdict]:
            problems.append(
                f"{method} {url}: expected {verdict.value} ({row.who.name}), got {_describe(response)}"
            )
        refused = got in ("refused", "login", "password")
        shown = leaked(response, persona, row.who.public, refused)
        if shown:
            problems.append(f"{method} {url}: {_describe(response)} shows {', '.join(shown)}")
    assert not problems, f"{persona.id} on {cell.url} of {cell.target or '-'}:\n" + "\n".join(problems)


def test_the_world_has_what_the_matrix_needs(world: World, db: Any) -> None:
    """The fixtures the cells rely on: footage under a hold, an open viewing, published versions."""
    for site in world.sites.values():
        assert site.objects["held_copy"] is not None and site.segments["a"] is not None
        assert site.institution.policy_versions.count() == 2  # type: ignore[attr-defined]
    assert {p.id for p in PERSONAS if p.logged_in} == set(world.users)
