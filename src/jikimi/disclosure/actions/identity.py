"""The identity check (시행령 제46조, 법 제38조①; R21): a step of its own, before any decision.

The officer records who was checked, with which document and how: 신분증 대조, 위임장 (a proxy brings
the 위임장 and his own ID), or 행정정보 공동이용 (public bodies may check through shared administrative
information instead of asking for a copy). A request made for another person can only be checked
through the 위임장. Nothing is decided before this step (`require_identity_checked`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import RequestError, checked_text
from jikimi.disclosure.models import IdentityCheck, SubjectRequest

MAX_DOCUMENT = 200
MAX_NOTES = 2000


class IdentityNotChecked(RequestError):
    """A decision asked for before the identity check (R21)."""


def require_identity_checked(request: SubjectRequest) -> None:
    """Raise IdentityNotChecked unless `request`'s requester was identified (시행령 제46조, R21)."""
    if not IdentityCheck.objects.filter(request_id=request.pk).exists():
        raise IdentityNotChecked(
            f"청구 {request.receipt_number}: 본인 확인(시행령 제46조) 전에는 결정할 수 없습니다 — "
            "먼저 청구인의 신분증 또는 위임장을 확인하세요"
        )


def identity_checked(request: SubjectRequest) -> bool:
    """R21: nothing is decided before the requester's identity was checked."""
    return IdentityCheck.objects.filter(request_id=request.pk).exists()


def verify_identity(
    actor: Actor, request: SubjectRequest, method: str, document: str, notes: str = ""
) -> IdentityCheck:
    """Record the identity check of `request` and move it to IDENTITY_VERIFIED; audited."""
    document = checked_text(document, "document", "확인한 서류", MAX_DOCUMENT, required=True)
    notes = checked_text(notes, "notes", "비고", MAX_NOTES, required=False)
    if actor.user is None:
        raise RequestError("본인 확인은 확인한 담당자의 계정으로만 기록할 수 있습니다")
    checker = actor.user
    if method not in IdentityCheck.Method.values:
        choices = ", ".join(IdentityCheck.Method.labels)
        raise RequestError(f"확인 방법을 고르세요 ({choices})", "method")
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != SubjectRequest.State.RECEIVED:
            raise RequestError(
                f"청구 {request.receipt_number}은(는) '{request.get_state_display()}' 상태라 본인 확인을 "
                "기록할 수 없습니다 (접수 상태에서만)"
            )
        proxy = not request.subject_is_requester
        if proxy and method != IdentityCheck.Method.PROXY_LETTER:
            raise RequestError(
                f"대리 청구입니다 (정보주체 {request.subject_name or '미기재'}): 위임장과 대리인의 신분증을 "
                "확인하고 '위임장 및 대리인 신분증 확인'을 고르세요 (시행령 제46조)",
                "method",
            )
        if not proxy and method == IdentityCheck.Method.PROXY_LETTER:
            raise RequestError("본인 청구입니다: '신분증 대조' 또는 '행정정보 공동이용'을 고르세요", "method")
        check = IdentityCheck.objects.create(
            request=request,
            method=method,
            document=document,
            notes=notes,
            checked_by=checker,
            checked_at=timezone.now(),
        )
        request.state = SubjectRequest.State.IDENTITY_VERIFIED
        request.save(update_fields=["state"])
        record(
            actor,
            AuditEvent.DISCLOSURE_VERIFY_IDENTITY,
            request,
            details={"method": method, "document": document, "proxy": proxy},
        )
    return check
