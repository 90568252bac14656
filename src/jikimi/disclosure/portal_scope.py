"""What an investigating body's officer may reach in the portal: his own body's cases, nothing else.

DESIGN.md: "investigators [reach only their own cases] through accounts scoped to their body with the
same login protections as staff". The account is his (ExternalRequester), its role
Role.REQUESTING_OFFICER must be held, unrevoked, at the body's institution (APPLY_FOR_PROVISION), and
the body must be in use. A case of another body — or of another institution — is not found (404),
never refused by name: the portal does not tell which case numbers exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.disclosure.models import ExternalRequester, ProvisionCase


def requester_of(user: Any) -> ExternalRequester | None:
    """The user's link to his body, while his account and role hold; else None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    requester = (
        ExternalRequester.objects.select_related("body", "body__institution", "user")
        .filter(user=user, body__active=True)
        .first()
    )
    if requester is None:
        return None
    if not has_permission(user, Permission.APPLY_FOR_PROVISION, institution=requester.body.institution):
        return None
    return requester


def cases_of(requester: ExternalRequester) -> QuerySet[ProvisionCase]:
    """His body's cases at the body's institution, newest first — those filed on paper too."""
    return (
        ProvisionCase.objects.filter(body=requester.body, institution_id=requester.body.institution_id)
        .select_related("body", "applicant__user")
        .order_by("-received_at", "-pk")
    )


def case_of(requester: ExternalRequester, pk: int) -> ProvisionCase:
    """One case of his body, or 404."""
    case = cases_of(requester).filter(pk=pk).first()
    if case is None:
        raise Http404("요청을 찾을 수 없습니다")
    return case
