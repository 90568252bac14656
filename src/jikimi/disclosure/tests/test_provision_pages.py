"""The staff's provision pages: the paper intake form (bad input named, nothing saved), the list, the
case page (audited opening and existence check), the review and decision forms (the preparer is told
why he cannot decide), the bodies list, the menu item — and who sees which case (R36)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.models import User
from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import ProvisionCase, RequestingBody
from jikimi.disclosure.tests.provision_world import (
    NOW,
    ProvisionWorld,
    file_paper_case,
    jpeg,
    kst,
    pdf,
    provision_stores,
    pw,
    upload,
)
from jikimi.vault.models import LegalHold

__all__ = ["provision_stores", "pw"]


@pytest.fixture
def now(pw: ProvisionWorld) -> Iterator[None]:
    with time_machine.travel(kst(NOW), tick=False):
        yield


def client_of(user: User) -> Client:
    client = Client()
    log_in(client, user)
    return client


def paper_form(pw: ProvisionWorld, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "body": str(pw.police.pk),
        "requester_department": "형사과",
        "requester_position": "경위",
        "requester_name": "박형사",
        "requester_phone": "032-123-4567",
        "letter_number": "남동서 형사과-1234",
        "letter_date": "2026-11-23",
        "letter": upload("공문.pdf", pdf(), "application/pdf"),
        "legal_ground": "7",
        "purpose": "절도 사건 수사",
        "mask_third_parties": "on",
        "site_1": str(pw.gate.pk),
        "start_1": "2026-11-23T09:00",
        "end_1": "2026-11-23T09:30",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_officer_enters_a_paper_letter(pw: ProvisionWorld, now: None) -> None:
    client = client_of(pw.alice)
    response = client.post(reverse("provisions:new", args=["incheon"]), paper_form(pw))
    case = ProvisionCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("provisions:case", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert "2026-P0001" in page and "인천남동경찰서" in page and "보존 중" in page
    assert AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_VIEW_PROVISION).count() == 1
    assert AuditEntry.objects.filter(action="vault.existence_check").exists()
    letter = client.get(reverse("provisions:attachment", args=[case.attachments.get().pk]))
    assert letter.status_code == 200 and letter.content == pdf()


BAD = [
    ("letter_not_pdf", {"letter": upload("공문.pdf", b"plain text", "application/pdf")}, "요청 공문"),
    ("empty_ground", {"legal_ground": ""}, "제공 근거"),
    (
        "no_footage_there",
        {"start_1": "2026-11-22T09:00", "end_1": "2026-11-22T09:30"},
        "보관되어 있지 않습니다",
    ),
    ("unknown_site", {"site_1": "999999"}, "설치장소를 목록에서 고르십시오"),
    ("no_body", {"body": ""}, "요청 기관"),
    ("private_body_item_7", {"body": "insurer"}, "공공기관만"),
]


@pytest.mark.parametrize(("changes", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_paper_input_is_named_and_nothing_is_saved(
    pw: ProvisionWorld, now: None, changes: dict[str, Any], words: str
) -> None:
    if changes.get("body") == "insurer":
        changes = {"body": str(pw.insurer.pk)}
    response = client_of(pw.alice).post(
        reverse("provisions:new", args=["incheon"]), paper_form(pw, **changes)
    )
    page = response.content.decode()
    assert response.status_code == 400 and "요청을 접수하지 않았습니다" in page and words in page
    assert not ProvisionCase.objects.exists() and not LegalHold.objects.exists()


def test_the_form_offers_only_the_sites_the_officer_handles(pw: ProvisionWorld, now: None) -> None:
    page = client_of(pw.alice).get(reverse("provisions:new", args=["incheon"])).content.decode()
    sites = page.split('name="site_1"', 1)[1].split("</select>", 1)[0]
    assert ">정문</option>" in sites and "본관 현관" not in sites
    response = client_of(pw.alice).post(
        reverse("provisions:new", args=["incheon"]), paper_form(pw, site_1=str(pw.hall.pk))
    )
    assert response.status_code == 400 and not ProvisionCase.objects.exists()


def test_review_then_decision_and_the_preparer_is_told_why_not(pw: ProvisionWorld, now: None) -> None:
    case = file_paper_case(pw, by=pw.alice)
    bob = client_of(pw.bob)
    # Bob reviews it himself: then he may not decide it.
    response = bob.post(
        reverse("provisions:review", args=[case.pk]),
        {
            "third_parties": "보행자 2명",
            "harm_assessment": "마스킹하면 침해 우려 없음",
            "mask_third_parties": "on",
        },
    )
    assert response.status_code == 302
    page = bob.get(reverse("provisions:decide", args=[case.pk])).content.decode()
    assert "결정할 수 없습니다" in page and "검토자와 승인자는 다른 사람이어야 합니다" in page
    refused = bob.post(
        reverse("provisions:decide", args=[case.pk]), {"decision": "approve", "reason": "승인"}
    )
    assert refused.status_code == 400 and "검토한 사람은 승인·거부할 수 없습니다" in refused.content.decode()
    # Dora reviews it again (an officer of the whole institution): now Bob decides, seeing the ground.
    client_of(pw.dora).post(
        reverse("provisions:review", args=[case.pk]),
        {
            "third_parties": "보행자 2명",
            "harm_assessment": "마스킹하면 침해 우려 없음",
            "mask_third_parties": "on",
        },
    )
    page = bob.get(reverse("provisions:decide", args=[case.pk])).content.decode()
    assert "제7호 범죄의 수사와 공소의 제기 및 유지를 위하여 필요한 경우" in page
    done = bob.post(
        reverse("provisions:decide", args=[case.pk]), {"decision": "approve", "reason": "수사 협조"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.APPROVED and case.decided_by == pw.bob


def test_a_refusal_without_reason_is_named_and_with_reason_ends_the_hold(
    pw: ProvisionWorld, now: None
) -> None:
    case = file_paper_case(pw)
    bob = client_of(pw.bob)
    response = bob.post(reverse("provisions:decide", args=[case.pk]), {"decision": "refuse", "reason": ""})
    assert response.status_code == 400 and "거부 사유" in response.content.decode()
    assert (
        bob.post(
            reverse("provisions:decide", args=[case.pk]), {"decision": "refuse", "reason": "근거 불충분"}
        ).status_code
        == 302
    )
    assert LegalHold.objects.get().released_at is not None


def test_the_control_head_sees_only_urgent_cases_and_decides_only_item_3_or_10(
    pw: ProvisionWorld, now: None
) -> None:
    plain = file_paper_case(pw)
    urgent_7 = file_paper_case(pw, urgent=True)
    urgent_3 = file_paper_case(pw, urgent=True, legal_ground="3")
    hana = client_of(pw.hana)
    listed = hana.get(reverse("provisions:index")).content.decode()
    assert urgent_7.case_number in listed and urgent_3.case_number in listed
    assert plain.case_number not in listed
    assert hana.get(reverse("provisions:case", args=[plain.pk])).status_code == 404
    page = hana.get(reverse("provisions:decide", args=[urgent_7.pk])).content.decode()
    assert "제3호·제10호" in page and "결정할 수 없습니다" in page
    assert "cannot-decide" not in hana.get(reverse("provisions:decide", args=[urgent_3.pk])).content.decode()


def test_scope_an_officer_sees_only_cases_of_his_devices(pw: ProvisionWorld, now: None) -> None:
    gate_case = file_paper_case(pw, by=pw.dora)
    hall_case = file_paper_case(
        pw, by=pw.dora, footage=[(pw.hall, kst("2026-11-23T09:00"), kst("2026-11-23T09:30"))]
    )
    alice = client_of(pw.alice)
    listed = alice.get(reverse("provisions:index")).content.decode()
    assert gate_case.case_number in listed and hall_case.case_number not in listed
    assert alice.get(reverse("provisions:case", args=[hall_case.pk])).status_code == 404
    assert alice.get(reverse("provisions:review", args=[hall_case.pk])).status_code == 404
    other = client_of(pw.other_officer)
    assert other.get(reverse("provisions:case", args=[gate_case.pk])).status_code == 404
    assert client_of(pw.auditor).get(reverse("provisions:index")).status_code == 403


def test_requester_scope_is_the_own_body_only(pw: ProvisionWorld, now: None) -> None:
    from jikimi.accounts.testing import make_user
    from jikimi.disclosure import provision_scope
    from jikimi.disclosure.models import ExternalRequester

    mine = file_paper_case(pw)
    theirs = file_paper_case(pw, body=pw.insurer, legal_ground="1")
    officer = make_user("police-kim", "requesting_officer", pw.institution)
    ExternalRequester.objects.create(user=officer, body=pw.police, created_by=pw.bob)
    assert list(provision_scope.requester_cases(officer)) == [mine]
    assert provision_scope.requester_case(officer, theirs.pk) is None
    # Staff are no external requesters: the portal's list is empty for them.
    assert not provision_scope.requester_cases(pw.bob).exists()


def test_the_bodies_page_lists_and_adds(pw: ProvisionWorld, now: None) -> None:
    client = client_of(pw.alice)
    url = reverse("provisions:bodies", args=["incheon"])
    assert "인천남동경찰서" in client.get(url).content.decode()
    response = client.post(url, {"name": "인천지방검찰청", "kind": "prosecution"})
    assert response.status_code == 302
    assert RequestingBody.objects.get(name="인천지방검찰청").kind == "prosecution"
    again = client.post(url, {"name": "인천지방검찰청", "kind": "prosecution"})
    assert again.status_code == 400 and "이미 등록되어 있습니다" in again.content.decode()
    no_kind = client.post(url, {"name": "서울중앙지방법원", "kind": ""})
    assert no_kind.status_code == 400 and "기관 구분" in no_kind.content.decode()
    assert AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_ADD_REQUESTING_BODY).count() == 1


def test_the_menu_shows_provisions_to_those_who_handle_or_decide(pw: ProvisionWorld, now: None) -> None:
    for user, shown in ((pw.alice, True), (pw.bob, True), (pw.hana, True), (pw.auditor, False)):
        page = client_of(user).get(reverse("publishing:staff_index")).content.decode()
        assert ("제3자 제공</a>" in page) is shown, user


def test_an_image_letter_is_accepted_on_the_page(pw: ProvisionWorld, now: None) -> None:
    response = client_of(pw.alice).post(
        reverse("provisions:new", args=["incheon"]), paper_form(pw, letter=upload("공문.jpg", jpeg()))
    )
    assert response.status_code == 302


def test_a_letter_from_a_new_body_adds_it_with_the_case(pw: ProvisionWorld, now: None) -> None:
    url = reverse("provisions:new", args=["incheon"])
    client = client_of(pw.alice)
    response = client.post(
        url, paper_form(pw, body="", new_body_name="인천지방검찰청", new_body_kind="prosecution")
    )
    assert response.status_code == 302
    assert ProvisionCase.objects.get().body.name == "인천지방검찰청"


def test_a_new_body_is_not_kept_when_its_case_is_refused(pw: ProvisionWorld, now: None) -> None:
    url = reverse("provisions:new", args=["incheon"])
    # R29: a private body on item 7 — the case is refused, and the body it would have added is not kept.
    response = client_of(pw.alice).post(
        url, paper_form(pw, body="", new_body_name="(주)새보험", new_body_kind="private")
    )
    assert response.status_code == 400 and "공공기관만" in response.content.decode()
    assert not RequestingBody.objects.filter(name="(주)새보험").exists()
    assert not AuditEntry.objects.filter(action=AuditEvent.DISCLOSURE_ADD_REQUESTING_BODY).exists()
    no_kind = client_of(pw.alice).post(url, paper_form(pw, body="", new_body_name="새 기관"))
    assert no_kind.status_code == 400 and "새 요청 기관 구분" in no_kind.content.decode()
    assert not ProvisionCase.objects.exists()
