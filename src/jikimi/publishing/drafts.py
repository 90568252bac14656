"""What publishing now would freeze, before it is frozen (the confirmation step): the next version's
number and dates, its content, its changes against the latest standing version, and a digest that the
confirmation carries so that what is published is what was confirmed.

A version identical to the latest standing one is refused ("변경 내용 없음"): a new version announces a
change (R7: 변경 사유 및 내용을 공지); the same text under a new number would announce nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jikimi.inventory.checks import laws_not_published_of, reasons_not_published_of
from jikimi.inventory.models import Institution
from jikimi.publishing.comparison import SectionDiff, compare_contents
from jikimi.publishing.content import is_change_history
from jikimi.publishing.context import VersionInfo
from jikimi.publishing.models import PolicyVersion
from jikimi.publishing.queries import latest_standing, policy_document_for, versions_of
from jikimi.publishing.rendering import live_content
from jikimi.rules.policy_dates import PolicyDateError, check_policy_dates, format_korean_date


class PublishRefused(Exception):
    """The version cannot be published; the message says why."""


class Unchanged(PublishRefused):
    """The new version would say what the latest standing version says."""


class MissingItems(PublishRefused):
    """The 방침 lacks items of 시행령 제25조① (R4): the institution has not adopted a wording for them."""


def missing_items_message(content: dict[str, Any]) -> str:
    """Why a 방침 lacking R4 items cannot be published, naming each item ("" when none is missing)."""
    missing = content.get("missing_r4") or []
    if not missing:
        return ""
    items = ", ".join(f"{item['number']}호 {item['label']}" for item in missing)
    return (
        f"방침에 「개인정보 보호법 시행령」 제25조제1항의 항목이 없습니다: {items}. 방침은 8개 항목을 모두 담아야 "
        "합니다 (R4). 방침 공개 화면의 '빠진 항목'에서 문구를 쓰거나 제안된 문구를 고쳐 기관의 글로 채택한 뒤 공개하세요."
    )


class FactsNotPublished(PublishRefused):
    """A fact the policy needs that the institution has not published (issue 16): nothing is published
    in the institution's name that it did not adopt, and the policy prints no placeholder for it."""


class ReasonsNotPublished(FactsNotPublished):
    """R16: a retention beyond 30 days whose reason the institution has not published (issue 16)."""


class LawsNotPublished(FactsNotPublished):
    """R1: a 1호 (law_permits) basis whose enabling law the institution has not published (issue 16)."""


def reasons_not_published_message(institution: Institution) -> str:
    """Why the policy waits for retention reasons, naming each group ("" when none is missing).

    R16 (영 제25조①4호, 표준지침): keeping footage beyond 30 days needs a reason. Where the published text
    gives none, the register says "not published" rather than a sentence of ours; publishing in the
    institution's name waits until the officer records the reason the institution adopted."""
    found = reasons_not_published_of(institution)
    if not found:
        return ""
    groups = ", ".join(f"'{group.name}'({', '.join(reason.retentions)})" for group, reason in found)
    maximum = found[0][1].maximum_days
    return (
        f"보관기간이 {maximum}일을 넘는데 그 사유가 공개되지 않은 기기 묶음이 있습니다: {groups}. "
        f"{maximum}일을 넘겨 보관하려면 사유가 있어야 합니다 (R16, 영 제25조①4호). 대장(설치·운영 현황)의 "
        "기기 묶음 고치기에서 기관이 정한 보관 사유를 적은 뒤 공개하세요."
    )


def laws_not_published_message(institution: Institution) -> str:
    """Why the policy waits for enabling laws, naming each group ("" when none is missing).

    R1 (법 제25조①1호): a device installed because a law specifically permits it rests on that law, and
    the policy states it. Where the published text cites 1호 but names no law (광양시), the register says
    "not published" rather than a sentence of ours; publishing in the institution's name waits until the
    officer records the law the institution relies on."""
    found = laws_not_published_of(institution)
    if not found:
        return ""
    groups = ", ".join(f"'{group.name}'" for group, _ in found)
    return (
        f"'법령에서 구체적으로 허용'(1호)을 근거로 하는데 그 법령이 공개되지 않은 기기 묶음이 있습니다: {groups}. "
        "1호를 근거로 하면 그 법령을 밝혀야 합니다 (R1, 법 제25조①1호). 대장(설치·운영 현황)의 기기 묶음 "
        "고치기에서 기관이 근거로 삼은 법령을 적은 뒤 공개하세요."
    )


