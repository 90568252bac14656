"""Reads of the publishing app: the register as the generator needs it, versions, and who may publish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from jikimi.inventory.models import (
    Contractor,
    DeclaredTotal,
    Device,
    DeviceGroup,
    Institution,
    Location,
    Officer,
    PolicyDocument,
    PolicyRevision,
)
from jikimi.lib import clock
from jikimi.publishing.context import PolicyContext, VersionInfo
from jikimi.publishing.models import PolicyVersion


class UnknownInstitution(LookupError):
    """No institution has that name or slug."""


def find_institution(name_or_slug: str) -> Institution:
    """The institution whose Korean name (as in its register, e.g. 광양시) or slug is given."""
    wanted = name_or_slug.strip()
    found = Institution.objects.filter(Q(name=wanted) | Q(slug=wanted)).first()
    if found is None:
        known = ", ".join(f"{i.name}({i.slug})" for i in Institution.objects.order_by("name"))
        raise UnknownInstitution(f"기관 '{wanted}'을(를) 찾을 수 없습니다. 등록된 기관: {known or '없음'}")
    return found


def versions_of(institution: Institution) -> QuerySet[PolicyVersion]:
    """Every version ever published, withdrawn ones included (R5: the history stays public)."""
    return (
        PolicyVersion.objects.filter(institution=institution).select_related("withdrawal").order_by("number")
    )


def standing_versions(institution: Institution) -> QuerySet[PolicyVersion]:
    """The versions not withdrawn: in force, superseded, or announced and still to take effect."""
    return versions_of(institution).filter(withdrawal__isnull=True)


def latest_standing(institution: Institution) -> PolicyVersion | None:
    """What a new version follows: its 시행일 comes after this one's, its changes are against it."""
    return standing_versions(institution).last()


def version_or_none(institution: Institution, number: int) -> PolicyVersion | None:
    return versions_of(institution).filter(number=number).first()


def current_version(institution: Institution, today: date | None = None) -> PolicyVersion | None:
    """The version in force today (Asia/Seoul): the latest not withdrawn whose effective date has come."""
    today = today or clock.today()
    return (
        standing_versions(institution)
        .filter(effective_on__lte=today)
        .order_by("-effective_on", "-number")
        .first()
    )


def upcoming_versions(institution: Institution, today: date | None = None) -> list[PolicyVersion]:
    """Announced versions not yet in force (R7: the public sees them during the notice period)."""
    today = today or clock.today()
    return list(standing_versions(institution).filter(effective_on__gt=today).order_by("number"))


def withdrawn_versions(institution: Institution) -> list[PolicyVersion]:
    return list(versions_of(institution).filter(withdrawal__isnull=False))


def is_published(institution: Institution) -> bool:
    """Whether the institution ever published a version (a withdrawn one too: its withdrawal is public)."""
    return PolicyVersion.objects.filter(institution=institution).exists()


def published_institutions() -> QuerySet[Institution]:
    """The institutions the public home lists: those with a published version (R5). A register imported
    but never published is a draft: staff see it on their pages, the public does not."""
    return Institution.objects.filter(pk__in=PolicyVersion.objects.values("institution_id")).order_by("name")


@dataclass(frozen=True)
class HistoryRow:
    """One line of the public version history (제·개정 이력)."""

    version: PolicyVersion
    state: str  # "in_force", "upcoming", "superseded", "withdrawn"
    previous_number: int | None  # the standing version before it, for the 신구비교표

    @property
    def withdrawal(self) -> Any:
        return getattr(self.version, "withdrawal", None) if self.state == "withdrawn" else None


def history(institution: Institution, today: date | None = None) -> list[HistoryRow]:
    """Every version, oldest first, with its state today and the version it is compared with."""
    today = today or clock.today()
    current = current_version(institution, today)
    rows: list[HistoryRow] = []
    previous: int | None = None
    for version in versions_of(institution):
        if hasattr(version, "withdrawal"):
            rows.append(HistoryRow(version, "withdrawn", previous))
            continue
        if current is not None and version.pk == current.pk:
            state = "in_force"
        elif version.effective_on > today:
            state = "upcoming"
        else:
            state = "superseded"
        rows.append(HistoryRow(version, state, previous))
        previous = version.number
    return rows


def policy_document_for(institution: Institution) -> PolicyDocument:
    """The institution's PolicyDocument, or an unsaved default one (the generator's default structure)."""
    try:
        return PolicyDocument.objects.select_related(
            "privacy_officer__department", "privacy_contact__department", "privacy_department"
        ).get(institution=institution)
    except PolicyDocument.DoesNotExist:
        return PolicyDocument(institution=institution)


def load_policy_context(institution: Institution, pending: VersionInfo | None = None) -> PolicyContext:
    """Everything the generator reads, in a handful of queries."""
    officers = Officer.objects.select_related("department").order_by("id")
    groups = list(
        DeviceGroup.objects.filter(institution=institution)
        .select_related("department")
        .prefetch_related(
            Prefetch("managers", queryset=officers),
            Prefetch("staff", queryset=officers),
            Prefetch("contractors", queryset=Contractor.objects.order_by("id")),
            Prefetch("locations", queryset=Location.objects.order_by("position", "id")),
        )
        .order_by("position", "id")
    )
    contractors = list(
        Contractor.objects.filter(institution=institution)
        .select_related("supervising_department")
        .order_by("id")
    )
    document = policy_document_for(institution)
    totals = list(DeclaredTotal.objects.filter(institution=institution).order_by("position", "id"))
    scope = document.scope_department_id
    if scope:
        # A policy of one department (issue 16) states that department's devices, totals, managers and
        # contractors only — never another department's or the institution's whole (every section
        # reads these lists, so none can print another department's facts).
        groups = [group for group in groups if group.department_id == scope]
        totals = [total for total in totals if total.department_id == scope]
        linked = {c.pk for group in groups for c in group.contractors.all()}
        contractors = [c for c in contractors if c.pk in linked or c.supervising_department_id == scope]
    # A withdrawn version never took effect: the text's history lists the standing ones only.
    versions = [
        VersionInfo(v.number, v.announced_on, v.effective_on, v.reason)
        for v in standing_versions(institution)
    ]
    return PolicyContext(
        institution=institution,
        document=document,
        groups=groups,
        contractors=contractors,
        declared_totals=totals,
        revisions=list(PolicyRevision.objects.filter(institution=institution).order_by("valid_from", "id")),
        versions=versions,
        pending=pending,
    )


def institutions_user_may_publish(user: Any) -> list[Institution]:
    """Institutions on which the user holds PUBLISH_POLICY (법 제30조·영25: the privacy officer publishes)."""
    from jikimi.accounts.permissions import Permission, institutions_for

    return list(institutions_for(user, Permission.PUBLISH_POLICY, whole_institution=True).order_by("name"))


def groups_of(institution: Institution) -> list[DeviceGroup]:
    return list(
        DeviceGroup.objects.filter(institution=institution)
        .exclude(status=DeviceGroup.Status.RETIRED)
        .select_related("department")
        .prefetch_related(
            "managers",
            "staff",
            "contractors",
            Prefetch("locations", queryset=Location.objects.order_by("position", "id")),
            Prefetch("locations__devices", queryset=Device.objects.order_by("name")),
        )
        .order_by("position", "id")
    )
