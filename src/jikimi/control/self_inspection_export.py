"""The self-inspection report the institution submits (표준 개인정보 보호지침 제52조; R8): as a PDF (the
shared print shell with the embedded Korean font, jikimi.lib.pdf) and as an XLSX workbook in the manner
of the other ledgers (맑은 고딕, fixed widths, A4 landscape). The page shows the same rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from jikimi.control.models import SelfInspection, SelfInspectionFinding, SelfInspectionItem
from jikimi.control.self_inspection_queries import evidence_link
from jikimi.lib.clock import SEOUL
from jikimi.lib.ledger_sheet import LedgerSheet
from jikimi.lib.pdf import render_pdf
from jikimi.rules.self_inspection import ANSWER_LABELS, BY_CODE, SOURCE_LABELS, Answer, CheckItem, Source

TITLE = "영상정보처리기기 설치·운영 자체 점검 결과"
COLUMNS = (
    "번호",
    "점검 분야",
    "점검 항목",
    "근거",
    "점검 방식",
    "점검 내역",
    "판정",
    "비고",
    "지적 사항·후속 조치",
)
WIDTHS = (6, 16, 40, 28, 12, 44, 9, 30, 40)


@dataclass(frozen=True)
class ReportRow:
    number: int
    item: SelfInspectionItem
    check: CheckItem
    figures: list[tuple[str, int]]
    evidence: tuple[str, str] | None
    findings: list[SelfInspectionFinding]

    @property
    def answer_label(self) -> str:
        return ANSWER_LABELS[Answer(self.item.answer)] if self.item.answer else "미판정"

    @property
    def proposed_label(self) -> str:
        return ANSWER_LABELS[Answer(self.item.proposed)] if self.item.proposed else ""

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS[Source(self.item.source)]

    @property
    def overruled(self) -> bool:
        """The officer answered otherwise than the figures proposed."""
        return bool(self.item.proposed) and self.item.proposed != self.item.answer

    def details(self) -> str:
        lines = [f"{label}: {value}" for label, value in self.figures]
        lines += [f"- {note}" for note in self.item.notes]
        return "\n".join(lines) if lines else "책임자 확인"

    def follow_ups(self) -> str:
        return "\n".join(_finding(f) for f in self.findings)


def _finding(f: SelfInspectionFinding) -> str:
    due = f" (기한 {f.due_on:%Y-%m-%d})" if f.due_on else ""
    return f"{f.finding} → {f.action}{due}"


def report_rows(inspection: SelfInspection) -> list[ReportRow]:
    findings: dict[int | None, list[SelfInspectionFinding]] = {}
    for f in inspection.findings.all():
        findings.setdefault(f.item_id, []).append(f)
    rows = []
    for number, item in enumerate(inspection.items.all().order_by("position"), start=1):
        check = BY_CODE[item.code]
        rows.append(
            ReportRow(
                number,
                item,
                check,
                [(figure.label, int(item.figures.get(figure.key, 0))) for figure in check.figures],
                evidence_link(item.code, inspection.institution, inspection.year),
                findings.get(item.pk, []),
            )
        )
    return rows


def general_findings(inspection: SelfInspection) -> list[SelfInspectionFinding]:
    return list(inspection.findings.filter(item__isnull=True))


def tally(rows: list[ReportRow]) -> dict[str, int]:
    counts = {label: 0 for label in (*ANSWER_LABELS.values(), "미판정")}
    for row in rows:
        counts[row.answer_label] += 1
    return counts


def heading(inspection: SelfInspection) -> str:
    state = (
        f"완료 {timezone.localtime(inspection.completed_at, SEOUL):%Y-%m-%d}"
        if inspection.completed_at
        else "점검 중(완료 전)"
    )
    started = timezone.localtime(inspection.started_at, SEOUL)
    return (
        f"{inspection.institution.name} · {inspection.year}년 · 자동 점검 수치 기준 {started:%Y-%m-%d %H:%M} · "
        f"점검자 {inspection.started_by.name} · {state}"
    )


def report_pdf(inspection: SelfInspection) -> bytes:
    rows = report_rows(inspection)
    return render_pdf(
        "control/self_inspection/print.html",
        {
            "title": TITLE,
            "inspection": inspection,
            "heading": heading(inspection),
            "rows": rows,
            "tally": tally(rows),
            "general_findings": general_findings(inspection),
            "orientation": "landscape",
        },
    )


def report_xlsx(inspection: SelfInspection) -> bytes:
    rows = report_rows(inspection)
    sheet = LedgerSheet(
        f"{inspection.year}년 자체 점검",
        title=TITLE,
        heading=heading(inspection),
        columns=COLUMNS,
        widths=WIDTHS,
    )
    for offset, row in enumerate(rows, start=1):
        answer = row.answer_label + (f" (자동 판정 {row.proposed_label})" if row.overruled else "")
        sheet.row(
            offset,
            [
                row.number,
                row.check.area,
                f"{row.check.title}: {row.check.question}",
                row.check.basis,
                row.source_label,
                row.details(),
                answer,
                row.item.remark,
                row.follow_ups(),
            ],
        )
    line = 5 + len(rows)
    counts = ", ".join(f"{label} {n}" for label, n in tally(rows).items())
    sheet.text(line, f"판정 합계: {counts}", bold=True)
    for extra, f in enumerate(general_findings(inspection), start=1):
        sheet.text(line + extra, f"점검 전반: {_finding(f)}")
    last = line + 1 + len(general_findings(inspection))
    summary = inspection.summary or "(완료 전)"
    sheet.text(last, f"종합 의견: {summary}")
    return sheet.save()
