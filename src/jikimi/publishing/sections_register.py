"""Sections whose content comes from the register: purposes, counts, the 설치·운영 현황, managers,
retention, outsourcing, where to view footage, the privacy officer.

Each builder takes the PolicyContext and returns a list of blocks (see content.py). A fact the
register lacks shows as content.MISSING, never as an empty cell (R4).
"""

from __future__ import annotations

from collections.abc import Iterable

from jikimi.inventory.models import DeclaredTotal, DeviceGroup, Officer
from jikimi.publishing.content import (
    MISSING,
    Block,
    contact_or_missing,
    count_text,
    fields,
    items,
    lead,
    missing_in,
    note,
    paragraph,
    table,
    text_or_missing,
    topic,
)
from jikimi.publishing.context import PolicyContext
from jikimi.rules.purposes import (
    FIXED_PURPOSE_ITEMS,
    FIXED_PURPOSE_LABELS,
    MOBILE_PURPOSE_LABELS,
    MOBILE_TYPE_LABELS,
    OSAN_CLASSIFICATION,
    FixedPurpose,
    MobilePurpose,
    MobileType,
)

# An empty register is a fact not yet recorded (군산시's published table has headers and no rows).
NO_GROUPS = f"대장에 등록된 영상정보처리기기가 없습니다 — {MISSING}"

FIXED = DeviceGroup.Kind.FIXED
MOBILE = DeviceGroup.Kind.MOBILE

# 영25①4호 처리방법 is the institution's text: where the register gives none, the policy says it is
# not published — no generic sentence is printed in the institution's name (issue 16, Fidelity).


def officer_text(officer: Officer, *, with_department: bool = False) -> str:
    """'과장 김수철 (2627-2930)': position, name and contact, as the seeds list officers."""
    parts = [officer.position, officer.name]
    if with_department and officer.department is not None:
        parts.insert(0, officer.department.name)
    label = " ".join(part for part in parts if part) or officer.key
    contact = " ".join(part for part in (officer.team, contact_or_missing(officer.phone)) if part)
    return f"{label} ({contact})"


def officers_text(officers: Iterable[Officer], missing: str = MISSING) -> str:
    lines = [officer_text(officer) for officer in officers]
    return "\n".join(lines) if lines else missing


def gap(group: DeviceGroup) -> str:
    """What a fact of this group the register lacks shows: "(별첨 …)" only where the seed has one."""
    return missing_in(group.attachment)


def attachment_text(group: DeviceGroup) -> str:
    """The attachment as the policy cites it, with the date it states ("… (2024. 12. 31. 기준)")."""
    day = group.attachment_date
    if not day:
        return group.attachment
    return f"{group.attachment} ({day.year}. {day.month}. {day.day}. 기준)"


def group_site(group: DeviceGroup) -> str:
    site = group.site
    if group.site_count and str(group.site_count) not in site:
        site = f"{site} ({group.site_count:,}개소)"
    return text_or_missing(site, gap(group))


# A table cell lists at most this many locations; the rest are counted (the full list is on the page's cards).
TABLE_LOCATIONS = 30


def group_site_and_coverage(group: DeviceGroup, *, with_locations: bool = False) -> str:
    coverage = group.coverage.strip()
    site = group_site(group)
    text = f"{site} / {coverage}" if coverage else site
    if group.attachment:
        text = f"{text} — 내역: {attachment_text(group)}"
    if with_locations:
        locations = [str(location) for location in group.locations.all()]
        if locations:
            shown = ", ".join(locations[:TABLE_LOCATIONS])
            rest = len(locations) - TABLE_LOCATIONS
            text = f"{text}\n{shown}" + (f" 외 {rest}곳" if rest > 0 else "")
    return text


def _with_location_overrides(group: DeviceGroup, attr: str) -> str:
    """The group's value, then each location's own value (금천구: "청사 내외: 45일", "승강기: 14일").

    Where every location states its own value, as 금천구's table does place by place, and the group's
    value is one of them (the one of its first place), printing it again would say nothing more.
    """
    value = getattr(group, attr)
    own = [(location.name, getattr(location, attr)) for location in group.locations.all()]
    overrides = [f"{name}: {text}" for name, text in own if text]
    if not overrides:
        return text_or_missing(value, gap(group))
    if len(overrides) == len(own) and value in {text for _name, text in own}:
        return "\n".join(overrides)
    return "\n".join(([value] if value else []) + overrides)


def retention_text(group: DeviceGroup) -> str:
    return _with_location_overrides(group, "retention")


def hours_text(group: DeviceGroup) -> str:
    return _with_location_overrides(group, "recording_hours")


