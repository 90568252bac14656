"""Every stylesheet a page loads, and every file those stylesheets name (@import, url(...): KRDS's
icons, the Pretendard GOV font), is served with 200 by jikimi itself.

KRDS's component.css names its icons one folder too deep (../../img/img/…): selects had no arrow and
the checkboxes no mark until the Makefile's static target gave its copy the path common.css uses. The
font was never declared at all (KRDS names "Pretendard GOV" without an @font-face), so pages fell back
to a serif font: jikimi.css declares it from the KRDS package's own woff2 files.
"""

from __future__ import annotations

import re
from posixpath import dirname, normpath
from urllib.parse import urljoin

import pytest
from django.test import Client

from jikimi.accounts.testing import log_in, make_institution, make_user

pytestmark = [pytest.mark.django_db]

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
IMPORT_OR_URL = re.compile(r"""@import\s+["']([^"']+)["']|url\(\s*["']?([^"')]+)["']?\s*\)""")


def _referenced(css: str) -> set[str]:
    refs = set()
    for imported, url in IMPORT_OR_URL.findall(css):
        ref = (imported or url).strip()
        if not ref.startswith(("data:", "#")):
            refs.add(ref)
    return refs


def _crawl(client: Client, page: str) -> dict[str, int]:
    """Status of every stylesheet of `page` and of every file they reference, recursively."""
    html = client.get(page).content.decode()
    todo = [urljoin(page, href) for href in STYLESHEET.findall(html)]
    assert todo, f"{page} loads no stylesheet"
    seen: dict[str, int] = {}
    while todo:
        url = todo.pop()
        path = normpath(url.split("?")[0].split("#")[0])
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code == 200 and path.endswith(".css"):
            css = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
            todo += [urljoin(dirname(path) + "/", ref) for ref in _referenced(css)]
    return seen


def test_every_file_named_by_the_stylesheets_of_public_and_staff_pages_is_served(client):
    institution = make_institution()
    statuses = _crawl(client, "/")
    statuses |= _crawl(client, f"/policy/{institution.slug}/")
    log_in(client, make_user("admin", "administrator"))
    statuses |= _crawl(client, "/register/")
    missing = sorted(path for path, status in statuses.items() if status != 200)
    assert missing == [], missing
    # The select's arrow and the checkbox's mark are among them, at the folder the CSS names.
    icons = [path for path in statuses if path.startswith("/static/vendor/krds/img/component/icon/")]
    assert len(icons) > 50, icons


def test_the_pretendard_gov_font_is_declared_from_the_krds_package():
    css = Client().get("/static/web/jikimi.css")
    text = b"".join(css.streaming_content).decode()  # type: ignore[attr-defined]
    faces = re.findall(r"@font-face\s*{([^}]*)}", text)
    assert len(faces) == 3, "Regular, Medium, Bold"
    for face in faces:
        assert 'font-family: "Pretendard GOV"' in face
        assert "../vendor/krds/fonts/PretendardGOV-" in face and 'format("woff2")' in face
    woff2 = Client().get("/static/vendor/krds/fonts/PretendardGOV-Regular.subset.woff2")
    assert woff2.status_code == 200 and woff2["Content-Type"] == "font/woff2"
