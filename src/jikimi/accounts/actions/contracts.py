"""Outsourcing contracts, their staff and inspections (시행령 제26조; 오산시 지침 제25조; R33–R35).

Each change runs in one transaction with its audit entry. R35 is checked on the state after the change
(jikimi.accounts.actions.grants.ensure_official_owner): a refusal undoes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.actions.grants import ensure_official_owner
from jikimi.accounts.actions.refusals import AccountError
from jikimi.accounts.contracts import contracts_to_alert
from jikimi.accounts.models import Contract, ContractorInspection, ContractStaff, Role, RoleGrant, User
from jikimi.accounts.permissions import Permission, roles_with
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.lib.clock import today
from jikimi.rules.people_duties import contract_alert_due, missing_clauses

log = logging.getLogger(__name__)

CLAUSE_FIELDS = {
    "purpose_scope": "clause_purpose_scope",
    "subcontract_limit": "clause_subcontract_limit",
    "access_safety": "clause_access_safety",
    "inspection": "clause_inspection",
    "liability": "clause_liability",
}
_EDITABLE = ("contractor_name", "task", "contact", "period_start", "period_end", *CLAUSE_FIELDS.values())


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise AccountError("위탁기간의 끝이 시작보다 앞섭니다")


def record_contract(
    actor: Actor,
    *,
    institution: Any,
    contractor_name: str,
    task: str,
    contact: str = "",
    period_start: date,
    period_end: date,
    clauses: dict[str, str],
) -> Contract:
    """A written contract; `clauses` says where each clause of 시행령 제26조① stands (key → "제7조")."""
    contractor_name, task = contractor_name.strip(), task.strip()
    if not contractor_name or not task:
        raise AccountError("수탁자와 위탁업무를 적어 주십시오")
    _check_period(period_start, period_end)
    with transaction.atomic():
        contract = Contract.objects.create(
            institution=institution,
            contractor_name=contractor_name[:100],
            contractor=register_contractor(institution, contractor_name[:100]),
            task=task[:200],
            contact=contact.strip()[:60],
            period_start=period_start,
            period_end=period_end,
            created_at=timezone.now(),
            created_by=actor.user,
            **{CLAUSE_FIELDS[key]: clauses.get(key, "").strip()[:100] for key in CLAUSE_FIELDS},
        )
        record(
            actor,
            AuditEvent.ACCOUNTS_RECORD_CONTRACT,
            contract,
            details={
                "contractor_name": contract.contractor_name,
                "task": contract.task,
                "period_start": period_start,
                "period_end": period_end,
                "clauses_missing": [clause.label for clause in missing_clauses(contract.clause_where())],
            },
        )
        ensure_official_owner(institution.pk)  # R35: outsourcing needs an official owning the centre
    return contract


def register_contractor(institution: Any, contractor_name: str) -> Any:
    """The register's 위탁 (inventory.Contractor) of this contractor in `institution`, if it has one:
    the same company name, ignoring spaces (the register and the contract may space "㈜ 영창티엠에스"
    differently). Reached through the institution, so that accounts imports nothing of inventory."""
    wanted = "".join(contractor_name.split())
    for candidate in institution.contractors.order_by("position", "pk"):
        if "".join(candidate.company.split()) == wanted:
            return candidate
    return None


def update_contract(actor: Actor, contract: Contract, *, reason: str = "", **values: Any) -> Contract:
    """Change the period, the parties or where the clauses stand; the entry holds each [before, after]."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        changed: dict[str, list[Any]] = {}
        for name, value in values.items():
            if name not in _EDITABLE:
                raise AccountError(f"'{name}'은(는) 고칠 수 없는 항목입니다")
            if isinstance(value, str):
                value = value.strip()
            if getattr(contract, name) != value:
                changed[name] = [getattr(contract, name), value]
                setattr(contract, name, value)
        if not changed:
            return contract
        _check_period(contract.period_start, contract.period_end)
        if "contractor_name" in changed:
            contract.contractor = register_contractor(contract.institution, contract.contractor_name)
        if "period_end" in changed:
            contract.alerted_days = None  # a new end date is alerted afresh
        contract.save()
        record(actor, AuditEvent.ACCOUNTS_UPDATE_CONTRACT, contract, reason=reason, details=changed)
        ensure_official_owner(contract.institution_id)
    return contract


def assign_staff(actor: Actor, contract: Contract, user: User) -> ContractStaff:
    """`user` (an account of the institution holding Role.CONTRACTOR) works under `contract`."""
    with transaction.atomic():
        if not RoleGrant.objects.filter(
            user=user, institution_id=contract.institution_id, role=Role.CONTRACTOR, revoked_at__isnull=True
        ).exists():
            raise AccountError(f"{user}은(는) 이 기관의 '{Role.CONTRACTOR.label}' 역할이 없습니다")
        if ContractStaff.objects.filter(contract=contract, user=user, released_at__isnull=True).exists():
            raise AccountError(f"{user}은(는) 이미 이 계약의 직원입니다")
        staff = ContractStaff.objects.create(contract=contract, user=user, assigned_at=timezone.now())
        record(
            actor,
            AuditEvent.ACCOUNTS_ASSIGN_CONTRACT_STAFF,
            contract,
            details={"contractor_name": contract.contractor_name, "username": user.username},
        )
        ensure_official_owner(contract.institution_id)
    return staff


