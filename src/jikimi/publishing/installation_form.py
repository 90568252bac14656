"""[별지 제1호서식] 영상정보처리기기 설치현황(총괄) (오산시 지침 제34조) as rows, PDF and XLSX.

Columns: 연번, 부서명, 책임관(직위, 성명), 담당자(직급, 성명, 전화, e-mail), 설치 수량(대),
설치목적(1차분류, 2차분류) — one row per device group, then the total. Filled from the register: the
책임관 is the group's first 관리책임자, the 담당자 its first 관리담당자, the 분류 stated in the register or
read from its 설치 목적 (publishing.classification, 별표 1); "공개 문서에 미수록" only where the register
lacks the fact.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.lib.pdf import render_pdf
from jikimi.publishing.classification import classify
from jikimi.publishing.content import MISSING, missing_in
from jikimi.publishing.queries import groups_of

TITLE = "영상정보처리기기 설치현황(총괄)"
HEADER_GROUPS = [
    ("연번", 1),
    ("부서명", 1),
    ("책임관", 2),
    ("담당자", 4),
    ("설치 수량 (대)", 1),
    ("설치목적", 2),
]
COLUMNS = [
    "연번",
    "부서명",
    "직위",
    "성명",
    "직급",
    "성명",
    "전화",
    "e-mail",
    "설치 수량 (대)",
    "1차분류",
    "2차분류",
]


def _value(text: str, missing: str) -> str:
    return text.strip() or missing


def derived_rows(groups: list[DeviceGroup]) -> list[int]:
    """The 연번 of the rows whose 분류 was read from the 설치 목적 (said under the form)."""
    return [
        number
        for number, group in enumerate(groups, start=1)
        if (found := classify(group)) is not None and found.derived
    ]


DERIVED_NOTE = "※ 대장에 1차·2차 분류가 없는 기기 묶음은 설치 목적으로 [별표 1]에 따라 분류했습니다: 연번 {}"


def form_rows(groups: list[DeviceGroup]) -> list[list[str | int]]:
    rows: list[list[str | int]] = []
    for number, group in enumerate(groups, start=1):
        gap = MISSING
        found = classify(group)
        manager = next(iter(group.managers.all()), None)
        staff = next(iter(group.staff.all()), None)
        rows.append(
            [
                number,
                _value(group.department_name, gap),
                _value(manager.position if manager else "", gap),
                _value(manager.name if manager else "", gap),
                _value(staff.grade if staff else "", gap),
                _value(staff.name if staff else "", gap),
                _value(staff.phone if staff else "", gap),
                _value(staff.email if staff else "", gap),
                MISSING if group.count is None else group.count,
                _value(found.primary if found else "", missing_in(group.attachment)),
                _value(found.secondary if found else "", missing_in(group.attachment)),
            ]
        )
    return rows


def total(groups: list[DeviceGroup]) -> int | str:
    """The rows' total; not published when a row's count is not (no partial sum passed off as one)."""
    if any(group.count is None for group in groups):
        return MISSING
    return sum(group.count or 0 for group in groups)


def installation_pdf(institution: Institution) -> bytes:
    groups = groups_of(institution)
    return render_pdf(
        "publishing/print/installation_form.html",
        {
            "institution": institution,
            "title": TITLE,
            "groups_header": HEADER_GROUPS,
            "columns": COLUMNS,
            "rows": form_rows(groups),
            "total": total(groups),
            "derived_note": DERIVED_NOTE.format(", ".join(map(str, derived)))
            if (derived := derived_rows(groups))
            else "",
        },
    )


def installation_xlsx(institution: Institution) -> bytes:
    groups = groups_of(institution)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "설치현황(총괄)"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.cell(row=1, column=1, value=f"[별지 제1호서식] {TITLE} — {institution.name}").font = Font(
        bold=True, size=13
    )
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    column = 1
    for label, span in HEADER_GROUPS:
        cell = sheet.cell(row=2, column=column, value=label)
        if span > 1:
            sheet.merge_cells(start_row=2, start_column=column, end_row=2, end_column=column + span - 1)
        else:
            sheet.merge_cells(start_row=2, start_column=column, end_row=3, end_column=column)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        column += span
    for index, label in enumerate(COLUMNS, start=1):
        if sheet.cell(row=3, column=index).coordinate not in sheet.merged_cells:
            sheet.cell(row=3, column=index, value=label)
    for row_index, row in enumerate(form_rows(groups), start=4):
        for col_index, value in enumerate(row, start=1):
            sheet.cell(row=row_index, column=col_index, value=value)
    total_row = 4 + len(groups)
    sheet.cell(row=total_row, column=1, value="합계")
    sheet.cell(row=total_row, column=9, value=total(groups))
    derived = derived_rows(groups)
    if derived:
        sheet.cell(row=total_row + 1, column=1, value=DERIVED_NOTE.format(", ".join(map(str, derived))))
    for row in sheet.iter_rows(min_row=2, max_row=total_row, max_col=len(COLUMNS)):
        for cell in row:
            cell.border = border
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.font = Font(bold=cell.row <= 3)
    for index, width in enumerate([6, 18, 12, 10, 10, 10, 14, 22, 10, 12, 18], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
