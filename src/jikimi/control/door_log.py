"""Reading a door-access system's log (CSV) of the control room (R41: entry to the control room is
logged; 오산시 지침 제22조①, 제31조①). Plain values: the action matches and stores the rows.

The file is checked whole before anything is stored: its size and row count first (before any work),
then every line; an error names the file, the line and the field, in Korean.

Expected header (the usual export of a card reader; UTF-8, with or without BOM, or CP949):
    일시,카드번호,성명,출입문,구분
구분 is 입실/퇴실 (or IN/OUT). 일시 is local (Asia/Seoul) time, "2026-12-07 09:12" or with seconds.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from jikimi.lib.input_limits import check_printable

MAX_BYTES = 2 * 1024 * 1024  # a month of a busy door is well under this
MAX_ROWS = 20_000
COLUMNS = ("일시", "카드번호", "성명", "출입문", "구분")
LONGEST = {"카드번호": 40, "성명": 60, "출입문": 60}
DIRECTIONS = {"입실": "in", "in": "in", "입": "in", "퇴실": "out", "out": "out", "출": "out"}
_SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class DoorRow:
    line: int
    passed_at: datetime
    card: str
    name: str
    door: str
    direction: str  # "in" or "out"


class DoorLogRefused(ValueError):
    """The file is refused as a whole; `errors` lists every problem found (file, line, field)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _decode(data: bytes, file_name: str) -> str:
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DoorLogRefused([f"{file_name}: 글자 인코딩을 읽을 수 없습니다 (UTF-8 또는 CP949로 저장하세요)"])


def _moment(raw: str) -> datetime | None:
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M"):
        try:
            return datetime.strptime(raw, pattern).replace(tzinfo=_SEOUL)
        except ValueError:
            continue
    return None


def parse_door_log(data: bytes, file_name: str, *, earliest: datetime, latest: datetime) -> list[DoorRow]:
    """Every row of the file, or DoorLogRefused with all the errors found (up to 50 of them).

    `earliest`/`latest` bound the times a row may carry (the caller passes them from its clock: a row in
    the future or from before the system existed is a wrong column or a wrong clock on the reader).
    """
    if len(data) > MAX_BYTES:
        raise DoorLogRefused(
            [
                f"{file_name}: 파일이 너무 큽니다 ({len(data):,}바이트, 최대 {MAX_BYTES:,}바이트). 기간을 나누어 가져오세요"
            ]
        )
    if not data.strip():
        raise DoorLogRefused([f"{file_name}: 빈 파일입니다"])
    text = _decode(data, file_name)
    lines = text.splitlines()
    if len(lines) - 1 > MAX_ROWS:
        raise DoorLogRefused(
            [
                f"{file_name}: 행이 너무 많습니다 ({len(lines) - 1:,}행, 최대 {MAX_ROWS:,}행). 기간을 나누어 가져오세요"
            ]
        )
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise DoorLogRefused([f"{file_name}: CSV 형식이 아닙니다 ({error})"]) from None
    header = tuple(cell.strip() for cell in records[0])
    if header != COLUMNS:
        raise DoorLogRefused(
            [f"{file_name} 1행: 머리행은 '{','.join(COLUMNS)}'이어야 합니다 (지금 '{','.join(header)}')"]
        )
    rows: list[DoorRow] = []
    errors: list[str] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(COLUMNS):
            errors.append(f"{file_name} {number}행: 칸이 {len(COLUMNS)}개여야 합니다 (지금 {len(cells)}개)")
            continue
        values = dict(zip(COLUMNS, (cell.strip() for cell in cells), strict=True))
        problems = _row_problems(values, earliest, latest)
        if problems:
            errors.extend(f"{file_name} {number}행 '{field}': {problem}" for field, problem in problems)
            continue
        moment = _moment(values["일시"])
        assert moment is not None  # checked above
        rows.append(
            DoorRow(
                number,
                moment,
                values["카드번호"],
                values["성명"],
                values["출입문"],
                DIRECTIONS[values["구분"].lower()],
            )
        )
    if errors:
        raise DoorLogRefused(errors[:50] + ([f"… 외 {len(errors) - 50}건"] if len(errors) > 50 else []))
    if not rows:
        raise DoorLogRefused([f"{file_name}: 출입 기록이 한 줄도 없습니다"])
    return rows


def _row_problems(values: dict[str, str], earliest: datetime, latest: datetime) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    moment = _moment(values["일시"])
    if moment is None:
        problems.append(("일시", f"'{values['일시']}'은(는) 날짜·시각이 아닙니다 (예: 2026-12-07 09:12)"))
    elif not earliest <= moment <= latest:
        problems.append(
            ("일시", f"{values['일시']}은(는) 가져올 수 있는 기간 밖입니다 (미래이거나 너무 오래됨)")
        )
    for field, longest in LONGEST.items():
        value = values[field]
        if not value and field != "출입문":
            problems.append((field, "비어 있습니다"))
        elif len(value) > longest:
            problems.append((field, f"{longest}자까지 쓸 수 있습니다 (지금 {len(value)}자)"))
        else:
            try:
                check_printable(value)
            except ValueError as error:
                problems.append((field, str(error)))
    if values["구분"].lower() not in DIRECTIONS:
        problems.append(("구분", f"'{values['구분']}'은(는) 입실 또는 퇴실이어야 합니다"))
    return problems
