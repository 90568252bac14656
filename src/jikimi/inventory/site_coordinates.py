"""Site coordinates from the 공공데이터포털 표준데이터 "CCTV정보" file (issue 17: the map of sites).

Many institutions publish their cameras as that standard CSV: 관리기관명, 소재지도로명주소,
소재지지번주소, 설치목적구분, 카메라대수, …, WGS84위도, WGS84경도, 데이터기준일자. Its coordinates are
the institution's own published statement of where a site is, so they may fill the register's
(Location.latitude/longitude) — but only where a row names a site exactly: its road-name or lot-number
address is the site's name, letter for letter (spaces aside). Nothing is geocoded or guessed. A row
that names no site, or several, is reported with its line; a site given two different points by the
file, or already holding another point, is listed as a conflict and left as it is (never overwritten
silently: the officer corrects it on the group's edit page, audited).

Reading is checked before any work: the file's size, then its encoding (UTF-8 with or without BOM,
else CP949/EUC-KR as the portal's downloads often are), its header and its number of rows.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from jikimi.inventory import models
from jikimi.inventory.models.groups import validate_latitude, validate_longitude

# Inputs have limits: the largest institution's file (광양시, 2,417 cameras) is well under a megabyte
# and a few thousand rows; a national file (all institutions, ~1.5 million cameras) is not one
# institution's and is refused before it costs minutes.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# What a report lists line by line; the rest is counted.
MAX_LISTED = 200

LATITUDE = "WGS84위도"
LONGITUDE = "WGS84경도"
ADDRESSES = ("소재지도로명주소", "소재지지번주소")
INSTITUTION = "관리기관명"


class CoordinatesFileRefused(ValueError):
    """The file cannot be read at all (size, encoding, header, rows); nothing was matched or written."""


@dataclass(frozen=True)
class CsvRow:
    line: int
    addresses: tuple[str, ...]
    latitude: float
    longitude: float


@dataclass
class CsvReading:
    file: str
    rows: list[CsvRow]
    bad_lines: list[str]  # lines without a usable coordinate, each with its line and why
    row_count: int


def _normal(text: str) -> str:
    """Spaces aside (the portal's files and the registers space addresses differently), letter for letter."""
    return " ".join(text.split())


def decode(data: bytes, file: str) -> str:
    """The file's text: UTF-8 (with or without BOM), else CP949/EUC-KR."""
    if len(data) > MAX_BYTES:
        raise CoordinatesFileRefused(
            f"{file}: 파일이 너무 큽니다 ({len(data):,}바이트, 최대 {MAX_BYTES:,}바이트) — 기관 하나의 "
            "CCTV정보 파일만 올리세요"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as error:
        raise CoordinatesFileRefused(
            f"{file}: 글자 인코딩을 읽을 수 없습니다 (UTF-8도 CP949/EUC-KR도 아닙니다, {error.start:,}바이트째) "
            "— 공공데이터포털에서 받은 CSV 파일 그대로 올리세요"
        ) from error


def read_csv(data: bytes, file: str) -> CsvReading:
    """The rows of a CCTV정보 file that carry a coordinate; lines without a usable one are listed."""
    text = decode(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error as error:
        raise CoordinatesFileRefused(f"{file}:1: CSV 형식이 아닙니다 ({error})") from error
    missing = [name for name in (LATITUDE, LONGITUDE) if name not in header]
    if missing or not any(name in header for name in ADDRESSES):
        wanted = ", ".join(
            [*missing, *([] if any(n in header for n in ADDRESSES) else ["/".join(ADDRESSES)])]
        )
        raise CoordinatesFileRefused(
            f"{file}:1: 첫 줄에 {wanted} 열이 없습니다 — 공공데이터포털 표준데이터 'CCTV정보'의 열 이름이어야 "
            f"합니다 (첫 줄: {', '.join(header[:15]) or '비어 있음'})"
        )
    lat_at, lon_at = header.index(LATITUDE), header.index(LONGITUDE)
    address_at = [header.index(name) for name in ADDRESSES if name in header]
    records: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            if len(records) >= MAX_ROWS:
                raise CoordinatesFileRefused(
                    f"{file}: 줄이 너무 많습니다 (최대 {MAX_ROWS:,}줄) — 기관 하나의 CCTV정보 파일만 올리세요"
                )
            if any(cell.strip() for cell in record):
                records.append((reader.line_num, record))
    except csv.Error as error:
        raise CoordinatesFileRefused(f"{file}:{reader.line_num}: CSV 형식이 아닙니다 ({error})") from error
    rows: list[CsvRow] = []
    bad: list[str] = []
    for line, record in records:
        cells = [cell.strip() for cell in record] + [""] * (len(header) - len(record))
        addresses = tuple(a for a in (_normal(cells[i]) for i in address_at) if a)
        point, problem = _point(cells[lat_at], cells[lon_at])
        if problem:
            bad.append(f"{file}:{line}: {problem}")
        elif not addresses:
            bad.append(f"{file}:{line}: 소재지도로명주소와 소재지지번주소가 모두 비어 있습니다")
        elif point is not None:
            rows.append(CsvRow(line, addresses, *point))
    return CsvReading(file, rows, bad, len(records))


def _point(latitude: str, longitude: str) -> tuple[tuple[float, float] | None, str]:
    if not latitude and not longitude:
        return None, "WGS84위도·WGS84경도가 비어 있습니다 (좌표 미공개)"
    if not latitude or not longitude:
        return (
            None,
            f"{LATITUDE if not latitude else LONGITUDE}가 비어 있습니다 (위도와 경도는 함께 있어야 합니다)",
        )
    values: list[float] = []
    for name, text, validate in (
        (LATITUDE, latitude, validate_latitude),
        (LONGITUDE, longitude, validate_longitude),
    ):
        try:
            value = float(text)
        except ValueError:
            return None, f"{name} '{text[:40]}'은(는) 숫자가 아닙니다"
        try:
            validate(value)
        except ValidationError as error:
            return None, f"{name}: {error.messages[0]}"
        values.append(value)
    return (values[0], values[1]), ""


@dataclass(frozen=True)
class Filling:
    location: models.Location
    latitude: float
    longitude: float
    line: int

    def __str__(self) -> str:
        return (
            f"{self.location.device_group.name} / {self.location.name}: "
            f"위도 {self.latitude}, 경도 {self.longitude} ({self.line}행)"
        )


@dataclass
class FillPlan:
    """What a file would do to an institution's sites, and what it leaves as it is (with why)."""

    file: str
    row_count: int
    fillings: list[Filling] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # sites that already hold the file's point
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    bad_lines: list[str] = field(default_factory=list)

    def report(self) -> list[str]:
        """The officer's report, in Korean, the first MAX_LISTED lines of each kind and their counts."""
        out = [
            f"{self.file}: {self.row_count:,}줄 중 좌표를 채운 설치 위치 {len(self.fillings):,}곳, "
            f"이미 같은 좌표 {len(self.unchanged):,}곳, 일치하는 위치 없음 {len(self.unmatched):,}줄, "
            f"여러 위치와 일치 {len(self.ambiguous):,}줄, 충돌 {len(self.conflicts):,}건, "
            f"좌표를 읽을 수 없는 줄 {len(self.bad_lines):,}줄"
        ]
        for title, items in (
            ("채움", [str(f) for f in self.fillings]),
            ("충돌 (바꾸지 않음)", self.conflicts),
            ("여러 위치와 일치 (채우지 않음)", self.ambiguous),
            ("일치하는 위치 없음", self.unmatched),
            ("읽을 수 없는 줄", self.bad_lines),
        ):
            out += [f"{title}: {item}" for item in items[:MAX_LISTED]]
            if len(items) > MAX_LISTED:
                out.append(f"{title}: 그 밖에 {len(items) - MAX_LISTED:,}건은 줄였습니다")
        return out


def _site_label(location: models.Location) -> str:
    return f"{location.device_group.name} / {location.name}({location.key})"


def plan_fill(institution: models.Institution, reading: CsvReading) -> FillPlan:
    """Which of `institution`'s sites the file's rows name exactly, and what each would get."""
    plan = FillPlan(reading.file, reading.row_count, bad_lines=list(reading.bad_lines))
    sites: dict[str, list[models.Location]] = defaultdict(list)
    for location in models.Location.objects.filter(device_group__institution=institution).select_related(
        "device_group"
    ):
        sites[_normal(location.name)].append(location)
    proposed: dict[int, list[CsvRow]] = defaultdict(list)
    by_pk: dict[int, models.Location] = {}
    for row in reading.rows:
        found = {loc.pk: loc for address in row.addresses for loc in sites.get(address, [])}
        if not found:
            written = ", ".join(f"'{a}'" for a in row.addresses)
            plan.unmatched.append(
                f"{reading.file}:{row.line}: 주소 {written}와(과) 이름이 같은 설치 위치가 없습니다"
            )
        elif len(found) > 1:
            names = ", ".join(_site_label(loc) for loc in found.values())
            plan.ambiguous.append(
                f"{reading.file}:{row.line}: 설치 위치 {len(found)}곳과 일치해 어느 곳인지 정할 수 없습니다 "
                f"({names}) — 묶음 편집 화면에서 직접 적으세요"
            )
        else:
            [(pk, location)] = found.items()
            proposed[pk].append(row)
            by_pk[pk] = location
    for pk, rows in proposed.items():
        location = by_pk[pk]
        points = {(r.latitude, r.longitude) for r in rows}
        lines = ", ".join(str(r.line) for r in rows[:20])
        if len(points) > 1:
            shown = " / ".join(f"{r.latitude}, {r.longitude} ({r.line}행)" for r in rows[:10])
            plan.conflicts.append(
                f"{reading.file}:{lines}: {_site_label(location)}에 파일이 서로 다른 좌표를 줍니다 ({shown}) "
                "— 채우지 않았습니다"
            )
            continue
        [(latitude, longitude)] = points
        if location.has_coordinates:
            if (location.latitude, location.longitude) == (latitude, longitude):
                plan.unchanged.append(f"{_site_label(location)} ({lines}행)")
            else:
                plan.conflicts.append(
                    f"{reading.file}:{lines}: {_site_label(location)}에 이미 좌표(위도 {location.latitude}, "
                    f"경도 {location.longitude})가 있어 파일의 좌표(위도 {latitude}, 경도 {longitude})로 바꾸지 "
                    "않았습니다 — 바꾸려면 묶음 편집 화면에서 고치세요"
                )
            continue
        plan.fillings.append(Filling(location, latitude, longitude, rows[0].line))
    return plan


__all__ = ["CoordinatesFileRefused", "FillPlan", "plan_fill", "read_csv"]
