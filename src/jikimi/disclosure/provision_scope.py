"""Who sees which provision case (R36: least privilege) — stated once, like jikimi.disclosure.scope.

Staff: a case belongs to its institution and names footage of devices, each in a device group. The
officer who HANDLES provisions sees a case when his grant covers the whole institution or the device
group of one of the case's devices (`cases_for`, `may_handle`). Those who decide see more: the
총괄책임관 (APPROVE_PROVISIONS over the institution) every case of it; the head of the control centre
(APPROVE_URGENT_PROVISIONS) only the cases marked urgent — the only ones he may decide (오산시 지침
제32조③) (`visible_cases`).

External requesters (a body's officer with an account, ExternalRequester): only their own body's cases,
whoever of the body filed them (`requester_cases`), for the portal.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jikimi.accounts.permissions import Permission, device_groups_for, has_permission, institutions_for
from jikimi.disclosure.models import ExternalRequester, ProvisionCase, ProvisionFootage

HANDLE = Permission.HANDLE_PROVISIONS
STAFF_PERMISSIONS = (
    Permission.HANDLE_PROVISIONS,
    Permission.APPROVE_PROVISIONS,
    Permission.APPROVE_URGENT_PROVISIONS,
)


def _ordered(cases: QuerySet[ProvisionCase]) -> QuerySet[ProvisionCase]:
    return cases.select_related("institution", "body").order_by("-received_at", "-pk")


def cases_for(user: Any, permission: Permission = HANDLE) -> QuerySet[ProvisionCase]:
    """The cases `user` handles: institution-wide, or naming footage of a device group of his grant."""
    whole = institutions_for(user, permission, whole_institution=True)
    named = ProvisionFootage.objects.filter(
        device__device_group__in=device_groups_for(user, permission),
    ).values("case_id")
    return _ordered(ProvisionCase.objects.filter(Q(institution__in=whole) | Q(pk__in=named)))


def visible_cases(user: Any) -> QuerySet[ProvisionCase]:
    """Every case a staff member may open: those he handles, and those he may decide."""
    deciding = institutions_for(user, Permission.APPROVE_PROVISIONS, whole_institution=True)
    urgent = institutions_for(user, Permission.APPROVE_URGENT_PROVISIONS, whole_institution=True)
    handled = cases_for(user).values("pk")
    return _ordered(
        ProvisionCase.objects.filter(
            Q(pk__in=handled) | Q(institution__in=deciding) | Q(institution__in=urgent, urgent=True)
        )
    )


def case_for(user: Any, pk: int) -> ProvisionCase | None:
    """The case `pk` if `user` may open it, else None (pages answer 404 either way)."""
    return visible_cases(user).filter(pk=pk).first()


def may_handle(user: Any, case: ProvisionCase) -> bool:
    """Whether `user` prepares this case (intake, review, delivery): HANDLE_PROVISIONS over it."""
    return cases_for(user).filter(pk=case.pk).exists()


def is_staff_of_provisions(user: Any) -> bool:
    """Whether the provisions list is for `user` at all (any of the staff permissions, anywhere)."""
    return any(has_permission(user, permission) for permission in STAFF_PERMISSIONS)


def external_requester(user: Any) -> ExternalRequester | None:
    """The body's officer behind `user`, when the account is one and may still apply (else None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = ExternalRequester.objects.select_related("body", "body__institution").filter(user=user).first()
    if found is None or not found.body.active:
        return None
    if not has_permission(user, Permission.APPLY_FOR_PROVISION, institution=found.body.institution):
        return None
    return found


def requester_cases(user: Any) -> QuerySet[ProvisionCase]:
    """An external requester's cases: his own body's, never another body's (none for anybody else)."""
    found = external_requester(user)
    if found is None:
        return ProvisionCase.objects.none()
    return _ordered(ProvisionCase.objects.filter(body=found.body, institution=found.body.institution))


def requester_case(user: Any, pk: int) -> ProvisionCase | None:
    return requester_cases(user).filter(pk=pk).first()
