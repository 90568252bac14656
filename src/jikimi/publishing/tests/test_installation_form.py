"""[별지 제1호서식] 영상정보처리기기 설치현황(총괄) as XLSX and PDF."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from jikimi.accounts.testing import log_in
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze


def test_the_xlsx_has_the_columns_and_one_row_per_group(client, privacy_officer):
    log_in(client, privacy_officer)
    response = client.get(reverse("publishing:installation_xlsx", args=["gunsan"]))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert [sheet.cell(row=2, column=c).value for c in (1, 2, 3, 5, 9, 10)] == [
        "연번",
        "부서명",
        "책임관",
        "담당자",
        "설치 수량 (대)",
        "설치목적",
    ]
    assert [sheet.cell(row=3, column=c).value for c in range(3, 9)] == [
        "직위",
        "성명",
        "직급",
        "성명",
        "전화",
        "e-mail",
    ]
    first = [sheet.cell(row=4, column=c).value for c in range(1, 12)]
    assert first == [
        1,
        "교통행정과",
        "교통행정과장",
        "홍길동",
        "7급",
        "김담당",
        "063-454-3101",
        "kim@example.go.kr",
        120,
        "사회안정",
        "방범용(범죄예방)",
    ]
    second = [sheet.cell(row=5, column=c).value for c in (1, 2, 3, 9)]
    assert second == [2, "총무과", "총무과장", 35]
    # 총무과's group states no 분류: read from its 설치 목적 "시설안전 및 화재예방" (별표 1), and said so.
    assert sheet.cell(row=5, column=10).value == "시설관리, 특수지역"
    assert sheet.cell(row=5, column=11).value == "시설물관리, 재난·화재감시용(산불·홍수 등)"
    assert "연번 2" in sheet.cell(row=7, column=1).value
    assert (sheet.cell(row=6, column=1).value, sheet.cell(row=6, column=9).value) == ("합계", 155)


def test_the_pdf_shows_the_same_rows(client, privacy_officer):
    log_in(client, privacy_officer)
    response = client.get(reverse("publishing:installation_pdf", args=["gunsan"]))
    text = squeeze(pdf_text(response.content))
    for fact in ("영상정보처리기기설치현황(총괄)", "교통행정과", "홍길동", "사회안정", "155"):
        assert fact in text, fact
