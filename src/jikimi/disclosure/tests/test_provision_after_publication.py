"""Publication of a provision (법 제18조④, R31) on the public page "개인정보 목적 외 이용 및 제3자 제공
현황" — only published cases of its institution, no personal data; item 7 is 공개 제외 — and the notice to
the data subject (오산시 지침 제35조②), recorded either way."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.provision_after import DutyError
from jikimi.disclosure.actions.provision_publication import Publication, draft, publish_provision
from jikimi.disclosure.models import ProvisionCase
from jikimi.disclosure.tests.conftest import Desk
from jikimi.disclosure.tests.factories_provisions import make_body, make_provided_case
from jikimi.disclosure.tests.intake_world import publish_stub
from jikimi.disclosure.tests.provision_after_world import (
    PROVIDED,
    Police,
    at,
    attachment_store,
    pinned_clock,
    police,
)
from jikimi.lib.clock import today

__all__ = ["attachment_store", "pinned_clock", "police"]

pytestmark = pytest.mark.django_db(transaction=True)


def case(desk: Desk, police: Police, ground: str, **fields: object) -> ProvisionCase:
    fields.setdefault("institution", desk.institution)
    fields.setdefault("body", police.namdong)
    fields.setdefault("device", desk.gate_camera)
    with time_machine.travel(PROVIDED, tick=False):
        return make_provided_case(officer=desk.alice, legal_ground=ground, **fields)  # type: ignore[arg-type]


def test_the_officer_publishes_and_the_public_page_shows_only_what_may_be_shown(
    desk: Desk, police: Police
) -> None:
    publish_stub(desk.institution)
    trial = case(desk, police, "8", ground_detail="형사소송법 제272조")
    unpublished = case(desk, police, "2")
    investigation = case(desk, police, "7")
    other_body = make_body(desk.other, "광양경찰서", "police")
    elsewhere = case(desk, police, "8", institution=desk.other, body=other_body)
    client = Client()
    with time_machine.travel(at("2026-12-10"), tick=False):
        log_in(client, desk.alice)
        page = client.get(reverse("provisions:after", args=[investigation.pk])).content.decode()
        assert (
            "공개 제외" in page
            and "범죄의 수사와 공소의 제기 및 유지" in page
            and "publication-form" not in page
        )
        page = client.get(reverse("provisions:after", args=[trial.pk])).content.decode()
        assert "공개 기한 2026-12-31 — 21일 남음" in page
        assert draft(trial).purpose in page  # the draft: the ground's words, not the request's purpose
        answer = client.post(
            reverse("provisions:after_publish", args=[trial.pk]),
            {"purpose": "법원의 재판업무 수행", "items": "CCTV 녹화영상 (기기 1대, 2026-11-26)"},
            follow=True,
        )
        assert "제3자 제공 현황」에 공개했습니다" in answer.content.decode()
        publish_provision(
            desk.actor(desk.other_officer), elsewhere, Publication("재판", "CCTV 녹화영상"), today=today()
        )
        public = Client().get(reverse("requests:provisions", args=[desk.institution.slug]))
    assert public.status_code == 200
    text = public.content.decode()
    assert "인천광역시 개인정보 목적 외 이용 및 제3자 제공 현황" in text
    assert "2026-12-01" in text and "인천남동경찰서" in text and "법원의 재판업무 수행" in text
    assert "개인정보 보호법 제18조제2항제8호 (형사소송법 제272조)" in text
    assert "CCTV 녹화영상 (기기 1대, 2026-11-26)" in text
    # Nothing personal, nothing unpublished, nothing of 광양.
    for hidden in (
        "홍길동",
        "김수사",
        "02-000-0000",
        "광양경찰서",
        unpublished.case_number,
        trial.case_number,
    ):
        assert hidden not in text
    assert text.count("<tr>") == 2  # the header and the one published row
    trial.refresh_from_db()
    assert trial.published_at is not None
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_PUBLISH_PROVISION, target_id=str(trial.pk))
    assert entry.details["published_late"] is False and entry.details["publish_by"] == "2026-12-31"


def test_the_public_page_is_not_there_for_an_unpublished_institution(desk: Desk) -> None:
    with time_machine.travel(at("2026-12-10"), tick=False):
        assert Client().get(reverse("requests:provisions", args=[desk.institution.slug])).status_code == 404
        assert Client().get(reverse("requests:provisions", args=["nowhere"])).status_code == 404


def test_item_7_cannot_be_published_and_bad_input_is_refused(desk: Desk, police: Police) -> None:
    investigation = case(desk, police, "7")
    trial = case(desk, police, "8")
    actor = desk.actor(desk.alice)
    with time_machine.travel(at("2026-12-10"), tick=False):
        with pytest.raises(DutyError, match="제18조제2항제7호에 따른 제공은 공개 대상이 아닙니다"):
            publish_provision(actor, investigation, Publication("수사", "영상"), today=today())
        client = Client()
        log_in(client, desk.alice)
        answer = client.post(
            reverse("provisions:after_publish", args=[trial.pk]),
            {"purpose": "", "items": "x" * 301},
            follow=True,
        )
    text = answer.content.decode()
    assert "저장하지 않았습니다 — 공개하는 목적: 공개하는 목적을 입력하세요" in text
    assert "공개하는 항목: 이 값이 최대 300 개의 글자인지 확인하세요(입력값 301 자)." in text
    trial.refresh_from_db()
    assert trial.published_at is None
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_PUBLISH_PROVISION).exists()


def test_overdue_publication_stands_out_and_late_publication_is_audited(desk: Desk, police: Police) -> None:
    trial = case(desk, police, "8")
    client = Client()
    with time_machine.travel(at("2027-01-03"), tick=False):
        log_in(client, desk.bob)
        overdue = client.get(reverse("provisions:overdue")).content.decode()
        home = client.get(reverse("home")).content.decode()
        publish_provision(desk.actor(desk.bob), trial, Publication("재판", "CCTV 녹화영상"), today=today())
    assert trial.case_number in overdue and "3일 지남" in overdue
    assert "공개 기한 지남" in home
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_PUBLISH_PROVISION)
    assert entry.details["published_late"] is True


def test_the_notice_to_the_data_subject_is_recorded_either_way(desk: Desk, police: Police) -> None:
    investigation = case(desk, police, "7")
    consent = case(desk, police, "1")
    client = Client()
    with time_machine.travel(at("2026-12-10"), tick=False):
        log_in(client, desk.alice)
        home = client.get(reverse("home")).content.decode()
        assert "정보주체 통지 기록 필요" in home and investigation.case_number in home
        url = reverse("provisions:after_notice", args=[investigation.pk])
        refused = client.post(
            url, {"outcome": "not_required", "detail": "필요 없음"}, follow=True
        ).content.decode()
        assert "수사·재판)로 제공한 영상은 정보주체에게 알려야 합니다" in refused
        refused = client.post(
            url, {"outcome": "notified", "detail": "제공 사실 안내"}, follow=True
        ).content.decode()
        assert "저장하지 않았습니다 — 통지 방법을(를) 입력하세요" in refused
        refused = client.post(
            url,
            {"outcome": "notified", "method": "등기우편", "detail": "안내", "notified_on": "2026-12-11"},
            follow=True,
        ).content.decode()
        assert "통지 일자(2026-12-11)가 오늘보다 뒤입니다" in refused
        assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_NOTIFY_SUBJECT).exists()
        done = client.post(
            url,
            {
                "outcome": "notified",
                "method": "등기우편",
                "notified_on": "2026-12-09",
                "detail": "영상을 수사기관에 제공한 사실",
            },
            follow=True,
        ).content.decode()
        assert "정보주체 통지를 기록했습니다" in done and "2026-12-09, 등기우편" in done
        # Not required on another ground, and recorded as such; or unidentifiable, recorded with why.
        client.post(
            reverse("provisions:after_notice", args=[consent.pk]),
            {"outcome": "not_required", "detail": "본인 동의"},
        )
        client.post(url, {"outcome": "unidentifiable", "detail": "영상 속 인물을 특정할 수 없음"})
    investigation.refresh_from_db()
    consent.refresh_from_db()
    assert (investigation.subject_notice, investigation.subject_notified_on) == ("unidentifiable", None)
    assert investigation.subject_notice_detail == "영상 속 인물을 특정할 수 없음"
    assert consent.subject_notice == "not_required"
    first = (
        AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_NOTIFY_SUBJECT).order_by("sequence").first()
    )
    assert first is not None and first.details == {
        "case_number": investigation.case_number,
        "subject_notice": "notified",
        "notified_on": "2026-12-09",
        "notice_method": "등기우편",
    }
