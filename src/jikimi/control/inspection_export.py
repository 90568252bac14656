"""The 정상작동 점검 기록 (오산시 지침 제31조④) as an XLSX workbook, in the ledger's manner (맑은 고딕,
fixed widths, A4 landscape): one line per camera, then the checks of all cameras at once."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jikimi.control.health_queries import InspectionLog, InspectionRow
from jikimi.lib.clock import SEOUL

TITLE = "영상정보처리기기 정상작동 점검 기록"
COLUMNS = ("번호", "기기 묶음", "기기", "녹화 중단(건)", "중단 시간(분)", "유지보수", "수기 점검", "결과")
WIDTHS = (7, 26, 22, 12, 12, 48, 48, 12)
FONT_NAME = "맑은 고딕"


def _tickets(row: InspectionRow) -> str:
    lines = []
    for ticket in row.tickets:
        opened = timezone.localtime(ticket.opened_at, SEOUL)
        if ticket.closed_at is None:
            lines.append(f"{opened:%m-%d %H:%M} {ticket.get_fault_display()} — 처리 중")
        else:
            closed = timezone.localtime(ticket.closed_at, SEOUL)
            by = f" ({ticket.repaired_by})" if ticket.repaired_by else ""
            lines.append(
                f"{opened:%m-%d %H:%M} {ticket.get_fault_display()} → {closed:%m-%d %H:%M} {ticket.repair}{by}"
            )
    return "\n".join(lines)


def _checks(row: InspectionRow) -> str:
    return "\n".join(
        f"{c.checked_on:%m-%d} {c.checked_by.name}: {c.items} — {c.get_result_display()}"
        + (f" ({c.note})" if c.note else "")
        for c in row.checks
    )


def row_values(number: int, row: InspectionRow) -> list[str | int]:
    return [
        number,
        row.device.device_group.name,
        row.device.name,
        row.outages,
        round(row.outage_seconds / 60),
        _tickets(row),
        _checks(row),
        row.result,
    ]


def inspection_xlsx(log: InspectionLog, *, heading: str) -> tuple[bytes, int]:
    """(the workbook, how many camera lines)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "정상작동 점검"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.cell(row=1, column=1, value=TITLE).font = Font(name=FONT_NAME, bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    sheet.cell(row=2, column=1, value=heading).font = Font(name=FONT_NAME, size=9)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    fill = PatternFill("solid", fgColor="EEF1F5")
    for index, label in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=3, column=index, value=label)
        cell.font = Font(name=FONT_NAME, bold=True, size=10)
        cell.fill = fill
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    count = 0
    for count, row in enumerate(log.rows, start=1):
        for index, value in enumerate(row_values(count, row), start=1):
            cell = sheet.cell(row=3 + count, column=index, value=value)
            cell.font = Font(name=FONT_NAME, size=9)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    line = 5 + count
    sheet.cell(row=line, column=1, value="전체 기기 점검").font = Font(name=FONT_NAME, bold=True, size=10)
    for offset, check in enumerate(log.general_checks, start=1):
        text = f"{check.checked_on:%Y-%m-%d} {check.checked_by.name}: {check.items} — {check.get_result_display()}"
        if check.note:
            text += f" ({check.note})"
        sheet.cell(row=line + offset, column=1, value=text).font = Font(name=FONT_NAME, size=9)
    if not log.general_checks:
        sheet.cell(row=line + 1, column=1, value="없음").font = Font(name=FONT_NAME, size=9)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
