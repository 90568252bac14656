"""A table inside the institution's free text renders as a table, not as raw '|' pipes (issue 16,
Fidelity: e.g. 금천구's per-purpose table of 관리부서 / 관리책임자 / 접근권한자 typed into a section)."""

from __future__ import annotations

from jikimi.inventory.models import Institution, PolicyDocument
from jikimi.publishing.content import paragraphs
from jikimi.publishing.rendering import document_html, live_content, policy_pdf
from jikimi.publishing.tests.pdf_reading import pdf_text

BODY = """개인영상정보의 관리책임자 및 접근권한자는 다음과 같습니다.
| 설치 목적 | 관리부서 | 관리책임자 | 접근권한자 |
|---|:---:|---|---|
| 방범 | 안전총괄과 | 과장 <b>김</b> | 관제요원 |
| 청사 관리 | 총무과 | 과장 | 당직자 \\| 청원경찰 |
위 표에 없는 기기는 총무과가 관리합니다."""


def test_a_pipe_table_becomes_a_table_block():
    intro, grid, outro = paragraphs(BODY)
    assert intro == {
        "type": "paragraph",
        "text": "개인영상정보의 관리책임자 및 접근권한자는 다음과 같습니다.",
    }
    assert grid["type"] == "table"
    assert grid["columns"] == ["설치 목적", "관리부서", "관리책임자", "접근권한자"]
    assert grid["rows"] == [
        ["방범", "안전총괄과", "과장 <b>김</b>", "관제요원"],
        ["청사 관리", "총무과", "과장", "당직자 | 청원경찰"],
    ]
    assert outro["text"] == "위 표에 없는 기기는 총무과가 관리합니다."


def test_without_a_rule_line_every_line_is_a_row_and_short_rows_are_padded():
    [grid] = paragraphs("| 본청 | 120대 |\n| 읍·면 |")
    assert grid["columns"] == []
    assert grid["rows"] == [["본청", "120대"], ["읍·면", ""]]


def test_a_single_line_with_pipes_stays_text():
    assert paragraphs("| 한 줄 | 은 표가 아닙니다 |") == [
        {"type": "paragraph", "text": "| 한 줄 | 은 표가 아닙니다 |"}
    ]


def test_the_policy_html_and_pdf_show_the_table_escaped(client, gunsan):
    sections = [{"title": "관리책임자 및 접근권한자", "body": BODY}]
    PolicyDocument.objects.filter(institution=gunsan).update(sections=sections)
    html = document_html(live_content(Institution.objects.get(pk=gunsan.pk)))
    assert '<th scope="col">관리책임자</th>' in html
    assert "<td>과장 &lt;b&gt;김&lt;/b&gt;</td>" in html
    assert "<td>당직자 | 청원경찰</td>" in html
    assert "| 방범 |" not in html and "|---|" not in html
    text = "".join(pdf_text(policy_pdf(gunsan)).split())
    assert "안전총괄과" in text and "|방범|" not in text and "---" not in text
