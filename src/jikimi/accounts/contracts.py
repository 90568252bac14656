"""Contractors' accounts and the contracts they work under (시행령 제26조; 오산시 지침 제25조; 군산시
제5조, 금천구 제4조; R33–R35).

- A contractor account (one holding Role.CONTRACTOR, or named as a contract's staff) works only while a
  contract it is staff of is in force and records all five clauses of 시행령 제26조① (R33). Else login
  (jikimi.accounts.actions.login) and every permission (jikimi.accounts.permissions) refuse, saying why.
- 오산시 지침 제25조① (R35): monitoring and maintenance may be outsourced, never the whole operation —
  while an institution has a contract not yet ended, an official (not a contractor account) holds the
  control centre's head or an operating head role there. The actions that could break it ask
  `official_owner_problem` inside their transaction, after the change.

Refusals are returned as Korean text; the actions turn them into AccountError.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from jikimi.accounts.models import Contract, ContractStaff, Role, RoleGrant
from jikimi.rules.people_duties import (
    CONTRACT_ALERT_DAYS,
    contract_alert_due,
    contract_in_force,
    missing_clauses,
)

# 오산시 지침 제25조① (R35): the roles through which an official owns the centre's operation.
OWNER_ROLES: tuple[str, ...] = (Role.CONTROL_HEAD, Role.OPERATING_HEAD)


def current_staff(user: Any) -> QuerySet[ContractStaff]:
    return ContractStaff.objects.filter(user=user, released_at__isnull=True).select_related("contract")


def is_contractor_account(user: Any) -> bool:
    return (
        RoleGrant.objects.filter(user=user, revoked_at__isnull=True, role=Role.CONTRACTOR).exists()
        or current_staff(user).exists()
    )


def contract_problem(contract: Contract, today: date) -> str:
    """Why staff may not work under `contract` today ('' when they may)."""
    period = f"{contract.period_start:%Y-%m-%d}~{contract.period_end:%Y-%m-%d}"
    if today > contract.period_end:
        return f"위탁 계약 '{contract.contractor_name}'의 위탁기간({period})이 끝났습니다"
    if today < contract.period_start:
        return f"위탁 계약 '{contract.contractor_name}'의 위탁기간({period})이 아직 시작되지 않았습니다"
    missing = missing_clauses(contract.clause_where())
    if missing:
        names = ", ".join(clause.label for clause in missing)
        return f"위탁 계약 '{contract.contractor_name}'에 시행령 제26조①의 필수 사항이 기록되지 않았습니다: {names}"
    return ""


def contract_refusal(user: Any, today: date) -> str:
    """Why this contractor account may do nothing today ('' when it may, or is no contractor's)."""
    if not is_contractor_account(user):
        return ""
    contracts = [staff.contract for staff in current_staff(user)]
    if not contracts:
        return (
            "수탁자 계정이지만 위탁 계약의 직원으로 등록되어 있지 않아 사용할 수 없습니다 "
            "(개인정보 보호법 시행령 제26조). 위탁 업무 담당 공무원에게 문의하십시오."
        )
    problems = [contract_problem(contract, today) for contract in contracts]
    if not all(problems):
        return ""
    return (
        f"수탁자 계정을 사용할 수 없습니다: {'; '.join(problems)}. "
        "위탁 계약이 유효하고 필수 사항이 모두 기록된 동안에만 사용할 수 있습니다 (시행령 제26조①, 오산시 지침 제25조)."
    )


def official_owner_problem(institution_id: int, today: date) -> str:
    """R35, checked after a change: '' when the institution has no contract still to run, or an
    official holds an owner role there."""
    if not Contract.objects.filter(institution_id=institution_id, period_end__gte=today).exists():
        return ""
    for grant in RoleGrant.objects.filter(
        institution_id=institution_id, revoked_at__isnull=True, role__in=OWNER_ROLES, user__is_active=True
    ).select_related("user"):
        if not is_contractor_account(grant.user):
            return ""
    roles = " 또는 ".join(Role(role).label for role in OWNER_ROLES)
    return (
        f"통합관제센터의 운영 전체를 위탁할 수는 없습니다: 위탁 계약이 있는 동안 이 기관에는 {roles} 역할을 "
        "가진 공무원(수탁자가 아닌 계정)이 한 명 이상 있어야 합니다 (오산시 지침 제25조①)."
    )


@dataclass(frozen=True)
class ContractRow:
    """A row of the officer's contracts page."""

    contract: Contract
    days_left: int  # negative: ended that many days ago
    problem: str
    alert: int | None  # the threshold of CONTRACT_ALERT_DAYS reached, if any

    @property
    def ended(self) -> bool:
        return self.days_left < 0


def contract_rows(institution_ids: list[int], today: date) -> list[ContractRow]:
    rows = []
    for contract in Contract.objects.filter(institution_id__in=institution_ids).select_related("institution"):
        rows.append(
            ContractRow(
                contract,
                (contract.period_end - today).days,
                contract_problem(contract, today),
                contract_alert_due(contract.period_end, today),
            )
        )
    return rows


def contracts_to_alert(today: date) -> QuerySet[Contract]:
    """Contracts whose end is within the furthest alert threshold and not past."""
    return Contract.objects.filter(
        period_end__gte=today, period_end__lte=date.fromordinal(today.toordinal() + max(CONTRACT_ALERT_DAYS))
    ).select_related("institution")


def contracts_in_force(institution_id: int, today: date) -> QuerySet[Contract]:
    return Contract.objects.filter(
        institution_id=institution_id, period_start__lte=today, period_end__gte=today
    )


def is_in_force(contract: Contract, today: date) -> bool:
    return contract_in_force(contract.period_start, contract.period_end, today)
