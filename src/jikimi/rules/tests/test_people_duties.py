"""Training validity (오산시 지침 제28조, R48) and contract dates and clauses (시행령 제26조①, R33)."""

from datetime import date

from jikimi.rules.people_duties import (
    CONTRACT_CLAUSES,
    TrainingState,
    contract_alert_due,
    contract_in_force,
    missing_clauses,
    training_counts,
    training_state,
    training_valid_until,
)


def test_R48_a_completion_holds_its_months_to_the_day_before():
    assert training_valid_until(date(2026, 3, 2), 12) == date(2027, 3, 1)
    assert training_valid_until(date(2026, 1, 31), 1) == date(2026, 2, 27)  # 2월 28일 - 1일


def test_R48_states_missing_valid_expiring_expired():
    done = date(2026, 1, 10)
    assert training_state(None, 12, date(2026, 6, 1)) == TrainingState.MISSING
    assert training_state(done, 12, date(2026, 6, 1)) == TrainingState.VALID
    # 30 days before the last day (2027-01-09) the officer is warned; the person still works.
    assert training_state(done, 12, date(2026, 12, 10)) == TrainingState.EXPIRING
    assert training_state(done, 12, date(2027, 1, 9)) == TrainingState.EXPIRING
    assert training_state(done, 12, date(2027, 1, 10)) == TrainingState.EXPIRED
    assert training_counts(TrainingState.EXPIRING) and not training_counts(TrainingState.EXPIRED)
    # A completion dated in the future does not count yet.
    assert training_state(date(2026, 7, 1), 12, date(2026, 6, 1)) == TrainingState.MISSING


def test_R33_five_clauses_each_present_when_its_place_is_written():
    assert len(CONTRACT_CLAUSES) == 5
    everything = {clause.key: "제3조" for clause in CONTRACT_CLAUSES}
    assert missing_clauses(everything) == []
    assert [c.key for c in missing_clauses({**everything, "liability": "  "})] == ["liability"]
    assert len(missing_clauses({})) == 5


def test_R33_gunsan_contract_in_force_through_its_last_day_and_alerted_before():
    # 군산시 제5조: 2024.01.01~2024.12.31.
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    assert contract_in_force(start, end, date(2024, 12, 31))
    assert not contract_in_force(start, end, date(2025, 1, 1))
    assert not contract_in_force(start, end, date(2023, 12, 31))
    assert contract_alert_due(end, date(2024, 10, 31)) is None  # 61 days
    assert contract_alert_due(end, date(2024, 11, 1)) == 60
    assert contract_alert_due(end, date(2024, 12, 1)) == 30
    assert contract_alert_due(end, date(2024, 12, 31)) == 30
    assert contract_alert_due(end, date(2025, 1, 1)) is None
