"""{% ptz_alerts %}: the open PTZ alerts (R14) on the pages of the control centre that show the cameras'
state (the health page), for the cameras the viewer may see there."""

from __future__ import annotations

from typing import Any

from django import template

from jikimi.accounts.permissions import Permission, device_groups_for, has_permission
from jikimi.control.ptz_queries import open_alerts
from jikimi.inventory.models import Device

register = template.Library()


@register.inclusion_tag("control/ptz/_alerts.html", takes_context=True)
def ptz_alerts(context: Any) -> dict[str, Any]:
    user = context["request"].user
    groups = device_groups_for(user, Permission.VIEW_HEALTH).values("pk")
    alerts = list(open_alerts(list(Device.objects.filter(device_group__in=groups))))
    return {
        "ptz_alerts": alerts,
        "may_close": any(
            has_permission(user, Permission.MANAGE_TICKETS, device_group=m.device.device_group)
            for m in alerts
        ),
        "back": "health",
        "csrf_token": context.get("csrf_token"),
    }
