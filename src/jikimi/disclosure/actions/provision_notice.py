"""The notice to the data subject of footage given for an investigation or a trial (오산시 지침 제35조②).

"영상정보를 수사나 재판 자료로 제공하는 경우에는 그 사실을 정보주체에게 알려야 한다. 다만, 해당
정보주체를 특정할 수 없거나 소재지를 파악할 수 없는 경우에는 그러하지 아니하다." Recorded either way:

- NOTIFIED: the day, the method (우편, 전화, 문자 …) and what was said;
- UNIDENTIFIABLE / UNLOCATABLE: why not, in words;
- NOT_REQUIRED: only for a case on another ground than 7 or 8 (the officer may still record it).

One record per case; a correction is a new record over it, both audited (DISCLOSURE_NOTIFY_SUBJECT).
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
from jikimi.disclosure.actions.provision_after import DutyError, locked, provided_on
from jikimi.disclosure.models import ProvisionCase
from jikimi.rules.provision_duties import DutyRefused, check_notified_on, subject_notice_required

NOTIFIED = "notified"
UNIDENTIFIABLE = "unidentifiable"
UNLOCATABLE = "unlocatable"
NOT_REQUIRED = "not_required"
OUTCOMES = (NOTIFIED, UNIDENTIFIABLE, UNLOCATABLE, NOT_REQUIRED)

MAX_METHOD = 100  # ProvisionCase.subject_notice_method
MAX_DETAIL = 2000

# After provision: the footage has gone, so the notice can be given (and recorded after the case closes).
NOTICE_STATES = (ProvisionCase.State.PROVIDED, ProvisionCase.State.CLOSED)


@dataclass(frozen=True)
class SubjectNotice:
    outcome: str
    notified_on: date | None = None
    method: str = ""
    detail: str = ""  # what was said, or why it could not be


def record_subject_notice(
    actor: Actor, case: ProvisionCase, notice: SubjectNotice, *, today: date
) -> ProvisionCase:
    """Record the notice or why none was given; audited DISCLOSURE_NOTIFY_SUBJECT."""
    if notice.outcome not in OUTCOMES:
        raise DutyError(
            "정보주체 통지: 통지함, 정보주체를 알 수 없음, 연락처를 알 수 없음 중에서 고르세요", "outcome"
        )
    detail = checked_text(
        notice.detail,
        "detail",
        "통지 내용" if notice.outcome == NOTIFIED else "통지하지 못한 사유",
        MAX_DETAIL,
        required=True,
    )
    method = checked_text(
        notice.method, "method", "통지 방법", MAX_METHOD, required=notice.outcome == NOTIFIED
    )
    with transaction.atomic():
        case = locked(case)
        if case.state not in NOTICE_STATES:
            raise DutyError(
                f"제공 {case.case_number}은(는) '{case.get_state_display()}' 상태입니다: 정보주체 통지는 제공한 뒤에 기록합니다"
            )
        if notice.outcome == NOT_REQUIRED and subject_notice_required(case.legal_ground):
            raise DutyError(
                f"제18조제2항제{case.legal_ground}호(수사·재판)로 제공한 영상은 정보주체에게 알려야 합니다 "
                "(오산시 지침 제35조②): 통지했거나, 정보주체를 알 수 없거나 연락처를 알 수 없는 경우만 기록할 수 있습니다",
                "outcome",
            )
        notified_on = None
        if notice.outcome == NOTIFIED:
            try:
                notified_on = check_notified_on(notice.notified_on, provided_on(case), today)
            except DutyRefused as refused:
                raise DutyError(str(refused), refused.field) from None
        case.subject_notice = notice.outcome
        case.subject_notice_at = timezone.now()
        case.subject_notified_on = notified_on
        case.subject_notice_method = method if notice.outcome == NOTIFIED else ""
        case.subject_notice_detail = detail
        case.save(
            update_fields=[
                "subject_notice",
                "subject_notice_at",
                "subject_notified_on",
                "subject_notice_method",
                "subject_notice_detail",
            ]
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_NOTIFY_SUBJECT,
            case,
            reason=detail,
            details={
                "case_number": case.case_number,
                "subject_notice": notice.outcome,
                "notified_on": notified_on,
                "notice_method": case.subject_notice_method,
            },
        )
    return case
