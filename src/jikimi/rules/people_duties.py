"""Training of whoever sees footage, and outsourcing contracts: the dates and the checklist.

- 오산시 지침 제28조, 제25조④ (R48): the operators and managers of the cameras, the contractor's staff
  included, are trained; a completion holds for the course's validity period (months).
- 시행령 제26조① (R33): an outsourcing contract states five things in writing; 오산시 지침 제25조②
  applies it to the control centre's monitoring and maintenance.
- A contract is in force from its first to its last day (군산시 제5조: "2024.01.01~2024.12.31").

Pure: plain dates in, plain values out; the caller says what day it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jikimi.rules.retention import add_months

# Shown to the officer this many days before a completion lapses.
TRAINING_WARNING_DAYS = 30
# 군산시's contract ended on 2024-12-31 and nobody noticed: warn this many days before the last day.
CONTRACT_ALERT_DAYS: tuple[int, ...] = (60, 30)


class TrainingState(StrEnum):
    MISSING = "missing"  # never completed
    EXPIRED = "expired"  # the last completion has lapsed
    EXPIRING = "expiring"  # valid, its last day at most TRAINING_WARNING_DAYS away
    VALID = "valid"


TRAINING_STATE_LABELS: dict[TrainingState, str] = {
    TrainingState.MISSING: "미이수",
    TrainingState.EXPIRED: "유효기간 만료",
    TrainingState.EXPIRING: "만료 임박",
    TrainingState.VALID: "이수",
}


def training_valid_until(completed_on: date, validity_months: int) -> date:
    """The last day a completion counts: the day before the same date `validity_months` later."""
    return date.fromordinal(add_months(completed_on, validity_months).toordinal() - 1)


def training_state(completed_on: date | None, validity_months: int, today: date) -> TrainingState:
    if completed_on is None or completed_on > today:
        return TrainingState.MISSING
    last_day = training_valid_until(completed_on, validity_months)
    if last_day < today:
        return TrainingState.EXPIRED
    if (last_day - today).days <= TRAINING_WARNING_DAYS:
        return TrainingState.EXPIRING
    return TrainingState.VALID


def training_counts(state: TrainingState) -> bool:
    """Whether a person in this state may see footage (R48): only a completion still valid counts."""
    return state in (TrainingState.VALID, TrainingState.EXPIRING)


@dataclass(frozen=True)
class Clause:
    key: str
    label: str


# 시행령 제26조① 각 호 (R33), in the order of the decree; 금천구 제4조 and 광양시 list the same.
CONTRACT_CLAUSES: tuple[Clause, ...] = (
    Clause("purpose_scope", "위탁업무의 목적 및 범위"),
    Clause("subcontract_limit", "재위탁 제한에 관한 사항"),
    Clause("access_safety", "영상정보에 대한 접근 제한 등 안전성 확보 조치에 관한 사항"),
    Clause("inspection", "영상정보의 관리 현황 점검에 관한 사항"),
    Clause("liability", "위탁받는 자가 준수하여야 할 의무를 위반한 경우의 손해배상 등 책임에 관한 사항"),
)


def missing_clauses(where: dict[str, str]) -> list[Clause]:
    """The clauses not recorded: a clause counts as present when where it stands is written down."""
    return [clause for clause in CONTRACT_CLAUSES if not where.get(clause.key, "").strip()]


def contract_in_force(start: date, end: date, today: date) -> bool:
    return start <= today <= end


def contract_alert_due(end: date, today: date) -> int | None:
    """The nearest alert threshold (days before the end) reached today, or None when none is."""
    left = (end - today).days
    if left < 0:
        return None
    reached = [days for days in CONTRACT_ALERT_DAYS if left <= days]
    return min(reached) if reached else None
