"""The dates after a provision, as pure rules: the 30 days to publish and their exemption (법 제18조④,
R31), the destruction date (군산시 제4조, 오산시 지침 제35조③), the notice to the data subject (제35조②),
and when a reminder is due."""

from __future__ import annotations

from datetime import date

import pytest

from jikimi.rules.provision_duties import (
    DutyRefused,
    Stage,
    check_destroy_by,
    check_destroyed_on,
    check_notified_on,
    days_text,
    default_destruction_due,
    reminder_stage,
    subject_notice_required,
)
from jikimi.rules.provision_grounds import GROUNDS, publication_due

DAY = date(2026, 12, 1)


def test_publication_is_due_thirty_days_after_the_provision() -> None:
    assert publication_due("2", DAY) == date(2026, 12, 31)
    assert publication_due("8", date(2026, 2, 10)) == date(2026, 3, 12)  # across February's 28 days
    assert publication_due("10", date(2026, 12, 15)) == date(2027, 1, 14)  # across the year


@pytest.mark.parametrize("item", ["1", "7"])
def test_consent_and_criminal_investigation_are_never_published(item: str) -> None:
    assert publication_due(item, DAY) is None


def test_every_other_ground_is_published() -> None:
    assert {g.item for g in GROUNDS if publication_due(g.item, DAY) is not None} == {
        "2",
        "3",
        "5",
        "6",
        "8",
        "9",
        "10",
    }


def test_the_destruction_date_is_not_before_the_day_of_provision() -> None:
    assert check_destroy_by(date(2026, 12, 2), DAY) == date(2026, 12, 2)
    assert check_destroy_by(DAY, DAY) == DAY  # a viewing on site, a purpose met at once
    assert default_destruction_due(DAY) == date(2027, 3, 1)
    for bad, message in (
        (None, "파기 기한을 입력하세요"),
        (date(2026, 11, 30), "파기 기한\\(2026-11-30\\)이 제공일\\(2026-12-01\\)보다 앞섭니다"),
        (date(2206, 12, 1), "날짜를 확인하세요"),
    ):
        with pytest.raises(DutyRefused, match=message) as refused:
            check_destroy_by(bad, DAY)
        assert refused.value.field == "destroy_by"


def test_the_day_of_destruction_lies_between_provision_and_today() -> None:
    assert check_destroyed_on(DAY, DAY, date(2026, 12, 5)) == DAY
    with pytest.raises(DutyRefused, match="제공일\\(2026-12-01\\)보다 앞섭니다"):
        check_destroyed_on(date(2026, 11, 30), DAY, date(2026, 12, 5))
    with pytest.raises(DutyRefused, match="오늘보다 뒤입니다"):
        check_destroyed_on(date(2026, 12, 6), DAY, date(2026, 12, 5))
    with pytest.raises(DutyRefused, match="통지 일자를 입력하세요"):
        check_notified_on(None, DAY, date(2026, 12, 5))


def test_investigation_and_trial_are_told_to_the_data_subject() -> None:
    assert [g.item for g in GROUNDS if subject_notice_required(g.item)] == ["7", "8"]


def test_reminders_come_within_the_lead_days_and_after_the_date() -> None:
    due = date(2026, 12, 31)
    assert reminder_stage(due, date(2026, 12, 23), 7) is None
    assert reminder_stage(due, date(2026, 12, 24), 7) == Stage.DUE_SOON
    assert reminder_stage(due, due, 7) == Stage.DUE_SOON
    assert reminder_stage(due, date(2027, 1, 1), 7) == Stage.OVERDUE
    assert [days_text(due, d) for d in (date(2026, 12, 30), due, date(2027, 1, 2))] == [
        "1일 남음",
        "오늘까지",
        "2일 지남",
    ]
