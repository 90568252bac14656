"""The 관리대장 is fed by the audit log (R26, R30; 오산시 지침 별지 제2호서식): each mapped event, done by the
real action, writes its row in the same transaction — 열람 from requests, 제공 and 파기 from provisions,
파기 from the vault, 이용 from viewings — numbered per institution in order."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from jikimi.accounts.testing import make_institution, make_user
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.actions.delivery import view_online
from jikimi.disclosure.models import CopyDelivery, Decision, LedgerEntry, MaskingJob, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import (
    WINDOW_START,
    actor,
    gate,
    make_request,
    people,
    pinned_clock,  # noqa: F401 (fixture)
    vault_storage,  # noqa: F401 (fixture)
)
from jikimi.disclosure.tests.intake_world import kst
from jikimi.disclosure.tests.ledger_world import gate_device, provide, provision_case, report_destruction
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.actions.playback import open_viewing
from jikimi.vault.models import Destruction
from jikimi.vault.tests.conftest import CLOCK_CONFIRMED, new_device, synthetic_segment, traffic_group

pytestmark = pytest.mark.usefixtures("vault_storage")
Kind = LedgerEntry.Kind
Out = Decision.Outcome


@pytest.mark.usefixtures("pinned_clock")
def test_a_decision_is_an_열람_row_with_the_requester_and_the_decision(db):
    head = people()["head"]
    device = gate_device()
    request, _ = make_request(requester_phone="010-1234-5678")
    decide(actor(head), request, Out.VIEWING_ONLINE)
    [row] = LedgerEntry.objects.all()
    assert (row.number, row.kind, row.institution_id) == (1, Kind.VIEWING, request.institution_id)
    assert row.subject_request == request and row.officer == head and row.officer_name == "박운영"
    assert row.party == "홍길동 (010-1234-5678)"
    assert row.legal_basis == "개인정보 보호법 제35조"
    assert "온라인 열람" in row.form and request.receipt_number in row.purpose
    assert row.period == "2026-11-20 10:00 ~ 10:02" and "정문 1번" in row.file_description
    assert list(row.devices.all()) == [device] and row.device_ids == [device.pk]
    assert row.audit_entry == AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_DECIDE)
    assert row.approved_at is None  # 결재 comes from somebody else (test_ledger_approval)


@pytest.mark.usefixtures("pinned_clock")
def test_a_refusal_is_entered_with_its_ground_r26(db):
    head = people()["head"]
    request, _ = make_request()
    decide(actor(head), request, Out.REFUSAL, grounds=["harm_to_others"], reasons="다른 사람이 찍혀 있음")
    [row] = LedgerEntry.objects.all()
    assert row.kind == Kind.VIEWING and row.form.startswith("청구 결정: 거부 — 근거:")


@pytest.mark.usefixtures("pinned_clock")
def test_the_requester_opening_the_online_viewing_is_an_열람_row(db):
    officer = people()["officer"]
    device = gate_device()
    request, _ = make_request()
    job = MaskingJob.objects.create(
        request=request,
        device=device,
        start=request.period_start,
        end=request.period_end,
        state=MaskingJob.State.APPROVED,
        created_by=officer,
        derivative_sha256="ab" * 32,
    )
    delivery = CopyDelivery.objects.create(
        job=job,
        kind=CopyDelivery.Kind.ONLINE,
        sha256=job.derivative_sha256,
        created_by=officer,
        expires_at=timezone.now() + timedelta(days=7),
    )
    view_online(Actor(user=None, label="청구인(상태 확인 링크)", client_address="203.0.113.5"), delivery)
    [row] = LedgerEntry.objects.all()
    assert row.kind == Kind.VIEWING and row.form == "온라인 열람 (마스킹한 영상)"
    assert row.officer == officer and row.party.startswith("홍길동") and row.subject_request == request
    # a download of the copy reads the same way (its action needs the encrypted file; the event is the same)
    with transaction.atomic():
        record(
            Actor(user=None, label="청구인", client_address="x"),
            AuditEvent.DISCLOSURE_DOWNLOAD_COPY,
            request,
            details={"delivery": delivery.pk, "job": job.pk},
        )
    assert LedgerEntry.objects.get(number=2).form.startswith("사본 내려받기")


@pytest.mark.usefixtures("pinned_clock")
def test_a_deletion_decision_writes_the_파기_rows_of_the_destroyed_footage(
    db, django_capture_on_commit_callbacks
):
    device = gate_device()
    for minute in (0, 1):
        synthetic_segment(device, WINDOW_START + timedelta(minutes=minute))
    request, _ = make_request(kind=SubjectRequest.Kind.DELETION, location=gate())
    with django_capture_on_commit_callbacks(execute=True):
        decide(actor(people()["head"]), request, Out.DELETION)
    rows = list(LedgerEntry.objects.order_by("number"))
    assert [r.kind for r in rows] == [Kind.VIEWING, Kind.DESTRUCTION]
    destruction = Destruction.objects.get(kind=Destruction.Kind.SEGMENTS)
    assert rows[1].destruction == destruction and rows[1].subject_request == request
    assert rows[1].legal_basis == "개인정보 보호법 제36조" and "2개 조각" in rows[1].file_description


def test_the_retention_sweep_writes_one_파기_row_per_device_day(db):
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
    [row] = LedgerEntry.objects.filter(kind=Kind.DESTRUCTION)
    destruction = Destruction.objects.get()
    assert row.destruction == destruction and row.officer is None and "retention" in row.officer_name
    assert row.file_description.startswith("[교통행정과") and "2026-11-23" in row.file_description
    assert "보관기간 1일 만료" in row.legal_basis and row.period.startswith("2026-11-23 00:00")
    assert list(row.devices.all()) == [device]


@pytest.mark.usefixtures("pinned_clock")
def test_an_officer_viewing_footage_is_the_institutions_own_이용(db):
    officer = people()["officer"]
    device = gate_device()
    open_viewing(
        actor(officer), device, WINDOW_START, WINDOW_START + timedelta(minutes=5), "교통사고 경위 확인"
    )
    [row] = LedgerEntry.objects.all()
    assert row.kind == Kind.USE and row.purpose == "교통사고 경위 확인" and row.officer == officer
    assert row.form == "영상 재생(열람)" and row.period == "2026-11-20 10:00 ~ 10:05"


@pytest.mark.usefixtures("pinned_clock")
def test_a_provision_is_a_제공_row_with_the_items_of_시행령_15조_and_its_approval_as_결재(db):
    crew = people()
    device = gate_device()
    case = provision_case(device, preparer=crew["officer"], approver=crew["privacy"])
    provide(case, crew["officer"])
    [row] = LedgerEntry.objects.all()
    assert row.kind == Kind.PROVISION and row.provision == case and row.body_name == "인천남동경찰서"
    assert row.party == "인천남동경찰서 형사과 경위 최수사"
    assert row.legal_basis == "개인정보 보호법 제18조제2항제7호 (형사소송법 제199조)"
    assert row.purpose == "뺑소니 사건 수사" and row.form == "암호화 사본 제공 — 제3자 마스킹"
    assert "정문 1번" in row.items and "수사 종결 시까지" in row.limits and "재제공 금지" in row.limits
    # 결재 of a provision is its approval (오산시 지침 제32조②), never the preparer's
    assert row.approved_by == crew["privacy"] and row.approved_by_name == "이보호"
    assert row.approved_at == case.decided_at and row.officer == crew["officer"]
    report_destruction(case, crew["officer"])
    destroyed = LedgerEntry.objects.get(number=2)
    assert destroyed.kind == Kind.DESTRUCTION and destroyed.provision == case
    assert destroyed.form == "영상 파일 영구 삭제" and destroyed.party.startswith("인천남동경찰서")


@pytest.mark.usefixtures("pinned_clock")
def test_numbers_run_per_institution_in_order(db):
    crew = people()
    device = gate_device()
    other = make_institution("gwangyang", "광양시")
    other_device = new_device(traffic_group(institution=other), name="광양 1번")
    other_officer = make_user("gy", "officer", institution=other, departments=["교통행정과"])
    for purpose in ("첫째 확인 목적", "둘째 확인 목적"):
        open_viewing(
            actor(crew["officer"]), device, WINDOW_START, WINDOW_START + timedelta(minutes=1), purpose
        )
    open_viewing(
        actor(other_officer), other_device, WINDOW_START, WINDOW_START + timedelta(minutes=1), "광양 확인"
    )
    open_viewing(
        actor(crew["officer"]), device, WINDOW_START, WINDOW_START + timedelta(minutes=1), "셋째 확인 목적"
    )
    numbers = [
        (e.institution_id == other.pk, e.number, e.purpose) for e in LedgerEntry.objects.order_by("pk")
    ]
    assert numbers == [
        (False, 1, "첫째 확인 목적"),
        (False, 2, "둘째 확인 목적"),
        (True, 1, "광양 확인"),
        (False, 3, "셋째 확인 목적"),
    ]


@pytest.mark.usefixtures("pinned_clock")
def test_an_action_that_rolls_back_leaves_no_row(db):
    device = gate_device()
    with pytest.raises(RuntimeError), transaction.atomic():
        open_viewing(
            actor(people()["officer"]),
            device,
            WINDOW_START,
            WINDOW_START + timedelta(minutes=1),
            "롤백될 열람",
        )
        assert LedgerEntry.objects.count() == 1  # written inside the action's transaction
        raise RuntimeError("the rest of the action failed")
    assert not LedgerEntry.objects.exists()


def test_a_hold_ending_destroys_its_copies_as_a_파기_row(db):
    from datetime import date, datetime, time

    from jikimi.lib.clock import SEOUL
    from jikimi.vault.actions.holds import place_hold

    day = date(2026, 3, 2)

    def at(days: int, hour: int = 3) -> datetime:
        return datetime.combine(day + timedelta(days=days), time(hour), SEOUL)

    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(at(0, 12), tick=False):
        for minute in range(3):
            synthetic_segment(device, at(0, 9) + timedelta(minutes=minute))
    with time_machine.travel(at(0, 13), tick=False):
        place_hold(
            Actor.system("test"),
            device,
            at(0, 9),
            at(0, 9) + timedelta(minutes=2),
            basis="수사기관 보존 요청 제2026-1호",
            requester="금천경찰서",
            ends_on=day + timedelta(days=5),
        )
    for days in (2, 5):  # the day key on time (R17), then the hold at its end date (R18)
        with time_machine.travel(at(days), tick=False):
            enforce_retention(Actor.system("retention"), clock_confirmed=CLOCK_CONFIRMED)
    rows = list(LedgerEntry.objects.order_by("number"))
    assert [r.kind for r in rows] == [Kind.DESTRUCTION, Kind.DESTRUCTION]
    held = rows[1]
    assert held.destruction == Destruction.objects.get(kind=Destruction.Kind.HOLD)
    assert "분리 보관 사본 2개" in held.file_description and "수사기관 보존 요청" in held.legal_basis
    assert held.purpose.startswith("보존 종료일")
