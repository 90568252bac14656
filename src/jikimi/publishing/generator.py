"""The generator: an institution's 영상정보처리기기 운영·관리방침 as structured content, from its register.

It follows the seed document's own structure (PolicyDocument.sections): a generated section gets its
content from the builder of its key; a free-text section keeps the institution's words. Nothing is
added that the institution did not write or adopt (issue 16): an item of 시행령 제25조① (R4) the
structure lacks is listed in the content (`missing_r4`), shown to the officer, who adopts a wording for
it (publishing.actions.adopt_section) — and publishing is refused until every item is there (R4: the
방침 contains all 8 items). Sections are numbered per PolicyDocument.article_style.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from jikimi.inventory.models import PolicyDocument
from jikimi.lib.korean import particle
from jikimi.publishing import sections_contacts as contacts
from jikimi.publishing import sections_register as reg
from jikimi.publishing import sections_standard as std
from jikimi.publishing.content import MISSING, Block, is_change_history, note, paragraph, paragraphs
from jikimi.publishing.context import PolicyContext
from jikimi.publishing.coverage import (
    COVERABLE_KEYS,
    POLICY_ITEMS,
    PolicyItem,
    items_of_section,
    missing_items,
)

CONTENT_FORMAT = 1

BUILDERS: dict[str, Callable[[PolicyContext], list[Block]]] = {
    "labelling": std.build_labelling,
    "fixed_purposes": reg.build_fixed_purposes,
    "mobile_purposes": reg.build_mobile_purposes,
    "counts_summary": reg.build_counts_summary,
    "operation_table": reg.build_operation_table,
    "group_cards": reg.build_group_cards,
    "managers": reg.build_managers,
    "managers_by_purpose": reg.build_managers_by_purpose,
    "operation_by_department": reg.build_operation_by_department,
    "recording_retention": reg.build_recording_retention,
    "processing_records": std.build_processing_records,
    "provision": std.build_provision,
    "provision_procedure": std.build_provision_procedure,
    "outsourcing": contacts.build_outsourcing,
    "viewing_method_place": contacts.build_viewing_method_place,
    "subject_rights": std.build_subject_rights,
    "safety_measures": std.build_safety_measures,
    "signage": std.build_signage,
    "privacy_officer": contacts.build_privacy_officer,
    "remedies": std.build_remedies,
    "change_history": std.build_change_history,
    "request_form": std.build_request_form,
}

# Shown as "[title]" and never numbered: the seeds print these outside the articles.
UNNUMBERED_KEYS = frozenset({"labelling", "request_form"})
# Kept at the end when an adopted section is added: the change history and the forms close a policy.
CLOSING_KEYS = frozenset({"change_history", "request_form"})
_ALREADY_NUMBERED = re.compile(r"^\s*(제\s*\d+\s*조|\d+\s*\.|\[)")

# The structure used when an institution's register gives none: every generated section in the
# order of 시행령 제25조①, as the PIPC template lays it out.
DEFAULT_SECTIONS: list[dict[str, str]] = [
    {"title": "영상정보처리기기의 설치 근거 및 설치 목적", "generated": "fixed_purposes"},
    {"title": "이동형 영상정보처리기기의 설치 근거 및 설치 목적", "generated": "mobile_purposes"},
    {"title": "영상정보처리기기의 운영·관리 현황", "generated": "operation_table"},
    {"title": "관리책임자 및 접근권한자", "generated": "managers"},
    {"title": "개인영상정보의 촬영시간, 보관기간, 보관장소 및 처리방법", "generated": "recording_retention"},
    {"title": "개인영상정보의 처리", "generated": "processing_records"},
    {"title": "개인영상정보의 목적 외 이용 및 제3자 제공에 관한 사항", "generated": "provision"},
    {"title": "요청 및 제공 절차", "generated": "provision_procedure"},
    {"title": "영상정보처리기기 설치 및 관리 등의 위탁에 관한 사항", "generated": "outsourcing"},
    {"title": "개인영상정보의 확인 방법 및 장소에 관한 사항", "generated": "viewing_method_place"},
    {"title": "정보주체의 개인영상정보 열람 등 요구에 대한 조치", "generated": "subject_rights"},
    {"title": "개인영상정보의 안전성 확보조치", "generated": "safety_measures"},
    {"title": "영상정보처리기기 안내판 설치", "generated": "signage"},
    {"title": "개인정보 보호책임자 및 담당부서", "generated": "privacy_officer"},
    {"title": "영상정보처리기기 운영·관리방침 변경에 관한 사항", "generated": "change_history"},
    {"title": "개인영상정보 열람·존재확인 청구서", "generated": "request_form"},
]


MOBILE_PURPOSES_TITLE = "이동형 영상정보처리기기의 설치 근거 및 설치 목적"


def absent_sections(ctx: PolicyContext) -> frozenset[str]:
    """Generated sections about devices the institution does not operate: a mobile-only body gets no
    fixed-camera section (which could only say it has none, contradicting its own scope)."""
    fixed_totals = [t for t in ctx.declared_totals if t.kind == reg.FIXED]
    if not ctx.operating_groups(reg.FIXED) and not fixed_totals and ctx.operating_groups(reg.MOBILE):
        return frozenset({"fixed_purposes"})
    return frozenset()


class UnknownSectionKey(ValueError):
    """The register names a generated section that jikimi has no builder for."""


def structure(document: PolicyDocument, *, without: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The institution's own sections (those it wrote and those it adopted), checked; nothing added.
    Generated sections keyed in `without` are left out (a mobile-only institution has no fixed-camera
    section: see absent_sections)."""
    own: list[dict[str, Any]] = []
    written = list(document.sections or DEFAULT_SECTIONS)
    has_mobile_purposes = any(s.get("generated") == "mobile_purposes" for s in written)
    for section in written:
        if section.get("generated") not in without:
            own.append(dict(section))
        elif not has_mobile_purposes:
            # The institution's purposes section, for the only devices it has: the R4 item stays covered.
            own.append({**section, "title": MOBILE_PURPOSES_TITLE, "generated": "mobile_purposes"})
            has_mobile_purposes = True
    for index, section in enumerate(own, start=1):
        where = f"{document.institution.name} 방침 구성 {index}번째 절 '{section.get('title', '')}'"
        key = section.get("generated")
        if key and key not in BUILDERS:
            raise UnknownSectionKey(f"{where}: 생성 키 '{key}'는 없습니다 (가능: {', '.join(BUILDERS)})")
        unknown = [value for value in section.get("covers") or [] if value not in COVERABLE_KEYS]
        if unknown:
            raise UnknownSectionKey(
                f"{where}: covers의 '{', '.join(map(str, unknown))}'는 시행령 제25조① 항목의 생성 키가 아닙니다 "
                f"(가능: {', '.join(sorted(COVERABLE_KEYS))})"
            )
    return own


