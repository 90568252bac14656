"""Who may act on a request (R36: least privilege) — the two questions, stated once.

A request belongs to its institution and names sites (locations of the register, each in a device
group of that institution) or only a typed place. Two questions are asked of it, with two answers:

1. May the user SEE and HANDLE it (the desk's list and page, the identity check, postponement,
   closing, masking the footage of their own devices)? — the permission over ONE of its sites, or
   over the whole institution. A request naming sites of two departments is worked on by the
   officers of both, each for their own cameras (`requests_for`, `request_for`, `may_handle`).
2. May the user SPEAK FOR the whole request (decide it, set its fee, read its letters)? — the
   permission over EVERY one of its sites, or over the whole institution: one department does not
   answer for another's cameras, so a request across two departments is decided by someone whose
   grant covers both, e.g. the institution's privacy officer (`may_answer_for`).

A request naming no site of the register (a typed place only) is the institution's as a whole for
both questions: only an institution-wide grant covers it, and that grant sorts it out first.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from jikimi.accounts.permissions import Permission, device_groups_for, has_permission, institutions_for
from jikimi.disclosure.models import SubjectRequest
from jikimi.inventory.models import Device, DeviceGroup, Location

HANDLE = Permission.HANDLE_REQUESTS
_LOCATIONS = SubjectRequest.locations.through


def requests_for(user: Any, permission: Permission = HANDLE) -> QuerySet[SubjectRequest]:
    """Question 1 for every request: those naming a site of the user's grant, soonest due first."""
    whole = institutions_for(user, permission, whole_institution=True)
    named = _LOCATIONS.objects.filter(
        location__device_group__in=device_groups_for(user, permission),
        # A location names a group of the request's own institution only.
        location__device_group__institution_id=F("subjectrequest__institution_id"),
    ).values("subjectrequest_id")
    return (
        SubjectRequest.objects.filter(Q(institution__in=whole) | Q(pk__in=named))
        .select_related("institution")
        .order_by("due_on", "received_at", "pk")
    )


def request_for(user: Any, pk: int) -> SubjectRequest | None:
    """The request `pk` if `user` may handle it, else None (pages answer 404 either way)."""
    return requests_for(user).filter(pk=pk).first()


def may_handle(user: Any, request: SubjectRequest, permission: Permission = HANDLE) -> bool:
    """Question 1: the permission over one of the request's sites (or the whole institution)."""
    return requests_for(user, permission).filter(pk=request.pk).exists()


def request_groups(request: SubjectRequest) -> list[DeviceGroup]:
    return list(DeviceGroup.objects.filter(locations__subject_requests=request).distinct().order_by("pk"))


def may_answer_for(user: Any, permission: Permission, request: SubjectRequest) -> bool:
    """Question 2: the permission over every one of the request's sites (or the whole institution)."""
    groups = request_groups(request)
    if not groups:
        return has_permission(user, permission, institution=request.institution)
    return all(has_permission(user, permission, device_group=group) for group in groups)


def may_work_on_device(user: Any, permission: Permission, device: Device) -> bool:
    """A masking job or copy concerns one camera: the permission over that camera's group."""
    return has_permission(user, permission, device_group=device.device_group)


def sites_to_give(user: Any, request: SubjectRequest) -> QuerySet[Location]:
    """The sites `user` may give a request's typed place (actions.places): those of the request's
    institution in the groups where the user handles requests, not yet named by the request."""
    return (
        Location.objects.filter(
            device_group__institution_id=request.institution_id,
            device_group__in=device_groups_for(user, HANDLE),
        )
        .exclude(pk__in=request.locations.values("pk"))
        .select_related("device_group")
        .order_by("device_group__name", "name", "pk")
    )
