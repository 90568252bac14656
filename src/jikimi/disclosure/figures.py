"""The yearly figures a privacy officer reports and the institution publishes (R26, R31; issue 14).

Per year and per month (Asia/Seoul): requests (열람등 요구) by type and outcome, the days from receipt
to the first decision (median and worst), refusals by ground; provisions by requesting body, 법 제18조②
ground and outcome; destructions by device group. Counted from the cases and the vault's destruction
records themselves — not from the 관리대장, whose rows are steps (a request has a decision row and
download rows; a sweep one row per device-day).

Charts are SVG drawn here (no script, no CDN): bars per month, and bars per category.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jikimi.accounts.permissions import Permission, device_groups_for, institutions_for
from jikimi.disclosure.models import Decision, ProvisionCase, SubjectRequest
from jikimi.lib.clock import SEOUL
from jikimi.rules.provision_grounds import GROUND_BY_ITEM
from jikimi.rules.refusal_grounds import BY_CODE
from jikimi.vault.models import Destruction

MONTHS = list(range(1, 13))
PENDING = "처리 중"
OUTCOME_LABELS = dict(Decision.Outcome.choices)
REFUSING = {Decision.Outcome.REFUSAL, Decision.Outcome.PARTIAL}
FONT_NAME = "맑은 고딕"


@dataclass
class Table:
    """A count per category, and per month of the year."""

    title: str
    counts: Counter[str] = field(default_factory=Counter)
    months: Counter[int] = field(default_factory=Counter)

    def add(self, category: str, month: int | None, n: int = 1) -> None:
        self.counts[category] += n
        if month is not None:
            self.months[month] += n

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def rows(self) -> list[tuple[str, int]]:
        return sorted(self.counts.items(), key=lambda pair: (-pair[1], pair[0]))

    def monthly(self) -> list[int]:
        return [self.months.get(m, 0) for m in MONTHS]


@dataclass
class Figures:
    year: int
    requests_by_kind: Table
    requests_by_outcome: Table
    refusals_by_ground: Table
    decision_days: list[int]
    provisions_by_body: Table
    provisions_by_ground: Table
    provisions_by_outcome: Table
    destructions_by_group: Table
    destroyed_segments: int

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.decision_days) if self.decision_days else None

    @property
    def worst_days(self) -> int | None:
        return max(self.decision_days) if self.decision_days else None

    def tables(self) -> list[Table]:
        return [
            self.requests_by_kind,
            self.requests_by_outcome,
            self.refusals_by_ground,
            self.provisions_by_body,
            self.provisions_by_ground,
            self.provisions_by_outcome,
            self.destructions_by_group,
        ]


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=SEOUL),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=SEOUL),
    )


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment, SEOUL)


@dataclass(frozen=True)
class Reach:
    """Whose figures: institutions read whole, and device groups read in part (R36)."""

    institutions: QuerySet[Any]
    groups: QuerySet[Any]


def reach_of(user: Any) -> Reach:
    return Reach(
        institutions_for(user, Permission.VIEW_LEDGER, whole_institution=True),
        device_groups_for(user, Permission.VIEW_LEDGER),
    )


def _requests(reach: Reach) -> QuerySet[SubjectRequest]:
    inside = SubjectRequest.objects.filter(
        Q(institution__in=reach.institutions) | Q(locations__device_group__in=reach.groups)
    ).values("pk")
    return SubjectRequest.objects.filter(pk__in=inside)


def _provisions(reach: Reach) -> QuerySet[ProvisionCase]:
    inside = ProvisionCase.objects.filter(
        Q(institution__in=reach.institutions) | Q(footage__device__device_group__in=reach.groups)
    ).values("pk")
    return ProvisionCase.objects.filter(pk__in=inside)


def _destructions(reach: Reach) -> QuerySet[Destruction]:
    # A hold that kept no copy destroyed nothing (as in the 관리대장).
    return Destruction.objects.filter(
        Q(device__device_group__institution__in=reach.institutions) | Q(device__device_group__in=reach.groups)
    ).exclude(kind=Destruction.Kind.HOLD, segments=0)


def years_with_data(reach: Reach, this_year: int) -> list[int]:
    found = {this_year}
    for moment in (
        _requests(reach).aggregate(first=Min("received_at"))["first"],
        _provisions(reach).aggregate(first=Min("received_at"))["first"],
        _destructions(reach).aggregate(first=Min("destroyed_at"))["first"],
    ):
        if moment is not None:
            found.update(range(_local(moment).year, this_year + 1))
    return sorted(found, reverse=True)


def figures_for(reach: Reach, year: int) -> Figures:
    start, end = _year_bounds(year)
    figures = Figures(
        year=year,
        requests_by_kind=Table("청구 유형별 열람등 요구"),
        requests_by_outcome=Table("처리 결과별 열람등 요구"),
        refusals_by_ground=Table("거부(일부 거부 포함) 사유별"),
        decision_days=[],
        provisions_by_body=Table("요청 기관별 제3자 제공 요청"),
        provisions_by_ground=Table("근거(법 제18조제2항)별 제3자 제공 요청"),
        provisions_by_outcome=Table("처리 결과별 제3자 제공 요청"),
        destructions_by_group=Table("기기 묶음별 파기"),
        destroyed_segments=0,
    )
    requests = _requests(reach).filter(received_at__gte=start, received_at__lt=end)
    first_decisions: dict[int, Decision] = {}
    for decision in Decision.objects.filter(request__in=requests).order_by("request_id", "number"):
        first_decisions.setdefault(decision.request_id, decision)
    for request in requests.order_by("received_at", "pk"):
        month = _local(request.received_at).month
        figures.requests_by_kind.add(request.get_kind_display(), month)
        first = first_decisions.get(request.pk)
        if first is None:
            outcome = (
                request.get_state_display() if request.state == SubjectRequest.State.WITHDRAWN else PENDING
            )
            figures.requests_by_outcome.add(outcome, month)
            continue
        decision = first
        figures.requests_by_outcome.add(OUTCOME_LABELS.get(decision.outcome, decision.outcome), month)
        # 법 제35조③: counted in days from receipt, as the 10-day clock is (Seoul dates).
        figures.decision_days.append(
            (_local(decision.decided_at).date() - _local(request.received_at).date()).days
        )
        if decision.outcome in REFUSING:
            for code in decision.grounds:
                ground = BY_CODE.get(code)
                figures.refusals_by_ground.add(ground.label if ground else code, month)
    cases = _provisions(reach).filter(received_at__gte=start, received_at__lt=end).select_related("body")
    for case in cases.order_by("received_at", "pk"):
        month = _local(case.received_at).month
        figures.provisions_by_body.add(case.body.name, month)
        item = GROUND_BY_ITEM.get(case.legal_ground)
        figures.provisions_by_ground.add(
            f"제{case.legal_ground}호 {item.label if item else ''}".strip(), month
        )
        figures.provisions_by_outcome.add(_provision_outcome(case), month)
    destroyed = _destructions(reach).filter(destroyed_at__gte=start, destroyed_at__lt=end)
    for group_name, destroyed_at, segments in destroyed.values_list(
        "device__device_group__name", "destroyed_at", "segments"
    ).order_by("destroyed_at"):
        figures.destructions_by_group.add(group_name, _local(destroyed_at).month)
        figures.destroyed_segments += segments
    return figures


def _provision_outcome(case: ProvisionCase) -> str:
    State = ProvisionCase.State
    if case.state in (State.PROVIDED, State.CLOSED):
        return "제공"
    if case.state == State.REFUSED:
        return "거부"
    if case.state == State.WITHDRAWN:
        return "취하"
    if case.state == State.APPROVED:
        return "승인(제공 전)"
    return PENDING


# --- charts -----------------------------------------------------------------------------------------

BAR = "#256ef4"  # KRDS primary


def month_chart(table: Table, *, title: str) -> str:
    """Bars per month of the year, with the counts written on them (readable without colour)."""
    values = table.monthly()
    width, height, left, bottom, top = 560, 180, 30, 24, 18
    peak = max(values) or 1
    step = (width - left) / 12
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}" class="jk-chart"><title>{escape(title)}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#888"/>',
    ]
    for index, value in enumerate(values):
        bar = (height - bottom - top) * value / peak
        x = left + index * step + step * 0.15
        y = height - bottom - bar
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{bar:.1f}" fill="{BAR}">'
            f"<title>{index + 1}월 {value}건</title></rect>"
        )
        parts.append(
            f'<text x="{x + step * 0.35:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{index + 1}월</text>'
        )
        if value:
            parts.append(
                f'<text x="{x + step * 0.35:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle">{value}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def category_chart(table: Table) -> str:
    """Horizontal bars per category (largest first)."""
    rows = table.rows()
    if not rows:
        return ""
    label_width, width, line = 230, 560, 22
    height = line * len(rows) + 6
    peak = max(n for _, n in rows) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(table.title)}" class="jk-chart"><title>{escape(table.title)}</title>'
    ]
    for index, (label, value) in enumerate(rows):
        y = 3 + index * line
        bar = (width - label_width - 40) * value / peak
        short = label if len(label) <= 18 else label[:17] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{bar:.1f}" height="{line - 8}" fill="{BAR}"/>'
        )
        parts.append(f'<text x="{label_width + bar + 4:.1f}" y="{y + 15}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --- XLSX -------------------------------------------------------------------------------------------


def figures_xlsx(figures: Figures, *, institution_names: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{figures.year}년 현황"
    bold = Font(name=FONT_NAME, bold=True)
    plain = Font(name=FONT_NAME)
    row = 1

    def put(values: list[Any], font: Font = plain) -> None:
        nonlocal row
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value).font = font
        row += 1

    put(
        [f"{institution_names} 영상정보 열람등 요구·제3자 제공·파기 현황 ({figures.year}년)"],
        Font(name=FONT_NAME, bold=True, size=13),
    )
    row += 1
    put(["결정까지 걸린 날(접수일부터)", "중앙값", "최장", "결정 건수"], bold)
    put(
        [
            "",
            figures.median_days if figures.median_days is not None else "-",
            figures.worst_days if figures.worst_days is not None else "-",
            len(figures.decision_days),
        ]
    )
    row += 1
    months = [f"{m}월" for m in MONTHS]
    for table in figures.tables():
        put([table.title, "합계"], bold)
        for label, count in table.rows():
            put([label, count])
        if not table.counts:
            put(["없음", 0])
        put(["월별", *months], bold)
        put(["건수", *table.monthly()])
        row += 1
    put(["파기한 영상 조각 수", figures.destroyed_segments], bold)
    sheet.column_dimensions["A"].width = 48
    for column in range(2, 14):
        sheet.column_dimensions[get_column_letter(column)].width = 8
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
