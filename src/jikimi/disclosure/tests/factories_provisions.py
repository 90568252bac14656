"""Provision cases built directly for the tests of what follows a provision (the intake, approval and
handover live on other branches): a requesting body, its officer's account, a case already PROVIDED
with the dates the handover sets (actions.provision_after.settle_duties)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import Role, User
from jikimi.accounts.testing import make_user
from jikimi.disclosure.actions.provision_after import settle_duties
from jikimi.disclosure.models import ExternalRequester, ProvisionCase, ProvisionFootage, RequestingBody
from jikimi.inventory.models import Device, Institution


def make_body(
    institution: Institution, name: str = "인천남동경찰서", kind: str = RequestingBody.Kind.POLICE
) -> RequestingBody:
    return RequestingBody.objects.create(institution=institution, name=name, kind=kind)


def make_requester(
    body: RequestingBody, username: str, *, created_by: User, email: str = ""
) -> ExternalRequester:
    """A body's officer with an account (Role.REQUESTING_OFFICER at the body's institution)."""
    user = make_user(
        username, Role.REQUESTING_OFFICER, body.institution, name=f"{username} 경위", email=email
    )
    return ExternalRequester.objects.create(
        user=user, body=body, department="형사과", position="경위", created_by=created_by
    )


def make_provided_case(
    institution: Institution,
    body: RequestingBody,
    device: Device,
    *,
    officer: User,
    legal_ground: str = "7",
    provided_at: datetime | None = None,
    destroy_by: date | None = None,
    **fields: Any,
) -> ProvisionCase:
    """A case approved and handed over at `provided_at` (default now) by `officer`; `fields` override.

    The destruction date defaults to 30 days after the day of provision; publish_by follows the ground.
    """
    now = provided_at or timezone.now()
    serial = ProvisionCase.objects.filter(institution=institution).count() + 1
    day = timezone.localtime(now).date()
    defaults: dict[str, Any] = {
        "case_number": f"{day.year}-P{serial:04d}",
        "channel": ProvisionCase.Channel.PAPER,
        "state": ProvisionCase.State.PROVIDED,
        "requester_department": "형사과",
        "requester_position": "경위",
        "requester_name": "김수사",
        "requester_phone": "02-000-0000",
        "letter_number": f"남동서 형사과-{serial}",
        "letter_date": day - timedelta(days=3),
        "legal_ground": legal_ground,
        "purpose": "홍길동 폭행 사건 수사",  # personal: never on the public page
        "received_at": now - timedelta(days=3),
        "received_by": officer,
        "prepared_by": officer,
        "prepared_at": now - timedelta(days=2),
        "decided_at": now - timedelta(days=1),
        "approval_kind": ProvisionCase.ApprovalKind.PRIVACY_OFFICER,
        "delivery": ProvisionCase.Delivery.PACKAGE,
        "provided_at": now,
        "provided_by": officer,
    }
    defaults.update(fields)
    with transaction.atomic():
        case = ProvisionCase(institution=institution, body=body, **defaults)
        settle_duties(case, destroy_by or day + timedelta(days=30))
        case.save()
        start = now - timedelta(days=5)
        ProvisionFootage.objects.create(
            case=case, device=device, start=start, end=start + timedelta(minutes=30)
        )
    return case
