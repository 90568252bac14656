"""The audit log as an XLSX workbook, as the auditor's page shows it: Korean names, Seoul times.

Exporting is a download of personal data (R40: its reason is kept and reviewed monthly); the view
records it through `jikimi.audit.actions.export_log` before the file is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from jikimi.audit.display import details_text
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import target_type_label

MAX_EXPORT_ROWS = 50_000

COLUMNS = [
    ("순번", 10),
    ("일시", 20),
    ("행위자", 24),
    ("접속지", 16),
    ("행위", 28),
    ("대상 유형", 16),
    ("대상", 30),
    ("목적·사유", 30),
    ("세부", 60),
]


def _header(sheet: Worksheet, names: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


def _text(sheet: Worksheet, value: str) -> str | WriteOnlyCell:
    # A value that starts like a formula is written as text: the log holds what people typed (R40).
    # Plain values otherwise: a styled cell costs ten times as much, and an export holds 50,000 rows.
    if not value.startswith(("=", "+", "-", "@")):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _lines(sheet: Worksheet, value: str, wrap: Alignment) -> WriteOnlyCell:
    """The details, one a line: the one cell of a row that wraps."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.alignment = wrap
    return cell


def workbook(
    entries: Iterable[AuditEntry], *, exported_by: str, exported_at: datetime, reason: str, described: str
) -> bytes:
    """The entries (already filtered and scoped) and, on a second sheet, who exported them and why."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("감사 기록")
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append(_header(sheet, [name for name, _ in COLUMNS]))
    for entry in entries:
        sheet.append(
            [
                entry.sequence,
                _text(sheet, f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S}"),
                _text(sheet, entry.actor_label),
                _text(sheet, entry.client_address),
                _text(sheet, entry.action_label),
                _text(sheet, target_type_label(entry.target_type) if entry.target_type else ""),
                _text(sheet, entry.target_label),
                _text(sheet, entry.reason),
                _lines(sheet, details_text(entry.action, entry.details, entry.target_type), wrap),
            ]
        )
    about = book.create_sheet("내려받기 정보")
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 80
    for label, value in (
        ("내려받은 사람", exported_by),
        ("내려받은 일시", f"{timezone.localtime(exported_at):%Y-%m-%d %H:%M:%S}"),
        ("사유", reason),
        ("조건", described),
    ):
        about.append([_text(about, label), _text(about, value)])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
