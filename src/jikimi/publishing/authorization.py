"""Who may publish an institution's policy: PUBLISH_POLICY on that institution (accounts.permissions)."""

from __future__ import annotations

from typing import Any

from jikimi.inventory.models import Institution


def may_publish(user: Any, institution: Institution) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    from jikimi.accounts.permissions import Permission, has_permission

    return bool(has_permission(user, Permission.PUBLISH_POLICY, institution=institution))
