"""Deciding a request (법 제35조③④; R21, R22, R23): every outcome, its checks, its letter and its mail."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import (
    OUTCOMES_FOR_KIND,
    DecisionRefused,
    NotPermitted,
    decide,
    outcomes_for,
)
from jikimi.disclosure.models import Decision, SubjectRequest
from jikimi.disclosure.tests.factories_decisions import (
    NOW,
    actor,
    make_request,
    people,
    pinned_clock,  # noqa: F401 (fixture)
)
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze

Out = Decision.Outcome
K = SubjectRequest.Kind
pytestmark = pytest.mark.usefixtures("pinned_clock")


def _extra(outcome: str) -> dict:
    if outcome == Out.VIEWING_ON_SITE:
        return {"viewing_at": NOW + timedelta(days=2), "viewing_place": "시청 별관 2층 관제센터"}
    if outcome in (Out.REFUSAL, Out.PARTIAL):
        extra = {"grounds": ["harm_to_others"], "reasons": "다른 사람이 함께 찍혀 있습니다"}
        if outcome == Out.PARTIAL:
            extra["limited"] = "10:01 이후 구간"
        return extra
    return {}


CASES = [(kind, outcome) for kind, outcomes in OUTCOMES_FOR_KIND.items() for outcome in sorted(outcomes)]


@pytest.mark.parametrize(("kind", "outcome"), [c for c in CASES if c[1] != Out.DELETION])
def test_every_outcome_decides_writes_a_letter_and_audits(db, kind, outcome):
    head = people()["head"]
    request, _token = make_request(kind=kind)
    decision = decide(actor(head), request, outcome, **_extra(outcome))
    request.refresh_from_db()
    assert request.state == SubjectRequest.State.DECIDED
    assert decision.number == 1 and decision.decided_by == head
    assert bytes(decision.letter_pdf).startswith(b"%PDF")
    assert decision.letter_template == "disclosure/letters/decision.html"
    text = squeeze(pdf_text(bytes(decision.letter_pdf)))
    assert squeeze(str(Out(outcome).label)) in text
    assert request.receipt_number in text and "인천광역시" in text
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_DECIDE)
    assert entry.details["outcome"] == outcome and entry.details["letter_sha256"] == decision.letter_sha256


def test_a_refusal_needs_a_listed_ground_and_reasons(db):
    head = people()["head"]
    request, _ = make_request()
    with pytest.raises(DecisionRefused, match="거부·제한 사유"):
        decide(actor(head), request, Out.REFUSAL, reasons="사유만 있음")
    with pytest.raises(DecisionRefused, match="사유: 거부"):
        decide(actor(head), request, Out.REFUSAL, grounds=["law_prohibits"])
    with pytest.raises(DecisionRefused, match="목록에 없는"):
        decide(actor(head), request, Out.REFUSAL, grounds=["because"], reasons="x")
    with pytest.raises(DecisionRefused, match="쓸 수 없습니다"):
        decide(actor(head), request, Out.REFUSAL, grounds=["osan_public_interest"], reasons="x")
    assert not Decision.objects.exists() and not AuditEntry.objects.filter(
        action=AuditEvent.DISCLOSURE_DECIDE
    )


def test_the_refusal_letter_carries_the_ground_the_reasons_and_the_appeal_routes(db):
    head = people()["head"]
    request, _ = make_request()
    decision = decide(
        actor(head),
        request,
        Out.REFUSAL,
        grounds=["investigation_trial", "law_prohibits"],
        reasons="경찰서에서 수사 중인 사건의 증거로 보존 중입니다",
    )
    text = squeeze(pdf_text(bytes(decision.letter_pdf)))
    for expected in (
        "거부 사유",
        "개인정보보호법제35조제4항제1호",
        "범죄수사·공소유지·재판수행에중대한지장",
        "경찰서에서수사중인사건의증거로보존중입니다",
        "불복방법",
        "행정심판",
        "행정소송",
        "개인정보침해신고센터",
        "(국번없이)118",
        "개인정보분쟁조정위원회",
        "1833-6972",
    ):
        assert squeeze(expected) in text, expected
    assert decision.grounds == ["law_prohibits", "investigation_trial"]  # the list's order


def test_a_grant_letter_has_no_appeal_section(db):
    request, _ = make_request(kind=K.COPY)
    decision = decide(actor(people()["head"]), request, Out.COPY)
    assert "불복방법" not in squeeze(pdf_text(bytes(decision.letter_pdf)))


def test_nothing_is_decided_before_the_identity_check(db):
    request, _ = make_request(identity=False)
    with pytest.raises(DecisionRefused, match="본인 확인"):
        decide(actor(people()["head"]), request, Out.VIEWING_ONLINE)
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [(K.VIEWING, Out.DELETION), (K.VIEWING, Out.FOUND), (K.EXISTENCE, Out.COPY), (K.COPY, Out.DELETION)],
)
def test_an_outcome_must_answer_the_kind_of_request(db, kind, outcome):
    request, _ = make_request(kind=kind)
    with pytest.raises(DecisionRefused, match="결정이 아닙니다"):
        decide(actor(people()["head"]), request, outcome)


def test_outcomes_offered_per_kind():
    assert [v for v, _ in outcomes_for(K.EXISTENCE)] == [Out.FOUND, Out.NOT_FOUND, Out.REFUSAL]
    assert Out.DELETION in [v for v, _ in outcomes_for(K.DELETION)]


def test_on_site_viewing_needs_a_future_time_and_a_place(db):
    head = people()["head"]
    request, _ = make_request()
    with pytest.raises(DecisionRefused, match="열람 일시"):
        decide(actor(head), request, Out.VIEWING_ON_SITE, viewing_place="관제센터")
    with pytest.raises(DecisionRefused, match="지금보다 뒤"):
        decide(
            actor(head), request, Out.VIEWING_ON_SITE, viewing_at=NOW - timedelta(hours=1), viewing_place="x"
        )
    with pytest.raises(DecisionRefused, match="열람 장소"):
        decide(actor(head), request, Out.VIEWING_ON_SITE, viewing_at=NOW + timedelta(days=1))
    decision = decide(
        actor(head),
        request,
        Out.VIEWING_ON_SITE,
        viewing_at=NOW + timedelta(days=1),
        viewing_place="관제센터 1층",
    )
    text = squeeze(pdf_text(bytes(decision.letter_pdf)))
    assert "관제센터1층" in text and squeeze((NOW + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")) in text


def test_a_partial_decision_says_what_is_limited(db):
    head = people()["head"]
    request, _ = make_request()
    with pytest.raises(DecisionRefused, match="제한하는 내용"):
        decide(actor(head), request, Out.PARTIAL, grounds=["harm_to_others"], reasons="다른 사람")
    decision = decide(actor(head), request, Out.PARTIAL, **_extra(Out.PARTIAL))
    text = squeeze(pdf_text(bytes(decision.letter_pdf)))
    assert "10:01이후구간" in text and "불복방법" in text


def test_grounds_are_refused_on_a_grant(db):
    request, _ = make_request()
    with pytest.raises(DecisionRefused, match="고르지 마세요"):
        decide(actor(people()["head"]), request, Out.VIEWING_ONLINE, grounds=["law_prohibits"])


@pytest.mark.parametrize("who", ["officer", "auditor", "operator"])
def test_only_a_decider_in_scope_decides(db, who):
    persons = people()
    request, _ = make_request()
    with pytest.raises(NotPermitted):
        decide(actor(persons[who]), request, Out.VIEWING_ONLINE)
    assert not Decision.objects.exists()
    request.refresh_from_db()
    assert request.state == SubjectRequest.State.IDENTITY_VERIFIED


def test_the_privacy_officer_decides_too_and_decisions_are_numbered(db):
    persons = people()
    request, _ = make_request(kind=K.EXISTENCE)
    decide(actor(persons["privacy"]), request, Out.FOUND)
    second = decide(actor(persons["head"]), request, Out.NOT_FOUND)
    assert second.number == 2


def test_a_withdrawn_request_is_not_decided(db):
    request, _ = make_request()
    request.state = SubjectRequest.State.WITHDRAWN
    request.save()
    with pytest.raises(DecisionRefused, match="취하"):
        decide(actor(people()["head"]), request, Out.VIEWING_ONLINE)


def test_an_overlong_reason_is_refused_first(db):
    request, _ = make_request(identity=False)
    with pytest.raises(DecisionRefused, match="2,000자"):
        decide(actor(people()["auditor"]), request, Out.REFUSAL, reasons="가" * 2001)


def test_the_letter_is_mailed_with_the_pdf_attached(db, smtp_inbox, django_capture_on_commit_callbacks):
    request, _ = make_request(email="hong@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(
            actor(people()["head"]),
            request,
            Out.REFUSAL,
            grounds=["just_cause"],
            reasons="영상 속 인물을 특정할 수 없습니다",
        )
    [(recipients, message)] = smtp_inbox.received()
    assert recipients == ["hong@example.org"]
    subject = str(make_header(decode_header(message["Subject"])))
    assert request.receipt_number in subject and "결정 통지" in subject
    attachments = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert len(attachments) == 1
    assert attachments[0].get_payload(decode=True) == bytes(decision.letter_pdf)
    assert attachments[0].get_filename() == decision.letter_name


def test_an_institution_with_its_own_template_gets_it(db, settings, tmp_path):
    own = tmp_path / "templates" / "disclosure" / "letters" / "incheon"
    own.mkdir(parents=True)
    (own / "decision.html").write_text(
        '{% extends "disclosure/letters/decision.html" %}{% block title %}인천 전용 양식{% endblock %}',
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    request, _ = make_request(kind=K.EXISTENCE)
    decision = decide(actor(people()["head"]), request, Out.FOUND)
    assert decision.letter_template == "disclosure/letters/incheon/decision.html"
