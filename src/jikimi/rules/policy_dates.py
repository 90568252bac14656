"""Announcement and effective dates of a policy version (방침 공고일·시행일).

R7: a change shows 변경 전·후 and its effective date. Announcing at least 7 days before the change
takes effect is the practice of the published templates (군산시 제9조 "최소 7일 전에 … 공지"), not
statute (LEGAL.md fact 3): a shorter notice is a warning, never a failure. A version that takes
effect before it is announced is impossible and is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# R7 [R]: template practice; callers pass the institution's own number (PolicyDocument.change_notice_days).
DEFAULT_CHANGE_NOTICE_DAYS = 7


class PolicyDateError(ValueError):
    """Dates that cannot belong to one policy version."""


@dataclass(frozen=True)
class DateCheck:
    notice_days: int
    warnings: tuple[str, ...]


def check_policy_dates(
    announced_on: date,
    effective_on: date,
    *,
    notice_days: int = DEFAULT_CHANGE_NOTICE_DAYS,
    previous_effective_on: date | None = None,
) -> DateCheck:
    """Check the dates of a new version; raise PolicyDateError for impossible dates, else return warnings."""
    if effective_on < announced_on:
        raise PolicyDateError(
            f"시행일({effective_on.isoformat()})이 공고일({announced_on.isoformat()})보다 앞설 수 없습니다"
        )
    if previous_effective_on is not None and effective_on < previous_effective_on:
        raise PolicyDateError(
            f"시행일({effective_on.isoformat()})이 직전 버전의 시행일({previous_effective_on.isoformat()})보다 앞설 수 없습니다"
        )
    gap = (effective_on - announced_on).days
    warnings: list[str] = []
    if gap < notice_days:
        # R7: template practice, so only a warning.
        warnings.append(
            f"공고일과 시행일의 간격이 {gap}일입니다. 변경 사유와 내용은 최소 {notice_days}일 전에 공지하는 것이 관행입니다 (R7)."
        )
    return DateCheck(notice_days=gap, warnings=tuple(warnings))


def format_korean_date(day: date | None) -> str:
    """'2024년 9월 1일', as the published policies write dates in prose."""
    if day is None:
        return ""
    return f"{day.year}년 {day.month}월 {day.day}일"


def format_dotted_date(day: date | None) -> str:
    """'2024.09.01', as the revision tables write dates."""
    if day is None:
        return ""
    return day.strftime("%Y.%m.%d")
