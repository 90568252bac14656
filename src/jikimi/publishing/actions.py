"""State changes of the publishing app. Each runs in one transaction with its audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.inventory.models import Institution
from jikimi.publishing.authorization import may_publish
from jikimi.publishing.context import VersionInfo
from jikimi.publishing.models import PolicyVersion, content_digest
from jikimi.publishing.queries import policy_document_for
from jikimi.publishing.rendering import document_html, live_content
from jikimi.rules.policy_dates import PolicyDateError, check_policy_dates


class PublishRefused(Exception):
    """The version cannot be published; the message says why."""


class NotPermitted(PublishRefused):
    """The actor lacks PUBLISH_POLICY on the institution."""


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
) -> Published:
    """Freeze the policy generated from the register now as the next immutable version (R5, R7).

    Effective before announced is refused; a notice shorter than PolicyDocument.change_notice_days is
    only a warning (R7, template practice). Console commands pass check_permission=False: the
    operator of the server's console is trusted and recorded as such in the audit entry.
    """
    if check_permission and not may_publish(actor.user, institution):
        raise NotPermitted(f"{institution.name} 방침을 공개할 권한이 없습니다 (권한: 운영·관리방침 공개)")
    reason = (reason or "").strip()
    if not reason:
        raise PublishRefused("변경 사유를 적어 주세요 (R7: 변경 사유와 내용을 공지)")
    with transaction.atomic():
        # Serialise publications of one institution: the version number is the next free one.
        Institution.objects.select_for_update().get(pk=institution.pk)
        previous = PolicyVersion.objects.filter(institution=institution).order_by("-number").first()
        document = policy_document_for(institution)
        try:
            dates = check_policy_dates(
                announced_on,
                effective_on,
                notice_days=document.change_notice_days,
                previous_effective_on=previous.effective_on if previous else None,
            )
        except PolicyDateError as error:
            raise PublishRefused(str(error)) from error
        number = previous.number + 1 if previous else 1
        content = live_content(institution, pending=VersionInfo(number, announced_on, effective_on, reason))
        html = document_html(content)
        version = PolicyVersion.objects.create(
            institution=institution,
            number=number,
            announced_on=announced_on,
            effective_on=effective_on,
            reason=reason,
            published_at=timezone.now(),
            published_by=actor.user,
            published_by_label=actor.label,
            content=content,
            html=html,
            content_sha256=content_digest(content, html),
            warnings=list(dates.warnings),
        )
        record(
            actor,
            AuditEvent.PUBLISHING_PUBLISH_POLICY,
            version,
            reason=reason,
            details={
                "institution": institution.slug,
                "number": number,
                "announced_on": announced_on.isoformat(),
                "effective_on": effective_on.isoformat(),
                "sha256": version.content_sha256,
                "warnings": list(dates.warnings),
            },
        )
    return Published(version=version, warnings=dates.warnings)