@dataclass(frozen=True)
class NotPublishedMessage:
    """One kind of fact not published, as the staff page shows it and publishing refuses it."""

    anchor: str  # the element's id on the staff page
    heading: str
    message: str
    refusal: type[FactsNotPublished]


def facts_not_published_messages(institution: Institution) -> list[NotPublishedMessage]:
    """What the policy waits for (R1 laws, R16 reasons), by kind; empty when nothing."""
    kinds = (
        ("laws-not-published", "근거 법령 미공개 (R1)", laws_not_published_message, LawsNotPublished),
        (
            "reasons-not-published",
            "보관 사유 미공개 (R16)",
            reasons_not_published_message,
            ReasonsNotPublished,
        ),
    )
    return [
        NotPublishedMessage(anchor, heading, message, refusal)
        for anchor, heading, message_of, refusal in kinds
        if (message := message_of(institution))
    ]


# What differs between two versions whatever their content: their number and dates, and the history
# that lists them. Left out when deciding whether anything changed.
_VERSION_KEYS = ("version", "announced_on", "effective_on")


def substance(content: dict[str, Any]) -> dict[str, Any]:
    """The content without what every version has of its own (number, dates, the change history)."""
    kept = {key: value for key, value in content.items() if key not in _VERSION_KEYS}
    kept["sections"] = [s for s in content.get("sections", []) if not is_change_history(s)]
    return kept


def substance_digest(content: dict[str, Any]) -> str:
    canonical = json.dumps(substance(content), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Draft:
    number: int
    announced_on: date
    effective_on: date
    reason: str
    previous: PolicyVersion | None
    content: dict[str, Any]
    changes: list[SectionDiff]
    digest: str
    warnings: tuple[str, ...] = field(default=())


def draft_for(institution: Institution, announced_on: date, effective_on: date, reason: str) -> Draft:
    """The version publishing would freeze now; refused (PublishRefused) as publish_policy would."""
    previous = latest_standing(institution)
    try:
        dates = check_policy_dates(
            announced_on,
            effective_on,
            notice_days=policy_document_for(institution).change_notice_days,
            previous_effective_on=previous.effective_on if previous else None,
        )
    except PolicyDateError as error:
        raise PublishRefused(str(error)) from error
    last = versions_of(institution).last()  # withdrawn ones keep their number
    number = last.number + 1 if last else 1
    content = live_content(institution, pending=VersionInfo(number, announced_on, effective_on, reason))
    if message := missing_items_message(content):
        # R4 (영 제25조①): the 방침 contains all 8 items; nothing is filled in the institution's name.
        raise MissingItems(message)
    if not_published := facts_not_published_messages(institution):
        # R1, R16: nothing is published in the institution's name that it did not adopt (issue 16).
        # Every kind is named at once; the refusal is of the first.
        raise not_published[0].refusal(" ".join(found.message for found in not_published))
    changes: list[SectionDiff] = []
    if previous is not None:
        changes = compare_contents(substance(previous.content), substance(content), only_changes=True)
        if not changes:
            raise Unchanged(
                f"변경 내용 없음: 지금의 대장으로 만든 방침이 제{previous.number}판"
                f"({format_korean_date(previous.effective_on)} 시행)과 같습니다. "
                "대장(설치·운영 현황)을 고친 뒤 새 버전을 공개하세요."
            )
    return Draft(
        number=number,
        announced_on=announced_on,
        effective_on=effective_on,
        reason=reason,
        previous=previous,
        content=content,
        changes=changes,
        digest=substance_digest(content),
        warnings=dates.warnings,
    )