def missing_r4_items(document: PolicyDocument) -> list[PolicyItem]:
    """The items of 시행령 제25조① (R4) the institution's structure lacks: the officer adopts a wording
    for each before publishing. A 지침 (kind "guideline", 오산시) is not a 운영·관리방침: R4 binds the
    방침, so a 지침 lacks nothing."""
    if not r4_applies(document):
        return []
    return missing_items(structure(document))


def insert_before_closing(sections: list[dict[str, Any]], section: dict[str, Any]) -> list[dict[str, Any]]:
    """`sections` with `section` placed before those that close a policy (the change history, 부칙, forms)."""
    closing_start = len(sections)
    while closing_start > 0 and _is_closing(sections[closing_start - 1]):
        closing_start -= 1
    return [*sections[:closing_start], section, *sections[closing_start:]]


def _is_closing(section: dict[str, Any]) -> bool:
    """Sections that end a policy: the change history, 부칙, attached tables and forms ([별표], [별지])."""
    title = str(section.get("title") or "").strip()
    return section.get("generated") in CLOSING_KEYS or title.startswith(("[", "부칙"))


def r4_applies(document: PolicyDocument) -> bool:
    """시행령 제25조① (R4) binds the 운영·관리방침, standalone or within the 개인정보 처리방침; not a 지침."""
    return document.kind != "guideline"