def storage_text(group: DeviceGroup) -> str:
    return _with_location_overrides(group, "storage_place")


def processing_text(group: DeviceGroup) -> str:
    return text_or_missing(group.processing_method, gap(group))


def shared_bases(ctx: PolicyContext, kind: str) -> list[str]:
    """R1: the bases the institution states once for all its fixed or mobile devices (issue 16)."""
    institution = ctx.institution
    return list((institution.mobile_legal_bases if kind == MOBILE else institution.legal_bases) or [])


def _purposes_by_basis(ctx: PolicyContext, groups: list[DeviceGroup], kind: str) -> set[str]:
    """The bases to print: each group's own, and the institution's shared ones if a group rests on them."""
    used = {basis for group in groups for basis in group.legal_bases or []}
    if any(not group.legal_bases for group in groups):
        used |= set(shared_bases(ctx, kind))
    return used


def _shared_purposes(groups: list[DeviceGroup]) -> list[Block]:
    """The purposes of groups that rest on the institution's shared bases: stated once, beside the
    bases, not paired with a basis the institution did not pair them with."""
    purposes = list(
        dict.fromkeys(group.purpose for group in groups if not group.legal_bases and group.purpose)
    )
    return [paragraph("설치 목적: " + ", ".join(purposes))] if purposes else []


def stated_totals(ctx: PolicyContext, kind: str | None = None) -> list[str]:
    """The totals the institution states (R6 checks them against the rows): "고정형 2,417대". Never a
    sum of the rows — a total the institution did not state is not printed (issue 16, Fidelity)."""
    lines = []
    for total in ctx.declared_totals:
        if kind is not None and total.kind != kind:
            continue
        lines.append(f"{total.label} {count_text(total.count)}")
    return lines


def kind_total(ctx: PolicyContext, kind: str) -> DeclaredTotal | None:
    """The total the institution states for all its devices of a kind (광양시 고정형 2,417대), if any."""
    for total in ctx.declared_totals:
        if total.kind == kind and not total.department_id and not total.site and not total.legal_basis:
            return total
    return None


def kind_count_text(ctx: PolicyContext, kind: str) -> str:
    """How many devices of a kind, as the institution states it: its stated total for the kind, else
    each group's own published count (no sum), else not published."""
    total = kind_total(ctx, kind)
    if total is not None:
        return count_text(total.count)
    groups = ctx.operating_groups(kind)
    if len(groups) == 1:
        return count_text(groups[0].count)
    counted = [f"{group.name} {count_text(group.count)}" for group in groups if group.count is not None]
    return ", ".join(counted) or MISSING


def kind_label(group: DeviceGroup) -> str:
    """'고정형', or '이동형 (부착·거치형)': a camera mounted on a vehicle is 이동형 (법 제25조의2, 영 제3조②)."""
    label = str(group.get_kind_display())
    if group.kind == MOBILE and group.mobile_type in MobileType._value2member_map_:
        label = f"{label} ({MOBILE_TYPE_LABELS[MobileType(group.mobile_type)]})"
    return label


def build_fixed_purposes(ctx: PolicyContext) -> list[Block]:
    """법 제25조① 각 호: the bases the institution's fixed devices rest on (R1)."""
    groups = ctx.operating_groups(FIXED)
    used = _purposes_by_basis(ctx, groups, FIXED)
    blocks = [
        paragraph(
            f"{topic(ctx.name)} 「개인정보 보호법」 제25조제1항에 따라 다음과 같은 목적으로 고정형 영상정보처리기기를 설치·운영합니다."
        )
    ]
    entries = []
    for basis in FixedPurpose:
        if basis.value not in used:
            continue
        purposes = sorted(
            {group.purpose for group in groups if basis.value in (group.legal_bases or []) and group.purpose}
        )
        laws = sorted(
            {
                group.enabling_law
                for group in groups
                if basis.value in (group.legal_bases or []) and group.enabling_law
            }
        )
        detail = ", ".join(purposes)
        if laws:
            detail = f"{detail}; 근거 법령: {', '.join(laws)}" if detail else f"근거 법령: {', '.join(laws)}"
        number = FIXED_PURPOSE_ITEMS[basis]
        entries.append(f"{number}호 {FIXED_PURPOSE_LABELS[basis]}" + (f" ({detail})" if detail else ""))
    if entries:
        blocks.append(items(entries))
        blocks.extend(_shared_purposes(groups))
    else:
        blocks.append(note("고정형 영상정보처리기기를 설치·운영하지 않습니다."))
    classified = [group for group in groups if group.classification_primary]
    if classified:
        blocks.extend(_classification_blocks(classified))
    return blocks