def release_staff(actor: Actor, staff: ContractStaff) -> None:
    with transaction.atomic():
        staff = ContractStaff.objects.select_for_update().select_related("contract", "user").get(pk=staff.pk)
        if staff.released_at is not None:
            raise AccountError("이미 해제된 직원입니다")
        staff.released_at = timezone.now()
        staff.save(update_fields=["released_at"])
        record(
            actor,
            AuditEvent.ACCOUNTS_RELEASE_CONTRACT_STAFF,
            staff.contract,
            details={"contractor_name": staff.contract.contractor_name, "username": staff.user.username},
        )


def record_inspection(
    actor: Actor,
    contract: Contract,
    *,
    inspected_on: date,
    inspected: str,
    findings: str,
    follow_up: str = "",
) -> ContractorInspection:
    """수탁자 점검 (시행령 제26조④, 오산시 지침 제25조③)."""
    inspected, findings = inspected.strip(), findings.strip()
    if not inspected or not findings:
        raise AccountError("점검 내용과 점검 결과를 적어 주십시오")
    if inspected_on > today():
        raise AccountError("점검일이 오늘보다 뒤입니다")
    with transaction.atomic():
        inspection = ContractorInspection.objects.create(
            contract=contract,
            inspected_on=inspected_on,
            inspected=inspected,
            findings=findings,
            follow_up=follow_up.strip(),
            recorded_at=timezone.now(),
            recorded_by=actor.user,
        )
        record(
            actor,
            AuditEvent.ACCOUNTS_INSPECT_CONTRACTOR,
            contract,
            details={
                "contractor_name": contract.contractor_name,
                "inspected_on": inspected_on,
                "findings": findings[:200],
            },
        )
    return inspection


# ---- the alert before a contract ends (군산시's ended on 2024-12-31 and nobody noticed) ------------


@dataclass
class ContractAlertReport:
    alerted: list[str] = field(default_factory=list)  # "contractor (days left)"


def _recipients(contract: Contract) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_grants__institution_id=contract.institution_id,
            role_grants__revoked_at__isnull=True,
            role_grants__role__in=roles_with(Permission.MANAGE_CONTRACTS),
        )
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def _mail(contract: Contract, days_left: int, to: list[str]) -> None:
    url = f"{settings.PUBLIC_BASE_URL}{reverse('accounts:contract_detail', args=[contract.pk])}"
    subject = f"[지키미] 위탁 계약 종료 {days_left}일 전: {contract.contractor_name}"
    body = (
        f"위탁 계약이 {contract.period_end:%Y-%m-%d}에 끝납니다 ({days_left}일 남음).\n"
        "계약이 끝나면 수탁자 직원의 계정은 사용할 수 없게 됩니다. 갱신하거나 종료를 준비하세요 "
        "(개인정보 보호법 시행령 제26조, 오산시 지침 제25조).\n\n"
        f"수탁자: {contract.contractor_name}\n위탁업무: {contract.task}\n"
        f"위탁기간: {contract.period_start:%Y-%m-%d}~{contract.period_end:%Y-%m-%d}\n계약: {url}\n"
    )

    def send() -> None:
        try:
            send_mail(subject, body, None, to)
        except OSError as error:
            log.error("contract %s: end alert to %s failed: %s", contract.pk, ", ".join(to), error)

    if to:
        transaction.on_commit(send)
    else:
        log.warning("contract %s: nobody with an address to tell", contract.pk)


def send_contract_alerts(actor: Actor, day: date) -> ContractAlertReport:
    """Run daily: each contract reaching a threshold of CONTRACT_ALERT_DAYS (60, 30 days before its end)
    is alerted once per threshold to the holders of MANAGE_CONTRACTS in its institution."""
    report = ContractAlertReport()
    for candidate in contracts_to_alert(day):
        with transaction.atomic():
            contract = Contract.objects.select_for_update().get(pk=candidate.pk)
            due = contract_alert_due(contract.period_end, day)
            if due is None or (contract.alerted_days is not None and contract.alerted_days <= due):
                continue
            people = _recipients(contract)
            days_left = (contract.period_end - day).days
            contract.alerted_days = due
            contract.save(update_fields=["alerted_days"])
            record(
                actor,
                AuditEvent.ACCOUNTS_ALERT_CONTRACT_END,
                contract,
                details={
                    "contractor_name": contract.contractor_name,
                    "period_end": contract.period_end,
                    "days_left": days_left,
                    "recipients": [person.username for person in people],
                },
            )
            _mail(contract, days_left, [person.email for person in people])
            report.alerted.append(f"{contract.contractor_name} ({days_left}일)")
    return report
