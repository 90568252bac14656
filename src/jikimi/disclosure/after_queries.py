"""Reads of the duties after a provision: whose cases, which are overdue, what the public page shows.

Scope (R36) is provision_scope's: an officer handles a case when he holds HANDLE_PROVISIONS over the
whole institution or over the device group of one of the case's cameras; a body's officer
(ExternalRequester) sees only his own body's cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet

from jikimi.disclosure import provision_scope
from jikimi.disclosure.models import ProvisionCase
from jikimi.inventory.models import Institution
from jikimi.rules.provision_duties import (
    DESTRUCTION_REMINDER_DAYS,
    PUBLICATION_REMINDER_DAYS,
    SUBJECT_NOTICE_ITEMS,
)

AFTER_PROVISION = (ProvisionCase.State.PROVIDED, ProvisionCase.State.CLOSED)


def cases_for(user: Any) -> QuerySet[ProvisionCase]:
    """The cases whose duties `user` handles (provision_scope: HANDLE_PROVISIONS over them)."""
    return provision_scope.cases_for(user)


def case_for(user: Any, pk: int) -> ProvisionCase | None:
    return cases_for(user).filter(pk=pk).first()


def portal_case_for(user: Any, pk: int) -> ProvisionCase | None:
    """A case of the officer's own body (provision_scope.requester_case), or None."""
    return provision_scope.requester_case(user, pk)


def destruction_overdue(cases: QuerySet[ProvisionCase], today: date) -> QuerySet[ProvisionCase]:
    """Provided, past the destruction date, no report (군산시: 파기 및 통보)."""
    return cases.filter(state=ProvisionCase.State.PROVIDED, destroy_by__lt=today).order_by("destroy_by", "pk")


def destruction_due_soon(cases: QuerySet[ProvisionCase], today: date) -> QuerySet[ProvisionCase]:
    """Provided, the destruction date within the reminder's lead days (the day itself included)."""
    last = today + timedelta(days=DESTRUCTION_REMINDER_DAYS)
    return cases.filter(
        state=ProvisionCase.State.PROVIDED, destroy_by__gte=today, destroy_by__lte=last
    ).order_by("destroy_by", "pk")


def to_publish(cases: QuerySet[ProvisionCase]) -> QuerySet[ProvisionCase]:
    """Provisions that must be published (publish_by set: not items 1 and 7) and are not yet."""
    return cases.filter(
        state__in=AFTER_PROVISION, publish_by__isnull=False, published_at__isnull=True
    ).order_by("publish_by", "pk")


def publication_overdue(cases: QuerySet[ProvisionCase], today: date) -> QuerySet[ProvisionCase]:
    return to_publish(cases).filter(publish_by__lt=today)


def publication_due_soon(cases: QuerySet[ProvisionCase], today: date) -> QuerySet[ProvisionCase]:
    last = today + timedelta(days=PUBLICATION_REMINDER_DAYS)
    return to_publish(cases).filter(publish_by__gte=today, publish_by__lte=last)


def notice_pending(cases: QuerySet[ProvisionCase]) -> QuerySet[ProvisionCase]:
    """Given for an investigation or a trial, nothing recorded about the data subject (오산시 지침 제35조②)."""
    return cases.filter(
        state__in=AFTER_PROVISION, legal_ground__in=sorted(SUBJECT_NOTICE_ITEMS), subject_notice=""
    ).order_by("provided_at", "pk")


@dataclass(frozen=True)
class Duties:
    """What the dashboard and the lists count."""

    destruction_overdue: list[ProvisionCase]
    destruction_due_soon: list[ProvisionCase]
    publication_overdue: list[ProvisionCase]
    publication_due_soon: list[ProvisionCase]
    notice_pending: list[ProvisionCase]


def duties(user: Any, today: date) -> Duties:
    cases = cases_for(user)
    return Duties(
        list(destruction_overdue(cases, today)),
        list(destruction_due_soon(cases, today)),
        list(publication_overdue(cases, today)),
        list(publication_due_soon(cases, today)),
        list(notice_pending(cases)),
    )


def published_of(institution: Institution) -> QuerySet[ProvisionCase]:
    """What the public page lists: the institution's published provisions, newest first."""
    return (
        ProvisionCase.objects.filter(institution=institution, published_at__isnull=False)
        .select_related("body")
        .order_by("-provided_at", "-pk")
    )
