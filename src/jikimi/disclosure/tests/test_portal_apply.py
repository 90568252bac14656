"""The online application (성동구·남해군 style): a body's officer files a request for footage with the
official letter through prov's file_provision (법 제18조②, R29, R49) — and every bad input comes back
as a Korean error naming its field, with nothing saved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import ExternalRequester, ProvisionAttachment, ProvisionCase
from jikimi.disclosure.tests.portal_world import Portal, office_network, portal
from jikimi.disclosure.tests.provision_world import NOW, kst, pdf, provision_stores, pw, upload
from jikimi.rules.provision_grounds import GROUNDS
from jikimi.vault.models import LegalHold

__all__ = ["office_network", "portal", "provision_stores", "pw"]


@pytest.fixture
def kim(client: Client, portal: Portal) -> Iterator[Client]:
    # Logged in on the day of the footage (a session opened on another day would have expired).
    with time_machine.travel(kst(NOW), tick=False):
        log_in(client, portal.kim)
        yield client


def application(portal: Portal, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "letter_number": "남동서 형사과-5678",
        "letter_date": "2026-11-23",
        "letter": upload("공문.pdf", pdf(), "application/pdf"),
        "legal_ground": "7",
        "ground_detail": "형사소송법 제199조",
        "purpose": "절도 피의자 동선 확인",
        "site_1": str(portal.pw.gate.pk),
        "start_1": "2026-11-23T09:00",
        "end_1": "2026-11-23T09:30",
        "site_2": "",
        "start_2": "",
        "end_2": "",
        "site_3": "",
        "start_3": "",
        "end_3": "",
        "copy_kind": "masked",
        "original_reason": "",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_the_officer_applies_online_and_sees_his_case(kim: Client, portal: Portal) -> None:
    form_page = kim.get(reverse("portal:apply")).content.decode()
    for ground in GROUNDS:  # the select offers the items of 법 제18조②
        assert f'value="{ground.item}"' in form_page
    assert "정문" in form_page and "본관 현관" in form_page

    response = kim.post(reverse("portal:apply"), application(portal, urgent="on"))
    case = ProvisionCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:case", args=[case.pk])
    requester = ExternalRequester.objects.get(user=portal.kim)
    assert case.channel == ProvisionCase.Channel.ONLINE and case.applicant == requester
    assert case.body == portal.pw.police and case.received_by is None
    assert (case.requester_name, case.requester_department, case.requester_position) == (
        "김경위",
        "형사과",
        "경위",
    )
    assert (
        case.legal_ground == "7" and case.urgent and case.mask_third_parties and not case.original_requested
    )
    assert [line.device for line in case.footage.all()] == [portal.pw.gate_camera]
    assert case.attachments.get().kind == ProvisionAttachment.Kind.LETTER
    assert LegalHold.objects.filter(case_reference=case.hold_reference).exists()  # R18
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_FILE_PROVISION)
    assert entry.actor == portal.kim

    page = kim.get(response["Location"]).content.decode()
    assert case.case_number in page and "요청을 접수했습니다" in page
    assert "남동서 형사과-5678" in kim.get(reverse("portal:index")).content.decode()


def test_asking_for_the_original_needs_the_reason(kim: Client, portal: Portal) -> None:
    response = kim.post(reverse("portal:apply"), application(portal, copy_kind="original"))
    assert response.status_code == 400 and "원본이 필요한 사유" in response.content.decode()
    assert not ProvisionCase.objects.exists()
    kim.post(
        reverse("portal:apply"),
        application(portal, copy_kind="original", original_reason="피의자 인상착의 식별"),
    )
    case = ProvisionCase.objects.get()
    assert case.original_requested and not case.mask_third_parties  # R49: the approver decides
    assert case.original_reason == "피의자 인상착의 식별"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"letter": upload("공문.pdf", b"just some text, not a PDF", "application/pdf")}, "요청 공문"),
        ({"letter": None}, "요청 공문"),
        ({"legal_ground": ""}, "제공 근거"),
        ({"legal_ground": "4"}, "제공 근거"),  # item 4 was deleted from the law
        ({"letter_number": ""}, "공문번호"),
        ({"letter_date": "2026-12-01"}, "공문 일자"),
        ({"purpose": ""}, "요청 목적"),
        ({"site_1": ""}, "영상"),  # nothing asked for
        ({"start_1": "2026-11-23T03:00", "end_1": "2026-11-23T03:30"}, "보관되어 있지 않습니다"),
        ({"end_1": "2026-11-23T08:00"}, "끝이 시작보다"),
        ({"end_1": ""}, "설치장소 1"),
        ({"site_2": "999999", "start_2": "2026-11-23T09:00", "end_2": "2026-11-23T09:30"}, "설치장소 2"),
        ({"site_2": "", "start_2": "2026-11-23T09:00"}, "설치장소 2"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(
    kim: Client, portal: Portal, changes: dict[str, Any], named: str
) -> None:
    response = kim.post(reverse("portal:apply"), application(portal, **changes))
    assert response.status_code == 400
    assert named in response.content.decode()
    assert not ProvisionCase.objects.exists() and not LegalHold.objects.exists()


def test_a_site_of_another_institution_cannot_be_asked_for(kim: Client, portal: Portal) -> None:
    from jikimi.accounts.testing import make_group
    from jikimi.inventory.models import Location

    far_group = make_group("교통과", "gy-lane", portal.pw.other)
    far = Location.objects.create(device_group=far_group, key="far", name="광양 정문")
    assert "광양 정문" not in kim.get(reverse("portal:apply")).content.decode()
    response = kim.post(reverse("portal:apply"), application(portal, site_1=str(far.pk)))
    assert response.status_code == 400 and "설치장소 1" in response.content.decode()
    assert not ProvisionCase.objects.exists()
