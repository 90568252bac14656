"""Reads of what in the vault needs an officer's attention: cameras not recording, holds ending,
footage due for destruction. The staff home page (jikimi.web.dashboard) counts them; the vault's
device list filters by the first (`?state=down`).

Each function takes the devices the person may act on (their scope, R36) and answers for those only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from jikimi.inventory.models import Device
from jikimi.lib.clock import start_of_day
from jikimi.rules.retention import RetentionError, destruction_deadline, parse_retention
from jikimi.vault.models import HeldSegment, LegalHold, Segment
from jikimi.vault.queries import DOWN_STATES, device_state, stopped_recorders
from jikimi.vault.terms import TermsBook

# Holds whose end date comes within this many days are "ending soon"; those that ended within as
# many days ago are still shown (R18: their footage falls back to the device's retention).
HOLD_HORIZON_DAYS = 14

NEVER_RECORDED = "영상 없음: 한 번도 저장되지 않음"


@dataclass(frozen=True)
class NotRecording:
    device: Device
    why: str  # as the device list shows it


def _stores_footage(book: TermsBook, device: Device) -> bool:
    try:
        return parse_retention(book.terms(device).retention).stores_footage
    except RetentionError:
        return True  # an unreadable retention is the register's fault; the camera is still watched


def not_recording(devices: QuerySet[Device]) -> list[NotRecording]:
    """Enabled devices that should keep footage and do not (R41): the camera is down (재연결 중, 장애),
    its recorder stopped beating, or nothing was ever stored for it. Devices of a 미보유 group (R15)
    store nothing by law and are not counted."""
    candidates: list[Device] = list(
        devices.filter(enabled=True)
        .annotate(
            has_footage=Exists(Segment.objects.filter(device=OuterRef("pk")))
            | Exists(HeldSegment.objects.filter(device=OuterRef("pk")))
        )
        .select_related("device_group", "location")
        .order_by("device_group__name", "name", "pk")
    )
    stopped = stopped_recorders(candidates)
    book = TermsBook()
    found = []
    for device in candidates:
        if not _stores_footage(book, device):
            continue
        if device.pk in stopped or device.status in DOWN_STATES:
            found.append(NotRecording(device, device_state(device, stopped)))
        elif not device.has_footage:  # type: ignore[attr-defined]
            found.append(NotRecording(device, NEVER_RECORDED))
    return found


def holds_ending(devices: QuerySet[Device], today: date) -> QuerySet[LegalHold]:
    """Active holds whose end date (보존 종료일) comes after today and within HOLD_HORIZON_DAYS."""
    return (
        LegalHold.objects.filter(
            device__in=devices,
            released_at__isnull=True,
            ends_on__gt=today,
            ends_on__lte=today + timedelta(days=HOLD_HORIZON_DAYS),
        )
        .select_related("device")
        .order_by("ends_on", "pk")
    )


def holds_ended(devices: QuerySet[Device], today: date) -> QuerySet[LegalHold]:
    """Holds that ended within the last HOLD_HORIZON_DAYS (released, or at their end date), and those
    whose end date has come but the daily sweep has not ended yet."""
    since = start_of_day(today - timedelta(days=HOLD_HORIZON_DAYS))
    return (
        LegalHold.objects.filter(device__in=devices)
        .filter(Q(released_at__isnull=True, ends_on__lte=today) | Q(released_at__gte=since))
        .select_related("device")
        .order_by("-ends_on", "pk")
    )


@dataclass(frozen=True)
class DestructionDue:
    device: Device
    oldest_day: date  # the oldest footage day whose key is still live
    expiry: date
    deadline: date  # R17: destroyed by this day at the latest

    def overdue(self, today: date) -> bool:
        return self.deadline < today


def destruction_due(devices: QuerySet[Device], today: date) -> list[DestructionDue]:
    """Devices with live footage past its retention (R17): the retention sweep has not destroyed it
    yet. One row per device, for its oldest live day; the deadline is rules.retention's."""
    oldest = dict(
        devices.filter(day_keys__wrapped_key__isnull=False)
        .annotate(oldest=Min("day_keys__day"))
        .values_list("pk", "oldest")
    )
    book = TermsBook()
    due = []
    wanted: Iterable[Device] = (
        Device.objects.filter(pk__in=oldest)
        .select_related("device_group__institution", "location")
        .order_by("device_group__name", "name", "pk")
    )
    for device in wanted:
        try:
            retention = parse_retention(book.terms(device).retention)
        except RetentionError:
            continue  # the sweep reports it (destruction.RetentionReport.unreadable)
        expiry = retention.expiry(oldest[device.pk])
        if expiry is None or expiry > today:
            continue
        grace = device.device_group.institution.destruction_grace_days
        due.append(DestructionDue(device, oldest[device.pk], expiry, destruction_deadline(expiry, grace)))
    return due
