"""The main menu's one entry for the control centre: shown to whoever holds, by an unrevoked grant, a
role with one of the centre's duties (control.duties) — one query per page, not one per duty."""

from __future__ import annotations

from django import template

from jikimi.accounts.models import RoleGrant
from jikimi.accounts.permissions import Permission, roles_with

register = template.Library()

# The permissions behind the centre's front page (control.duties_views): any of them opens it.
CENTRE_PERMISSIONS = (
    Permission.VIEW_CONTROL_CENTRE,
    Permission.WATCH_LIVE,
    Permission.LOG_INCIDENTS,
    Permission.REPORT_INCIDENTS,
    Permission.VIEW_HEALTH,
    Permission.OPERATE_PTZ,
    Permission.MANAGE_TRAINING,
    Permission.MANAGE_CONTRACTS,
)


@register.simple_tag(takes_context=True)
def control_centre_in_menu(context: template.Context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    roles = {role for permission in CENTRE_PERMISSIONS for role in roles_with(permission)}
    return RoleGrant.objects.filter(user=user, revoked_at__isnull=True, role__in=roles).exists()
