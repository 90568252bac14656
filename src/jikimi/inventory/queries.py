"""Reads of the register for the staff pages: what a user may see, filtered and searched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from jikimi.accounts.permissions import Permission, device_groups_for
from jikimi.inventory import models
from jikimi.lib.input_limits import search_text
from jikimi.rules.purposes import FIXED_PURPOSE_LABELS, MOBILE_PURPOSE_LABELS
from jikimi.rules.request_fees import FeeRow
from jikimi.rules.schedule import ScheduleError, parse_schedule

LEGAL_BASIS_LABELS: dict[str, str] = {
    **{
        p.value: f"법 제25조① {i}호: {label}"
        for i, (p, label) in enumerate(FIXED_PURPOSE_LABELS.items(), start=1)
    },
    **{p.value: f"법 제25조의2①: {label}" for p, label in MOBILE_PURPOSE_LABELS.items()},
}
SHORT_BASIS_LABELS: dict[str, str] = {
    "law_permits": "법령 허용(1호)",
    "crime": "범죄 예방·수사(2호)",
    "facility_safety": "시설 안전·화재 예방(3호)",
    "traffic_enforcement": "교통단속(4호)",
    "traffic_information": "교통정보(5호)",
    "non_storing": "저장하지 않음(6호)",
    "consent": "동의",
    "law_obligation": "법령상 의무",
    "public_duty": "공공기관 소관 업무",
    "contract": "계약",
    "vital_interest": "급박한 이익",
    "legitimate_interest": "정당한 이익",
    "public_health": "공공의 안전",
    "notice_not_refused": "표시 후 거부 없음",
}


@dataclass(frozen=True)
class GroupFilter:
    """The list page's filters; empty means "any"."""

    department: int | None = None
    legal_basis: str = ""
    kind: str = ""
    site: str = ""
    search: str = ""

    @classmethod
    def from_query(cls, params: Any) -> GroupFilter:
        department = params.get("department", "")
        return cls(
            # Inputs have limits: a number longer than an id names no department (and SQLite overflows).
            department=int(department) if str(department).isdigit() and len(str(department)) <= 18 else None,
            legal_basis=params.get("legal_basis", "")
            if params.get("legal_basis", "") in SHORT_BASIS_LABELS
            else "",
            kind=params.get("kind", "") if params.get("kind", "") in ("fixed", "mobile") else "",
            site=search_text(params.get("site", "")),
            search=search_text(params.get("q", "")),
        )


def visible_groups(user: Any) -> QuerySet[models.DeviceGroup]:
    """The device groups `user` may see (VIEW_REGISTER on the group, its department or its institution)."""
    return (
        device_groups_for(user, Permission.VIEW_REGISTER)
        .select_related("institution", "department")
        .order_by("institution__name", "position", "key")
    )


def filter_groups(groups: QuerySet[models.DeviceGroup], wanted: GroupFilter) -> QuerySet[models.DeviceGroup]:
    if wanted.department:
        groups = groups.filter(department_id=wanted.department)
    if wanted.legal_basis:
        # JSON list of codes; the quoted code matches one element on SQLite and PostgreSQL alike.
        groups = groups.filter(legal_bases__icontains=f'"{wanted.legal_basis}"')
    if wanted.kind:
        groups = groups.filter(kind=wanted.kind)
    if wanted.site:
        groups = groups.filter(Q(site__icontains=wanted.site) | Q(locations__name__icontains=wanted.site))
    if wanted.search:
        term = wanted.search
        groups = groups.filter(
            Q(name__icontains=term)
            | Q(purpose__icontains=term)
            | Q(site__icontains=term)
            | Q(key__icontains=term)
            | Q(locations__name__icontains=term)
        )
    return groups.distinct()


def filter_options(groups: QuerySet[models.DeviceGroup]) -> dict[str, Any]:
    """Departments and legal bases that occur among the groups a user can see (for the filter selects)."""
    departments = (
        models.Department.objects.filter(device_groups__in=groups)
        .select_related("institution")
        .distinct()
        .order_by("institution__name", "position", "name")
    )
    codes: set[str] = set()
    for bases in groups.values_list("legal_bases", flat=True):
        codes.update(bases or ())
    return {
        "departments": list(departments),
        "legal_bases": [(code, label) for code, label in SHORT_BASIS_LABELS.items() if code in codes],
        "several_institutions": groups.values("institution_id").distinct().count() > 1,
    }


def group_with_details(pk: int) -> models.DeviceGroup | None:
    return (
        models.DeviceGroup.objects.select_related("institution", "department")
        .prefetch_related(
            "locations",
            "managers__department",
            "staff__department",
            "contractors__supervising_department",
        )
        .filter(pk=pk)
        .first()
    )


def schedule_note(hours: str) -> str:
    """How jikimi reads `hours`, shown beside the text only when it says something more: "상시(24시간)"
    is not followed by "(24시간)" again, "평일 (07:00 ~ 09:00)" not by its own spacing."""
    if not hours:
        return ""
    try:
        text = parse_schedule(hours).text()
    except ScheduleError:
        return ""

    def bare(value: str) -> str:
        return "".join(c for c in value if not c.isspace() and c not in "()")

    return "" if bare(text) in bare(hours) else text


def fee_table(institution: models.Institution) -> list[FeeRow]:
    """The institution's fee table (R27) as the rows `jikimi.rules.request_fees.request_fee` takes, in
    the register's order; empty when the register states none."""
    return [fee.as_rule_row() for fee in institution.request_fees.order_by("position", "id")]
