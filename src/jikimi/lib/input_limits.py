"""Inputs have limits: the ranges every request parameter is checked against before any work is done.

An id is a BIGINT (the primary keys are BigAutoField): a larger number names nothing, and SQLite cannot
even be asked about it (OverflowError). A day or a moment asked about footage, holds, destructions or
the log lies in a sane window — not before 2000-01-01 (no digital CCTV record of this system is
older), not more than a year after today — and a window spans at most MAX_SPAN. Search text is short.
Each check raises ValueError with a Korean sentence that names the field.

`IdConverter` is the URL converter for ids (`<id:pk>`), registered by this app: an id of more than 18
digits does not match the route (404), where Django's `int` would pass it on to the database.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from jikimi.lib.clock import SEOUL, today

MAX_ID = 2**63 - 1  # PostgreSQL bigint, SQLite INTEGER
EARLIEST_DAY = date(2000, 1, 1)
AHEAD = timedelta(days=366)
MAX_SPAN = timedelta(days=366)
MAX_SEARCH_LENGTH = 100


# A legal hold may outlast a year (a trial); still, "until 9999-12-31" is not an end date.
HOLD_AHEAD = timedelta(days=10 * 366)


def latest_day(ahead: timedelta = AHEAD) -> date:
    """The last day a request may name: a year (or `ahead`) after today (Asia/Seoul)."""
    return today() + ahead


def check_id(value: int, field: str) -> int:
    """`value` if it can be an id (1 … MAX_ID); ValueError naming `field` otherwise."""
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"{field}: {value}은(는) 있을 수 있는 번호가 아닙니다 (1 이상 {MAX_ID} 이하)")
    return value


def parse_id(raw: str, field: str) -> int:
    """A decimal id from a query parameter; ValueError naming `field` when it is not one."""
    text = raw.strip()
    if not text.isdecimal() or not text.isascii():
        raise ValueError(f"{field}: '{text[:40]}'은(는) 번호가 아닙니다")
    if len(text) > len(str(MAX_ID)):
        raise ValueError(f"{field}: 번호가 너무 깁니다 ({len(text)}자리; 1 이상 {MAX_ID} 이하)")
    return check_id(int(text), field)


def check_day(value: date, field: str, ahead: timedelta = AHEAD) -> date:
    """`value` if it lies in the sane window (EARLIEST_DAY … a year, or `ahead`, after today)."""
    latest = latest_day(ahead)
    if not EARLIEST_DAY <= value <= latest:
        raise ValueError(
            f"{field}: {value:%Y-%m-%d}은(는) 받을 수 있는 날짜가 아닙니다 "
            f"({EARLIEST_DAY:%Y-%m-%d}부터 {latest:%Y-%m-%d}까지)"
        )
    return value


def check_moment(value: datetime, field: str) -> datetime:
    """`value` (aware) if its Seoul day lies in the sane window."""
    check_day(value.astimezone(SEOUL).date() if value.tzinfo else value.date(), field)
    return value


def check_span(start: datetime, end: datetime, longest: timedelta = MAX_SPAN) -> None:
    """A window no longer than `longest`; ValueError says how long it may be."""
    if end - start > longest:
        raise ValueError(
            f"구간이 너무 깁니다: 한 번에 {longest.days}일까지 조회할 수 있습니다 "
            f"(요청: {(end - start).days}일)"
        )


def _unstorable(character: str) -> bool:
    # Control characters (NUL: PostgreSQL cannot store it) and lone surrogates (not UTF-8) have no place
    # in a name, a reason or a search; line breaks and tabs do.
    code = ord(character)
    return (code < 32 and character not in "\n\t") or code == 127 or 0xD800 <= code <= 0xDFFF


def check_printable(value: str, field: str = "") -> str:
    """`value` if it holds no control character or lone surrogate; ValueError naming them otherwise."""
    bad = sorted({c for c in value if _unstorable(c)})
    if bad:
        codes = ", ".join(f"U+{ord(c):04X}" for c in bad[:5])
        raise ValueError(f"{field + ': ' if field else ''}제어 문자({codes})는 쓸 수 없습니다")
    return value


def search_text(raw: str) -> str:
    """A search or filter text as typed: control characters dropped, at most MAX_SEARCH_LENGTH."""
    return "".join(c for c in raw if not _unstorable(c)).strip()[:MAX_SEARCH_LENGTH]


class IdConverter:
    """`<id:name>`: a positive decimal id of at most 18 digits (always below MAX_ID)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


class KeyConverter:
    """`<key:name>`: a register key (a slug of at most 60 characters, as the register's key fields)."""

    regex = "[-a-zA-Z0-9_]{1,60}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