def _classification_blocks(groups: list[DeviceGroup]) -> list[Block]:
    """오산시 지침 [별표 1] 설치목적에 따른 분류 기준표, with each row's groups and their own counts (a
    row's groups are listed, not added up into a number the institution did not state)."""
    by_row: dict[tuple[str, str], list[DeviceGroup]] = {}
    for group in groups:
        by_row.setdefault((group.classification_primary, group.classification_secondary), []).append(group)

    def counts(row: list[DeviceGroup]) -> str:
        if len(row) == 1:
            return count_text(row[0].count)
        return ", ".join(f"{group.name} {count_text(group.count)}" for group in row)

    rows = []
    for primary, secondaries in OSAN_CLASSIFICATION.items():
        for secondary in secondaries:
            row = by_row.pop((primary, secondary), [])
            rows.append([primary, secondary, counts(row) if row else "-"])
    # A classification outside 별표1 is still shown, so nothing the register says is lost.
    for (primary, secondary), row in sorted(by_row.items()):
        rows.append([primary, secondary or "-", counts(row)])
    return [
        paragraph("설치목적에 따른 분류는 [별표 1] 설치목적에 따른 분류 기준표에 따릅니다."),
        table("[별표 1] 설치목적에 따른 분류 기준표", ["1차 분류", "2차 분류", "설치 대수"], rows),
    ]


def build_mobile_purposes(ctx: PolicyContext) -> list[Block]:
    """법 제25조의2①: the bases of mobile devices, and their types (시행령 제3조②, R43)."""
    groups = ctx.operating_groups(MOBILE)
    used = _purposes_by_basis(ctx, groups, MOBILE)
    blocks = [
        paragraph(
            f"{topic(ctx.name)} 「개인정보 보호법」 제25조의2제1항에 따라 다음과 같은 목적으로 이동형 영상정보처리기기를 운영합니다."
        )
    ]
    entries = []
    for basis in MobilePurpose:
        if basis.value in used:
            purposes = sorted(
                {g.purpose for g in groups if basis.value in (g.legal_bases or []) and g.purpose}
            )
            entries.append(MOBILE_PURPOSE_LABELS[basis] + (f" ({', '.join(purposes)})" if purposes else ""))
    if not groups:
        blocks.append(note("이동형 영상정보처리기기를 운영하지 않습니다."))
        return blocks
    rule = ctx.institution.mobile_rule.strip()
    if rule:
        # The institution's own rule for its mobile devices, stated once (issue 16).
        entries.append(f"근거 규정: {rule}")
    blocks.append(items(entries) if entries else note(f"설치 근거: {MISSING}"))
    blocks.extend(_shared_purposes(groups))
    # One row per group with its own published count: counts of groups of one type are not added up
    # into a number the institution did not state (issue 16, Fidelity).
    rows = [
        [
            MOBILE_TYPE_LABELS[MobileType(group.mobile_type)]
            if group.mobile_type in MobileType._value2member_map_
            else missing_in(group.attachment),
            count_text(group.count),
        ]
        for group in groups
    ]
    blocks.append(table("이동형 영상정보처리기기 유형별 현황", ["유형", "대수"], rows))
    return blocks


def build_counts_summary(ctx: PolicyContext) -> list[Block]:
    """광양시 style: 구분 / 설치 대수 / 설치 위치 / 비고, per kind."""
    rows = []
    for kind, label in DeviceGroup.Kind.choices:
        groups = ctx.operating_groups(kind)
        if not groups and not stated_totals(ctx, kind):
            continue
        attachments = sorted({attachment_text(group) for group in groups if group.attachment})
        sites = sorted({group.site for group in groups if group.site})
        where = "내역 별첨" if attachments else (", ".join(sites) or MISSING)
        remark = ", ".join(attachments) if attachments else "-"
        rows.append([label, kind_count_text(ctx, kind), where, remark])
    # Every other total the institution states (overall, per department, per site), as it states it.
    shown = {kind_total(ctx, kind) for kind in (FIXED, MOBILE)}
    for total in ctx.declared_totals:
        if total not in shown:
            rows.append([total.label, count_text(total.count), total.site or "-", "-"])
    if not rows:
        return [note(NO_GROUPS)]
    blocks = [table("설치 대수, 설치 위치 및 촬영 범위", ["구 분", "설치 대수", "설치 위치", "비 고"], rows)]
    coverages = sorted({group.coverage for group in ctx.operating_groups() if group.coverage})
    if coverages:
        blocks.append(paragraph("촬영 범위: " + ", ".join(coverages)))
    return blocks


