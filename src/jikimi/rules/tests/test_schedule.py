"""Recording hours (촬영시간) as the seeds write them: read, normalised and asked about."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jikimi.rules.schedule import (
    EVERY_DAY,
    WEEKDAYS,
    RuleKind,
    ScheduleError,
    ScheduleStatus,
    Window,
    parse_schedule,
    schedule_status,
)

MONDAY = date(2024, 6, 3)
SATURDAY = date(2024, 6, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.mark.parametrize(
    "text", ["24시간", "상시(24시간)", "상시", "365일 24시간", "24시간 365일", "연중무휴 24시간"]
)
def test_it_reads_always(text):
    schedule = parse_schedule(text)
    assert schedule.is_always
    assert schedule.text() == "24시간"


def test_it_reads_weekday_windows_of_the_incheon_bus_lane():
    schedule = parse_schedule("평일 (07:00 ~ 09:00, 17:00 ~ 20:00), BRT구간 365일 24시간")
    general, brt = schedule.rules
    assert general.kind is RuleKind.WINDOWS
    assert general.days == WEEKDAYS
    assert general.windows == (Window(7 * 60, 9 * 60), Window(17 * 60, 20 * 60))
    assert brt.segment == "BRT구간" and brt.kind is RuleKind.ALWAYS
    assert schedule.segments == ("BRT구간",)


def test_the_bus_lane_records_on_weekday_mornings_only_outside_the_brt_segment():
    schedule = parse_schedule("평일 07:00~09:00, 17:00~20:00, BRT구간 365일 24시간")
    assert schedule_status(schedule, at(MONDAY, 8)) is ScheduleStatus.RECORDING
    assert schedule_status(schedule, at(MONDAY, 9)) is ScheduleStatus.IDLE  # the window ends at 09:00
    assert schedule_status(schedule, at(MONDAY, 19, 59)) is ScheduleStatus.RECORDING
    assert schedule_status(schedule, at(SATURDAY, 8)) is ScheduleStatus.IDLE
    assert schedule_status(schedule, at(SATURDAY, 8), segment="BRT구간") is ScheduleStatus.RECORDING
    assert schedule_status(schedule, at(MONDAY, 3), segment="BRT구간") is ScheduleStatus.RECORDING


def test_a_weekday_rule_skips_public_holidays_given_by_the_caller():
    schedule = parse_schedule("평일 07:00~09:00")
    assert schedule_status(schedule, at(MONDAY, 8), holidays={MONDAY}) is ScheduleStatus.IDLE
    assert (
        schedule_status(parse_schedule("월~금 07:00~09:00"), at(MONDAY, 8), holidays={MONDAY})
        is ScheduleStatus.RECORDING
    )


def test_it_reads_day_of_week_windows():
    schedule = parse_schedule("토·일 10:00~17:00")
    assert schedule.rules[0].days == frozenset({5, 6})
    assert schedule_status(schedule, at(SATURDAY, 12)) is ScheduleStatus.RECORDING
    assert schedule_status(schedule, at(MONDAY, 12)) is ScheduleStatus.IDLE
    assert parse_schedule("월요일~금요일 9시~18시").rules[0].windows == (Window(540, 1080),)
    assert parse_schedule("금~월 09:00~10:00").rules[0].days == frozenset({4, 5, 6, 0})


def test_a_night_window_runs_past_midnight_and_belongs_to_the_day_it_starts():
    schedule = parse_schedule("금 22:00~06:00")
    friday = MONDAY + timedelta(days=4)
    assert schedule_status(schedule, at(friday, 23)) is ScheduleStatus.RECORDING
    assert schedule_status(schedule, at(friday + timedelta(days=1), 5)) is ScheduleStatus.RECORDING
    assert schedule_status(schedule, at(friday, 5)) is ScheduleStatus.IDLE  # Thursday night is not scheduled


def test_rain_only_recording_is_not_scheduled_but_recorded_when_triggered():
    schedule = parse_schedule("강우시에만 녹화")
    assert schedule.rules[0].kind is RuleKind.CONDITIONAL
    assert schedule.rules[0].condition == "강우시"
    assert not schedule.has_fixed_hours
    assert schedule_status(schedule, at(MONDAY, 12)) is ScheduleStatus.WHEN_TRIGGERED


def test_on_demand_recording_is_recorded_when_triggered():
    schedule = parse_schedule("필요시")
    assert schedule.rules[0].kind is RuleKind.ON_DEMAND
    assert schedule_status(schedule, at(MONDAY, 12)) is ScheduleStatus.WHEN_TRIGGERED


def test_weekend_and_holidays():
    schedule = parse_schedule("주말·공휴일 24시간")
    assert schedule_status(schedule, at(MONDAY, 12), holidays={MONDAY}) is ScheduleStatus.RECORDING
    assert (
        schedule_status(schedule, at(MONDAY + timedelta(days=1), 12), holidays={MONDAY})
        is ScheduleStatus.IDLE
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "비어 있습니다"),
        ("아무때나", "'아무때나'"),
        ("평일", "촬영 시간"),
        ("25:00~26:00", "없는 시각"),
        ("평일 09:00~09:00", "시작과 끝"),
        ("24시간 09:00~18:00", "함께 쓸 수 없습니다"),
        ("강우시에만 녹화, 17:00~18:00", "앞에 요일"),
        ("평일 07:00~09:00,", "빈 항목"),
    ],
)
def test_it_refuses_unreadable_text_saying_what(text, says):
    with pytest.raises(ScheduleError) as raised:
        parse_schedule(text)
    assert says in str(raised.value)


hours = st.integers(0, 23)
minutes = st.sampled_from([0, 15, 30, 45])


@st.composite
def windows_texts(draw):
    start = draw(hours) * 60 + draw(minutes)
    end = draw(st.integers(0, 24)) * 60
    if end == start or end == 24 * 60 and start == 0:
        end = (start + 60) % (24 * 60) or 24 * 60
    days = draw(st.sampled_from(["평일", "주말", "매일", "월~금", "토·일", "월·수·금", "화"]))
    return f"{days} {start // 60:02d}:{start % 60:02d}~{end // 60:02d}:{end % 60:02d}"


@settings(deadline=None)  # timing is not what these tests are about; a loaded CI machine is slow
@given(windows_texts())
def test_the_normalised_text_reads_back_to_the_same_schedule(text):
    schedule = parse_schedule(text)
    assert parse_schedule(schedule.text()) == schedule


@settings(deadline=None)  # timing is not what these tests are about; a loaded CI machine is slow
@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)))
def test_always_is_always_recording_and_conditional_never_scheduled(when):
    assert schedule_status(parse_schedule("24시간"), when) is ScheduleStatus.RECORDING
    assert schedule_status(parse_schedule("강우시에만 녹화"), when) is ScheduleStatus.WHEN_TRIGGERED


@settings(deadline=None)  # timing is not what these tests are about; a loaded CI machine is slow
@given(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)), hours, hours)
def test_a_window_contains_exactly_its_minutes(when, start_hour, length):
    end_hour = start_hour + max(length, 1)
    if end_hour > 24:
        end_hour = 24
    schedule = parse_schedule(f"매일 {start_hour:02d}:00~{end_hour:02d}:00")
    inside = start_hour * 60 <= when.hour * 60 + when.minute < end_hour * 60
    assert (schedule_status(schedule, when) is ScheduleStatus.RECORDING) == inside
    assert schedule.rules[0].days == EVERY_DAY


def test_R9_rain_and_on_demand_hours_are_event_driven_and_fixed_hours_are_not():
    assert parse_schedule("강우시에만 녹화").has_triggered_hours()
    assert parse_schedule("필요시").has_triggered_hours()
    assert not parse_schedule("평일 07:00~09:00, 17:00~20:00").has_triggered_hours()
    mixed = parse_schedule("강우시에만 녹화, BRT구간 365일 24시간")
    assert mixed.has_triggered_hours() and not mixed.has_triggered_hours("BRT구간")
