"""State changes of the publishing app. Each runs in one transaction with its audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Institution, PolicyDocument
from jikimi.lib import clock
from jikimi.publishing.authorization import may_publish
from jikimi.publishing.drafts import PublishRefused, Unchanged, draft_for
from jikimi.publishing.generator import insert_before_closing, missing_r4_items
from jikimi.publishing.models import PolicyVersion, PolicyWithdrawal, content_digest
from jikimi.publishing.rendering import document_html
from jikimi.rules.policy_dates import format_korean_date

__all__ = [
    "AdoptRefused",
    "NotPermitted",
    "PublishRefused",
    "Published",
    "Unchanged",
    "WithdrawRefused",
    "adopt_section",
    "publish_policy",
    "withdraw_version",
]

# As PublishForm.reason and WithdrawForm.reason.
REASON_LENGTH = 2000
# As AdoptSectionForm.
ADOPTED_TITLE_LENGTH = 200
ADOPTED_BODY_LENGTH = 20000


class NotPermitted(PublishRefused):
    """The actor lacks PUBLISH_POLICY on the institution."""


class WithdrawRefused(PublishRefused):
    """The version cannot be withdrawn; the message says why."""


class AdoptRefused(PublishRefused):
    """The wording cannot be adopted; the message says why."""


class Changed(PublishRefused):
    """The register changed between the confirmation page and the confirmation."""


@dataclass(frozen=True)
class Published:
    version: PolicyVersion
    warnings: tuple[str, ...]


def publish_policy(
    actor: Actor,
    institution: Institution,
    announced_on: date,
    effective_on: date,
    reason: str,
    *,
    check_permission: bool = True,
    confirmed: str | None = None,
) -> Published:
    """Freeze the policy generated from the register now as the next immutable version (R5, R7).

    Effective before announced is refused; a notice shorter than PolicyDocument.change_notice_days is
    only a warning (R7, template practice). A version identical to the latest standing one is refused
    (drafts.Unchanged, "변경 내용 없음"). `confirmed` is the digest the confirmation page showed: if the
    register changed since, nothing is published and the person confirms again. Console commands pass
    check_permission=False: the operator of the server's console is trusted and recorded as such.
    """
    if check_permission and not may_publish(actor.user, institution):
        raise NotPermitted(f"{institution.name} 방침을 공개할 권한이 없습니다 (권한: 운영·관리방침 공개)")
    reason = (reason or "").strip()
    if not reason:
        raise PublishRefused("변경 사유를 적어 주세요 (R7: 변경 사유와 내용을 공지)")
    with transaction.atomic():
        # Serialise publications of one institution: the version number is the next free one.
        Institution.objects.select_for_update().get(pk=institution.pk)
        draft = draft_for(institution, announced_on, effective_on, reason)
        if confirmed is not None and confirmed != draft.digest:
            raise Changed(
                "확인 화면을 연 뒤 대장(설치·운영 현황)이 바뀌었습니다. 바뀐 내용을 다시 확인하고 공개하세요."
            )
        html = document_html(draft.content)
        version = PolicyVersion.objects.create(
            institution=institution,
            number=draft.number,
            announced_on=announced_on,
            effective_on=effective_on,
            reason=reason,
            published_at=timezone.now(),
            published_by=actor.user,
            published_by_label=actor.label,
            content=draft.content,
            html=html,
            content_sha256=content_digest(draft.content, html),
            warnings=list(draft.warnings),
        )
        record(
            actor,
            AuditEvent.PUBLISHING_PUBLISH_POLICY,
            version,
            reason=reason,
            details={
                "institution": institution.slug,
                "number": draft.number,
                "announced_on": announced_on.isoformat(),
                "effective_on": effective_on.isoformat(),
                "sha256": version.content_sha256,
                "warnings": list(draft.warnings),
                "previous": draft.previous.number if draft.previous else None,
                "changed_sections": [diff.new_heading for diff in draft.changes],
            },
        )
    return Published(version=version, warnings=draft.warnings)


def withdraw_version(actor: Actor, version: PolicyVersion, reason: str) -> PolicyWithdrawal:
    """Withdraw (철회) a version announced but not yet in force, with its reason (R5, R7).

    The version stays public, marked withdrawn with the date and reason; it will never take effect, and
    the version in force stays in force. A version already in force cannot be withdrawn: the public has
    been told it applies; a change is a new version with its own notice.
    """
    institution = version.institution
    if not may_publish(actor.user, institution):
        raise NotPermitted(f"{institution.name} 방침을 철회할 권한이 없습니다 (방침 공개 권한 없음)")
    reason = (reason or "").strip()
    if not reason:
        raise WithdrawRefused("철회 사유를 적어 주세요 (철회도 공개됩니다)")
    if len(reason) > REASON_LENGTH:
        raise WithdrawRefused(f"철회 사유는 {REASON_LENGTH}자 이내로 적어 주세요 (지금 {len(reason)}자)")
    with transaction.atomic():
        Institution.objects.select_for_update().get(pk=institution.pk)
        if PolicyWithdrawal.objects.filter(version=version).exists():
            raise WithdrawRefused(f"제{version.number}판은 이미 철회되었습니다")
        today = clock.today()
        if version.effective_on <= today:
            raise WithdrawRefused(
                f"제{version.number}판은 {format_korean_date(version.effective_on)}부터 시행 중이어서 철회할 수 "
                "없습니다. 시행 전(공고 기간)의 버전만 철회할 수 있습니다. 내용을 바꾸려면 새 버전을 공개하세요."
            )
        withdrawal = PolicyWithdrawal.objects.create(
            version=version,
            withdrawn_at=timezone.now(),
            withdrawn_by=actor.user,
            withdrawn_by_label=actor.label,
            reason=reason,
        )
        record(
            actor,
            AuditEvent.PUBLISHING_WITHDRAW_POLICY,
            version,
            reason=reason,
            details={
                "institution": institution.slug,
                "number": version.number,
                "announced_on": version.announced_on.isoformat(),
                "effective_on": version.effective_on.isoformat(),
                "sha256": version.content_sha256,
            },
        )
    return withdrawal


def adopt_section(actor: Actor, institution: Institution, item_number: int, title: str, body: str) -> None:
    """Adopt `title` and `body` as the institution's own section for item `item_number` of 시행령
    제25조① (R4) that its 방침 lacks (issue 16).

    The text is stored as the institution's (PolicyDocument.sections, a free-text section that covers
    the item) with who adopted it and when, and printed from the next version on as an ordinary
    section; the audit entry keeps the words adopted. Refused when the item is not missing.
    """
    if not may_publish(actor.user, institution):
        raise NotPermitted(
            f"{institution.name} 방침의 문구를 채택할 권한이 없습니다 (권한: 운영·관리방침 공개)"
        )
    if "\n" in title or "\r" in title:
        raise AdoptRefused("제목은 한 줄로 적어 주세요 (줄바꿈 없이)")
    title = " ".join(title.split())
    body = body.replace("\r\n", "\n").strip()
    if not title:
        raise AdoptRefused("제목을 적어 주세요")
    if len(title) > ADOPTED_TITLE_LENGTH:
        raise AdoptRefused(f"제목은 {ADOPTED_TITLE_LENGTH}자 이내로 적어 주세요 (지금 {len(title)}자)")
    if not body:
        raise AdoptRefused("본문을 적어 주세요: 빈 항목은 방침에 실을 수 없습니다 (R4)")
    if len(body) > ADOPTED_BODY_LENGTH:
        raise AdoptRefused(f"본문은 {ADOPTED_BODY_LENGTH:,}자 이내로 적어 주세요 (지금 {len(body):,}자)")
    with transaction.atomic():
        Institution.objects.select_for_update().get(pk=institution.pk)
        document = PolicyDocument.objects.filter(institution=institution).first()
        missing = {item.number: item for item in missing_r4_items(document)} if document else {}
        item = missing.get(item_number)
        if document is None or item is None:
            raise AdoptRefused(
                f"시행령 제25조① {item_number}호는 {institution.name} 방침에 빠진 항목이 아닙니다 "
                "(이미 채택되었거나 방침의 다른 절이 담고 있습니다)"
            )
        adopted_on = clock.today().isoformat()
        section = {
            "title": title,
            "body": body,
            "covers": [item.append_key],
            "adopted_by": actor.label,
            "adopted_on": adopted_on,
        }
        document.sections = insert_before_closing(list(document.sections or []), section)
        document.save(update_fields=["sections"])
        record(
            actor,
            AuditEvent.PUBLISHING_ADOPT_SECTION,
            document,
            reason=f"시행령 제25조① {item.number}호({item.label}) 문구 채택",
            details={
                "institution": institution.slug,
                "item": item.number,
                "title": title,
                "body": body,
                "adopted_on": adopted_on,
            },
        )
