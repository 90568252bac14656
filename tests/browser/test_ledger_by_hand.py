"""The privacy officer opens the 관리대장 from the menu, picks 제공 in the 구분 select and reads only the
provision's row; then downloads the XLSX, which opens with the 별지 제2호 columns (R26, R30)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.models import Decision
from jikimi.disclosure.tests.factories_decisions import WINDOW_START, actor, make_request, people
from jikimi.disclosure.tests.ledger_world import gate_device, provide, provision_case
from jikimi.vault.actions.playback import open_viewing
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def store(settings, tmp_path):
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"


def test_the_privacy_officer_filters_the_ledger_by_kind_and_downloads_the_xlsx(page, live_server, store):
    crew = people()
    device = gate_device()
    request, _ = make_request()
    decide(actor(crew["head"]), request, Decision.Outcome.VIEWING_ONLINE)
    open_viewing(
        actor(crew["officer"]),
        device,
        WINDOW_START,
        WINDOW_START + timedelta(minutes=5),
        "교통사고 경위 확인",
    )
    provide(provision_case(device, preparer=crew["officer"], approver=crew["privacy"]), crew["officer"])

    log_in(page, live_server, "privacy")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="관리대장").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("#ledger tbody tr")
    assert rows.count() == 3

    page.get_by_label("구분", exact=True).select_option(label="제공")
    page.get_by_role("button", name="찾기").click()
    page.wait_for_load_state("networkidle")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "제공" in text and "인천남동경찰서 형사과 경위 최수사" in text
    assert "개인정보 보호법 제18조제2항제7호" in text and "이보호" in text  # 결재: the approver
    assert page.get_by_label("구분", exact=True).input_value() == "provision"

    with page.expect_download() as downloading:
        page.get_by_role("link", name="엑셀(XLSX) 내려받기").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(BytesIO(Path(download.path()).read_bytes())).active
    header = [cell.value for cell in sheet[3]]
    assert header[:11] == [
        "번호",
        "구분",
        "일시",
        "파일명/형태",
        "담당자",
        "목적/사유",
        "이용·제공받는 제3자/열람등 요구자",
        "이용·제공근거",
        "이용·제공 형태",
        "기간",
        "결재",
    ]
    assert [sheet.cell(row=4, column=2).value, sheet.cell(row=5, column=1).value] == ["제공", None]
