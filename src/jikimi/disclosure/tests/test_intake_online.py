"""A citizen files a 청구서 online (R20, R21, R28): receipt, status link, due date, mail, attachments
stored encrypted, a hold on the named footage, and the audit entry — all in one action."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any

import time_machine
from django.urls import reverse

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.attachments import attachment_bytes, attachment_store
from jikimi.disclosure.models import RequestAttachment, SubjectRequest
from jikimi.disclosure.tests.intake_world import (
    World,
    form_data,
    jpeg,
    kst,
    pdf,
    png,
    upload,
)
from jikimi.vault.models import LegalHold

NOON = kst("2026-11-23T12:00")
STATUS = re.compile(r'href="(/requests/s/[A-Za-z0-9_-]{43}/)"')


def file(client: Any, intake_world: World, **changes: Any) -> Any:
    with time_machine.travel(NOON, tick=False):
        return client.post(
            reverse("requests:new", args=[intake_world.institution.slug]), form_data(intake_world, **changes)
        )


def test_the_request_pages_list_published_institutions_and_offer_exactly_four_kinds(client, intake_world):
    index = client.get(reverse("requests:index")).content.decode()
    assert "인천광역시" in index and reverse("requests:new", args=["incheon"]) in index
    page = client.get(reverse("requests:new", args=["incheon"])).content.decode()
    # 법 제58조②: no 처리정지 for public places (R20): 존재확인, 열람, 사본 교부, 삭제 and nothing else.
    assert re.findall(r'name="kind" value="(\w+)"', page) == ["existence", "viewing", "copy", "deletion"]
    assert 'value="processing_stop"' not in page
    # The sites are the institution's own, grouped by device group.
    assert '<optgroup label="교통행정과 bus-lane CCTV">' in page and "시청 정문 앞" in page


def test_a_never_published_institution_takes_no_requests_online(client, intake_world):
    from jikimi.accounts.testing import make_institution

    make_institution("draft", "초안시")
    assert client.get(reverse("requests:new", args=["draft"])).status_code == 404
    assert "초안시" not in client.get(reverse("requests:index")).content.decode()


def test_the_citizen_pages_answer_from_outside_the_institutions_networks(client, intake_world):
    assert client.get(reverse("requests:new", args=["incheon"]), REMOTE_ADDR="203.0.113.9").status_code == 200


def test_a_citizen_files_a_request_and_gets_a_receipt_a_status_link_and_mail(
    client, intake_world, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = file(
            client,
            intake_world,
            sketch=upload("약도.png", png(), "image/png"),
            photos=[upload("사진1.jpg", jpeg(400)), upload("사진2.pdf", pdf(), "application/pdf")],
        )
    assert response.status_code == 200, response.content.decode()
    page = response.content.decode()
    assert "2026-00001" in page
    # 법 제35조③: 10 days, the first not counted: 11-23 (Mon) → 12-03 (Thu).
    assert "2026년 12월 3일" in page
    (status_path,) = STATUS.findall(page)
    token = status_path.split("/")[3]

    subject_request = SubjectRequest.objects.get()
    assert subject_request.receipt_number == "2026-00001"
    assert subject_request.channel == SubjectRequest.Channel.ONLINE and subject_request.received_by is None
    assert subject_request.due_on == date(2026, 12, 3)
    assert subject_request.status_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(SubjectRequest.objects.values().get())  # only the hash is kept
    assert subject_request.period_start == kst("2026-11-23T09:00")
    assert list(subject_request.locations.all()) == [intake_world.gate]

    # Attachments: checked by content, encrypted in their own store, readable again by the key.
    kinds = sorted(subject_request.attachments.values_list("kind", "content_type"))
    assert kinds == [
        ("id_card", "image/jpeg"),
        ("photo", "application/pdf"),
        ("photo", "image/jpeg"),
        ("sketch", "image/png"),
    ]
    id_card = subject_request.attachments.get(kind=RequestAttachment.Kind.ID_CARD)
    sealed = attachment_store().get(id_card.object_name)
    assert jpeg() not in sealed and attachment_bytes(id_card) == jpeg()

    # R18: the camera at the chosen site is held over the window widened by 30 minutes each side.
    hold = LegalHold.objects.get()
    assert hold.device == intake_world.gate_camera
    assert (hold.start, hold.end) == (kst("2026-11-23T08:30"), kst("2026-11-23T10:00"))
    assert hold.case_reference == subject_request.hold_reference == "disclosure:incheon:2026-00001"
    assert "2026-00001" in hold.basis and hold.ends_on > subject_request.due_on + timedelta(days=30)

    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_FILE_REQUEST)
    assert entry.actor_label == "청구인 (온라인)" and entry.client_address == "127.0.0.1"
    assert entry.details["receipt_number"] == "2026-00001" and entry.details["attachments"] == 4
    assert entry.details["holds"] == 1 and entry.details["locations"] == ["시청 정문 앞"]

    ((recipients, mail),) = smtp_inbox.received()
    assert recipients == ["hong@example.kr"]
    body = mail.get_payload(decode=True).decode()
    assert "2026-00001" in body and status_path in body and "2026년 12월 03일" in body


def test_no_mail_without_an_address(client, intake_world, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert file(client, intake_world, requester_email="").status_code == 200
    assert smtp_inbox.received() == []


def test_receipt_numbers_count_per_institution_and_year(client, intake_world, settings):
    settings.JIKIMI_REQUESTS_PER_ADDRESS_PER_HOUR = 10
    settings.JIKIMI_OPEN_REQUESTS_PER_CONTACT = 10
    file(client, intake_world)
    file(client, intake_world)
    with time_machine.travel(kst("2027-01-04T12:00"), tick=False):
        client.post(
            reverse("requests:new", args=["incheon"]),
            form_data(intake_world, period_start="2027-01-04T09:00", period_end="2027-01-04T09:30"),
        )
    numbers = sorted(SubjectRequest.objects.values_list("receipt_number", flat=True))
    assert numbers == ["2026-00001", "2026-00002", "2027-00001"]


def test_a_proxy_names_the_person_and_brings_a_power_of_attorney(client, intake_world):
    response = file(
        client,
        intake_world,
        subject="other",
        subject_name="홍어머니",
        relationship="모",
        proxy_letter=upload("위임장.pdf", pdf(), "application/pdf"),
    )
    assert response.status_code == 200
    subject_request = SubjectRequest.objects.get()
    assert not subject_request.subject_is_requester and subject_request.subject_name == "홍어머니"
    assert subject_request.attachments.filter(kind=RequestAttachment.Kind.PROXY_LETTER).exists()


def test_a_typed_site_alone_is_taken_and_holds_nothing(client, intake_world):
    response = file(client, intake_world, locations=[], place_text="구월동 사거리 버스정류장")
    assert response.status_code == 200
    assert SubjectRequest.objects.get().place_text == "구월동 사거리 버스정류장"
    assert not LegalHold.objects.exists()
