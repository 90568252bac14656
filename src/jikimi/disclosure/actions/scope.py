"""Who may act on a request (R36): the permission on every device group whose sites the request names.

A request naming no site of the register (a place typed by the requester) is the institution's as a
whole: only an institution-wide grant covers it. The desk's page may use its own check; this one is
what the decision and fee actions and views ask.
"""

from __future__ import annotations

from typing import Any

from jikimi.accounts.permissions import Permission, has_permission
from jikimi.disclosure.models import IdentityCheck, SubjectRequest
from jikimi.inventory.models import DeviceGroup


def request_groups(request: SubjectRequest) -> list[DeviceGroup]:
    return list(DeviceGroup.objects.filter(locations__subject_requests=request).distinct().order_by("pk"))


def may_act_on(user: Any, permission: Permission, request: SubjectRequest) -> bool:
    groups = request_groups(request)
    if not groups:
        return has_permission(user, permission, institution=request.institution)
    return all(has_permission(user, permission, device_group=group) for group in groups)


def identity_checked(request: SubjectRequest) -> bool:
    """R21: nothing is decided before the requester's identity was checked."""
    return IdentityCheck.objects.filter(request=request).exists()
