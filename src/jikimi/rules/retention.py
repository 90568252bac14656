"""Retention periods (보관기간) as the registers write them, and when footage must be destroyed.

시행령 제25조①4호 requires a stated retention period for every device (R16); the 표준지침 limits it
to 30 days where no justified period exists, so anything longer needs a recorded reason. 법 제21조
and the 표준지침 require destruction without delay at expiry; institutions promise "5일 이내" (R17).

Forms seen in the published policies: "30일", "3개월", "30일 이내", "10일 ~ 60일", "준영구", "미보유",
"촬영일로부터 30일", "30일간".

The published words are printed in the policy as the institution wrote them; the vault needs a number.
`retention_meaning` gives it: the officer's stated number of days (the register's `retention_days`),
else what the published words say, else — words with no machine meaning yet ("저장용량 범위 내") — the
law's fallback: without a justified period, at most 30 days from collection (표준지침, R16), flagged as
such so the officer states the period. Never "kept until someone decides": that would keep footage forever.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

# 표준지침 [R]: without a justified period, at most 30 days. Configurable by callers.
DEFAULT_MAXIMUM_WITHOUT_REASON_DAYS = 30
# 표준지침 / seeds (군산시 제3조②) [R]: destroyed within 5 days of expiry. Only the default of the
# institution's own setting (inventory.Institution.destruction_grace_days), which the policy states.
STANDARD_DESTRUCTION_GRACE_DAYS = 5


class RetentionKind(StrEnum):
    DAYS = "days"
    MONTHS = "months"
    PERMANENT = "permanent"  # 준영구: kept until a records-management decision, never auto-destroyed
    NOT_STORED = "not_stored"  # 미보유: live view only, nothing is recorded (법 제25조①6호, R15)


class RetentionError(ValueError):
    """A retention text that cannot be read."""


@dataclass(frozen=True)
class Retention:
    kind: RetentionKind
    amount: int = 0  # days or months; for a range, the longest
    minimum: int | None = None  # for a range "10일 ~ 60일", the shortest
    up_to: bool = False  # "30일 이내"

    def text(self) -> str:
        """The Korean form, as a register or a policy writes it."""
        if self.kind is RetentionKind.PERMANENT:
            return "준영구"
        if self.kind is RetentionKind.NOT_STORED:
            return "미보유"
        unit = "일" if self.kind is RetentionKind.DAYS else "개월"
        if self.minimum is not None:
            return f"{self.minimum}{unit} ~ {self.amount}{unit}"
        return f"{self.amount}{unit}{' 이내' if self.up_to else ''}"

    @property
    def stores_footage(self) -> bool:
        return self.kind is not RetentionKind.NOT_STORED

    @property
    def expires(self) -> bool:
        return self.kind in (RetentionKind.DAYS, RetentionKind.MONTHS)

    def longest_days(self, recorded_on: date | None = None) -> int | None:
        """The longest period in days (months counted from `recorded_on`, or as 31 days when not given)."""
        if self.kind is RetentionKind.DAYS:
            return self.amount
        if self.kind is RetentionKind.MONTHS:
            if recorded_on is None:
                return self.amount * 31
            return (add_months(recorded_on, self.amount) - recorded_on).days
        return None

    def needs_reason(self, maximum_without_reason_days: int = DEFAULT_MAXIMUM_WITHOUT_REASON_DAYS) -> bool:
        """R16: more than the default maximum (30 days) must carry a recorded reason; so must 준영구."""
        if self.kind is RetentionKind.PERMANENT:
            return True
        longest = self.longest_days()
        return longest is not None and longest > maximum_without_reason_days

    def expiry(self, recorded_on: date) -> date | None:
        """The first day on which footage recorded on `recorded_on` is past its retention."""
        if self.kind is RetentionKind.DAYS:
            return recorded_on + timedelta(days=self.amount + 1)
        if self.kind is RetentionKind.MONTHS:
            return add_months(recorded_on, self.amount) + timedelta(days=1)
        return None

    def destruction_deadline(self, recorded_on: date, grace_days: int) -> date | None:
        """R17: the last day by which footage recorded on `recorded_on` must be destroyed."""
        expiry = self.expiry(recorded_on)
        return None if expiry is None else destruction_deadline(expiry, grace_days)


def destruction_deadline(expiry: date, grace_days: int) -> date:
    """R17: the last day by which footage that expires on `expiry` must be destroyed.

    The one place the deadline is computed. Days are the institution's calendar days (Asia/Seoul, the
    day keys' days): footage of one day key expires on one day and is due `grace_days` days later,
    whatever the hour of the sweep. `grace_days` is the institution's published setting (표준지침: 5).
    """
    if grace_days < 0:
        raise ValueError(f"파기 유예 일수는 0 이상이어야 합니다: {grace_days}")
    return expiry + timedelta(days=grace_days)


def add_months(day: date, months: int) -> date:
    """Calendar months, clamping to the end of a shorter month (1월 31일 + 1개월 = 2월 28/29일)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_UNIT = {"일": RetentionKind.DAYS, "개월": RetentionKind.MONTHS, "달": RetentionKind.MONTHS}
