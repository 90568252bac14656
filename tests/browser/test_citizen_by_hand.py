"""A citizen on a phone, with no account: from the public home to an institution's policy, its signs
and its PDF, following only the links the pages offer (issue 12).

Only published policies are public (R5): an institution whose register was imported but never
published is not listed and its policy is not found. The page fits a 390 px phone, and every file it
offers is a real PDF.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.demo import build_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GUNSAN = Path(__file__).resolve().parents[2] / "registers" / "gunsan.yaml"


def fits_a_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_citizen_reads_the_policy_and_its_signs_on_a_phone(browser, live_server):
    build_demo()  # 인천광역시, published
    call_command("import_register", str(GUNSAN))  # 군산시, a draft nobody published
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url)
        assert page.get_by_role("link", name="인천광역시").is_visible()
        assert page.get_by_role("link", name="군산시").count() == 0
        assert "공개 문서에 미수록" not in page.content()
        assert fits_a_phone(page)

        page.get_by_role("link", name="인천광역시").click()
        page.wait_for_load_state("networkidle")
        assert "영상정보처리기기" in page.get_by_role("heading", level=1).inner_text()
        assert "미리보기" not in page.content()
        assert fits_a_phone(page)

        pdf_href = page.get_by_role("link", name="PDF 내려받기").get_attribute("href")
        assert pdf_href
        pdf = page.request.get(live_server.url + pdf_href)
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

        page.get_by_role("link", name="안내판").first.click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", level=1).inner_text().endswith("안내판")
        # A sign per place, each naming the devices there (법 제25조④), not "위치 목록 23곳".
        rows = page.locator("table").first.locator("tbody tr")
        assert rows.count() > 1
        assert "위치 목록" not in page.locator("table").first.inner_text()
        assert fits_a_phone(page)
        sign_href = rows.first.get_by_role("link", name="PDF").get_attribute("href")
        assert sign_href
        sign = page.request.get(live_server.url + sign_href)
        assert sign.status == 200 and sign.body().startswith(b"%PDF")

        # What an unpublished institution's address gives a curious citizen.
        response = page.goto(f"{live_server.url}/policy/gunsan/")
        assert response is not None and response.status == 404
        assert "아직 공개된 방침이 없습니다" in page.content()
    finally:
        context.close()
