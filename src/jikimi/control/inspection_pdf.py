"""The 정상작동 점검 기록 (오산시 지침 제31조④) as a PDF to file and sign: the same lines as the XLSX
(jikimi.control.inspection_export), printed through the shared shell with the embedded Korean font."""

from __future__ import annotations

from jikimi.control.health_queries import InspectionLog
from jikimi.control.inspection_export import COLUMNS, TITLE, row_values
from jikimi.lib.pdf import render_pdf


def general_lines(log: InspectionLog) -> list[str]:
    lines = []
    for check in log.general_checks:
        line = f"{check.checked_on:%Y-%m-%d} {check.checked_by.name}: {check.items} — {check.get_result_display()}"
        lines.append(line + (f" ({check.note})" if check.note else ""))
    return lines


def inspection_pdf(log: InspectionLog, *, heading: str) -> tuple[bytes, int]:
    """(the PDF, how many camera lines)."""
    rows = [row_values(number, row) for number, row in enumerate(log.rows, start=1)]
    pdf = render_pdf(
        "control/health/inspections_print.html",
        {
            "title": TITLE,
            "heading": heading,
            "columns": COLUMNS,
            "rows": rows,
            "general": general_lines(log),
            "orientation": "landscape",
        },
    )
    return pdf, len(rows)
