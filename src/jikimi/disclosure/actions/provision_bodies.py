"""The bodies that ask for footage (경찰서, 검찰청, 법원, other public bodies, private parties): a list per
institution that staff add to when a letter comes from a body not yet on it. Its kind decides which
grounds it may use (R29: items 5–10 only for a 공공기관), so it is chosen, never guessed from the name."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jikimi.accounts.permissions import Permission, institutions_for
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.provision_intake import ProvisionError, checked, file_provision
from jikimi.disclosure.models import ProvisionCase, RequestingBody
from jikimi.inventory.models import Institution


def add_requesting_body(
    actor: Actor, institution: Institution, *, name: str, kind: str, address: str = "", phone: str = ""
) -> RequestingBody:
    """Add a body to the institution's list; its name is unique there. Audited."""
    if not handles_provisions_in(actor.user, institution):
        raise ProvisionError("요청 기관을 등록할 권한이 없습니다 (제3자 제공 요청 처리 권한 필요)")
    name = checked(name, "name", "기관명", 100, required=True)
    if kind not in RequestingBody.Kind.values:
        raise ProvisionError("기관 구분: 목록에서 고르세요", "kind")
    address = checked(address, "address", "주소", 200, required=False)
    phone = checked(phone, "phone", "대표 전화", 40, required=False)
    with transaction.atomic():
        if RequestingBody.objects.filter(institution=institution, name=name).exists():
            raise ProvisionError(f"기관명: '{name}'은(는) 이미 등록되어 있습니다", "name")
        body = RequestingBody.objects.create(
            institution=institution, name=name, kind=kind, address=address, phone=phone
        )
        record(
            actor,
            AuditEvent.DISCLOSURE_ADD_REQUESTING_BODY,
            body,
            details={"requesting_body": body.name, "body_kind": body.kind},
        )
    return body


def handles_provisions_in(user: object, institution: Institution) -> bool:
    """HANDLE_PROVISIONS somewhere in `institution` (the whole of it, a department or a group)."""
    return institutions_for(user, Permission.HANDLE_PROVISIONS).filter(pk=institution.pk).exists()


def file_provision_from_new_body(
    actor: Actor, institution: Institution, *, body_name: str, body_kind: str, **fields: Any
) -> ProvisionCase:
    """A letter from a body not yet on the list (the paper form's "새 기관"): the body is added and the
    case filed together — when the case is refused, the body is not kept either (nothing half-saved).
    The body's errors name the form's new-body fields."""
    with transaction.atomic():
        try:
            body = add_requesting_body(actor, institution, name=body_name, kind=body_kind)
        except ProvisionError as error:
            raise ProvisionError(str(error), f"new_body_{error.field}" if error.field else None) from None
        return file_provision(actor, institution, body, **fields)
