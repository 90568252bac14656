"""Taking in a request for footage (법 제18조②, R29, R49): the case with its number, footage, letter and
holds in one go — and every bad input refused naming its field, with nothing saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine

from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure import attachments as stored_files
from jikimi.disclosure.actions.provision_intake import ProvisionError
from jikimi.disclosure.models import ExternalRequester, ProvisionAttachment, ProvisionCase, ProvisionFootage
from jikimi.disclosure.tests.provision_world import (
    NOW,
    SETUP,
    ProvisionWorld,
    file_paper_case,
    jpeg,
    kst,
    pdf,
    provision_stores,
    pw,
    upload,
)
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.models import HeldSegment, LegalHold

__all__ = ["provision_stores", "pw"]


def test_a_paper_letter_becomes_a_case_with_its_footage_letter_and_hold(pw: ProvisionWorld) -> None:
    case = file_paper_case(pw)
    assert case.case_number == "2026-P0001" and case.state == ProvisionCase.State.RECEIVED
    assert case.received_by == pw.alice and case.legal_ground == "7"
    (line,) = ProvisionFootage.objects.filter(case=case)
    assert line.device == pw.gate_camera
    (letter,) = ProvisionAttachment.objects.filter(case=case)
    assert letter.kind == ProvisionAttachment.Kind.LETTER and letter.content_type == "application/pdf"
    assert stored_files.attachment_bytes(letter) == pdf()
    # R18: the footage is held for the case until it ends.
    (hold,) = LegalHold.objects.filter(case_reference=case.hold_reference)
    assert hold.device == pw.gate_camera and HeldSegment.objects.filter(hold=hold).count() == 1
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_FILE_PROVISION)
    assert entry.details["case_number"] == "2026-P0001" and entry.details["holds"] == 1
    second = file_paper_case(pw, letter_number="남동서 형사과-1235")
    assert second.case_number == "2026-P0002"


def test_a_site_of_two_devices_keeps_only_those_with_footage(pw: ProvisionWorld) -> None:
    with time_machine.travel(kst(NOW), tick=False):
        add_device(SETUP, pw.traffic, "정문 2번", location=pw.gate)
    case = file_paper_case(pw)
    assert [f.device for f in case.footage.all()] == [pw.gate_camera]


def test_a_device_may_be_named_instead_of_a_site(pw: ProvisionWorld) -> None:
    case = file_paper_case(
        pw, by=pw.dora, footage=[(pw.hall_camera, kst("2026-11-23T09:00"), kst("2026-11-23T09:30"))]
    )
    assert [f.device for f in case.footage.all()] == [pw.hall_camera]


def test_an_image_letter_is_taken_too(pw: ProvisionWorld) -> None:
    case = file_paper_case(pw, letter=upload("공문.jpg", jpeg()))
    assert case.attachments.get().content_type == "image/jpeg"


BAD: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "letter_not_pdf",
        {"letter": upload("공문.pdf", b"just text, renamed", "application/pdf")},
        "letter",
        "요청 공문",
    ),
    ("no_letter", {"letter": None}, "letter", "요청 공문"),
    ("empty_ground", {"legal_ground": ""}, "legal_ground", "제공 근거"),
    ("unknown_ground", {"legal_ground": "4"}, "legal_ground", "제18조제2항의 항목이 아닙니다"),
    ("no_letter_number", {"letter_number": "  "}, "letter_number", "공문번호"),
    ("no_letter_date", {"letter_date": None}, "letter_date", "공문 일자"),
    ("no_purpose", {"purpose": ""}, "purpose", "요청 목적"),
    ("original_without_reason", {"original_requested": True}, "original_reason", "원본이 필요한 사유"),
    ("no_footage", {"footage": []}, "footage", "영상"),
]


@pytest.mark.parametrize(("changes", "field", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_naming_the_field_with_nothing_saved(
    pw: ProvisionWorld, changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(pw, **changes)
    assert refused.value.field == field and words in str(refused.value)
    assert_nothing_saved(pw)


def assert_nothing_saved(pw: ProvisionWorld) -> None:
    assert not ProvisionCase.objects.exists() and not ProvisionAttachment.objects.exists()
    assert not LegalHold.objects.exists() and not HeldSegment.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_FILE_PROVISION).exists()
    # …and the attachment store holds no object either.
    assert not list(stored_files.attachment_store().list(stored_files.ATTACHMENT_PREFIX))


def test_a_window_with_no_footage_is_refused(pw: ProvisionWorld) -> None:
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(pw, footage=[(pw.gate, kst("2026-11-22T09:00"), kst("2026-11-22T09:30"))])
    assert refused.value.field == "footage" and "보관되어 있지 않습니다" in str(refused.value)
    assert_nothing_saved(pw)


def test_a_site_of_another_institution_is_refused(pw: ProvisionWorld) -> None:
    foreign = Location.objects.create(
        device_group=make_group("총무과", "gy", pw.other), key="x", name="광양 정문"
    )
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(pw, footage=[(foreign, kst("2026-11-23T09:00"), kst("2026-11-23T09:30"))])
    assert refused.value.field == "footage" and "설치장소" in str(refused.value)
    assert_nothing_saved(pw)


@pytest.mark.parametrize("item", ["5", "6", "7", "8", "9", "10"])
def test_r29_items_5_to_10_are_refused_for_a_private_requester(pw: ProvisionWorld, item: str) -> None:
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(pw, body=pw.insurer, legal_ground=item)
    assert refused.value.field == "legal_ground" and "공공기관만" in str(refused.value)
    assert_nothing_saved(pw)


def test_r29_a_private_requester_may_ask_on_item_1_or_3(pw: ProvisionWorld) -> None:
    assert file_paper_case(pw, body=pw.insurer, legal_ground="1").legal_ground == "1"
    assert file_paper_case(pw, body=pw.insurer, legal_ground="3").case_number == "2026-P0002"


def test_a_window_in_the_future_or_backwards_is_refused(pw: ProvisionWorld) -> None:
    for start, end, words in (
        ("2026-11-23T09:30", "2026-11-23T09:00", "늦어야"),
        ("2026-11-24T09:00", "2026-11-24T10:00", "아직 오지 않았습니다"),
        ("2026-10-01T09:00", "2026-11-23T09:30", "일 이하"),
    ):
        with pytest.raises(ProvisionError) as refused:
            file_paper_case(pw, footage=[(pw.gate, kst(start), kst(end))])
        assert refused.value.field == "footage" and words in str(refused.value)
    assert_nothing_saved(pw)


def test_a_hold_that_fails_leaves_nothing_behind(
    pw: ProvisionWorld, provision_stores: Path, settings: Any
) -> None:
    blocker = provision_stores / "not-a-directory"
    blocker.write_text("x")
    settings.HOLD_STORAGE_URL = f"file://{blocker / 'holds'}?reserve=0"
    with pytest.raises(FootageError):
        file_paper_case(pw)
    assert_nothing_saved(pw)


def test_on_paper_only_an_officer_handling_the_footage_files(pw: ProvisionWorld) -> None:
    # R36: Alice handles 교통행정과's cameras, not 총무과's; the auditor handles none.
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(
            pw, by=pw.alice, footage=[(pw.hall, kst("2026-11-23T09:00"), kst("2026-11-23T09:30"))]
        )
    assert refused.value.field == "footage" and "권한이 없는 기기" in str(refused.value)
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(pw, by=pw.auditor)
    assert "접수할 권한이 없습니다" in str(refused.value)
    assert_nothing_saved(pw)


def test_online_only_the_bodys_own_officer_for_his_own_body(pw: ProvisionWorld) -> None:
    officer = make_user("police-kim", "requesting_officer", pw.institution)
    kim = ExternalRequester.objects.create(user=officer, body=pw.police, created_by=pw.bob)
    online = {"channel": ProvisionCase.Channel.ONLINE, "applicant": kim}
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(pw, by=officer, body=pw.insurer, legal_ground="1", **online)
    assert refused.value.field == "body"
    with pytest.raises(ProvisionError) as refused:
        file_paper_case(pw, by=pw.alice, **online)
    assert "본인의 계정" in str(refused.value)
    assert_nothing_saved(pw)
    case = file_paper_case(pw, by=officer, **online)
    assert case.applicant == kim and case.received_by is None and case.channel == "online"
