"""Publishing a provision on the institution's public page "개인정보 목적 외 이용 및 제3자 제공 현황"
(법 제18조④, 시행규칙; R31): within 30 days of the provision, except on items 1 and 7 (the subject's own
consent; 범죄의 수사와 공소).

The officer publishes: the public page shows the day, the recipient, the purpose, the legal basis and the
items — and nothing personal. The request's own purpose may name a suspect or a victim, so the purpose
and items shown are written (or confirmed from a draft, `draft`) by the officer at publication and kept
as published. Late publication is allowed — better late than never — and audited as late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import checked_text
from jikimi.disclosure.actions.provision_after import DutyError, locked
from jikimi.disclosure.models import ProvisionCase
from jikimi.rules.provision_grounds import ground

MAX_TEXT = 300  # published_purpose, published_items

PUBLISHABLE_STATES = (ProvisionCase.State.PROVIDED, ProvisionCase.State.CLOSED)


@dataclass(frozen=True)
class Publication:
    purpose: str
    items: str


def draft(case: ProvisionCase) -> Publication:
    """What the officer starts from: the ground's wording and the footage given (no names)."""
    footage = list(case.footage.all())
    count = len({f.device_id for f in footage})
    days = sorted({timezone.localtime(f.start).date() for f in footage})
    when = ""
    if days:
        when = f", {days[0]:%Y-%m-%d}" + (f"~{days[-1]:%Y-%m-%d}" if days[-1] != days[0] else "")
    purpose = ground(case.legal_ground).label
    return Publication(
        purpose=purpose[:MAX_TEXT],
        items=f"영상정보처리기기(CCTV) 녹화영상 (기기 {count}대{when})"[:MAX_TEXT],
    )


def publish_provision(
    actor: Actor, case: ProvisionCase, publication: Publication, *, today: date
) -> ProvisionCase:
    """Put the provision on the public page; audited DISCLOSURE_PUBLISH_PROVISION."""
    purpose = checked_text(publication.purpose, "purpose", "공개하는 목적", MAX_TEXT, required=True)
    items = checked_text(publication.items, "items", "공개하는 항목", MAX_TEXT, required=True)
    with transaction.atomic():
        case = locked(case)
        if not ground(case.legal_ground).published:
            raise DutyError(
                f"{ground(case.legal_ground).citation}에 따른 제공은 공개 대상이 아닙니다 (개인정보 보호법 제18조④)"
            )
        if case.state not in PUBLISHABLE_STATES:
            raise DutyError(
                f"제공 {case.case_number}은(는) '{case.get_state_display()}' 상태입니다: 제공한 뒤에 공개합니다"
            )
        if case.published_at is not None:
            raise DutyError(
                f"제공 {case.case_number}은(는) 이미 {timezone.localtime(case.published_at):%Y-%m-%d}에 공개했습니다"
            )
        case.published_at = timezone.now()
        case.published_purpose = purpose
        case.published_items = items
        case.save(update_fields=["published_at", "published_purpose", "published_items"])
        record(
            actor,
            AuditEvent.DISCLOSURE_PUBLISH_PROVISION,
            case,
            details={
                "case_number": case.case_number,
                "publish_by": case.publish_by,
                "published_late": bool(case.publish_by and today > case.publish_by),
                "published_purpose": purpose,
                "published_items": items,
            },
        )
    return case
