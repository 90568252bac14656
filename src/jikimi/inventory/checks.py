"""The law's checks (jikimi.rules.register_checks) applied to the register, from a file or the database.

The rules take plain dataclasses; this module turns register-file entries and stored models into
them, so that an import, an edit and a detail page all see the same problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jikimi.inventory import models
from jikimi.rules.register_checks import (
    ContractorFacts,
    GroupFacts,
    LawNotPublished,
    LocationFacts,
    OfficerFacts,
    Problem,
    ReasonNotPublished,
    RegisterFacts,
    TotalFacts,
    UnreadPhrase,
    check_group,
    check_register,
    laws_not_published,
    phrases_without_meaning,
    reasons_not_published,
)

if TYPE_CHECKING:
    from jikimi.inventory.register_file.schema import RegisterEntry

CLAUSES = (
    "clause_purpose_scope",
    "clause_subcontract_limit",
    "clause_access_safety",
    "clause_inspection",
    "clause_liability",
)


def group_bases(kind: str, own: list[str], institution: models.Institution | Any) -> tuple[str, ...]:
    """R1: a group's legal bases — its own, else those its institution states once for all its fixed
    or mobile devices (issue 16)."""
    if own:
        return tuple(own)
    return tuple((institution.mobile_legal_bases if kind == "mobile" else institution.legal_bases) or ())


def facts_from_entry(entry: RegisterEntry) -> RegisterFacts:
    """The facts of a register file that was read (paths are the file's)."""
    return RegisterFacts(
        groups=tuple(
            GroupFacts(
                key=g.key,
                name=g.name,
                department=g.department or "",
                kind=g.kind,
                legal_bases=group_bases(g.kind, g.legal_bases, entry.institution),
                purpose=g.purpose,
                count=g.count,
                retention=g.retention,
                recording_hours=g.recording_hours,
                mobile_type=g.mobile_type,
                status=g.status,
                enabling_law=g.enabling_law,
                classification_primary=g.classification_primary,
                classification_secondary=g.classification_secondary,
                site=g.site,
                retention_reason=g.retention_reason,
                notice_method=g.notice_method,
                managers=tuple(g.managers),
                contractors=tuple(g.contractors),
                locations=tuple(
                    LocationFacts(
                        loc.name,
                        loc.count,
                        loc.space_type,
                        loc.retention,
                        loc.recording_hours,
                        recording_schedule=loc.recording_schedule,
                        retention_days=loc.retention_days,
                    )
                    for loc in g.locations
                ),
                locations_complete=g.locations_complete,
                attachment=g.attachment,
                recording_schedule=g.recording_schedule,
                retention_days=g.retention_days,
                basis_rule=entry.institution.mobile_rule,
            )
            for g in entry.device_groups
        ),
        contractors=tuple(
            ContractorFacts(c.key, c.company, c.contact, **{name: getattr(c, name) for name in CLAUSES})
            for c in entry.contractors
        ),
        officers=tuple(OfficerFacts(o.key, o.phone, o.department) for o in entry.officers),
        totals=tuple(
            TotalFacts(t.label, t.count, t.kind, t.department, t.site, t.legal_basis)
            for t in entry.declared_totals
        ),
    )


def group_facts(group: models.DeviceGroup) -> GroupFacts:
    """The facts of a stored device group (with its locations, managers and contractors)."""
    return GroupFacts(
        key=group.key,
        name=group.name,
        department=group.department_name,
        kind=group.kind,
        legal_bases=group_bases(group.kind, group.legal_bases, group.institution),
        purpose=group.purpose,
        count=group.count,
        retention=group.retention,
        recording_hours=group.recording_hours,
        mobile_type=group.mobile_type,
        status=group.status,
        enabling_law=group.enabling_law,
        classification_primary=group.classification_primary,
        classification_secondary=group.classification_secondary,
        site=group.site,
        retention_reason=group.retention_reason,
        notice_method=group.notice_method,
        managers=tuple(o.key for o in group.managers.all()),
        contractors=tuple(c.key for c in group.contractors.all()),
        locations=tuple(_location_facts(loc) for loc in group.locations.all()),
        locations_complete=group.locations_complete,
        attachment=group.attachment,
        recording_schedule=group.recording_schedule,
        retention_days=group.retention_days,
        basis_rule=group.institution.mobile_rule,
    )


def contractor_facts(contractor: models.Contractor) -> ContractorFacts:
    return ContractorFacts(
        contractor.key, contractor.company, contractor.contact, **{n: getattr(contractor, n) for n in CLAUSES}
    )


def group_problems(group: models.DeviceGroup, facts: GroupFacts | None = None) -> list[Problem]:
    """Problems of one stored group (paths relative to the group)."""
    contractors = {c.key: contractor_facts(c) for c in group.contractors.all()}
    officers = {o.key: OfficerFacts(o.key, o.phone) for o in group.managers.all()}
    return check_group(facts or group_facts(group), (), contractors=contractors, officers=officers)


def institution_problems(institution: models.Institution) -> list[Problem]:
    """Problems of a whole stored register (the totals need every group)."""
    groups = list(
        institution.device_groups.select_related("department").prefetch_related(
            "locations", "managers", "contractors"
        )
    )
    facts = RegisterFacts(
        groups=tuple(group_facts(g) for g in groups),
        contractors=tuple(contractor_facts(c) for c in institution.contractors.all()),
        officers=tuple(OfficerFacts(o.key, o.phone) for o in institution.officers.all()),
        totals=tuple(
            TotalFacts(
                t.label, t.count, t.kind, t.department.name if t.department else "", t.site, t.legal_basis
            )
            for t in institution.declared_totals.select_related("department")
        ),
    )
    return check_register(facts)


def unread_phrases_of_entry(entry: RegisterEntry) -> list[UnreadPhrase]:
    """The published 촬영시간/보관기간 of a register file with no machine meaning yet (issue 16)."""
    facts = facts_from_entry(entry)
    out: list[UnreadPhrase] = []
    for index, group in enumerate(facts.groups):
        out += phrases_without_meaning(group, (*facts.groups_path, index))
    return out


def unread_phrases_of(institution: models.Institution) -> list[UnreadPhrase]:
    """The same for a stored register (its page lists them so the officer states a meaning)."""
    out: list[UnreadPhrase] = []
    groups = institution.device_groups.prefetch_related("locations").order_by("position", "id")
    for index, group in enumerate(groups):
        out += phrases_without_meaning(_terms_facts(group), ("device_groups", index))
    return out


def reasons_not_published_of(
    institution: models.Institution,
) -> list[tuple[models.DeviceGroup, ReasonNotPublished]]:
    """R16: the stored groups whose retention beyond 30 days has no published reason (issue 16), each
    with what needs it. The register page lists them for the officer to resolve; publishing the policy
    is refused until none is left."""
    out: list[tuple[models.DeviceGroup, ReasonNotPublished]] = []
    groups = institution.device_groups.prefetch_related("locations").order_by("position", "id")
    for index, group in enumerate(groups):
        if found := reasons_not_published(_terms_facts(group), ("device_groups", index)):
            out.append((group, found))
    return out


def laws_not_published_of(
    institution: models.Institution,
) -> list[tuple[models.DeviceGroup, LawNotPublished]]:
    """R1: the stored groups resting on 법 제25조①1호 whose enabling law is not published (issue 16).
    The register page lists them for the officer to resolve; publishing the policy is refused until
    none is left."""
    out: list[tuple[models.DeviceGroup, LawNotPublished]] = []
    for index, group in enumerate(institution.device_groups.order_by("position", "id")):
        # Only what R1's 1호 needs: the group's bases (or its institution's) and its law.
        facts = GroupFacts(
            key=group.key,
            name=group.name,
            department="",
            kind=group.kind,
            legal_bases=group_bases(group.kind, group.legal_bases, institution),
            purpose=group.purpose,
            count=group.count,
            retention=group.retention,
            recording_hours=group.recording_hours,
            enabling_law=group.enabling_law,
        )
        if found := laws_not_published(facts, ("device_groups", index)):
            out.append((group, found))
    return out


@dataclass(frozen=True)
class NotPublishedListing:
    """One kind of fact the policy needs that the institution does not publish (issue 16), as the
    register page lists it for the officer to resolve: each group with its link to the edit page."""

    anchor: str  # the element's id
    title: str  # "보관 사유 미공개"
    why: str  # the law that needs it, and where the officer records it
    found: list[tuple[models.DeviceGroup, ReasonNotPublished | LawNotPublished]]


def facts_not_published_of(institution: models.Institution) -> list[NotPublishedListing]:
    """Every fact not published that stops the policy from being published (R1, R16), by kind; only
    the kinds with a group to resolve."""
    listings = [
        NotPublishedListing(
            "laws-not-published",
            "근거 법령 미공개",
            "'법령에서 구체적으로 허용'(1호)을 근거로 하면 그 법령을 밝혀야 합니다 (R1, 법 제25조①1호). "
            "공개 문서에 법령이 없어 대장에 '미공개'로 적혀 있습니다. 기관이 근거로 삼은 법령을 기기 묶음의 "
            "근거 법령에 적으세요.",
            list(laws_not_published_of(institution)),
        ),
        NotPublishedListing(
            "reasons-not-published",
            "보관 사유 미공개",
            "30일을 넘는 보관기간에는 사유가 있어야 합니다 (R16, 영 제25조①4호). 공개 문서에 사유가 없어 "
            "대장에 '미공개'로 적혀 있습니다. 기관이 정한 사유를 기기 묶음의 보관 사유에 적으세요.",
            list(reasons_not_published_of(institution)),
        ),
    ]
    return [listing for listing in listings if listing.found]


def _terms_facts(group: models.DeviceGroup) -> GroupFacts:
    # Only the terms: the phrases need no department, managers or contractors.
    return GroupFacts(
        key=group.key,
        name=group.name,
        department="",
        kind=group.kind,
        legal_bases=(),
        purpose=group.purpose,
        count=group.count,
        retention=group.retention,
        recording_hours=group.recording_hours,
        recording_schedule=group.recording_schedule,
        retention_days=group.retention_days,
        retention_reason=group.retention_reason,
        locations=tuple(_location_facts(loc) for loc in group.locations.all()),
    )


def _location_facts(loc: models.Location) -> LocationFacts:
    return LocationFacts(
        loc.name,
        loc.count,
        loc.space_type,
        loc.retention,
        loc.recording_hours,
        recording_schedule=loc.recording_schedule,
        retention_days=loc.retention_days,
    )
