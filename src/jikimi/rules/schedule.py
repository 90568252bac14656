"""Recording hours (촬영시간) as the registers write them, and whether a moment is inside them.

시행령 제25조①4호 makes the recording hours part of the published policy, and 영 제24조 puts them on
the sign (R9). The seeds write them as free text; the forms seen:

    "24시간", "상시(24시간)", "365일 24시간"                         always
    "평일 07:00~09:00, 17:00~20:00", "평일 (07:00 ~ 09:00, …)"        weekday windows
    "월~금 09:00~18:00", "토·일 10:00~17:00", "매일 22:00~06:00"     day-of-week windows
    "강우시에만 녹화"                                                 conditional: recorded when it rains
    "필요시"                                                          on demand: recorded when needed
    "평일 (07:00 ~ 09:00, 17:00 ~ 20:00), BRT구간 365일 24시간"       a segment with its own rule

`parse_schedule` reads such a text into a `Schedule` or raises `ScheduleError` saying what it could
not read; `schedule_status` tells whether a local date-time is inside the schedule. Conditional and
on-demand schedules have no fixed hours: the answer is "not scheduled, recorded when triggered".
Published words with no machine meaning ("산불기간", "단속기간 내") are kept as the institution wrote
them for the policy; `schedule_meaning` gives the recorder the officer's stated schedule (the
register's `recording_schedule`) instead, and without one records only when a person or a signal
opens a window (as "필요시") — never "24시간", which would record beyond what was published.
Public holidays are not known here (no I/O, stdlib only): callers pass them in as a set of dates
(the vault takes them from the `holidays` package: jikimi.vault.hours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class ScheduleError(ValueError):
    """A recording-hours text that cannot be read."""


class RuleKind(StrEnum):
    ALWAYS = "always"  # 24시간
    WINDOWS = "windows"  # on some days, in some time windows
    CONDITIONAL = "conditional"  # 강우시에만: recorded when a condition occurs
    ON_DEMAND = "on_demand"  # 필요시: recorded when an officer starts it


class ScheduleStatus(StrEnum):
    RECORDING = "recording"  # inside the scheduled hours
    IDLE = "idle"  # outside the scheduled hours
    WHEN_TRIGGERED = "when_triggered"  # no fixed hours: recorded when the condition or a person triggers it


STATUS_LABELS: dict[ScheduleStatus, str] = {
    ScheduleStatus.RECORDING: "촬영 시간",
    ScheduleStatus.IDLE: "촬영 시간 아님",
    ScheduleStatus.WHEN_TRIGGERED: "정해진 시간 없음 (조건 발생 시 녹화)",
}

WEEKDAYS = frozenset(range(5))  # 월–금 (Monday = 0)
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))
DAY_NAMES = "월화수목금토일"


@dataclass(frozen=True)
class Window:
    """From `start` to `end`, in minutes after midnight; `end` may be 1440 (24:00).

    A window whose end is not after its start runs past midnight (22:00~06:00) and belongs to the
    day it starts on.
    """

    start: int
    end: int

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def text(self) -> str:
        return f"{_clock(self.start)}~{_clock(self.end)}"


@dataclass(frozen=True)
class Rule:
    """One clause: where it applies (segment, "" = everywhere), on which days, and how."""

    kind: RuleKind
    days: frozenset[int] = EVERY_DAY
    windows: tuple[Window, ...] = ()
    segment: str = ""  # e.g. "BRT구간"
    condition: str = ""  # e.g. "강우시"
    # 평일 in Korean usage excludes public holidays; "월~금" does not say so.
    excludes_holidays: bool = False
    includes_holidays: bool = False

    def text(self) -> str:
        prefix = f"{self.segment} " if self.segment else ""
        if self.kind is RuleKind.CONDITIONAL:
            return f"{prefix}{self.condition}에만 녹화"
        if self.kind is RuleKind.ON_DEMAND:
            return f"{prefix}필요시"
        days = _days_text(self)
        if self.kind is RuleKind.ALWAYS:
            return f"{prefix}{days + ' ' if days != '매일' else ''}24시간"
        return f"{prefix}{days} {', '.join(w.text() for w in self.windows)}"


@dataclass(frozen=True)
class Schedule:
    rules: tuple[Rule, ...]
    source: str = field(default="", compare=False)

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.segment for r in self.rules if r.segment))

    @property
    def has_fixed_hours(self) -> bool:
        return any(r.kind in (RuleKind.ALWAYS, RuleKind.WINDOWS) for r in self.rules)

    def has_triggered_hours(self, segment: str | None = None) -> bool:
        """Whether recording here is (also) started by an event: 강우시에만, 필요시."""
        return any(r.kind in (RuleKind.CONDITIONAL, RuleKind.ON_DEMAND) for r in self.rules_for(segment))

    @property
    def is_always(self) -> bool:
        return all(
            r.kind is RuleKind.ALWAYS and r.days == EVERY_DAY and not r.includes_holidays for r in self.rules
        )

    def text(self) -> str:
        """A normalised Korean form of the schedule."""
        return ", ".join(r.text() for r in self.rules)

    def rules_for(self, segment: str | None = None) -> tuple[Rule, ...]:
        """The rules that hold at `segment`: its own rules if it has any, else the general ones."""
        if segment:
            own = tuple(r for r in self.rules if r.segment == segment)
            if own:
                return own
        general = tuple(r for r in self.rules if not r.segment)
        return general or self.rules


def schedule_status(
    schedule: Schedule,
    when: datetime,
    *,
    segment: str | None = None,
    holidays: frozenset[date] | set[date] = frozenset(),
) -> ScheduleStatus:
    """Whether local date-time `when` (the institution's wall clock) is inside the schedule.

    Fixed hours win: if any rule that holds covers `when`, it is RECORDING. Otherwise, if a rule
    without fixed hours holds (강우시에만, 필요시), it is WHEN_TRIGGERED; else IDLE.
    """
    minute = when.hour * 60 + when.minute
    today = when.date()
    triggered = False
    for rule in schedule.rules_for(segment):
        if rule.kind in (RuleKind.CONDITIONAL, RuleKind.ON_DEMAND):
            triggered = True
            continue
        if rule.kind is RuleKind.ALWAYS:
            if _day_applies(rule, today, holidays):
                return ScheduleStatus.RECORDING
            continue
        for window in rule.windows:
            if window.crosses_midnight:
                if minute >= window.start and _day_applies(rule, today, holidays):
                    return ScheduleStatus.RECORDING
                yesterday = date.fromordinal(today.toordinal() - 1)
                if minute < window.end and _day_applies(rule, yesterday, holidays):
                    return ScheduleStatus.RECORDING
            elif window.start <= minute < window.end and _day_applies(rule, today, holidays):
                return ScheduleStatus.RECORDING
    return ScheduleStatus.WHEN_TRIGGERED if triggered else ScheduleStatus.IDLE


def is_recording(schedule: Schedule, when: datetime, **kwargs: object) -> bool:
    return schedule_status(schedule, when, **kwargs) is ScheduleStatus.RECORDING  # type: ignore[arg-type]


def _day_applies(rule: Rule, day: date, holidays: frozenset[date] | set[date]) -> bool:
    is_holiday = day in holidays
    if rule.includes_holidays:
        return is_holiday or day.weekday() in rule.days
    if rule.excludes_holidays and is_holiday:
        return False
    return day.weekday() in rule.days


# --- parsing -------------------------------------------------------------------------------------

EXAMPLES = "'24시간', '평일 07:00~09:00, 17:00~20:00', '월~금 09:00~18:00', '강우시에만 녹화', '필요시', 'BRT구간 365일 24시간'"

_DASH = re.compile(r"\s*[~∼〜～\-–]\s*")
_TIME = r"(\d{1,2})(?::(\d{2})|\s*시(?:\s*(\d{1,2})\s*분)?)"
_WINDOW = re.compile(rf"^{_TIME}~{_TIME}$")
_ALWAYS_WORDS = ("24시간", "상시", "연중무휴", "항시")
_DAY_WORDS: dict[str, tuple[frozenset[int], bool, bool]] = {
    # word: (days, excludes holidays, holidays only)
    "평일": (WEEKDAYS, True, False),
    "주중": (WEEKDAYS, True, False),
    "주말": (WEEKEND, False, False),
    "휴일": (WEEKEND, False, True),
    "공휴일": (frozenset(), False, True),
    "매일": (EVERY_DAY, False, False),
    "365일": (EVERY_DAY, False, False),
    "연중": (EVERY_DAY, False, False),
    "연중무휴": (EVERY_DAY, False, False),
}
_SEGMENT = re.compile(r"^\S+(구간|구역|지역|지점|노선|차로|도로)$")
_CONDITION = re.compile(r"^(?P<cond>\S.*?시)\s*(에만|에|만)?\s*(녹화|촬영|녹화함|작동)?$")
_ON_DEMAND = ("필요시", "필요 시", "필요한 경우", "수시")


def parse_schedule(text: str) -> Schedule:
    """Read a register's recording-hours text; raise ScheduleError saying what is wrong."""
    original = str(text)
    cleaned = _normalise(original)
    if not cleaned:
        raise ScheduleError("촬영시간이 비어 있습니다 (예: " + EXAMPLES + ")")
    rules: list[Rule] = []
    for part in (p.strip() for p in cleaned.split(",")):
        if not part:
            raise ScheduleError(f"촬영시간에 빈 항목이 있습니다: '{original}'")
        if _WINDOW.match(part) and rules:
            # "17:00~20:00" continues the days of the clause before it.
            if rules[-1].kind is not RuleKind.WINDOWS:
                raise ScheduleError(f"'{part}' 앞에 요일(평일, 월~금 등)이 없습니다: '{original}'")
            previous = rules.pop()
            rules.append(_replace_windows(previous, (*previous.windows, _window(part, original))))
            continue
        rules.append(_parse_clause(part, original))
    return Schedule(tuple(rules), source=original)


def _normalise(text: str) -> str:
    cleaned = (
        text.replace("（", "(").replace("）", ")").replace("，", ",").replace(";", ",").replace("、", ",")
    )
    cleaned = cleaned.replace("(", " ").replace(")", " ")
    cleaned = _DASH.sub("~", cleaned)
    return " ".join(cleaned.split())


def _parse_clause(part: str, original: str) -> Rule:
    words = part.split(" ")
    segment = ""
    if len(words) > 1 and _SEGMENT.match(words[0]):
        segment, words = words[0], words[1:]
    rest = " ".join(words)
    if rest in _ON_DEMAND or rest.replace(" ", "") in ("필요시", "필요시녹화", "필요시촬영"):
        return Rule(RuleKind.ON_DEMAND, segment=segment)
    if (match := _CONDITION.match(rest)) and not _has_time(rest):
        condition = match.group("cond").replace(" ", "")
        if condition in ("필요시", "상시"):
            if condition == "상시":
                return Rule(RuleKind.ALWAYS, segment=segment)
            return Rule(RuleKind.ON_DEMAND, segment=segment)
        return Rule(RuleKind.CONDITIONAL, segment=segment, condition=condition)

    days: frozenset[int] | None = None
    excludes_holidays = includes_holidays = False
    windows: list[Window] = []
    always = False
    for word in _split_day_words(words):
        if word in _ALWAYS_WORDS:
            always = True
            if word in ("연중무휴",):
                days = days or EVERY_DAY
        elif word in _DAY_WORDS:
            more, excl, hol = _DAY_WORDS[word]
            days = (days or frozenset()) | more
            excludes_holidays = excludes_holidays or excl
            includes_holidays = includes_holidays or hol
        elif (parsed := _day_spec(word)) is not None:
            days = (days or frozenset()) | parsed
        elif _WINDOW.match(word):
            windows.append(_window(word, original))
        elif word == "24시" or word == "24h":
            always = True
        else:
            raise ScheduleError(f"촬영시간의 '{word}'을(를) 읽을 수 없습니다: '{original}' (예: {EXAMPLES})")
    if always and windows:
        raise ScheduleError(f"'24시간'과 시간대를 한 항목에 함께 쓸 수 없습니다: '{original}'")
    if includes_holidays and days == frozenset() and not windows and not always:
        raise ScheduleError(f"공휴일의 촬영 시간이 없습니다: '{original}'")
    if always:
        return Rule(
            RuleKind.ALWAYS,
            days=EVERY_DAY if days is None else days,
            segment=segment,
            excludes_holidays=excludes_holidays,
            includes_holidays=includes_holidays,
        )
    if not windows:
        raise ScheduleError(f"촬영 시간(예: 09:00~18:00 또는 24시간)이 없습니다: '{original}'")
    if days is None:
        # "09:00~18:00" alone: every day.
        days = EVERY_DAY
    return Rule(
        RuleKind.WINDOWS,
        days=days,
        windows=tuple(windows),
        segment=segment,
        excludes_holidays=excludes_holidays,
        includes_holidays=includes_holidays,
    )


# What the recorder does with published hours that have no machine meaning and no stated schedule:
# record only the windows officers open (법 제25조①: nothing beyond the published hours).
NO_MEANING_TEXT = "필요시"


@dataclass(frozen=True)
class ScheduleMeaning:
    schedule: Schedule
    text: str  # the text the recorder reads (the stated schedule, the published words, or NO_MEANING_TEXT)
    unread: bool = False  # the published words have no machine meaning and no schedule was stated


def schedule_meaning(published: str, stated: str = "") -> ScheduleMeaning:
    """The machine meaning of a register's recording hours: the stated schedule (raises ScheduleError
    when it cannot be read: the officer wrote it for the machine), else the published words, else
    recording only when triggered, flagged."""
    if stated.strip():
        return ScheduleMeaning(parse_schedule(stated), stated)
    try:
        return ScheduleMeaning(parse_schedule(published), published)
    except ScheduleError:
        return ScheduleMeaning(parse_schedule(NO_MEANING_TEXT), NO_MEANING_TEXT, unread=True)


def _split_day_words(words: list[str]) -> list[str]:
    """'주말·공휴일' and '주말및공휴일' are two day words."""
    out: list[str] = []
    for word in words:
        pieces = [p for p in re.split(r"[·ㆍ]|및", word) if p]
        if len(pieces) > 1 and all(p in _DAY_WORDS for p in pieces):
            out.extend(pieces)
        else:
            out.append(word)
    return out


def _has_time(text: str) -> bool:
    return bool(re.search(r"\d{1,2}:\d{2}|\d{1,2}\s*시|24시간", text))


def _day_spec(word: str) -> frozenset[int] | None:
    """'월~금', '월요일~금요일', '토·일', '월,수,금' (commas were split earlier), '토요일' → weekday numbers."""
    compact = word.replace("요일", "")
    if not compact or any(c not in DAY_NAMES + "~·ㆍ./" for c in compact):
        return None
    if "~" in compact:
        ends = compact.split("~")
        if len(ends) != 2 or len(ends[0]) != 1 or len(ends[1]) != 1:
            return None
        first, last = DAY_NAMES.index(ends[0]), DAY_NAMES.index(ends[1])
        if last < first:
            return frozenset([*range(first, 7), *range(0, last + 1)])
        return frozenset(range(first, last + 1))
    names = [c for c in compact if c in DAY_NAMES]
    return frozenset(DAY_NAMES.index(c) for c in names) if names else None


def _window(text: str, original: str) -> Window:
    match = _WINDOW.match(text)
    if not match:
        raise ScheduleError(f"시간대 '{text}'를 읽을 수 없습니다: '{original}'")
    h1, m1, m1b, h2, m2, m2b = match.groups()
    start = _minutes(h1, m1 or m1b, text, original)
    end = _minutes(h2, m2 or m2b, text, original)
    if start == end or start == 24 * 60:
        raise ScheduleError(f"시간대 '{text}'의 시작과 끝이 올바르지 않습니다: '{original}'")
    return Window(start, end)


def _minutes(hours: str, minutes: str | None, text: str, original: str) -> int:
    h, m = int(hours), int(minutes or 0)
    if h > 24 or m > 59 or (h == 24 and m):
        raise ScheduleError(f"시간대 '{text}'에 없는 시각이 있습니다: '{original}'")
    return h * 60 + m


def _replace_windows(rule: Rule, windows: tuple[Window, ...]) -> Rule:
    return Rule(
        rule.kind,
        days=rule.days,
        windows=windows,
        segment=rule.segment,
        condition=rule.condition,
        excludes_holidays=rule.excludes_holidays,
        includes_holidays=rule.includes_holidays,
    )


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _days_text(rule: Rule) -> str:
    if rule.days == EVERY_DAY:
        base = "매일"
    elif rule.days == WEEKDAYS and rule.excludes_holidays:
        base = "평일"
    elif rule.days == WEEKDAYS and not rule.excludes_holidays:
        base = "월~금"
    elif rule.days == WEEKEND:
        base = "주말"
    elif not rule.days:
        base = ""
    else:
        base = "·".join(DAY_NAMES[d] for d in sorted(rule.days))
    if rule.includes_holidays:
        return f"{base} 공휴일" if base else "공휴일"
    return base
