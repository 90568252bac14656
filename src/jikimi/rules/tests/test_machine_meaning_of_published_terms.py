"""Issue 16: the machine meaning of the published 촬영시간/보관기간, and what is safe when there is none."""

from __future__ import annotations

import pytest

from jikimi.rules.retention import (
    LAW_FALLBACK_DAYS,
    Retention,
    RetentionError,
    RetentionKind,
    parse_retention,
    retention_meaning,
)
from jikimi.rules.schedule import RuleKind, ScheduleError, schedule_meaning


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("촬영일로부터 30일", 30),
        ("녹화일부터 14일", 14),
        ("촬영 후 7일", 7),
        ("30일간", 30),
        ("30일 이내", 30),
    ],
)
def test_retention_counted_from_recording_reads_as_days(text, days):
    assert parse_retention(text).longest_days() == days


def test_a_retention_without_meaning_falls_back_to_the_laws_30_days_flagged():
    # R16 (표준지침): without a justified period, at most 30 days — never kept until someone decides.
    meaning = retention_meaning("저장용량 범위 내")
    assert meaning.fallback and meaning.retention == Retention(RetentionKind.DAYS, LAW_FALLBACK_DAYS)
    assert LAW_FALLBACK_DAYS == 30 and meaning.retention.expires


def test_stated_days_win_over_the_published_words():
    assert retention_meaning("저장용량 범위 내", 14) == retention_meaning("14일")
    assert not retention_meaning("3개월", None).fallback
    with pytest.raises(RetentionError):
        retention_meaning("30일", 0)


@pytest.mark.parametrize("words", ["산불기간", "단속기간 내"])
def test_hours_without_meaning_record_only_when_triggered_never_always(words):
    meaning = schedule_meaning(words)
    assert meaning.unread and not meaning.schedule.is_always and not meaning.schedule.has_fixed_hours
    assert [rule.kind for rule in meaning.schedule.rules] == [RuleKind.ON_DEMAND]


def test_a_stated_schedule_wins_and_must_read():
    assert schedule_meaning("산불기간", "매일 09:00~18:00").schedule.has_fixed_hours
    assert not schedule_meaning("강우시에만").unread and not schedule_meaning("24시간").unread
    with pytest.raises(ScheduleError):
        schedule_meaning("산불기간", "가끔")
