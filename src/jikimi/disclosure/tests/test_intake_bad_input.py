"""Every bad field of the 청구서 is a clear Korean error naming the field, and nothing is half-saved:
no request, no attachment object, no hold, no audit entry (issue 13: a non-image renamed .jpg, an
oversized file, an impossible window, an unknown site, too many requests from one address)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import RequestAttachment, SubjectRequest
from jikimi.disclosure.tests.intake_world import (
    World,
    form_data,
    jpeg,
    kst,
    upload,
)
from jikimi.engine.store_marker import STORE_MARKER
from jikimi.inventory.models import Location
from jikimi.vault.models import HeldSegment, LegalHold

NOON = kst("2026-11-23T12:00")


def post(client: Any, intake_world: World, **changes: Any) -> Any:
    with time_machine.travel(NOON, tick=False):
        return client.post(reverse("requests:new", args=["incheon"]), form_data(intake_world, **changes))


def nothing_saved(intake_stores: Path) -> None:
    assert not SubjectRequest.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert not LegalHold.objects.exists() and not HeldSegment.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_FILE_REQUEST).exists()
    attachments = intake_stores / "attachments"
    assert not attachments.exists() or not [
        p for p in attachments.rglob("*") if p.is_file() and p.name != STORE_MARKER
    ]


def refused(response: Any, *texts: str) -> str:
    page = response.content.decode()
    assert response.status_code == 400, page
    assert "청구서를 접수하지 않았습니다" in page
    for text in texts:
        assert text in page, (text, page)
    return page


CASES = {
    "a text file renamed .jpg": (
        {"id_card": upload("신분증.jpg", b"this is not an image at all")},
        ("신분증 사본: 신분증.jpg 파일은 JPG·PNG 이미지 또는 PDF가 아닙니다",),
    ),
    "a PNG header with nothing after it": (
        {"sketch": upload("약도.png", b"\x89PNG\r\n\x1a\n", "image/png")},
        ("사고 현장 약도: 약도.png 파일은 JPG·PNG 이미지 또는 PDF가 아닙니다",),
    ),
    "an empty file": ({"id_card": upload("신분증.jpg", b"")}, ("신분증 사본",)),
    "no ID copy online": ({"id_card": None}, ("신분증 사본을 첨부하십시오",)),
    "a proxy without a power of attorney": (
        {"subject": "other", "subject_name": "홍어머니", "relationship": "모"},
        ("위임장: 다른 사람을 대리해 청구할 때는 위임장을 첨부하십시오",),
    ),
    "a proxy who names nobody": (
        {"subject": "other", "proxy_letter": upload("위임장.jpg", jpeg())},
        ("정보주체 성명: 다른 사람을 대리할 때는", "정보주체와의 관계: 다른 사람을 대리할 때는"),
    ),
    "an end before the start": (
        {"period_start": "2026-11-23T10:00", "period_end": "2026-11-23T09:00"},
        ("기록기간 끝: 시작보다 늦은 시각이어야 합니다",),
    ),
    "a window in the future": (
        {"period_start": "2026-11-24T09:00", "period_end": "2026-11-24T10:00"},
        ("기록기간 시작: 아직 오지 않은 시각입니다",),
    ),
    "a window that ends in the future": (
        {"period_start": "2026-11-23T11:00", "period_end": "2026-11-23T13:00"},
        ("기록기간 끝: 아직 오지 않은 시각입니다",),
    ),
    "a window longer than the limit": (
        {"period_start": "2026-11-01T09:00", "period_end": "2026-11-23T09:00"},
        ("기록기간: 한 번에 72시간까지 청구할 수 있습니다",),
    ),
    "a window older than anything kept": (
        {"period_start": "2024-11-01T09:00", "period_end": "2024-11-01T10:00"},
        ("기록기간 시작: 365일보다 오래된 영상은 보관되어 있지 않습니다",),
    ),
    "a window that is not a date": (
        {"period_start": "어제 아침"},
        ("기록기간 시작: 날짜와 시각을 입력하십시오",),
    ),
    "an unknown site": (
        {"locations": ["999999"]},
        ("설치장소: 선택한 장소가 이 기관의 설치장소 목록에 없습니다",),
    ),
    "no site at all": (
        {"locations": [], "place_text": ""},
        ("설치장소: 목록에서 고르거나 직접 입력하십시오",),
    ),
    "a kind the law does not offer": ({"kind": "processing_stop"}, ("청구 내용: 목록에서 고르십시오",)),
    "no name": ({"requester_name": ""}, ("청구인 성명을(를) 입력하십시오",)),
    "a phone that is no number": ({"requester_phone": "모름"}, ("전화번호: 숫자로 입력하십시오",)),
    "a bad e-mail address": ({"requester_email": "hong@"}, ("전자우편: 올바른 주소가 아닙니다",)),
    "a birth date to come": ({"requester_birth_date": "2030-01-01"}, ("생년월일: 올바른 날짜가 아닙니다",)),
    "no purpose": ({"purpose": ""}, ("청구 목적 및 사유를 입력하십시오",)),
    "a purpose too long": ({"purpose": "가" * 2001}, ("청구 목적 및 사유는 2000자까지",)),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_bad_field_is_named_and_nothing_is_saved(client, intake_world, intake_stores, case):
    changes, texts = CASES[case]
    refused(post(client, intake_world, **changes), *texts)
    nothing_saved(intake_stores)


def test_a_site_of_another_institution_is_unknown_here(client, intake_world, intake_stores):
    from jikimi.accounts.testing import make_group, make_institution

    osan = make_institution("osan", "오산시")
    theirs = Location.objects.create(
        device_group=make_group("교통과", "osan-cctv", osan), key="x", name="오산역 앞"
    )
    refused(
        post(client, intake_world, locations=[str(theirs.pk)]),
        "설치장소: 선택한 장소가 이 기관의 설치장소 목록에 없습니다",
    )
    nothing_saved(intake_stores)


def test_an_oversized_file_is_refused_by_its_declared_size(client, intake_world, intake_stores, settings):
    settings.JIKIMI_REQUEST_ATTACHMENT_MAX_BYTES = 1024
    response = post(client, intake_world, photos=[upload("사진.jpg", jpeg(5000))])
    refused(response, "사고 당시 사진: 파일이 너무 큽니다 (사진.jpg, 4KB). 한 파일은 1KB까지 받습니다")
    nothing_saved(intake_stores)


def test_too_many_files_are_refused(client, intake_world, intake_stores, settings):
    settings.JIKIMI_REQUEST_ATTACHMENT_MAX_COUNT = 2
    response = post(client, intake_world, photos=[upload(f"사진{i}.jpg", jpeg()) for i in range(3)])
    refused(response, "첨부서류: 너무 많습니다 (4개). 모두 2개까지 받습니다")
    nothing_saved(intake_stores)


def test_a_body_beyond_the_form_limit_is_refused_before_it_is_read(
    client, intake_world, intake_stores, settings
):
    settings.JIKIMI_REQUEST_FORM_MAX_BYTES = 2048
    response = post(client, intake_world, photos=[upload("사진.jpg", jpeg(10_000))])
    assert response.status_code == 413 and "청구서와 첨부서류" in response.content.decode()
    nothing_saved(intake_stores)


def test_too_many_requests_from_one_address(client, intake_world, intake_stores, settings):
    settings.JIKIMI_REQUESTS_PER_ADDRESS_PER_HOUR = 2
    settings.JIKIMI_OPEN_REQUESTS_PER_CONTACT = 10
    for n in range(2):
        assert post(client, intake_world, requester_phone=f"010-0000-000{n}").status_code == 200
    files_before = sorted(
        p for p in (intake_stores / "attachments").rglob("*") if p.is_file() and p.name != STORE_MARKER
    )
    page = refused(
        post(client, intake_world, requester_phone="010-0000-0009"), "한 시간에 2건까지 청구할 수 있습니다"
    )
    assert "방문·우편·팩스" in page
    assert SubjectRequest.objects.count() == 2 and LegalHold.objects.count() == 2
    assert (
        sorted(
            p for p in (intake_stores / "attachments").rglob("*") if p.is_file() and p.name != STORE_MARKER
        )
        == files_before
    )
    # Another address is not held back, and an hour later this one is not either.
    with time_machine.travel(NOON, tick=False):
        other = client.post(
            reverse("requests:new", args=["incheon"]),
            form_data(intake_world, requester_phone="010-0000-0010"),
            REMOTE_ADDR="127.0.0.2",
        )
    assert other.status_code == 200
    with time_machine.travel(kst("2026-11-23T13:01"), tick=False):
        later = client.post(
            reverse("requests:new", args=["incheon"]),
            form_data(intake_world, requester_phone="010-0000-0011"),
        )
    assert later.status_code == 200


@pytest.mark.parametrize(
    ("field", "first", "second", "text"),
    [
        (
            "requester_email",
            "hong@example.kr",
            "HONG@example.kr",
            "전자우편: 이 전자우편(으)로 처리 중인 청구가 이미 1건",
        ),
        (
            "requester_phone",
            "010-1234-5678",
            "01012345678",
            "전화번호: 이 전화번호(으)로 처리 중인 청구가 이미 1건",
        ),
    ],
)
def test_open_requests_per_contact_are_limited(
    client, intake_world, intake_stores, settings, field, first, second, text
):
    settings.JIKIMI_OPEN_REQUESTS_PER_CONTACT = 1
    other = (
        {"requester_email": "other@example.kr"}
        if field == "requester_phone"
        else {"requester_phone": "010-9999-9999"}
    )
    assert post(client, intake_world, **{field: first}).status_code == 200
    with time_machine.travel(NOON, tick=False):
        response = client.post(
            reverse("requests:new", args=["incheon"]),
            form_data(intake_world, **{field: second, **other}),
            REMOTE_ADDR="127.0.0.3",
        )
    refused(response, text)
    assert SubjectRequest.objects.count() == 1
    # A closed request no longer counts.
    SubjectRequest.objects.update(state=SubjectRequest.State.CLOSED)
    with time_machine.travel(NOON, tick=False):
        again = client.post(
            reverse("requests:new", args=["incheon"]),
            form_data(intake_world, **{field: second, **other}),
            REMOTE_ADDR="127.0.0.3",
        )
    assert again.status_code == 200


def test_the_action_itself_refuses_too_many_files_and_foreign_sites(intake_world, intake_stores, settings):
    """The limits hold for any caller of the action, not only for the form."""
    from dataclasses import replace

    from jikimi.accounts.testing import make_group, make_institution
    from jikimi.disclosure.actions.intake import IntakeRefused, RequestDetails, file_request, online_actor
    from jikimi.disclosure.attachments import CheckedFile

    settings.JIKIMI_REQUEST_ATTACHMENT_MAX_COUNT = 1
    photo = CheckedFile("photos", "photo", "사진.jpg", "image/jpeg", jpeg())
    details = RequestDetails(
        kind="copy",
        requester_name="홍길동",
        requester_birth_date=None,
        requester_address="",
        requester_phone="01012345678",
        requester_email="",
        subject_is_requester=True,
        subject_name="",
        relationship="",
        period_start=kst("2026-11-23T09:00"),
        period_end=kst("2026-11-23T09:30"),
        locations=[intake_world.gate],
        place_text="",
        purpose="확인",
        files=[photo, photo],
    )
    with time_machine.travel(NOON, tick=False):
        with pytest.raises(IntakeRefused, match="첨부서류: 너무 많습니다") as too_many:
            file_request(online_actor("127.0.0.1"), intake_world.institution, details)
        assert too_many.value.field == "photos"
        theirs = Location.objects.create(
            device_group=make_group("교통과", "osan-cctv", make_institution("osan", "오산시")),
            key="x",
            name="오산역",
        )
        with pytest.raises(IntakeRefused, match="설치장소") as foreign:
            file_request(
                online_actor("127.0.0.1"),
                intake_world.institution,
                replace(details, files=[], locations=[theirs]),
            )
        assert foreign.value.field == "locations"
    nothing_saved(intake_stores)
