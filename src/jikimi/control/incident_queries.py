"""Reads of incidents, within the reader's scope (R36): the incidents of the device groups where the
reader logs or receives incidents; a seconded police officer's unread notices."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jikimi.accounts.permissions import Permission, device_groups_for
from jikimi.control.models import Incident, IncidentNotice
from jikimi.inventory.models import Device

READERS = (Permission.LOG_INCIDENTS, Permission.REPORT_INCIDENTS)


def visible_incidents(user: Any) -> QuerySet[Incident]:
    groups = device_groups_for(user, Permission.LOG_INCIDENTS) | device_groups_for(
        user, Permission.REPORT_INCIDENTS
    )
    return Incident.objects.filter(device__device_group__in=groups.values("pk")).select_related(
        "device__device_group", "device__location", "logged_by", "hold"
    )


def incident_for(user: Any, pk: int) -> Incident | None:
    return visible_incidents(user).filter(pk=pk).first()


def unread_notices(user: Any) -> QuerySet[IncidentNotice]:
    return (
        IncidentNotice.objects.filter(recipient=user, read_at__isnull=True)
        .select_related("incident__device")
        .order_by("-sent_at")
    )


def loggable_devices(user: Any) -> QuerySet[Device]:
    """The cameras `user` may log an incident on (their LOG_INCIDENTS scope)."""
    groups = device_groups_for(user, Permission.LOG_INCIDENTS)
    return (
        Device.objects.filter(device_group__in=groups.values("pk"))
        .select_related("device_group")
        .order_by("device_group__name", "name")
    )