def heading_for(style: str, number: int | None, title: str) -> str:
    if number is None:
        # "[별지] 개인영상정보 열람·존재확인 청구서" (인천) is already bracketed as the seed prints it.
        return title if title.lstrip().startswith("[") else f"[{title}]"
    if style == "article":
        return f"제{number}조({title})"
    if style == "numbered":
        return f"{number}. {title}"
    return title


def _preamble(ctx: PolicyContext) -> list[Block]:
    if ctx.document.preamble.strip():
        return paragraphs(ctx.document.preamble)
    scope = ctx.institution.scope_statement
    if not scope and ctx.document.scope_department is not None:
        scope = ctx.document.scope_department.name  # a department's own policy says whose it is
    subject = (
        f"본 {ctx.name}({scope}, 이하 본 기관이라 함)" if scope else f"본 {ctx.name}(이하 본 기관이라 함)"
    )
    return [
        paragraph(
            # The particle follows the name, not the parenthesis: 본 하동군(…)은, 본 금천구(…)는.
            f"{subject}{particle(ctx.name, '는')} 영상정보처리기기 운영·관리 방침을 통해 본 기관에서 처리하는 영상정보가 어떠한 용도와 방식으로 "
            "이용·관리되고 있는지 알려드립니다."
        )
    ]


def build_document(ctx: PolicyContext) -> dict[str, Any]:
    """The whole policy as plain JSON (see content.py); what a PolicyVersion freezes."""
    document = ctx.document
    sections: list[dict[str, Any]] = []
    number = 0
    for section in structure(document, without=absent_sections(ctx)):
        key = section.get("generated") or ""
        title = str(section.get("title") or (document.GENERATED_SECTIONS.get(key, "") if key else ""))
        # A section may have both: the institution's own lead-in text, then the generated content.
        blocks = paragraphs(section.get("body") or "")
        if ctx.versioned and is_change_history(section):
            # A version states its own dates and history (R7), never the seed's fixed sentence
            # ("…2014년 5월 29일에 개정되었으며"): the section is generated from the versions.
            blocks = std.build_change_history(ctx)
        elif key:
            generated = BUILDERS[key](ctx)
            # The institution's own lead-in replaces the generator's (no sentence said twice). Decided
            # once, before extending: a section without text of its own keeps all its lead-ins.
            has_own_text = bool(blocks)
            blocks.extend(block for block in generated if not (has_own_text and block.get("lead")))
        blocks = blocks or [note(MISSING)]
        if key in UNNUMBERED_KEYS or _ALREADY_NUMBERED.match(title) or document.article_style == "heading":
            heading = heading_for(document.article_style, None, title) if key in UNNUMBERED_KEYS else title
        else:
            number += 1
            heading = heading_for(document.article_style, number, title)
        sections.append(
            {
                "key": key,
                "title": title,
                "heading": heading,
                "blocks": blocks,
                "r4": sorted(items_of_section(section)),
                # Versions frozen before issue 16 carry sections jikimi appended; the template still
                # marks those. Nothing is appended now.
                "appended": False,
            }
        )
    current = ctx.current
    content = {
        "format": CONTENT_FORMAT,
        "institution": ctx.name,
        "slug": ctx.institution.slug,
        "title": document.title,
        "kind": document.kind,
        "article_style": document.article_style,
        "preamble": _preamble(ctx),
        "sections": sections,
        "version": current.number if current else None,
        "announced_on": _iso(current.announced_on if current else document.announced_on),
        "effective_on": _iso(current.effective_on if current else document.effective_on),
    }
    missing = missing_r4_items(document)
    if missing:
        # Shown to the officer, never filled in: publishing refuses it (drafts.draft_for, R4).
        content["missing_r4"] = [
            {"number": item.number, "label": item.label, "key": item.append_key} for item in missing
        ]
    return content


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def assert_all_items_present(content: dict[str, Any]) -> None:
    """R4: the document carries all 8 items of 시행령 제25조① (a 방침 about to be frozen)."""
    covered: set[int] = set()
    for section in content["sections"]:
        covered |= set(section["r4"])
    lacking = [item.label for item in POLICY_ITEMS if item.number not in covered]
    if lacking:
        raise AssertionError(f"시행령 제25조① 항목이 빠졌습니다: {', '.join(lacking)}")
