"""Demo cases for `make run` (jikimi load_demo): a year of requests, provisions and a destruction, so that
the 관리대장 and the yearly figures have something to show on a fresh demo.

The cases are made through the ORM, each step then recorded in the audit log as the demo loader's own
(actor "데모 데이터") — the 관리대장 rows follow from those audit entries exactly as in real use. Nothing
here runs outside `load_demo`; the cases are marked as demo ones (접수번호 …-D…, 사건번호 …-PD…).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure.models import (
    Decision,
    ProvisionCase,
    ProvisionFootage,
    RequestingBody,
    SubjectRequest,
)
from jikimi.inventory.models import Device, DeviceGroup, Institution, Location
from jikimi.rules.refusal_grounds import BY_CODE
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import Destruction

DEMO = Actor(user=None, label="데모 데이터", client_address="load_demo")
DEMO_DEVICE = "데모 사례 카메라 (과거 영상)"
Out = Decision.Outcome
K = SubjectRequest.Kind

# (days ago received, days to decide or None, kind, outcome, refusal grounds, requester)
REQUESTS: list[tuple[int, int | None, str, str, list[str], str]] = [
    (300, 3, K.VIEWING, Out.VIEWING_ONLINE, [], "김민수"),
    (240, 7, K.COPY, Out.COPY, [], "이서연"),
    (180, 9, K.VIEWING, Out.REFUSAL, ["harm_to_others"], "박지훈"),
    (120, 2, K.EXISTENCE, Out.FOUND, [], "최유진"),
    (60, 5, K.COPY, Out.PARTIAL, ["harm_to_others"], "정하늘"),
    (20, 4, K.VIEWING, Out.VIEWING_ON_SITE, [], "한지민"),
    (3, None, K.VIEWING, "", [], "오세훈"),
]


def load_demo_cases(institution: Institution, approver: Any) -> str:
    """Create the demo cases once (a second run finds them and does nothing); say what was made."""
    if SubjectRequest.objects.filter(institution=institution, receipt_number__contains="-D").exists():
        return "데모 청구·제공 사례가 이미 있습니다."
    group = _group(institution)
    if group is None:
        return "영상을 보관하는 기기 묶음이 없어 데모 사례를 만들지 않았습니다."
    location = Location.objects.filter(device_group=group).order_by("pk").first()
    device = Device.objects.filter(device_group=group, name=DEMO_DEVICE).first() or add_device(
        Actor.command("load_demo"), group, DEMO_DEVICE, location=location
    )
    now = timezone.now()
    with transaction.atomic():
        for serial, (ago, days, kind, outcome, grounds, name) in enumerate(REQUESTS, start=1):
            _request(
                institution, location, serial, now - timedelta(days=ago), days, kind, outcome, grounds, name
            )
        police = _body(institution, "인천남동경찰서", RequestingBody.Kind.POLICE)
        court = _body(institution, "인천지방법원", RequestingBody.Kind.COURT)
        _provision(institution, device, police, 1, now - timedelta(days=150), "7", "provided", approver)
        _provision(institution, device, police, 2, now - timedelta(days=45), "7", "closed", approver)
        _provision(institution, device, court, 3, now - timedelta(days=30), "8", "refused", approver)
        _destruction(device, now - timedelta(days=10))
    return f"데모 사례: 열람 등 청구 {len(REQUESTS)}건, 제3자 제공 요청 3건, 파기 1건 (관리대장: /ledger/)."


def _group(institution: Institution) -> DeviceGroup | None:
    from jikimi.rules.retention import RetentionError, parse_retention

    groups = DeviceGroup.objects.filter(institution=institution, status=DeviceGroup.Status.OPERATING)
    for group in groups.order_by("pk"):
        try:
            if parse_retention(group.retention).stores_footage:
                return group
        except RetentionError:
            continue
    return None


def _request(
    institution: Institution,
    location: Location | None,
    serial: int,
    received: datetime,
    days: int | None,
    kind: str,
    outcome: str,
    grounds: list[str],
    name: str,
) -> None:
    start = received - timedelta(days=2, hours=3)
    request = SubjectRequest.objects.create(
        institution=institution,
        receipt_number=f"{received:%Y}-D{serial:04d}",
        status_token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
        kind=kind,
        channel=SubjectRequest.Channel.ONLINE,
        state=SubjectRequest.State.IDENTITY_VERIFIED if days is None else SubjectRequest.State.DECIDED,
        requester_name=name,
        requester_phone="010-0000-0000",
        period_start=start,
        period_end=start + timedelta(minutes=20),
        place_text="" if location else "정문 앞",
        purpose="교통사고 당시 제 모습 확인",
        received_at=received,
        due_on=(received + timedelta(days=10)).date(),
    )
    if location is not None:
        request.locations.add(location)
    if days is None:
        return
    reasons = "다른 사람이 함께 찍혀 있어 그 부분은 보여 드릴 수 없습니다" if grounds else ""
    decision = Decision(
        request=request,
        number=1,
        outcome=outcome,
        grounds=grounds,
        reasons=reasons,
        limited="다른 사람이 찍힌 구간 제외" if outcome == Out.PARTIAL else "",
        viewing_at=received + timedelta(days=days + 2) if outcome == Out.VIEWING_ON_SITE else None,
        viewing_place="통합관제센터 열람실" if outcome == Out.VIEWING_ON_SITE else "",
        decided_at=received + timedelta(days=days),
        decided_by_label=DEMO.label,
    )
    decision.letter_pdf = b""  # the demo sends no letter; the field is sealed all the same
    decision.save()
    record(
        DEMO,
        AuditEvent.DISCLOSURE_DECIDE,
        request,
        reason=reasons or decision.get_outcome_display(),
        details={
            "decision": 1,
            "outcome": outcome,
            "grounds": [BY_CODE[code].citation for code in grounds],
            "destructions": [],
        },
    )


def _body(institution: Institution, name: str, kind: str) -> RequestingBody:
    body, _ = RequestingBody.objects.get_or_create(
        institution=institution, name=name, defaults={"kind": kind}
    )
    return body


def _provision(
    institution: Institution,
    device: Device,
    body: RequestingBody,
    serial: int,
    received: datetime,
    item: str,
    outcome: str,
    approver: Any,
) -> None:
    State = ProvisionCase.State
    refused = outcome == "refused"
    decided = received + timedelta(days=1)
    provided = received + timedelta(days=2)
    case = ProvisionCase.objects.create(
        institution=institution,
        case_number=f"{received:%Y}-PD{serial:03d}",
        body=body,
        channel=ProvisionCase.Channel.PAPER,
        state={"provided": State.PROVIDED, "closed": State.CLOSED, "refused": State.REFUSED}[outcome],
        requester_department="형사과" if body.kind == RequestingBody.Kind.POLICE else "형사재판부",
        requester_position="경위" if body.kind == RequestingBody.Kind.POLICE else "주무관",
        requester_name="최수사" if body.kind == RequestingBody.Kind.POLICE else "김법원",
        letter_number=f"데모-{serial:03d}",
        letter_date=received.date(),
        legal_ground=item,
        purpose="뺑소니 사건 수사" if item == "7" else "손해배상 사건 증거 확인",
        received_at=received,
        decided_by=approver,
        decided_at=decided if approver else None,
        approval_kind=ProvisionCase.ApprovalKind.PRIVACY_OFFICER if approver else "",
        decision_reason="제3자의 권익 침해 우려가 커서 거부"
        if refused
        else "수사 목적에 필요한 범위로 한정하여 승인",
        delivery="" if refused else ProvisionCase.Delivery.PACKAGE,
        use_period="" if refused else "수사 종결 시까지",
        use_method="" if refused else "수사 자료로만 이용",
        safety_measures="" if refused else "암호화 저장, 접근 통제",
        provided_at=None if refused else provided,
        destroy_by=None if refused else (provided + timedelta(days=90)).date(),
        destruction_reported_at=provided + timedelta(days=20) if outcome == "closed" else None,
        destruction_method="영상 파일 영구 삭제" if outcome == "closed" else "",
        closed_at=provided + timedelta(days=20) if outcome == "closed" else None,
    )
    start = received - timedelta(days=1, hours=5)
    ProvisionFootage.objects.create(case=case, device=device, start=start, end=start + timedelta(minutes=30))
    if refused:
        return
    details = {"case_number": case.case_number}
    record(DEMO, AuditEvent.DISCLOSURE_PROVIDE_FOOTAGE, case, details=details)
    if outcome == "closed":
        record(DEMO, AuditEvent.DISCLOSURE_REPORT_DESTRUCTION, case, details=details)


def _destruction(device: Device, at: datetime) -> None:
    start = (at - timedelta(days=31)).replace(hour=0, minute=0, second=0, microsecond=0)
    destruction = Destruction.objects.create(
        kind=Destruction.Kind.DAY_KEY,
        device=device,
        key_id=f"demo/{device.pk}/{start:%Y%m%d}",
        covers_start=start,
        covers_end=start + timedelta(days=1),
        retention=device.device_group.retention,
        segments=8640,
        method="일별 암호 키 파기(crypto-shredding) 후 암호문 삭제 — 복구 불가",
        destroyed_at=at,
        actor_label=DEMO.label,
    )
    record(
        DEMO,
        AuditEvent.VAULT_DESTROY_DAY_KEY,
        destruction,
        reason=f"보관기간({device.device_group.retention}) 만료",
        details={"type": "파기", "device": device.pk, "destruction": destruction.pk},
    )
