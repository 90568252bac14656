"""Everything the generator reads about one institution, loaded once (see queries.load_policy_context)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from jikimi.inventory.models import (
    Contractor,
    DeclaredTotal,
    DeviceGroup,
    Institution,
    PolicyDocument,
    PolicyRevision,
)


@dataclass(frozen=True)
class VersionInfo:
    """A published version as the change history lists it (or the one being published)."""

    number: int
    announced_on: date
    effective_on: date
    reason: str = ""


@dataclass
class PolicyContext:
    institution: Institution
    document: PolicyDocument
    groups: list[DeviceGroup]
    contractors: list[Contractor]
    declared_totals: list[DeclaredTotal]
    revisions: list[PolicyRevision]
    versions: list[VersionInfo] = field(default_factory=list)
    # The version being published now, when the document is generated for publication.
    pending: VersionInfo | None = None

    @property
    def name(self) -> str:
        return self.institution.name

    def operating_groups(self, kind: str | None = None) -> list[DeviceGroup]:
        # A policy of one department (scope_department) states that department's devices only.
        scope = self.document.scope_department_id
        return [
            group
            for group in self.groups
            if group.status != DeviceGroup.Status.RETIRED
            and (kind is None or group.kind == kind)
            and (not scope or group.department_id == scope)
        ]

    @property
    def versioned(self) -> bool:
        """Generated for (or after) a version published by jikimi: dates come from the versions."""
        return self.pending is not None or bool(self.versions)

    @property
    def current(self) -> VersionInfo | None:
        """The version whose dates the text states: the pending one, else the latest published."""
        if self.pending is not None:
            return self.pending
        return self.versions[-1] if self.versions else None