_SINGLE = re.compile(r"^(\d+)\s*(일|개월|달)\s*(?:간)?(\s*이내)?$")
# "촬영일로부터 30일", "녹화일부터 30일", "촬영 후 30일": the period counts from recording, as every
# period here does (Retention.expiry counts from the day of recording).
_FROM_RECORDING = re.compile(r"^(?:촬영|녹화|수집|저장)\s*(?:일|한\s*날)?\s*(?:로부터|부터|후|이후)\s*")
_RANGE = re.compile(r"^(\d+)\s*(일|개월)\s*[~∼-]\s*(\d+)\s*(일|개월)$")


def parse_retention(text: str) -> Retention:
    """Read a register's retention text; raise RetentionError saying what is wrong."""
    cleaned = _FROM_RECORDING.sub("", " ".join(str(text).split()))
    if cleaned in ("준영구", "영구"):
        return Retention(RetentionKind.PERMANENT)
    if cleaned in ("미보유", "미저장", "저장하지 않음"):
        return Retention(RetentionKind.NOT_STORED)
    if match := _SINGLE.match(cleaned):
        amount = int(match.group(1))
        if amount <= 0:
            raise RetentionError(f"보관기간은 1 이상이어야 합니다: '{text}'")
        return Retention(_UNIT[match.group(2)], amount, up_to=bool(match.group(3)))
    if match := _RANGE.match(cleaned):
        low, low_unit, high, high_unit = (
            int(match.group(1)),
            match.group(2),
            int(match.group(3)),
            match.group(4),
        )
        if low_unit != high_unit:
            raise RetentionError(f"보관기간 범위의 단위가 다릅니다: '{text}'")
        if not 0 < low < high:
            raise RetentionError(f"보관기간 범위는 짧은 기간 ~ 긴 기간 순서여야 합니다: '{text}'")
        return Retention(_UNIT[low_unit], high, minimum=low)
    raise RetentionError(
        f"보관기간을 읽을 수 없습니다: '{text}' (예: '30일', '3개월', '30일 이내', '촬영일로부터 30일', '10일 ~ 60일', '준영구', '미보유')"
    )


# 표준지침 [R], R16: without a justified period, at most 30 days from collection — the period the vault
# keeps footage whose published retention has no machine meaning and no stated number of days.
LAW_FALLBACK_DAYS = DEFAULT_MAXIMUM_WITHOUT_REASON_DAYS


@dataclass(frozen=True)
class RetentionMeaning:
    """What the vault does with a retention: the period, and whether it is the law's fallback."""

    retention: Retention
    fallback: bool = False  # the published words have no machine meaning and no days were stated

    def text(self) -> str:
        return self.retention.text()


