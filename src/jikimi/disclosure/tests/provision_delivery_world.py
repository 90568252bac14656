"""A world for the handover tests: the masked-copy world's camera (two real faces in the vault) and an
APPROVED provision of 인천 교통행정과's footage to a police station, made with minimal ORM rows (the
intake and approval actions are the `prov` helper's; the handover only needs an approved case).

Test modules import the fixtures they use by name (pytest finds fixtures in a module's namespace).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from PIL import Image

from jikimi.accounts.models import User
from jikimi.accounts.testing import make_user
from jikimi.disclosure.actions.masking import approve_release, start_provision_masking
from jikimi.disclosure.actions.provision_delivery import Handover
from jikimi.disclosure.models import MaskingJob, ProvisionCase, ProvisionFootage, RequestingBody
from jikimi.disclosure.tests.masking_fixtures import (
    CLOCK,
    World,
    kst,
    officer_actor,
    world_fixture,
)

__all__ = [
    "CLOCK",
    "Provision",
    "approve_case",
    "approved_masked_jobs",
    "handover",
    "make_case",
    "provision_fixture",
    "signature_png",
    "world_fixture",
]


@dataclass
class Provision:
    world: World
    case: ProvisionCase
    item: ProvisionFootage
    officer: User  # alice, 교통행정과: handles provisions
    privacy_officer: User  # 총괄책임관: approved the case


def make_case(world: World, *, serial: int = 7, state: str = ProvisionCase.State.RECEIVED) -> ProvisionCase:
    institution = world.location.device_group.institution
    body, _ = RequestingBody.objects.get_or_create(
        institution=institution, name="인천중부경찰서", defaults={"kind": RequestingBody.Kind.POLICE}
    )
    case = ProvisionCase.objects.create(
        institution=institution,
        case_number=f"2026-P{serial:04d}",
        body=body,
        channel=ProvisionCase.Channel.PAPER,
        state=state,
        requester_department="형사과 강력1팀",
        requester_position="경위",
        requester_name="이수사",
        letter_number="수사과-1234",
        letter_date=timezone.localdate(),
        legal_ground="7",
        ground_detail="형사소송법 제199조",
        purpose="교통사고 뺑소니 사건 수사",
        received_at=timezone.now(),
    )
    ProvisionFootage.objects.create(
        case=case, device=world.device, start=kst("2026-11-23T08:59:00"), end=kst("2026-11-23T09:01:00")
    )
    return case


def approve_case(case: ProvisionCase, approver: User, *, original_reason: str = "") -> ProvisionCase:
    """What prov's approval leaves on the case (오산시 지침 제32조②: the 총괄책임관)."""
    case.state = ProvisionCase.State.APPROVED
    case.decided_by = approver
    case.decided_at = timezone.now()
    case.approval_kind = ProvisionCase.ApprovalKind.PRIVACY_OFFICER
    case.decision_reason = "수사 목적상 필요"
    if original_reason:
        case.original_requested = True
        case.original_approved = True
        case.original_reason = original_reason
    case.save()
    return case


def approved_masked_jobs(provision: Provision, capture: Any) -> list[MaskingJob]:
    """Each footage item masked by the (immediate) task and its derivative approved."""
    jobs = []
    for item in provision.case.footage.all():
        with capture(execute=True):
            job = start_provision_masking(officer_actor(provision.officer), provision.case, item)
        job.refresh_from_db()
        assert job.state == MaskingJob.State.READY, job.error
        jobs.append(approve_release(officer_actor(provision.officer), job))
    return jobs


def handover(**changes: Any) -> Handover:
    fields: dict[str, Any] = {
        "delivery": ProvisionCase.Delivery.PACKAGE,
        "receiver_department": "인천중부경찰서 형사과",
        "receiver_position": "경위",
        "receiver_name": "이수사",
        "use_period": "수사 종결 시까지 (최대 2027-05-31)",
        "use_method": "사건 수사 자료로만 열람, 복제 금지",
        "safety_measures": "암호화 저장, 접근 권한자 한정, 반출 기록",
        "destroy_by": timezone.localdate() + timedelta(days=180),
    }
    fields.update(changes)
    return Handover(**fields)


def signature_png() -> bytes:
    image = Image.new("RGBA", (600, 200), (255, 255, 255, 0))
    for x in range(100, 500):
        image.putpixel((x, 100 + (x % 40) - 20), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(name="provision")
def provision_fixture(world: World, tmp_path: Path, settings: Any) -> Iterator[Provision]:
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    with time_machine.travel(CLOCK + timedelta(minutes=5), tick=True):
        privacy_officer = make_user(
            "bob", "privacy_officer", institution=world.location.device_group.institution, name="박총괄"
        )
        case = approve_case(make_case(world), privacy_officer)
        yield Provision(
            world=world,
            case=case,
            item=case.footage.get(),
            officer=world.officer,
            privacy_officer=privacy_officer,
        )
