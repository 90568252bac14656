"""A Content-Security-Policy on every page: scripts only from jikimi's own static files, never inline
(an injected <script> does nothing), no framing, forms posting only to jikimi."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from jikimi.accounts.testing import log_in, make_institution, make_user

pytestmark = [pytest.mark.django_db]

SRC = Path(__file__).resolve().parents[2]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response, path):
    directives = policy(response)
    assert directives["script-src"] == ["'self'"], path
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"], path
    assert directives["default-src"] == ["'self'"] and directives["form-action"] == ["'self'"], path


def test_public_pages_staff_pages_errors_admin_and_api_carry_the_policy(client):
    institution = make_institution()
    for path in ["/", "/accounts/login/", f"/policy/{institution.slug}/", "/no-such-page/", "/healthz"]:
        assert_strict(client.get(path), path)
    admin = make_user("admin", "administrator", is_staff=True)
    log_in(client, admin)
    for path in ["/register/", "/vault/", "/audit/", "/accounts/users/", "/admin/", "/api/docs"]:
        assert_strict(client.get(path), path)
    assert_strict(Client(REMOTE_ADDR="203.0.113.9").get("/register/"), "outside")


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for template in SRC.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template}: {tag}")
        offenders += [f"{template}: {h}" for h in re.findall(r"\son[a-z]+\s*=", text)]
    assert offenders == []


def test_the_api_docs_use_local_scripts_only(client):
    log_in(client, make_user("admin", "administrator"))
    page = client.get("/api/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert all("src=" in tag or "application/json" in tag for tag in re.findall(r"<script\b[^>]*>", page))
