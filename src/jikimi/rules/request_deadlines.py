"""When a data subject's request must be answered (법 제35조③, 제36조; 시행령 제41조⑤, 제43조③; R22, R24).

Periods are counted as the 민법 counts them: a period of days begins the day after the request arrives
(제157조: the first day is not counted), and when its last day is a Saturday or a public holiday the
period ends on the next working day (제161조). Sundays are public holidays (관공서의 공휴일에 관한
규정 제2조), so a weekend moves the date as well. Public holidays are passed in (this module is pure).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

# 법 제35조③ (열람), 제36조 and 시행령 제43조③ (삭제): within 10 days.
ANSWER_DAYS = 10


def is_working_day(day: date, public_holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in public_holidays


def next_working_day(day: date, public_holidays: Collection[date]) -> date:
    """`day` itself when it is a working day, else the first working day after it (민법 제161조)."""
    while not is_working_day(day, public_holidays):
        day += timedelta(days=1)
    return day


def period_end(received_on: date, days: int, public_holidays: Collection[date]) -> date:
    """The last day of a period of `days` days that starts with a request received on `received_on`."""
    if days < 1:
        raise ValueError("기간은 1일 이상이어야 합니다")
    # 민법 제157조: 초일 불산입 — day 1 is the day after receipt.
    return next_working_day(received_on + timedelta(days=days), public_holidays)


def answer_due(received_on: date, public_holidays: Collection[date]) -> date:
    """The day by which a 열람·존재확인·삭제 request must be answered (법 제35조③, 제36조: 10일)."""
    return period_end(received_on, ANSWER_DAYS, public_holidays)


def days_left(due_on: date, today: date) -> int:
    """Calendar days from today to the due day: 0 on the day itself, negative once it has passed."""
    return (due_on - today).days
