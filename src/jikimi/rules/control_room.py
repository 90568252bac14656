"""The control centre's people: shift coverage (오산시 지침 제21조①) and the operating committee's terms
(제24조⑥). Plain values only: no Django, no clock (the caller passes "now" and the dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

# ---- shifts: 365 days, 24 hours (제21조①: "실시간 관제가 가능하도록 배치하고, 교대근무") -------------


@dataclass(frozen=True)
class Coverage:
    """One planned shift as the roster sees it: its time and how many people are assigned to it."""

    start: datetime
    end: datetime
    staffed: int


@dataclass(frozen=True)
class Gap:
    """A stretch of the window nobody is rostered for (no shift, or a shift without anybody on it)."""

    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


def roster_gaps(shifts: list[Coverage], window_start: datetime, window_end: datetime) -> list[Gap]:
    """The parts of [window_start, window_end) covered by no staffed shift, in time order.

    제21조① asks that monitoring be continuous: a shift with no person assigned covers nothing.
    Overlapping shifts (a handover overlap) are merged.
    """
    if window_end <= window_start:
        return []
    covered = sorted(
        (max(s.start, window_start), min(s.end, window_end))
        for s in shifts
        if s.staffed > 0 and s.end > window_start and s.start < window_end and s.end > s.start
    )
    gaps: list[Gap] = []
    cursor = window_start
    for start, end in covered:
        if start > cursor:
            gaps.append(Gap(cursor, start))
        cursor = max(cursor, end)
    if cursor < window_end:
        gaps.append(Gap(cursor, window_end))
    return gaps


# ---- the operating committee (제24조) -------------------------------------------------------------

TERM_YEARS = 2  # 제24조⑥: 위촉직 위원의 임기는 2년
MOST_CONSECUTIVE_TERMS = 2  # 제24조⑥: 1회에 한하여 연임 (the first term and one renewal)


class MembershipKind(StrEnum):
    EX_OFFICIO = "ex_officio"  # 당연직 (제24조④): sits by office, no term
    APPOINTED = "appointed"  # 위촉직 (제24조⑤): appointed for a term


@dataclass(frozen=True)
class Term:
    starts_on: date
    ends_on: date  # the last day of the term, inclusive


class TermRefused(ValueError):
    """A term that 제24조⑥ does not allow; the message says why, in Korean."""


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later (29 February → 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_term_end(starts_on: date) -> date:
    """The last day of a full term starting on `starts_on`: 2 years less a day (2027-01-01 → 2028-12-31)."""
    return add_years(starts_on, TERM_YEARS) - timedelta(days=1)


def consecutive_run(terms: list[Term], starts_on: date) -> list[Term]:
    """The terms ending the day before `starts_on`, and those before them without a break: the run a
    term starting on `starts_on` would renew (연임). A term after a break is a new appointment."""
    by_end = {term.ends_on: term for term in terms}
    run: list[Term] = []
    day = starts_on - timedelta(days=1)
    while day in by_end:
        term = by_end[day]
        run.append(term)
        day = term.starts_on - timedelta(days=1)
    return run


def check_term(kind: MembershipKind, previous: list[Term], new: Term) -> None:
    """Refuse a term 제24조⑥ does not allow for a member whose earlier terms are `previous`.

    - 당연직 members hold no term (제24조④: by office);
    - a term ends after it starts and lasts at most 2 years (a shorter one fills a vacancy's remainder);
    - terms of one member never overlap;
    - a renewal (a term starting the day after the last one ends) is allowed once: a third term in a
      row is refused. A term after a break starts a new run (the guideline limits 연임, renewal).
    """
    if kind == MembershipKind.EX_OFFICIO:
        raise TermRefused("당연직 위원은 임기 없이 직위에 따라 위원이 됩니다 (오산시 지침 제24조④)")
    if new.ends_on < new.starts_on:
        raise TermRefused("임기 종료일이 시작일보다 앞섭니다")
    if new.ends_on > full_term_end(new.starts_on):
        raise TermRefused(
            f"위촉직 위원의 임기는 {TERM_YEARS}년입니다: {new.starts_on.isoformat()}에 시작하면 "
            f"{full_term_end(new.starts_on).isoformat()}까지입니다 (오산시 지침 제24조⑥)"
        )
    for term in previous:
        if term.starts_on <= new.ends_on and new.starts_on <= term.ends_on:
            raise TermRefused(
                f"이미 위촉된 임기({term.starts_on.isoformat()}~{term.ends_on.isoformat()})와 겹칩니다"
            )
    if len(consecutive_run(previous, new.starts_on)) >= MOST_CONSECUTIVE_TERMS:
        raise TermRefused(
            "위촉직 위원은 1회에 한하여 연임할 수 있습니다: 이미 연임한 위원입니다 (오산시 지침 제24조⑥)"
        )


def is_renewal(previous: list[Term], new: Term) -> bool:
    return bool(consecutive_run(previous, new.starts_on))


def serving_on(terms: list[Term], day: date) -> bool:
    return any(term.starts_on <= day <= term.ends_on for term in terms)
