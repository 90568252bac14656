"""Postponing the answer (법 제35조③ 단서, 시행령 제41조⑤; R22).

When there is a just cause not to let the requester view within 10 days, the institution may postpone
the viewing, telling the requester in writing the reason and how to object, within the 10 days. The
officer gives the reason and the new date; the request keeps its first due date (`postponed_from`),
and the requester is mailed both, with the appeal route.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import RequestError, checked_text
from jikimi.disclosure.models import SubjectRequest
from jikimi.disclosure.notify import notify_requester
from jikimi.lib.clock import today
from jikimi.lib.public_holidays import holidays_between
from jikimi.rules.request_deadlines import is_working_day

MAX_REASON = 2000
# An input limit, not the law's: a new date further than this after the current one is a typing error.
LONGEST_POSTPONEMENT = timedelta(days=60)

# 법 제35조④·제38조⑤, 행정심판법, 행정소송법, 법 제62조·제43조: how the requester may object.
APPEAL_ROUTE = (
    "이 연장에 이의가 있으면 다음 방법으로 다툴 수 있습니다.\n"
    "- 처리기관에 이의 신청 (개인정보 보호법 제38조⑤)\n"
    "- 행정심판 청구 (행정심판법, 온라인행정심판 www.simpan.go.kr): 처분이 있음을 안 날부터 90일 이내\n"
    "- 행정소송 제기 (행정소송법): 처분이 있음을 안 날부터 90일 이내\n"
    "- 개인정보침해 신고센터 (privacy.kisa.or.kr, 국번 없이 118)\n"
    "- 개인정보 분쟁조정위원회 (www.kopico.go.kr, 1833-6972)\n"
)


def postpone(actor: Actor, request: SubjectRequest, new_due_on: date, reason: str) -> SubjectRequest:
    """Move `request`'s due date to `new_due_on` for `reason`; audited, the requester notified."""
    reason = checked_text(reason, "reason", "연장 사유", MAX_REASON, required=True)
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().select_related("institution").get(pk=request.pk)
        if request.state not in (SubjectRequest.State.RECEIVED, SubjectRequest.State.IDENTITY_VERIFIED):
            raise RequestError(
                f"청구 {request.receipt_number}은(는) '{request.get_state_display()}' 상태라 기한을 연장할 수 "
                "없습니다 (결정 전에만)"
            )
        current = request.due_on
        if new_due_on <= current:
            raise RequestError(
                f"새 처리 기한({new_due_on:%Y-%m-%d})은 지금의 기한({current:%Y-%m-%d})보다 늦어야 합니다",
                "new_due_on",
            )
        if new_due_on > current + LONGEST_POSTPONEMENT:
            raise RequestError(
                f"새 처리 기한은 지금의 기한({current:%Y-%m-%d})부터 {LONGEST_POSTPONEMENT.days}일 안이어야 "
                "합니다",
                "new_due_on",
            )
        if not is_working_day(new_due_on, holidays_between(new_due_on.year, new_due_on.year)):
            raise RequestError(
                f"새 처리 기한({new_due_on:%Y-%m-%d})이 토요일·공휴일입니다: 근무일을 고르세요", "new_due_on"
            )
        request.postponed_from = request.postponed_from or current
        request.postponement_reason = reason
        request.due_on = new_due_on
        request.save(update_fields=["postponed_from", "postponement_reason", "due_on"])
        record(
            actor,
            AuditEvent.DISCLOSURE_POSTPONE,
            request,
            reason=reason,
            details={"due_on": new_due_on, "previous_due_on": current, "late": current < today()},
        )
        notify_requester(
            request,
            subject="처리 기한 연장 통지",
            body=(
                f"{request.requester_name} 님께,\n\n"
                f"{request.receipt_number}번으로 접수한 청구({request.get_kind_display()})의 처리 기한을 "
                f"{current:%Y년 %m월 %d일}에서 {new_due_on:%Y년 %m월 %d일}로 연장합니다 "
                "(개인정보 보호법 제35조③ 단서, 같은 법 시행령 제41조⑤).\n\n"
                f"연장 사유: {reason}\n\n"
                "연장 사유가 없어지면 그 기한 전이라도 지체 없이 처리합니다.\n\n"
                f"{APPEAL_ROUTE}\n"
                f"{request.institution.name}"
            ),
        )
    return request
