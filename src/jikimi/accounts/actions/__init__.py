"""Every change to accounts, logins and role grants. Each runs in one transaction with its audit entry.

Grants are never edited or deleted: a revocation fills `revoked_at/by/reason` and keeps the row, and a
change of role is a revocation plus a new grant, so the whole history of who could do what stays
(안전성 확보조치 기준 제5조③, R36: at least 3 years).

By topic: people (accounts and passwords), grants (roles), login (password, lockouts, second factor),
training (courses, completions: R48), contracts (outsourcing, its staff and inspections: R33–R35);
refusals holds what they all refuse with. Callers import from here.
"""

from __future__ import annotations

from jikimi.accounts.actions.contracts import (
    assign_staff,
    record_contract,
    record_inspection,
    release_staff,
    send_contract_alerts,
    update_contract,
)
from jikimi.accounts.actions.grants import change_role, grant_role, revoke_role
from jikimi.accounts.actions.login import (
    LOGIN_FAILED_MESSAGE,
    attempt_login,
    enrol_second_factor,
    record_logout,
    reset_second_factor,
    verify_second_factor,
)
from jikimi.accounts.actions.people import (
    change_password,
    create_user,
    deactivate_user,
    reset_password,
    set_up_administrator,
    unlock_user,
)
from jikimi.accounts.actions.refusals import AccountError
from jikimi.accounts.actions.training import add_course, record_training

__all__ = [
    "LOGIN_FAILED_MESSAGE",
    "AccountError",
    "add_course",
    "assign_staff",
    "record_contract",
    "record_inspection",
    "record_training",
    "release_staff",
    "send_contract_alerts",
    "update_contract",
    "attempt_login",
    "change_password",
    "change_role",
    "create_user",
    "deactivate_user",
    "enrol_second_factor",
    "grant_role",
    "record_logout",
    "reset_password",
    "reset_second_factor",
    "revoke_role",
    "set_up_administrator",
    "unlock_user",
    "verify_second_factor",
]
