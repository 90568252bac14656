"""법 제36조 (R24, R23): a deletion decision destroys exactly the request's footage — the devices at its
sites over its window — ends the hold placed for it, and is refused with a listed ground when another
hold or another person's open request needs the footage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import DecisionRefused, decide
from jikimi.disclosure.actions.deletion import DeletionBlocked
from jikimi.disclosure.models import Decision, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import (
    NOW,
    WINDOW_START,
    actor,
    gate,
    make_request,
    people,
    pinned_clock,  # noqa: F401 (fixture)
    traffic_group,
    vault_storage,  # noqa: F401 (fixture)
)
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.models import Destruction, LegalHold, Segment
from jikimi.vault.tests.conftest import ACTOR, synthetic_segment

pytestmark = pytest.mark.usefixtures("pinned_clock", "vault_storage")
Out = Decision.Outcome


@pytest.fixture
def footage(db):
    """Device at the gate with segments at 09:58, 10:00, 10:01, 10:03; another site's device at 10:00."""
    location = gate()
    device = add_device(ACTOR, traffic_group(), "정문 1번", location=location)
    elsewhere = add_device(ACTOR, traffic_group(), "후문 1번", location=gate(key="back", name="후문"))
    at = {m: synthetic_segment(device, WINDOW_START + timedelta(minutes=m)) for m in (-2, 0, 1, 3)}
    other = synthetic_segment(elsewhere, WINDOW_START)
    return location, device, at, other


def _hold(device, reference: str, basis: str = "청구 대상 영상 보존") -> LegalHold:
    return place_hold(
        ACTOR,
        device,
        WINDOW_START - timedelta(minutes=5),
        WINDOW_START + timedelta(minutes=10),
        basis=basis,
        requester="청구인",
        ends_on=date(2026, 12, 31),
        case_reference=reference,
    )


def test_deletion_destroys_the_window_ends_its_own_hold_and_keeps_the_rest(
    footage, django_capture_on_commit_callbacks
):
    location, device, at, other = footage
    request, _ = make_request(kind=SubjectRequest.Kind.DELETION, location=location)  # 10:00–10:02
    own = _hold(device, request.hold_reference)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(actor(people()["head"]), request, Out.DELETION)
    assert set(Segment.objects.filter(device=device)) == {at[-2], at[3]}
    assert Segment.objects.filter(pk=other.pk).exists()
    own.refresh_from_db()
    assert own.released_at is not None
    kinds = sorted(d.kind for d in decision.destructions.all())
    assert kinds == [Destruction.Kind.HOLD, Destruction.Kind.SEGMENTS]
    [segments] = decision.destructions.filter(kind=Destruction.Kind.SEGMENTS)
    assert segments.segments == 2
    assert sorted(segments.object_names) == sorted([at[0].object_name, at[1].object_name])
    assert AuditEntry.objects.filter(action=AuditEvent.VAULT_DESTROY_SEGMENTS).count() == 1
    assert AuditEntry.objects.filter(action=AuditEvent.VAULT_END_HOLD_FOR_CASE).count() == 1
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_DECIDE)
    assert sorted(entry.details["destructions"]) == sorted(d.pk for d in decision.destructions.all())
    assert "2개조각" in squeeze(pdf_text(bytes(decision.letter_pdf)))


def test_a_segment_under_another_hold_is_not_destroyed(footage):
    location, device, at, _other = footage
    request, _ = make_request(kind=SubjectRequest.Kind.DELETION, location=location)
    _hold(device, "인천경찰서 수사협조 2026-77", basis="수사기관 보존 요청")
    head = people()["head"]
    with pytest.raises(DeletionBlocked) as caught:
        decide(actor(head), request, Out.DELETION)
    assert [b.ground for b in caught.value.blockers] == ["investigation_trial"]
    assert "분리 보관 중" in str(caught.value)
    assert Segment.objects.filter(device=device).count() == 4
    assert not Decision.objects.exists()
    assert not Destruction.objects.filter(kind=Destruction.Kind.SEGMENTS).exists()
    # The officer refuses with the ground named, and the letter says why and how to appeal.
    decision = decide(
        actor(head),
        request,
        Out.REFUSAL,
        grounds=[caught.value.blockers[0].ground],
        reasons="수사기관의 요청으로 보존 중인 영상입니다",
    )
    text = squeeze(pdf_text(bytes(decision.letter_pdf)))
    assert "범죄수사·공소유지·재판수행" in text and "행정심판" in text


def test_another_persons_open_request_keeps_the_footage(footage):
    location, device, _at, _other = footage
    request, _ = make_request(kind=SubjectRequest.Kind.DELETION, location=location)
    make_request(kind=SubjectRequest.Kind.COPY, location=location, start=WINDOW_START + timedelta(minutes=1))
    with pytest.raises(DeletionBlocked) as caught:
        decide(actor(people()["head"]), request, Out.DELETION)
    assert [b.ground for b in caught.value.blockers] == ["harm_to_others"]
    assert Segment.objects.filter(device=device).count() == 4


def test_a_request_without_a_register_site_cannot_be_deleted_by_jikimi(db):
    request, _ = make_request(kind=SubjectRequest.Kind.DELETION)
    request.locations.clear()
    request.place_text = "시장 앞 사거리"
    request.save()
    with pytest.raises(DeletionBlocked, match="특정할 수 없습니다"):
        decide(actor(people()["privacy"]), request, Out.DELETION)


def test_todays_footage_is_deleted_from_the_next_day_and_the_own_hold_stays(footage):
    location, device, _at, _other = footage
    request, _ = make_request(
        kind=SubjectRequest.Kind.DELETION, location=location, start=NOW - timedelta(hours=1), minutes=30
    )
    own = _hold(device, request.hold_reference)
    with pytest.raises(DecisionRefused, match="다음 날부터 삭제"):
        decide(actor(people()["head"]), request, Out.DELETION)
    own.refresh_from_db()
    assert own.released_at is None and not Decision.objects.exists()
