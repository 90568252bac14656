"""The look of every main page, as a person's browser shows it: the KRDS font (Pretendard GOV) is
the one used, every file the pages ask for answers (no 404 icons: the selects have their arrow),
checkboxes are visible, and nothing is wider than a 390 px phone (issue 12)."""

from __future__ import annotations

import pytest

from tests.browser.demo import build_demo, visit_as_personas
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _pages(demo) -> list[tuple[str | None, str]]:
    slug = demo.institution.slug
    return [
        (None, "/"),
        (None, f"/policy/{slug}/"),
        (None, f"/policy/{slug}/signs/"),
        (None, "/accounts/login/"),
        ("chief", "/register/"),
        ("chief", f"/register/groups/{demo.group.pk}/"),
        ("chief", f"/register/groups/{demo.group.pk}/edit/"),
        ("chief", "/publishing/"),
        ("chief", f"/publishing/{slug}/"),
        ("chief", "/vault/"),
        ("auditor", "/audit/"),
        ("admin", "/accounts/users/"),
    ]


def _visit_all(page, live_server, demo, on_page) -> None:
    visit_as_personas(page, live_server, _pages(demo), lambda row: on_page(row[1]))


def test_no_main_page_is_wider_than_a_390px_phone(page, live_server):
    demo = build_demo()
    page.set_viewport_size(PHONE)
    too_wide: dict[str, object] = {}

    def measure(path: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            # What sticks out, for the failure message.
            too_wide[path] = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                    .filter((e) => e.getBoundingClientRect().right > 391)
                    .slice(0, 5).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
            )
            too_wide[path + " width"] = width

    _visit_all(page, live_server, demo, measure)
    assert too_wide == {}


def test_every_file_the_pages_ask_for_answers_and_the_krds_font_is_used(page, live_server):
    demo = build_demo()
    failed: list[str] = []
    fonts: list[tuple[str, int]] = []

    def response(resp) -> None:
        if resp.status >= 400:
            failed.append(f"{resp.status} {resp.url}")
        if resp.url.endswith(".woff2"):
            fonts.append((resp.url.rsplit("/", 1)[-1], resp.status))

    page.on("response", response)
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    checked: list[str] = []

    def check(path: str) -> None:
        page.evaluate("document.fonts.ready")
        # fonts.check() is also true for a family nobody declared: ask for a declared, loaded face.
        loaded = page.evaluate(
            """[...document.fonts].filter((f) => f.family.replaceAll('"', '') === 'Pretendard GOV'
                && f.status === 'loaded').map((f) => f.weight)"""
        )
        assert "400" in loaded, (path, loaded)
        assert page.evaluate("""document.fonts.check('16px "Pretendard GOV"')"""), path
        family = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert family.startswith('"Pretendard GOV"'), (path, family)
        # The select's arrow is an image KRDS names relative to its CSS; it must be one that loads.
        for select in page.locator("select").all()[:3]:
            image = select.evaluate("(e) => getComputedStyle(e).backgroundImage")
            assert "ico_angle" in image, (path, image)
        checked.append(path)

    _visit_all(page, live_server, demo, check)
    assert failed == [], failed
    assert ("PretendardGOV-Regular.subset.woff2", 200) in fonts, fonts
    assert ("PretendardGOV-Bold.subset.woff2", 200) in fonts, fonts
    assert len(checked) == len(_pages(demo))
    # The arrow icon itself, fetched as the browser does from the CSS.
    arrow = page.request.get(f"{live_server.url}/static/vendor/krds/img/component/icon/ico_angle.svg")
    assert arrow.status == 200


def test_checkboxes_django_renders_outside_krds_form_check_are_visible(page, live_server):
    demo = build_demo()
    log_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/register/groups/{demo.group.pk}/edit/")
    boxes = page.locator("input[type=checkbox]")
    assert boxes.count() >= 2  # 위치 목록 완비 and the 삭제 of each location row
    for box in boxes.all():
        size = box.bounding_box()
        if box.evaluate("(e) => !!e.closest('.krds-form-check')"):
            continue  # drawn by KRDS on its label
        assert size is not None and size["width"] >= 16 and size["height"] >= 16, size
    # A person ticks one by clicking its label, as KRDS draws the box on it.
    first = boxes.first
    before = first.is_checked()
    page.locator(f"label[for='{first.get_attribute('id')}']").first.click()
    assert first.is_checked() != before
