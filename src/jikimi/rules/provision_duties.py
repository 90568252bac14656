"""What follows a provision: the recipient's duty to destroy, the notice to the data subject, and the
publication of the provision (법 제18조④, R31; 오산시 지침 제35조②③; 군산시 제4조 요청 및 제공절차).

- 파기: "제공받은자는 제공목적 달성한 후 즉시 파기 및 통보" (군산시), "유관기관에 제공된 영상정보는 그
  목적이 종료된 즉시 폐기" (오산시 지침 제35조③). The law fixes no number of days: the officer writes the
  date on the 인수증 from the use period agreed with the recipient (R32). When none is agreed, jikimi
  proposes DEFAULT_DESTRUCTION_DAYS — a house default, not a legal term — which the officer may change.
  The date is not before the day of provision (the same day: a viewing on site, a purpose met at once),
  and within MAX_DESTRUCTION_DAYS (a typo such as 2206 is caught).
- 정보주체 통지: footage given "수사나 재판 자료로" (오산시 지침 제35조②) — grounds 7 (범죄의 수사와 공소)
  and 8 (법원의 재판업무) of 법 제18조② — is told to the data subject, unless the subject cannot be
  identified or located; either way it is recorded.
- 공개: jikimi.rules.provision_grounds.publication_due (30 days, items 1 and 7 exempt).
- Reminders: before a due date (within the lead days) and after it; the caller sends each at most once
  a day.

Pure: no Django, no I/O, no clock (today is an argument).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from jikimi.rules.provision_grounds import ground

# Not in the law (see the module doc): what jikimi proposes when the 인수증 names no use period.
DEFAULT_DESTRUCTION_DAYS = 90
# A destruction date further than this from the day of provision is a typo, not a use period.
MAX_DESTRUCTION_DAYS = 5 * 366

# Reminders: the recipient and the officer this many days before the destruction date; the officer
# and the privacy officer this many days before the 30 days of 법 제18조④ run out.
DESTRUCTION_REMINDER_DAYS = 7
PUBLICATION_REMINDER_DAYS = 7

# 오산시 지침 제35조②: "영상정보를 수사나 재판 자료로 제공하는 경우".
SUBJECT_NOTICE_ITEMS = frozenset({"7", "8"})


class DutyRefused(ValueError):
    """A date or answer that cannot be accepted; `field` names the field, the message says why in Korean."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class Stage(StrEnum):
    DUE_SOON = "due_soon"  # within the lead days, the due day included
    OVERDUE = "overdue"  # after the due day


def default_destruction_due(provided_on: date) -> date:
    return provided_on + timedelta(days=DEFAULT_DESTRUCTION_DAYS)


def check_destroy_by(destroy_by: date | None, provided_on: date) -> date:
    """The destruction date the recipient is held to: not before the day of provision, within reason."""
    if destroy_by is None:
        raise DutyRefused("파기 기한을 입력하세요 (제공받은 자가 영상을 파기할 날)", "destroy_by")
    if destroy_by < provided_on:
        raise DutyRefused(
            f"파기 기한({destroy_by:%Y-%m-%d})이 제공일({provided_on:%Y-%m-%d})보다 앞섭니다",
            "destroy_by",
        )
    if (destroy_by - provided_on).days > MAX_DESTRUCTION_DAYS:
        raise DutyRefused(
            f"파기 기한({destroy_by:%Y-%m-%d})이 제공일에서 {MAX_DESTRUCTION_DAYS}일보다 멉니다: 날짜를 확인하세요",
            "destroy_by",
        )
    return destroy_by


def check_destroyed_on(destroyed_on: date | None, provided_on: date, today: date) -> date:
    """The day the recipient says the footage was destroyed: not before it was given, not in the future."""
    if destroyed_on is None:
        raise DutyRefused("파기 일자를 입력하세요", "destroyed_on")
    if destroyed_on < provided_on:
        raise DutyRefused(
            f"파기 일자({destroyed_on:%Y-%m-%d})가 제공일({provided_on:%Y-%m-%d})보다 앞섭니다",
            "destroyed_on",
        )
    if destroyed_on > today:
        raise DutyRefused(f"파기 일자({destroyed_on:%Y-%m-%d})가 오늘보다 뒤입니다", "destroyed_on")
    return destroyed_on


def check_notified_on(notified_on: date | None, provided_on: date, today: date) -> date:
    """The day the data subject was told: not before the provision, not in the future."""
    if notified_on is None:
        raise DutyRefused("통지 일자를 입력하세요", "notified_on")
    if notified_on < provided_on:
        raise DutyRefused(
            f"통지 일자({notified_on:%Y-%m-%d})가 제공일({provided_on:%Y-%m-%d})보다 앞섭니다", "notified_on"
        )
    if notified_on > today:
        raise DutyRefused(f"통지 일자({notified_on:%Y-%m-%d})가 오늘보다 뒤입니다", "notified_on")
    return notified_on


def subject_notice_required(item: str) -> bool:
    """오산시 지침 제35조②: footage given for an investigation or a trial is told to the data subject."""
    return ground(item).item in SUBJECT_NOTICE_ITEMS


def reminder_stage(due: date, today: date, lead_days: int) -> Stage | None:
    """Whether a reminder about `due` is due on `today`: within `lead_days` before it, or after it."""
    left = (due - today).days
    if left < 0:
        return Stage.OVERDUE
    if left <= lead_days:
        return Stage.DUE_SOON
    return None


def days_text(due: date, today: date) -> str:
    left = (due - today).days
    if left > 0:
        return f"{left}일 남음"
    if left == 0:
        return "오늘까지"
    return f"{-left}일 지남"
