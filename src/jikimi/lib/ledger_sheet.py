"""One XLSX sheet in the manner of the institution's ledgers: a Korean font that Excel and Hancom Office
both have (맑은 고딕; others substitute their own), a bold title and a heading line across the columns,
a shaded header row, bordered wrapped rows, fixed widths, the header frozen, A4 landscape fitted to the
page's width. The control centre's 정상작동 점검 기록 and self-inspection report are written with it."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "맑은 고딕"
HEADER_ROW = 3  # below the title (1) and the heading (2); rows of values start under it
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")


class LedgerSheet:
    """A workbook of one sheet: `row` writes a line of values under the header, `text` a line of text in
    the first column (the notes below the table), `save` the finished workbook."""

    def __init__(
        self, name: str, *, title: str, heading: str, columns: Sequence[str], widths: Sequence[int]
    ) -> None:
        self.workbook = Workbook()
        sheet = self.workbook.active
        assert sheet is not None
        self.sheet: Worksheet = sheet
        self.widths = widths
        sheet.title = name
        sheet.cell(row=1, column=1, value=title).font = Font(name=FONT_NAME, bold=True, size=14)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
        sheet.cell(row=2, column=1, value=heading).font = Font(name=FONT_NAME, size=9)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
        for index, label in enumerate(columns, start=1):
            cell = sheet.cell(row=HEADER_ROW, column=index, value=label)
            cell.font = Font(name=FONT_NAME, bold=True, size=10)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def row(self, number: int, values: Sequence[str | int]) -> None:
        """The `number`th line of values (1 for the first, right under the header)."""
        for index, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=HEADER_ROW + number, column=index, value=value)
            cell.font = Font(name=FONT_NAME, size=9)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)

    def text(self, line: int, value: str, *, bold: bool = False) -> None:
        """A line of text in the first column, at sheet row `line`: a bold caption or a plain note."""
        font = Font(name=FONT_NAME, bold=True, size=10) if bold else Font(name=FONT_NAME, size=9)
        self.sheet.cell(row=line, column=1, value=value).font = font

    def save(self) -> bytes:
        sheet = self.sheet
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        buffer = BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()
