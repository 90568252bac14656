"""How long the audit log must stay in the system before a part of it may be archived.

안전성 확보조치 기준 제8조① (R39): access logs are kept at least 1 year, at least 2 years when the
system covers 50,000 people or more or holds unique-ID or sensitive data; a city's CCTV does, so 2
is the default here. 제5조③ (R36): the history of granting, changing and revoking access rights is
kept at least 3 years. Archiving moves the oldest part of the log out of the database into a signed
file (jikimi.audit.archiving); it never shortens these periods, so a part that still falls inside
them stays in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACCESS_LOG_YEARS = 2  # 제8조①, R39
GRANT_HISTORY_YEARS = 3  # 제5조③, R36


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class ArchiveLimits:
    """The newest entries an archive may take, as of `today` (Asia/Seoul calendar days)."""

    access_log_before: date  # entries of days before this one are past the 2-year retention
    grant_history_before: date  # grant entries of days before this one are past the 3-year retention


def archive_limits(today: date, access_log_years: int = ACCESS_LOG_YEARS) -> ArchiveLimits:
    access_log_years = max(access_log_years, ACCESS_LOG_YEARS)
    return ArchiveLimits(
        access_log_before=years_before(today, access_log_years),
        grant_history_before=years_before(today, GRANT_HISTORY_YEARS),
    )


def archive_refusal(before: date, today: date) -> str | None:
    """Why archiving the entries of the days before `before` is not allowed, or None."""
    limits = archive_limits(today)
    if before > limits.access_log_before:
        return (
            f"{before.isoformat()} 이전 기록의 보관 이전을 거부합니다: 접속기록은 최소 {ACCESS_LOG_YEARS}년 보관해야"
            f" 하므로 {limits.access_log_before.isoformat()} 이전 기록만 옮길 수 있습니다"
            " (개인정보의 안전성 확보조치 기준 제8조①)"
        )
    return None