def build_operation_table(ctx: PolicyContext) -> list[Block]:
    """군산시 제3조 style: one row per device group with its 운영·관리 facts."""
    groups = ctx.operating_groups()
    if not groups:
        return [note(NO_GROUPS)]
    classified = any(group.classification_primary for group in groups)
    rows = []
    for group in groups:
        managers = list(group.managers.all())
        staff = list(group.staff.all())
        rows.append(
            [
                text_or_missing(group.department_name, gap(group)),
                f"{group.name}\n({group.purpose})"
                if group.purpose and group.purpose not in group.name
                else group.name,
                f"{kind_label(group)} {count_text(group.count)}",
                group_site_and_coverage(group, with_locations=True),
                hours_text(group),
                text_or_missing(group.notice_method, gap(group)),
                retention_text(group),
                storage_text(group),
                text_or_missing(group.monitoring_method, gap(group)),
                text_or_missing(group.monitoring_place, gap(group)),
                officers_text(managers, gap(group)),
                officers_text(staff, gap(group)),
            ]
        )
        if classified:
            # 오산시 지침 [별표 1]: the purpose's 1차/2차 분류 beside the purpose.
            rows[-1][2:2] = [
                text_or_missing(group.classification_primary, gap(group)),
                text_or_missing(group.classification_secondary, gap(group)),
            ]
    columns = [
        "설치(운영) 부서",
        "설치(운영) 목적",
        "설치(운영) 대수",
        "설치(운영) 위치 및 촬영 범위",
        "촬영 시간",
        "촬영 사실 고지 방법",
        "보관 기간",
        "보관 장소",
        "관제 방법",
        "관제 장소",
        "관리책임자",
        "관리담당자",
    ]
    if classified:
        columns[2:2] = ["1차 분류 (별표1)", "2차 분류 (별표1)"]
    groups_header = [
        ("1. 영상정보처리기기 설치 및 운영", 8 if classified else 6),
        ("2. 영상정보 관리", 4),
        ("3. 관리책임자·관리담당자", 2),
    ]
    processing_blocks = _processing_blocks(groups)
    if not processing_blocks:
        # Groups with different 처리방법: a column of "2. 영상정보 관리" (금천구 제11조③ prints one per row).
        at = columns.index("관제 장소") + 1
        columns.insert(at, "처리 방법")
        for group, row in zip(groups, rows, strict=True):
            row.insert(at, processing_text(group))
        groups_header[1] = ("2. 영상정보 관리", 5)
    blocks = [table(f"{ctx.name} 영상정보처리기기 운영·관리 현황", columns, rows, groups=groups_header)]
    blocks.extend(processing_blocks)
    blocks.extend(_stated_totals_blocks(ctx))
    return blocks


def _stated_totals_blocks(ctx: PolicyContext) -> list[Block]:
    """The institution's stated totals under its table (a county that states only 1,452대), unless a
    counts summary section states them already."""
    if any(s.get("generated") == "counts_summary" for s in ctx.document.sections or []):
        return []
    lines = stated_totals(ctx)
    return [paragraph("설치 대수: " + ", ".join(lines))] if lines else []


def _processing_blocks(groups: list[DeviceGroup]) -> list[Block]:
    """영25①4호 처리방법. The register's own text is data of the table: printed after it (one text for
    all groups) and never dropped for the institution's lead-in; only the generic default is a lead-in.
    Where groups differ, build_operation_table gives each its own column instead."""
    recorded = {group.processing_method.strip() for group in groups if group.processing_method.strip()}
    if not recorded:
        return [lead(paragraph(f"처리방법: {MISSING}"))]
    if len({processing_text(group) for group in groups}) == 1:
        return [paragraph(f"처리방법: {recorded.pop()}")]
    return []