def retention_meaning(published: str, stated_days: int | None = None) -> RetentionMeaning:
    """The machine meaning of a register's retention: `stated_days` (the officer's, the register's
    `retention_days`) wins; else the published words; else the law's 30 days (R16), flagged."""
    if stated_days is not None:
        if stated_days <= 0:
            raise RetentionError(f"보관 일수는 1 이상이어야 합니다: {stated_days}")
        return RetentionMeaning(Retention(RetentionKind.DAYS, stated_days))
    try:
        return RetentionMeaning(parse_retention(published))
    except RetentionError:
        return RetentionMeaning(Retention(RetentionKind.DAYS, LAW_FALLBACK_DAYS), fallback=True)


# -- the clock the sweep trusts (R17) --------------------------------------------------------------
#
# Destruction is irreversible, and the only thing that decides it is the clock. A clock set ahead
# (a wrong NTP source, a hand-set BIOS, a restored VM) would make today's footage look expired and
# destroy it; back in real time nothing can bring it back and today's day key is gone, so today's
# footage can no longer even be stored. So the sweep trusts the clock only as far as the vault's own
# traces of time vouch for it: the newest thing it recorded (a recorder's heartbeat, a sweep, a
# segment's end) must not be more than `bound` behind the clock, and no key is destroyed that would
# not also be expired on the newest footage's day plus `bound`.


@dataclass(frozen=True)
class ClockCheck:
    """Whether the sweep may trust the clock, and the latest day it may count retention to."""

    trusted: bool
    counting_day: date  # retention is counted as if today were this day (never after the clock's)
    reason: str = ""  # why the clock is not trusted (Korean, for the alert and the audit entry)


def check_sweep_clock(
    now: datetime,
    zone: tzinfo,
    *,
    last_recorded: datetime | None,
    newest_footage: datetime | None,
    bound: timedelta,
) -> ClockCheck:
    """Decide how far the retention sweep may trust `now` (aware).

    - `last_recorded`: the newest moment the vault recorded before this run (None: nothing yet). If
      the clock is ahead of it by more than `bound`, the clock jumped (or the vault was stopped for
      that long): nothing is destroyed until an officer confirms the clock.
    - `newest_footage`: the end of the newest footage stored. Retention is counted as of at most its
      day plus `bound` — a key of a day newer than (newest footage − retention + bound) is never due,
      whatever the clock says.

    Moments after `now` (a clock set back) are no evidence of a jump ahead and count as `now`.
    """
    if bound < timedelta(0):
        raise ValueError(f"시계 허용 오차는 0 이상이어야 합니다: {bound}")
    clock_day = now.astimezone(zone).date()
    counting_day = clock_day
    if newest_footage is not None:
        footage_day = min(newest_footage, now).astimezone(zone).date()
        counting_day = min(clock_day, footage_day + timedelta(days=bound.days))
    if last_recorded is not None and now - last_recorded > bound:
        behind = now - last_recorded
        return ClockCheck(
            trusted=False,
            counting_day=counting_day,
            reason=(
                f"시스템 시계({now.astimezone(zone):%Y-%m-%d %H:%M})가 마지막 기록 시각"
                f"({last_recorded.astimezone(zone):%Y-%m-%d %H:%M})보다 {_duration_text(behind)} 앞서 있어 "
                f"(허용 {_duration_text(bound)}) 파기하지 않았습니다. 시계를 확인한 뒤 확인 사유와 함께 다시 실행하세요"
            ),
        )
    return ClockCheck(trusted=True, counting_day=counting_day)


def _duration_text(span: timedelta) -> str:
    days, seconds = span.days, span.seconds
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    parts = [f"{days}일" if days else "", f"{hours}시간" if hours else "", f"{minutes}분" if minutes else ""]
    return " ".join(p for p in parts if p) or "0분"
