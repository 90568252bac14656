"""Alerts: what an officer must see and act on — a clock the retention sweep would not trust (R17), a
recorder that stopped, footage found damaged (R41).

An alert is raised by the action that found the problem, in its transaction, with an audit entry; an
open alert of the same kind for the same device (or, device-less, the same institution) is not raised
twice, so a recorder that stays down or a sweep refused every night makes one alert, not hundreds.
After the commit it is e-mailed through Django's mail (settings EMAIL_*) to the institution's privacy
officers and to the operating heads whose scope covers it (표준지침: they answer for the system's
safety). A mail that cannot be sent is logged; the alert stays on the alerts page either way.

Acknowledging an alert is audited: who saw it, when, and what they did about it.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from jikimi.accounts.models import Role, RoleGrant
from jikimi.accounts.permissions import Permission, device_groups_for, has_permission, institutions_for
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Device, DeviceGroup, Institution
from jikimi.vault.models import VaultAlert

log = logging.getLogger(__name__)

# Who is told by mail: the roles that answer for the system (privacy officers for the whole
# institution, operating heads within their scope).
MAIL_ROLES = (Role.PRIVACY_OFFICER, Role.OPERATING_HEAD)
MIN_ACKNOWLEDGEMENT_LENGTH = 2


class AlertError(ValueError):
    """An alert action that cannot be done as asked; the message says why."""


def raise_alert(
    actor: Actor,
    kind: str,
    message: str,
    *,
    institution: Institution | None = None,
    device: Device | None = None,
) -> VaultAlert | None:
    """Raise an alert (audited), unless the same one is still open; mail it once the change commits.

    Returns the new alert, or None when an open one already says it.
    """
    group: DeviceGroup | None = device.device_group if device is not None else None
    if group is not None:
        institution = group.institution
    if institution is None:
        raise ValueError("경보에는 기관이나 기기가 있어야 합니다")
    with transaction.atomic():
        already = VaultAlert.objects.filter(
            kind=kind, institution=institution, device=device, acknowledged_at__isnull=True
        )
        if already.exists():
            return None
        alert = VaultAlert.objects.create(
            kind=kind,
            institution=institution,
            device_group=group,
            device=device,
            message=message,
            raised_at=timezone.now(),
        )
        record(
            actor,
            AuditEvent.VAULT_RAISE_ALERT,
            alert,
            details={
                "kind": kind,
                "institution": institution.pk,
                "device": device.pk if device is not None else None,
                "message": message[:500],
            },
        )
        transaction.on_commit(lambda: mail_alert(alert))
    return alert


def recipients(alert: VaultAlert) -> list[str]:
    """The addresses of the institution's privacy officers and of the operating heads in whose scope
    the alert falls, sorted."""
    grants = RoleGrant.objects.filter(
        institution_id=alert.institution_id, revoked_at__isnull=True, role__in=MAIL_ROLES
    ).select_related("user")
    addresses = set()
    for grant in grants:
        user = grant.user
        if not user.is_active or not user.email:
            continue
        if grant.role == Role.OPERATING_HEAD and alert.device_group is not None:
            if not has_permission(user, Permission.DESTROY_FOOTAGE, device_group=alert.device_group):
                continue
        elif grant.role == Role.OPERATING_HEAD and grant.departments.exists():
            continue  # an institution-wide alert goes to the heads of the whole institution
        addresses.add(user.email)
    return sorted(addresses)


def mail_alert(alert: VaultAlert) -> list[str]:
    """E-mail the alert; record where it went. A failed send is logged, never raised (the alert stands)."""
    to = recipients(alert)
    if not to:
        log.warning(
            "alert %s: nobody to mail (no privacy officer or operating head with an address)", alert.pk
        )
        return []
    where = alert.device.name if alert.device is not None else alert.institution.name
    subject = f"[지키미 경보] {alert.get_kind_display()} — {where}"
    body = (
        f"{alert.message}\n\n"
        f"발생 시각: {timezone.localtime(alert.raised_at):%Y-%m-%d %H:%M:%S}\n"
        f"확인: {settings.PUBLIC_BASE_URL}/vault/alerts/\n"
    )
    try:
        send_mail(subject, body, None, to)
    except OSError as error:
        log.error("alert %s: mail to %s failed: %s", alert.pk, ", ".join(to), error)
        return []
    VaultAlert.objects.filter(pk=alert.pk).update(mailed_to=to)
    return to


def alerts_for(user: Any) -> QuerySet[VaultAlert]:
    """The alerts `user` may see: a device's to whoever may view or manage its group, an institution's
    (device-less) to those who hold footage destruction for the whole institution."""
    groups = device_groups_for(user, Permission.VIEW_FOOTAGE) | device_groups_for(
        user, Permission.MANAGE_DEVICES
    )
    institutions = institutions_for(user, Permission.DESTROY_FOOTAGE, whole_institution=True)
    return (
        VaultAlert.objects.filter(
            Q(device_group__in=groups.values("pk"))
            | Q(device_group__isnull=True, institution__in=institutions.values("pk"))
        )
        .select_related("device", "device_group", "institution", "acknowledged_by")
        .order_by("-raised_at")
    )


def acknowledge_alert(actor: Actor, alert: VaultAlert, note: str) -> VaultAlert:
    """An officer saw the alert and says what was done (audited)."""
    note = " ".join(note.split())
    if len(note) < MIN_ACKNOWLEDGEMENT_LENGTH:
        raise AlertError("확인 내용(조치한 것)을 적으세요 (예: 녹화기 재시작함)")
    if actor.user is None:
        raise AlertError("경보 확인은 로그인한 사람만 할 수 있습니다")
    with transaction.atomic():
        current = VaultAlert.objects.select_for_update().get(pk=alert.pk)
        if current.acknowledged_at is not None:
            raise AlertError(
                f"이미 확인된 경보입니다 ({timezone.localtime(current.acknowledged_at):%Y-%m-%d %H:%M})"
            )
        current.acknowledged_at = timezone.now()
        current.acknowledged_by = actor.user
        current.acknowledgement = note[:300]
        current.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement"])
        record(
            actor,
            AuditEvent.VAULT_ACKNOWLEDGE_ALERT,
            current,
            reason=note[:300],
            details={"kind": current.kind, "raised_at": current.raised_at},
        )
    return current
