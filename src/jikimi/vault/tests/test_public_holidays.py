"""R9: "평일" excludes 관공서의 공휴일, lunar and substitute holidays included (from the holidays package)."""

from __future__ import annotations

from datetime import date, datetime

from jikimi.lib.clock import SEOUL
from jikimi.rules.schedule import ScheduleStatus, parse_schedule, schedule_status
from jikimi.vault.hours import public_holidays


def test_R9_korean_public_holidays_include_lunar_and_substitute_days() -> None:
    days = public_holidays(datetime(2026, 9, 1, tzinfo=SEOUL), datetime(2026, 10, 31, tzinfo=SEOUL))
    assert {
        date(2026, 9, 25),
        date(2026, 10, 3),
        date(2026, 10, 5),
        date(2026, 10, 9),
    } <= days  # 추석, 대체공휴일
    assert date(2026, 10, 6) not in days


def test_R9_the_holidays_of_every_year_a_window_touches_are_given() -> None:
    days = public_holidays(datetime(2026, 12, 31, 23, tzinfo=SEOUL), datetime(2027, 1, 1, 1, tzinfo=SEOUL))
    assert {date(2026, 12, 25), date(2027, 1, 1)} <= days


def test_R9_a_weekday_schedule_given_the_holidays_does_not_record_on_chuseok() -> None:
    schedule = parse_schedule("평일 07:00~09:00, 17:00~20:00")
    chuseok = datetime(2026, 9, 25, 8)  # a Friday
    holidays = public_holidays(datetime(2026, 9, 25, tzinfo=SEOUL), datetime(2026, 9, 26, tzinfo=SEOUL))
    assert schedule_status(schedule, chuseok) is ScheduleStatus.RECORDING
    assert schedule_status(schedule, chuseok, holidays=holidays) is ScheduleStatus.IDLE
