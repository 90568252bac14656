"""The 관리대장 as a file: XLSX in the 별지 제2호서식 layout and PDF (오산시 지침 제32조④; R26, R30).

The 별지's eleven columns come first and in its order; a twelfth, 비고, carries what 시행령 제15조 adds
for a provision (the items given and the limits asked of the recipient) and the citation of a
correction. The XLSX names a Korean font (맑은 고딕, which Excel and Hancom Office both have; others
substitute their own) and fixed widths, so that it opens readable in either; the PDF embeds NanumGothic
(jikimi.lib.pdf).
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jikimi.disclosure.models import LedgerEntry
from jikimi.lib.clock import SEOUL
from jikimi.lib.pdf import render_pdf

TITLE = "영상정보제공 관리대장"
FORM = "[별지 제2호서식]"
COLUMNS = (
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
    "비고",
)
WIDTHS = (7, 7, 17, 36, 12, 32, 28, 28, 26, 24, 18, 36)
FONT_NAME = "맑은 고딕"


def approval(entry: LedgerEntry) -> str:
    if entry.approved_at is None:
        return "미결재"
    return f"{entry.approved_by_name} {timezone.localtime(entry.approved_at, SEOUL):%Y-%m-%d %H:%M}"


def remarks(entry: LedgerEntry) -> str:
    parts = []
    if entry.items:
        parts.append(f"제공 항목: {entry.items}")
    if entry.limits:
        parts.append(f"요구한 제한: {entry.limits}")
    if entry.corrects_id is not None and entry.corrects is not None:
        parts.append(f"{entry.corrects.number}번 정정 — 사유: {entry.correction_reason}")
    return "\n".join(parts)


def row_values(entry: LedgerEntry) -> list[str | int]:
    return [
        entry.number,
        entry.get_kind_display(),
        f"{timezone.localtime(entry.occurred_at, SEOUL):%Y-%m-%d %H:%M}",
        entry.file_description,
        entry.officer_name,
        entry.purpose,
        entry.party,
        entry.legal_basis,
        entry.form,
        entry.period,
        approval(entry),
        remarks(entry),
    ]


def ledger_xlsx(entries: Iterable[LedgerEntry], *, heading: str) -> tuple[bytes, int]:
    """(the workbook, how many rows)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "관리대장"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.cell(row=1, column=1, value=f"{FORM} {TITLE}").font = Font(name=FONT_NAME, bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet.cell(row=2, column=1, value=heading).font = Font(name=FONT_NAME, size=9)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    header_fill = PatternFill("solid", fgColor="EEF1F5")
    for index, label in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=3, column=index, value=label)
        cell.font = Font(name=FONT_NAME, bold=True, size=10)
        cell.fill = header_fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    count = 0
    for count, entry in enumerate(entries, start=1):
        for index, value in enumerate(row_values(entry), start=1):
            cell = sheet.cell(row=3 + count, column=index, value=value)
            cell.font = Font(name=FONT_NAME, size=9)
            cell.border = border
            cell.alignment = Alignment(
                vertical="top", wrap_text=True, horizontal="center" if index <= 2 else None
            )
    if count == 0:
        sheet.cell(row=4, column=1, value="조건에 맞는 기록이 없습니다.").font = Font(name=FONT_NAME, size=9)
    note = sheet.cell(
        row=5 + count, column=1, value="※ 영상정보 제공시 영상정보 인수증 별지 3호 서식에 의거 별도 수령"
    )
    note.font = Font(name=FONT_NAME, size=9)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[3].height = 30
    sheet.freeze_panes = "A4"
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def ledger_pdf(entries: Iterable[LedgerEntry], *, heading: str, institution_names: str) -> tuple[bytes, int]:
    rows = [row_values(entry) for entry in entries]
    pdf = render_pdf(
        "disclosure/ledger/print.html",
        {
            "title": TITLE,
            "form": FORM,
            "heading": heading,
            "institution_names": institution_names,
            "columns": COLUMNS,
            "rows": rows,
            "orientation": "landscape",
        },
    )
    return pdf, len(rows)
