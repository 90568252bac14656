"""Reconciliation, as the officer sees it: what the published register states against what jikimi has.

Per device group and per location: the count the register states (설치 대수, R6), the devices
registered in jikimi, those connected (a live source, enabled), and the devices whose recorder has
never delivered footage. Per declared total (광양시 "고정형 2,417대, 이동형 19대"): the stated number
against the devices registered in the groups it covers. Read with the same scope as the register
pages (VIEW_REGISTER): an officer sees the groups of their department, and a declared total only when
every group it covers is theirs to see.

"Delivered footage" is a day key of the device (vault.DayKey, related name `day_keys`): one exists
from the first stored segment on and is kept, emptied, after destruction — so a device whose footage
was destroyed on time still counts as having delivered. The register reads it through the relation's
name only; it does not import the vault (the vault sits above the register).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from jikimi.inventory import models
from jikimi.inventory.checks import group_facts
from jikimi.inventory.queries import visible_groups
from jikimi.rules.register_checks import TotalFacts, total_covers


@dataclass
class Tally:
    stated: int | None  # what the published register says; None: the count is not published
    registered: int = 0  # devices registered in jikimi
    connected: int = 0  # of them, with a live source and enabled
    never_delivered: list[models.Device] = field(default_factory=list)  # no footage ever stored

    @property
    def difference(self) -> int | None:
        """Registered minus stated: negative = devices the register states that jikimi does not know.

        None where the register does not publish the count (a location's `count: null`)."""
        return None if self.stated is None else self.registered - self.stated

    def add(self, device: models.Device, delivered: bool) -> None:
        self.registered += 1
        if device.source_url and device.enabled:
            self.connected += 1
        if not delivered:
            self.never_delivered.append(device)


@dataclass
class LocationTally:
    location: models.Location
    tally: Tally


@dataclass
class GroupTally:
    group: models.DeviceGroup
    tally: Tally
    locations: list[LocationTally]
    unlocated: Tally  # devices without a location (stated: 0 when the group lists locations)


@dataclass
class TotalTally:
    total: models.DeclaredTotal
    tally: Tally
    groups: list[str]


@dataclass
class Reconciliation:
    groups: list[GroupTally]
    totals: list[TotalTally]

    @property
    def stated(self) -> int:
        return sum(g.tally.stated or 0 for g in self.groups)

    @property
    def registered(self) -> int:
        return sum(g.tally.registered for g in self.groups)

    @property
    def connected(self) -> int:
        return sum(g.tally.connected for g in self.groups)

    @property
    def never_delivered(self) -> int:
        return sum(len(g.tally.never_delivered) for g in self.groups)


def _devices(groups: QuerySet[models.DeviceGroup]) -> QuerySet[models.Device]:
    return (
        models.Device.objects.filter(device_group__in=groups)
        .select_related("location")
        .annotate(delivered_days=Count("day_keys"))
        .order_by("device_group", "name")
    )


def reconcile(groups: QuerySet[models.DeviceGroup]) -> list[GroupTally]:
    """The tally of each group of `groups` and of each of its locations, in the register's order."""
    ordered = list(
        groups.select_related("institution", "department")
        .prefetch_related("locations")
        .order_by("institution__name", "position", "key")
    )
    out: dict[int, GroupTally] = {}
    by_location: dict[int, LocationTally] = {}
    for group in ordered:
        locations = [LocationTally(loc, Tally(loc.count)) for loc in group.locations.all()]
        by_location.update({row.location.pk: row for row in locations})
        out[group.pk] = GroupTally(group, Tally(group.count), locations, Tally(0))
    for device in _devices(groups):
        row = out[device.device_group_id]
        delivered = bool(getattr(device, "delivered_days", 0))
        row.tally.add(device, delivered)
        if device.location_id in by_location:
            by_location[device.location_id].tally.add(device, delivered)
        else:
            row.unlocated.add(device, delivered)
    return list(out.values())


def reconcile_for(user: Any, institution: models.Institution | None = None) -> Reconciliation:
    """The groups `user` may see (of one institution, if given) and the declared totals they fully see."""
    groups = visible_groups(user)
    if institution is not None:
        groups = groups.filter(institution=institution)
    rows = reconcile(groups)
    visible = {row.group.pk: row for row in rows}
    totals: list[TotalTally] = []
    institutions = {row.group.institution_id for row in rows}
    declared = (
        models.DeclaredTotal.objects.filter(institution_id__in=institutions)
        .select_related("institution", "department")
        .order_by("institution__name", "id")
    )
    for total in declared:
        facts = TotalFacts(
            total.label,
            total.count,
            total.kind,
            total.department.name if total.department else "",
            total.site,
            total.legal_basis,
        )
        covered = [
            g
            for g in models.DeviceGroup.objects.filter(institution_id=total.institution_id).select_related(
                "department"
            )
            if total_covers(facts, group_facts(g))
        ]
        # A total counts groups the user may not see: shown only to whoever sees all of them.
        if not covered or any(g.pk not in visible for g in covered):
            continue
        tally = Tally(total.count)
        for group in covered:
            row = visible[group.pk].tally
            tally.registered += row.registered
            tally.connected += row.connected
            tally.never_delivered.extend(row.never_delivered)
        totals.append(TotalTally(total, tally, [g.name for g in covered]))
    return Reconciliation(rows, totals)
