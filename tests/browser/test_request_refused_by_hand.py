"""A request refused on a ground of the fixed list, by hand (issue 13's second "done when"; R22, R23):
the operating head ticks the ground, types the reasons and presses the button; the letter kept with the
case carries the ground with its citation, the reasons and the appeal routes; the citizen reads it
through the status link, and another request's link does not reach it."""

from __future__ import annotations

import pytest

from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import Decision, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import make_request, people
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUND = "범죄수사·공소유지·재판수행에 중대한 지장을 초래하는 경우 (공공기관)"


def test_a_refusal_on_a_listed_ground_with_its_letter(page, live_server) -> None:
    people()
    request, token = make_request(kind=SubjectRequest.Kind.COPY)
    _, other_token = make_request(kind=SubjectRequest.Kind.VIEWING)
    log_in(page, live_server, "head")
    page.get_by_role("link", name="열람 등 청구").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#requests tbody tr").filter(has_text=request.receipt_number).get_by_role(
        "link", name=request.receipt_number
    ).click()
    page.wait_for_load_state("networkidle")

    # A refusal without a ground is refused, with the field named and nothing decided.
    page.get_by_label("결정 내용").select_option(label="거부")
    page.get_by_label("사유", exact=True).fill("해당 영상이 수사기관의 수사 자료로 제출되어 수사 중입니다.")
    page.get_by_role("button", name="결정하고 통지서 만들기").click()
    page.wait_for_load_state("networkidle")
    assert "사유" in page.locator("main").inner_text() and not Decision.objects.exists()

    page.get_by_label("결정 내용").select_option(label="거부")
    page.get_by_label(GROUND, exact=False).check()
    page.get_by_label("사유", exact=True).fill("해당 영상이 수사기관의 수사 자료로 제출되어 수사 중입니다.")
    page.get_by_role("button", name="결정하고 통지서 만들기").click()
    page.wait_for_load_state("networkidle")
    decision = Decision.objects.get(request=request)
    assert decision.outcome == Decision.Outcome.REFUSAL and decision.grounds == ["investigation_trial"]
    assert AuditEntry.objects.filter(action="disclosure.decide", target_id=str(request.pk)).exists()

    # The citizen reads the letter through the status link.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/requests/s/{token}/")
    link = page.get_by_role("link", name="통지서 PDF")
    assert "결정 1: 거부" in link.inner_text()
    letter = pdf_text(page.request.get(f"{live_server.url}{link.get_attribute('href')}").body())
    text = squeeze(letter)
    for needed in (
        squeeze(GROUND),
        "해당영상이수사기관의수사자료로제출되어수사중입니다",
        "행정심판",
        "행정소송",
        "118",
    ):
        assert needed in text, needed
    # Another request's link reaches no letter of this one (it has none of its own).
    assert page.request.get(f"{live_server.url}/requests/s/{other_token}/letters/1/").status == 404
