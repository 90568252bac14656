"""The ledger tests' world: the decision tests' people and request (factories_decisions), a device at the
gate with footage, and a provision case made through the ORM (the provision actions are another
module's; the ledger reads what their audit entries name)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import User
from jikimi.audit.actions import record
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.models import ProvisionCase, ProvisionFootage, RequestingBody
from jikimi.disclosure.tests.factories_decisions import WINDOW_START, actor, gate, traffic_group
from jikimi.inventory.models import Device
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR


def gate_device() -> Device:
    existing = Device.objects.filter(name="정문 1번").first()
    return existing or add_device(ACTOR, traffic_group(), "정문 1번", location=gate())


def police(institution: Any, name: str = "인천남동경찰서") -> RequestingBody:
    body, _ = RequestingBody.objects.get_or_create(
        institution=institution, name=name, defaults={"kind": RequestingBody.Kind.POLICE}
    )
    return body


_serial = iter(range(1, 10_000))


def provision_case(
    device: Device,
    *,
    preparer: User,
    approver: User | None,
    state: str = ProvisionCase.State.APPROVED,
    **fields: Any,
) -> ProvisionCase:
    """A case approved by `approver` (never the preparer), on the device's window (ORM factory)."""
    institution = device.device_group.institution
    now = timezone.now()
    values: dict[str, Any] = {
        "institution": institution,
        "case_number": f"{now:%Y}-P{next(_serial):04d}",
        "body": police(institution),
        "channel": ProvisionCase.Channel.PAPER,
        "state": state,
        "requester_department": "형사과",
        "requester_position": "경위",
        "requester_name": "최수사",
        "letter_number": "형사과-1234",
        "letter_date": now.date(),
        "legal_ground": "7",
        "ground_detail": "형사소송법 제199조",
        "purpose": "뺑소니 사건 수사",
        "received_at": now - timedelta(days=1),
        "received_by": preparer,
        "prepared_by": preparer,
        "prepared_at": now - timedelta(hours=20),
        "decided_by": approver,
        "decided_at": (now - timedelta(hours=2)) if approver else None,
        "approval_kind": ProvisionCase.ApprovalKind.PRIVACY_OFFICER if approver else "",
        "delivery": ProvisionCase.Delivery.PACKAGE,
        "use_period": "수사 종결 시까지",
        "use_method": "수사 자료로만 이용",
        "safety_measures": "암호화 저장, 접근 통제",
    }
    values.update(fields)
    case = ProvisionCase.objects.create(**values)
    ProvisionFootage.objects.create(
        case=case, device=device, start=WINDOW_START, end=WINDOW_START + timedelta(minutes=10)
    )
    return case


def provide(case: ProvisionCase, officer: User) -> None:
    """What the delivery step records (its details are that module's; the ledger reads the case)."""
    with transaction.atomic():
        ProvisionCase.objects.filter(pk=case.pk).update(
            state=ProvisionCase.State.PROVIDED, provided_at=timezone.now(), provided_by=officer
        )
        record(
            actor(officer),
            AuditEvent.DISCLOSURE_PROVIDE_FOOTAGE,
            case,
            details={"case_number": case.case_number},
        )


def report_destruction(case: ProvisionCase, officer: User, method: str = "영상 파일 영구 삭제") -> None:
    with transaction.atomic():
        ProvisionCase.objects.filter(pk=case.pk).update(
            state=ProvisionCase.State.CLOSED,
            destruction_reported_at=timezone.now(),
            destruction_method=method,
            closed_at=timezone.now(),
        )
        record(
            actor(officer),
            AuditEvent.DISCLOSURE_REPORT_DESTRUCTION,
            case,
            details={"case_number": case.case_number},
        )
