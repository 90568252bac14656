"""The 총괄책임관 meets a 방침 that lacks an item of 시행령 제25조① (issue 16): pressing 공개 is refused
with the item named; the 빠진 항목 box shows a proposed wording, which the officer rewrites and adopts
as the institution's own text; then the version publishes with that text as an ordinary section (R4).

Runs against the real 인천광역시 register in a live server, its 안전성 확보조치 section taken out.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from jikimi.accounts.testing import make_user
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.inventory.models import Institution, PolicyDocument
from jikimi.inventory.testing import record_retention_reasons
from jikimi.lib import clock
from jikimi.publishing.models import PolicyVersion
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REGISTER = Path(__file__).resolve().parents[2] / "registers" / "incheon.yaml"
OWN_WORDS = "인천광역시는 영상정보를 암호화하여 보관하고 보관실 출입을 통제합니다."


@pytest.fixture
def incheon_without_safety(live_server):
    call_command("import_register", str(REGISTER))
    institution = Institution.objects.get(slug="incheon")
    document = PolicyDocument.objects.get(institution=institution)
    document.sections = [s for s in document.sections if "안전성" not in s.get("title", "")]
    document.save()
    record_retention_reasons(
        institution
    )  # R16: 인천 publishes none for 3개월 and 준영구; publishing waits for them
    return institution


def test_the_officer_adopts_a_wording_for_the_missing_item_then_publishes(
    page, live_server, incheon_without_safety
):
    make_user("alice", "privacy_officer", institution=incheon_without_safety)
    today = clock.today()
    log_in(page, live_server, "alice")
    page.goto(f"{live_server.url}/publishing/incheon/")

    # Publishing first: refused, the missing item named.
    page.get_by_label("공고일").fill(today.isoformat())
    page.get_by_label("시행일").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("변경 사유").fill("최초 공개")
    page.get_by_role("button", name="새 버전 공개").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("제25조제1항의 항목이 없습니다").first.is_visible()
    assert not PolicyVersion.objects.filter(institution=incheon_without_safety).exists()

    # The proposal is there to read; the officer writes the institution's own words and adopts them.
    box = page.locator("#adopt-7")
    assert box.get_by_role("heading").inner_text().startswith("7호")
    assert box.get_by_label("제목").input_value() == "개인영상정보의 안전성 확보조치"
    assert box.get_by_label("본문").input_value().strip()  # a proposed wording, not adopted yet
    box.get_by_label("본문").fill(OWN_WORDS)
    box.get_by_role("button", name="이 문구를 기관의 방침 글로 채택").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("7호의 문구를 인천광역시의 방침 글로 채택했습니다").is_visible()
    assert page.locator("#missing-items").count() == 0
    assert AuditEntry.objects.filter(action=AuditEvent.PUBLISHING_ADOPT_SECTION).count() == 1

    # Now it publishes, with the adopted words as an ordinary section.
    page.get_by_label("공고일").fill(today.isoformat())
    page.get_by_label("시행일").fill((today + timedelta(days=10)).isoformat())
    page.get_by_label("변경 사유").fill("최초 공개")
    page.get_by_role("button", name="새 버전 공개").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="공개 확정").click()
    page.wait_for_load_state("networkidle")
    version = PolicyVersion.objects.get(institution=incheon_without_safety)
    assert OWN_WORDS in version.html and "시행령 제25조①에 따라 추가" not in version.html
