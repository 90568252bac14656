"""Sections about who to contact: the contractors (위탁), where to check footage, the privacy officer.

Like sections_register, each builder reads the PolicyContext and shows content.MISSING for a fact
the register lacks (R4).
"""

from __future__ import annotations

from jikimi.publishing.content import (
    MISSING,
    Block,
    items,
    lead,
    paragraph,
    table,
    text_or_missing,
    topic,
)
from jikimi.publishing.context import PolicyContext
from jikimi.publishing.sections_register import officers_text
from jikimi.rules.policy_dates import format_dotted_date

CONTRACT_CLAUSES = (
    ("clause_purpose_scope", "위탁업무의 목적 및 범위"),
    ("clause_subcontract_limit", "재위탁 제한에 관한 사항"),
    ("clause_access_safety", "영상정보에 대한 접근 제한 등 안전성 확보 조치에 관한 사항"),
    ("clause_inspection", "영상정보의 관리 현황 점검에 관한 사항"),
    ("clause_liability", "위탁받는 자가 준수하여야 할 의무를 위반한 경우의 손해배상 등 책임에 관한 사항"),
)


def build_outsourcing(ctx: PolicyContext) -> list[Block]:
    """시행령 제26조: the contractors, named with their contact (R34), and the contract items (R33)."""
    if not ctx.contractors:
        return [
            paragraph(
                f"{topic(ctx.name)} 영상정보처리기기의 설치 및 관리 등에 관한 사무를 위탁하지 않습니다."
            )
        ]
    rows = []
    for contractor in ctx.contractors:
        period = "~".join(
            format_dotted_date(day)
            for day in (contractor.period_start, contractor.period_end)
            if day is not None
        )
        rows.append(
            [
                contractor.supervising_department.name
                if contractor.supervising_department is not None
                else MISSING,
                contractor.task,
                contractor.company,
                text_or_missing(contractor.contact),
                period or MISSING,
            ]
        )
    blocks = [
        lead(
            paragraph(f"{topic(ctx.name)} 아래와 같이 영상정보처리기기 설치 및 관리 등을 위탁하고 있습니다.")
        ),
        table(
            "영상정보처리기기 설치 및 관리 위탁 현황",
            ["감독부서", "위탁업무", "위탁받는 자", "연락처", "위탁기간"],
            rows,
        ),
    ]
    # Only the contract items the register records for every contractor: the policy must not claim
    # items the institution never stated (군산시 names none). A contract lacking items is R33's
    # warning to staff (register checks), not public text.
    agreed = [label for attr, label in CONTRACT_CLAUSES if all(getattr(c, attr) for c in ctx.contractors)]
    if agreed:
        blocks.append(
            lead(
                paragraph(
                    "관계 법령(개인정보 보호법 시행령 제26조)에 따라 위탁 계약 시 개인정보가 안전하게 관리될 수 있도록 "
                    "다음 사항을 계약서 등 문서에 규정하고 있습니다."
                )
            )
        )
        blocks.append(lead(items(agreed)))
    return blocks


def build_viewing_method_place(ctx: PolicyContext) -> list[Block]:
    """영25①5호: how and where a data subject checks footage; each department's contact."""
    groups = ctx.operating_groups()
    # 확인 장소 is the institution's fact (issue 16): the place it states (monitoring_place), never its
    # department's name put in its stead; where no group states one, the line and column are omitted.
    places = any(group.monitoring_place.strip() for group in groups)
    lines = [
        "확인 방법: 영상정보 관리책임자 또는 관리담당자에게 미리 연락하고 해당 담당부서를 방문하시면 확인 가능합니다.",
        "청구 방법: 개인영상정보 열람·존재확인 청구서를 작성하여 청구하며, 본인 또는 정당한 대리인인지 "
        "신분증명서(주민등록증·운전면허증·여권 등)로 확인합니다.",
    ]
    if places:
        lines.insert(1, "확인 장소: 각 영상정보처리기기의 확인 장소(아래 표)")
    blocks = [items(lines)]
    rows = []
    seen: set[tuple[str, str, str]] = set()
    for group in groups:
        people = list(group.staff.all()) or list(group.managers.all())
        contact = officers_text(people)
        department = text_or_missing(group.department_name)
        key = (department, group.monitoring_place, contact)
        if key in seen:
            continue
        seen.add(key)
        place = [text_or_missing(group.monitoring_place, "-")] if places else []
        rows.append([department, *place, contact])
    if rows:
        columns = ["담당부서", *(["확인 장소"] if places else []), "관리담당자 (연락처)"]
        blocks.append(table("담당부서 및 관리담당자 연락처", columns, rows))
    return blocks


def build_privacy_officer(ctx: PolicyContext) -> list[Block]:
    document = ctx.document
    officer = document.privacy_officer if document.privacy_officer_id else None
    contact = document.privacy_contact if document.privacy_contact_id else None
    department = document.privacy_department.name if document.privacy_department is not None else ""
    rows = [
        [
            "개인정보 보호책임자",
            text_or_missing(officer.position if officer else ""),
            text_or_missing(officer.name if officer else ""),
            text_or_missing(officer.phone if officer else ""),
            text_or_missing(officer.email if officer else ""),
        ],
        [
            "개인정보보호 담당부서",
            text_or_missing(
                department or (contact.department.name if contact and contact.department is not None else "")
            ),
            text_or_missing(contact.name if contact else ""),
            text_or_missing(contact.phone if contact else ""),
            text_or_missing(contact.email if contact else ""),
        ],
    ]
    return [
        lead(
            paragraph(
                f"{topic(ctx.name)} 개인영상정보 처리와 관련한 정보주체의 불만처리 및 피해구제 등을 위하여 "
                "아래와 같이 개인정보 보호책임자 및 담당부서를 지정하고 있습니다."
            )
        ),
        table("개인정보 보호책임자 및 담당부서", ["구분", "직책·부서", "성명", "연락처", "이메일"], rows),
    ]
