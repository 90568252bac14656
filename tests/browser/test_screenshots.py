"""Screenshots of the main pages on a phone (390 px) and a desktop (1440 px), taken as each persona
sees them. With JIKIMI_SCREENSHOTS=1 they are written into docs/screenshots/ (and the README's
pictures); otherwise into the test's tmp_path, so that the suite leaves the tree as it was.

    JIKIMI_SCREENSHOTS=1 pytest tests/browser/test_screenshots.py -p no:cacheprovider
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.demo import build_demo, visit_as_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    if os.environ.get("JIKIMI_SCREENSHOTS") == "1":
        (DOCS / "screenshots").mkdir(exist_ok=True)
        return DOCS / "screenshots"
    return tmp_path


def _pages(demo) -> list[tuple[str | None, str, str]]:
    """(persona or None for a citizen, path, file name)."""
    return [
        (None, "/", "public-home"),
        (None, f"/policy/{demo.institution.slug}/", "public-policy"),
        (None, "/accounts/login/", "login"),
        ("chief", "/", "dashboard"),
        ("chief", "/register/", "register-groups"),
        ("chief", f"/register/groups/{demo.group.pk}/", "register-group"),
        ("chief", f"/register/institutions/{demo.institution.pk}/", "register-edit"),
        ("chief", f"/publishing/{demo.institution.slug}/", "publishing"),
        ("chief", "/vault/", "vault"),
        ("auditor", "/audit/", "audit-log"),
        ("auditor", "/audit/review/", "audit-review"),
        ("admin", "/accounts/users/", "accounts"),
    ]


def _save(page, path: Path) -> None:
    """A viewport-sized shot (not the full page), stored as a 256-colour PNG to stay small."""
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def test_screenshots_of_the_main_pages_on_a_phone_and_a_desktop(page, live_server, out_dir):
    demo = build_demo()
    taken = []
    for viewport, size in VIEWPORTS.items():
        page.set_viewport_size(size)

        def shoot(row: tuple, viewport: str = viewport) -> None:
            page.evaluate("document.fonts.ready")
            target = out_dir / f"{row[2]}-{viewport}.png"
            _save(page, target)
            taken.append(target)

        visit_as_personas(page, live_server, _pages(demo), shoot)
    for target in taken:
        assert target.stat().st_size > 5_000, target
    if out_dir == DOCS / "screenshots":
        # The README shows the register on a desktop and the public policy on a phone.
        (DOCS / "screenshot.png").write_bytes((out_dir / "register-groups-desktop.png").read_bytes())
        (DOCS / "screenshot-phone.png").write_bytes((out_dir / "public-policy-phone.png").read_bytes())
