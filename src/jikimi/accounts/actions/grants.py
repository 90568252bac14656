"""Role grants: given, revoked and changed. Never edited or deleted (R36: the history is kept)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.actions.refusals import AccountError, need_reason
from jikimi.accounts.contracts import official_owner_problem
from jikimi.accounts.models import Role, RoleGrant, User
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.lib.clock import today


def ensure_official_owner(institution_id: int) -> None:
    """오산시 지침 제25조① (R35), after a change inside its transaction: refuse (and so undo it) when
    the institution outsources and no official would own the centre's operation any more."""
    problem = official_owner_problem(institution_id, today())
    if problem:
        raise AccountError(problem)


def _same_grant_held(
    user: User, role: str, institution: Any, departments: list[Any], device_groups: list[Any]
) -> bool:
    wanted = ({d.pk for d in departments}, {g.pk for g in device_groups})
    held = RoleGrant.objects.filter(user=user, role=role, institution=institution, revoked_at__isnull=True)
    return any(
        (
            set(grant.departments.values_list("pk", flat=True)),
            set(grant.device_groups.values_list("pk", flat=True)),
        )
        == wanted
        for grant in held
    )


def _check_external_role_alone(user: User, role: str) -> None:
    """An investigating body's officer (REQUESTING_OFFICER) reaches the portal from outside the
    institution's networks; he never also holds a staff role, nor a staff member his (R36: least
    privilege; DESIGN.md: outsiders reach only their own cases)."""
    held = set(RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True))
    external = Role.REQUESTING_OFFICER
    if role == external and held - {external}:
        raise AccountError(
            f"{user}은(는) 직원 역할을 가지고 있어 '{Role(external).label}' 역할을 줄 수 없습니다 "
            "(외부 기관 담당자는 따로 계정을 만드십시오)"
        )
    if role != external and external in held:
        raise AccountError(f"{user}은(는) 외부 기관 담당자 계정이라 직원 역할을 줄 수 없습니다")


def _scope_details(grant: RoleGrant) -> dict[str, Any]:
    return {
        "role": grant.role,
        "institution": grant.institution.slug,
        "departments": sorted(d.name for d in grant.departments.all()),
        "device_groups": sorted(g.key for g in grant.device_groups.all()),
    }


def grant_role(
    actor: Actor,
    user: User,
    *,
    role: str,
    institution: Any,
    departments: Iterable[Any] = (),
    device_groups: Iterable[Any] = (),
    reason: str,
) -> RoleGrant:
    """Give `user` a role for the whole institution, or only for some departments / device groups."""
    reason = need_reason(reason, "역할 부여")
    departments = list(departments)
    device_groups = list(device_groups)
    if role not in Role.values:
        raise AccountError(f"역할 '{role}'은(는) 없는 역할입니다")
    if not user.is_active:
        raise AccountError(f"{user}은(는) 비활성 계정이라 역할을 줄 수 없습니다")
    if actor.user is not None and actor.user.pk == user.pk:
        # Least privilege (R36): nobody widens their own rights.
        raise AccountError("자기 자신에게는 역할을 부여할 수 없습니다")
    for department in departments:
        if department.institution_id != institution.pk:
            raise AccountError(f"부서 '{department}'은(는) {institution}의 부서가 아닙니다")
    for group in device_groups:
        if group.institution_id != institution.pk:
            raise AccountError(f"기기 묶음 '{group}'은(는) {institution}의 것이 아닙니다")
    with transaction.atomic():
        _check_external_role_alone(user, role)
        if _same_grant_held(user, role, institution, departments, device_groups):
            # A second identical grant would have to be revoked twice and says nothing new (R36).
            raise AccountError(f"{user}은(는) 이미 같은 범위의 '{Role(role).label}' 역할을 가지고 있습니다")
        grant = RoleGrant.objects.create(
            user=user,
            role=role,
            institution=institution,
            reason=reason[:200],
            granted_at=timezone.now(),
            granted_by=actor.user,
        )
        grant.departments.set(departments)
        grant.device_groups.set(device_groups)
        record(
            actor,
            AuditEvent.ACCOUNTS_GRANT_ROLE,
            user,
            reason=reason,
            details={"grant": grant.pk, **_scope_details(grant)},
        )
        if role == Role.CONTRACTOR:
            # The last official owner made a contractor is an owner no more (R35).
            ensure_official_owner(institution.pk)
    return grant


def revoke_grant(actor: Actor, grant: RoleGrant, *, reason: str) -> None:
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor.user
    grant.revoke_reason = reason[:200]
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(
        actor,
        AuditEvent.ACCOUNTS_REVOKE_ROLE,
        grant.user,
        reason=reason,
        details={"grant": grant.pk, **_scope_details(grant)},
    )


def _revoke(actor: Actor, grant: RoleGrant, *, reason: str) -> RoleGrant:
    grant = RoleGrant.objects.select_for_update().select_related("user", "institution").get(pk=grant.pk)
    if grant.revoked_at is not None:
        raise AccountError("이미 회수된 역할입니다")
    revoke_grant(actor, grant, reason=reason)
    return grant


def revoke_role(actor: Actor, grant: RoleGrant, *, reason: str) -> None:
    """End a grant. The row stays, with when, by whom and why (R36)."""
    reason = need_reason(reason, "역할 회수")
    with transaction.atomic():
        grant = _revoke(actor, grant, reason=reason)
        ensure_official_owner(grant.institution_id)


def change_role(
    actor: Actor,
    grant: RoleGrant,
    *,
    role: str,
    departments: Iterable[Any] = (),
    device_groups: Iterable[Any] = (),
    reason: str,
) -> RoleGrant:
    """A change of role or scope (e.g. on transfer, R36) = revoke the old grant + grant the new one."""
    reason = need_reason(reason, "역할 변경")
    with transaction.atomic():
        old = _revoke(actor, grant, reason=f"역할 변경: {reason}")
        new = grant_role(
            actor,
            old.user,
            role=role,
            institution=old.institution,
            departments=departments,
            device_groups=device_groups,
            reason=f"역할 변경: {reason}",
        )
        ensure_official_owner(old.institution_id)  # R35, on the state after the change
        return new
