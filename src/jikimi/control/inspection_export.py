"""The 정상작동 점검 기록 (오산시 지침 제31조④) as an XLSX workbook, in the ledger's manner (맑은 고딕,
fixed widths, A4 landscape): one line per camera, then the checks of all cameras at once."""

from __future__ import annotations

from django.utils import timezone

from jikimi.control.health_queries import InspectionLog, InspectionRow
from jikimi.lib.clock import SEOUL
from jikimi.lib.ledger_sheet import LedgerSheet

TITLE = "영상정보처리기기 정상작동 점검 기록"
COLUMNS = ("번호", "기기 묶음", "기기", "녹화 중단(건)", "중단 시간(분)", "유지보수", "수기 점검", "결과")
WIDTHS = (7, 26, 22, 12, 12, 48, 48, 12)


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
    sheet = LedgerSheet("정상작동 점검", title=TITLE, heading=heading, columns=COLUMNS, widths=WIDTHS)
    count = 0
    for count, row in enumerate(log.rows, start=1):
        sheet.row(count, row_values(count, row))
    line = 5 + count
    sheet.text(line, "전체 기기 점검", bold=True)
    for offset, check in enumerate(log.general_checks, start=1):
        text = f"{check.checked_on:%Y-%m-%d} {check.checked_by.name}: {check.items} — {check.get_result_display()}"
        if check.note:
            text += f" ({check.note})"
        sheet.text(line + offset, text)
    if not log.general_checks:
        sheet.text(line + 1, "없음")
    return sheet.save(), count
