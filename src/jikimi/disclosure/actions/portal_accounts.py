"""Accounts for investigating bodies' officers (수사기관 등의 온라인 제공 요청; 성동구·남해군 style).

An account manager of the institution (MANAGE_ACCOUNTS) creates the account of a body's officer: a
personal account (R37: one per person) made by jikimi.accounts' own actions — a one-time password shown
once and changed at the first login, the role Role.REQUESTING_OFFICER at the institution (which holds
APPLY_FOR_PROVISION, so a second factor is required at every login: R38) — and the link to his body
(ExternalRequester), through which the portal shows him only his own body's cases. A body not yet
registered is added with it (jikimi.disclosure.actions.provision_bodies: the account manager needs
HANDLE_PROVISIONS there too, as the privacy officer and the administrator hold). One transaction, audited; deactivating the account (the accounts page)
revokes the role and closes the portal to him.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from jikimi.accounts.actions import AccountError, create_user, grant_role
from jikimi.accounts.models import Role
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.actions.errors import RequestError, checked_text
from jikimi.disclosure.actions.provision_bodies import add_requesting_body
from jikimi.disclosure.actions.provision_intake import ProvisionError
from jikimi.disclosure.models import ExternalRequester, RequestingBody
from jikimi.inventory.models import Institution


class PortalAccountError(RequestError):
    """The account was refused as asked; nothing was saved. `field` names the form field at fault."""


@dataclass(frozen=True)
class NewBody:
    """A requesting body registered together with its first officer's account."""

    name: str
    kind: str


@dataclass(frozen=True)
class ExternalAccount:
    requester: ExternalRequester
    password: str  # one-time: shown once, changed at the first login


def _body(institution: Institution, body: RequestingBody | None, new_body: NewBody | None) -> RequestingBody:
    if body is not None and new_body is not None:
        raise PortalAccountError("요청 기관: 목록에서 고르거나 새 기관을 적거나, 하나만 하세요", "body")
    if body is not None:
        if body.institution_id != institution.pk or not body.active:
            raise PortalAccountError("요청 기관: 이 기관에 등록된 요청 기관을 고르세요", "body")
        return body
    if new_body is None:
        raise PortalAccountError("요청 기관: 목록에서 고르거나 새 기관의 이름을 적으세요", "body")
    name = checked_text(new_body.name, "new_body_name", "새 요청 기관 이름", 100, required=True)
    if new_body.kind not in RequestingBody.Kind.values:
        raise PortalAccountError("새 요청 기관의 구분(경찰·검찰·법원 등)을 고르세요", "new_body_kind")
    if RequestingBody.objects.filter(institution=institution, name=name).exists():
        raise PortalAccountError(
            f"요청 기관 '{name}'은(는) 이미 등록되어 있습니다. 목록에서 고르세요", "new_body_name"
        )
    # Not saved yet: added through prov's action (its own audit entry) with the account, or neither.
    return RequestingBody(institution=institution, name=name, kind=new_body.kind)


def create_external_account(
    actor: Actor,
    institution: Institution,
    *,
    body: RequestingBody | None,
    new_body: NewBody | None = None,
    username: str,
    name: str,
    department: str,
    position: str,
    phone: str,
    email: str,
    reason: str = "",
) -> ExternalAccount:
    """Create a body's officer's account, his role at `institution` and his link to the body.

    The caller has checked that the actor manages the institution's accounts (MANAGE_ACCOUNTS on the
    whole institution). Everything is checked before anything is written.
    """
    if actor.user is None:
        raise PortalAccountError("외부 기관 담당자 계정은 계정 관리자가 만듭니다")
    chosen = _body(institution, body, new_body)
    texts = {
        "department": checked_text(department, "department", "소속 부서", 100, required=True),
        "position": checked_text(position, "position", "직급", 60, required=True),
        "phone": checked_text(phone, "phone", "연락처", 40, required=True),
    }
    email = checked_text(email, "email", "전자우편", 254, required=True)
    try:
        validate_email(email)
    except ValidationError:
        raise PortalAccountError(f"전자우편 '{email}'의 형식이 올바르지 않습니다", "email") from None
    reason = checked_text(reason, "reason", "사유", 200, required=False)
    with transaction.atomic():
        body_added = chosen.pk is None
        if body_added:
            try:
                chosen = add_requesting_body(actor, institution, name=chosen.name, kind=chosen.kind)
            except ProvisionError as refused:
                raise PortalAccountError(str(refused), f"new_body_{refused.field or 'name'}") from None
        try:
            user, password = create_user(
                actor,
                username=username,
                name=name,
                institution=institution,
                position=texts["position"],
                phone=texts["phone"],
                email=email,
                reason=reason or f"외부 기관 담당자 ({chosen.name})",
            )
            grant_role(
                actor,
                user,
                role=Role.REQUESTING_OFFICER,
                institution=institution,
                reason=f"외부 기관 담당자: {chosen.name} {texts['department']}",
            )
        except AccountError as error:
            named = "username" if "아이디" in str(error) else "name" if "성명" in str(error) else None
            raise PortalAccountError(str(error), named) from None
        requester = ExternalRequester.objects.create(user=user, body=chosen, created_by=actor.user, **texts)
        record(
            actor,
            AuditEvent.DISCLOSURE_CREATE_EXTERNAL_ACCOUNT,
            requester,
            reason=reason,
            details={
                "username": user.username,
                "officer_body": chosen.name,
                "body_added": body_added,
                "officer_department": texts["department"],
                "officer_position": texts["position"],
            },
        )
    return ExternalAccount(requester, password)