def build_group_cards(ctx: PolicyContext) -> list[Block]:
    """인천광역시 style: one block per device group, with its list of locations."""
    groups = ctx.operating_groups()
    if not groups:
        return [note(NO_GROUPS)]
    blocks: list[Block] = []
    for group in groups:
        managers = list(group.managers.all())
        pairs = [
            ("담당부서", text_or_missing(group.department_name, gap(group))),
            ("관리책임자 및 운영자", ", ".join(officer_text(officer) for officer in managers) or gap(group)),
            ("영상정보 촬영시간", hours_text(group)),
            ("영상정보 보관기간", retention_text(group)),
            ("영상정보 보관장소", storage_text(group)),
            (
                "영상정보처리기기 설치대수",
                f"{kind_label(group)} {count_text(group.count)}"
                if group.kind == MOBILE
                else count_text(group.count),
            ),
            ("영상정보처리기기 위치 및 촬영범위", group_site_and_coverage(group)),
        ]
        if group.processing_method:
            pairs.append(("처리방법", group.processing_method))
        contractors = list(group.contractors.all())
        if contractors:
            pairs.append(("수탁자", ", ".join(f"{c.company} ({c.contact or MISSING})" for c in contractors)))
        locations = [str(location) for location in group.locations.all()]
        blocks.append(fields(f"[{group.name}]", pairs, items_title="설치 위치", entries=locations))
    if not any(group.processing_method.strip() for group in groups):
        blocks.append(lead(paragraph(f"처리방법: {MISSING}")))
    blocks.extend(_stated_totals_blocks(ctx))
    return blocks


def build_managers(ctx: PolicyContext) -> list[Block]:
    """관리책임자 및 접근권한자 per device group (금천구 제11조② style)."""
    groups = ctx.operating_groups()
    if not groups:
        return [note(NO_GROUPS)]
    rows = []
    for group in groups:
        rows.append(
            [
                group_site(group),
                count_text(group.count),
                text_or_missing(group.department_name, gap(group)),
                officers_text(group.managers.all(), gap(group)),
                officers_text(group.staff.all(), gap(group)),
            ]
        )
    return [
        lead(
            paragraph(
                f"{topic(ctx.name)} 개인영상정보를 보호하고 개인영상정보와 관련한 불만을 처리하기 위하여 "
                "아래와 같이 개인영상정보 관리책임자와 접근권한자를 두고 있습니다."
            )
        ),
        table(
            "관리책임자 및 접근권한자",
            ["설치 위치", "설치 대수", "관리부서", "관리책임자", "접근권한자"],
            rows,
        ),
    ]


def build_managers_by_purpose(ctx: PolicyContext) -> list[Block]:
    """A district's table: per 설치 목적, its 관리부서, 관리책임자 and 접근권한자 — no counts or sites,
    which such a policy does not state here (issue 16)."""
    groups = ctx.operating_groups()
    if not groups:
        return [note(NO_GROUPS)]
    rows: list[list[str]] = []
    for group in groups:
        row = [
            group.purpose,
            text_or_missing(group.department_name, gap(group)),
            officers_text(group.managers.all(), gap(group)),
            officers_text(group.staff.all(), gap(group)),
        ]
        if row not in rows:  # groups of one purpose with the same people are one row of the table
            rows.append(row)
    return [
        lead(
            paragraph(
                f"{topic(ctx.name)} 개인영상정보를 보호하고 개인영상정보와 관련한 불만을 처리하기 위하여 "
                "아래와 같이 개인영상정보 관리책임자와 접근권한자를 두고 있습니다."
            )
        ),
        table(
            "설치 목적별 관리책임자 및 접근권한자",
            ["설치 목적", "관리부서", "관리책임자", "접근권한자"],
            rows,
        ),
    ]


def build_operation_by_department(ctx: PolicyContext) -> list[Block]:
    """Own (자체) or outsourced (위탁) operation per department, as the policy states it, with the
    contractor where it names one. Departments whose way of operating is not published are not listed."""
    departments = [
        department
        for department in ctx.institution.departments.select_related("operator").order_by("position", "id")
        if department.operation
        and (not ctx.document.scope_department_id or department.pk == ctx.document.scope_department_id)
    ]
    if not departments:
        return [note(MISSING)]
    rows = []
    for department in departments:
        operator = department.operator
        contractor = (
            f"{operator.company} ({operator.task}, {contact_or_missing(operator.contact)})"
            if operator
            else "-"
        )
        rows.append([department.name, department.get_operation_display(), contractor])
    return [table("부서별 운영 방식", ["부서", "운영 방식", "수탁자"], rows)]


def build_recording_retention(ctx: PolicyContext) -> list[Block]:
    """영25①4호: 촬영시간, 보관기간, 보관장소 및 처리방법 per device group."""
    groups = ctx.operating_groups()
    if not groups:
        return [note(NO_GROUPS)]
    rows = [
        [
            f"{group.name} ({group_site(group)})",
            storage_text(group),
            hours_text(group),
            retention_text(group),
            processing_text(group),
        ]
        for group in groups
    ]
    return [
        table(
            "촬영시간, 보관기간, 보관장소 및 처리방법",
            ["설치 위치", "보관장소", "촬영시간", "보관기간", "처리방법"],
            rows,
        )
    ]
