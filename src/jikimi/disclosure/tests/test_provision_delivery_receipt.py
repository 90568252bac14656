"""The 영상정보 인수증 (오산시 지침 별지 제3호서식) of a provision: the PDF carries the form's items and the
limits asked of the recipient (R32); it is signed on receipt, drawn on screen (the PNG kept on the case,
embedded in the signed PDF) or on paper and scanned (checked by content, stored encrypted); bad input is
refused in Korean with nothing saved. The staff pages do it through a logged-in client."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.provision_delivery import (
    HandoverRefused,
    provide_footage,
    sign_receipt_by_scan,
    sign_receipt_on_screen,
)
from jikimi.disclosure.attachments import attachment_store
from jikimi.disclosure.models import ProvisionAttachment, ProvisionCase
from jikimi.disclosure.receipts import render_receipt
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    immediate_huey,
    officer_actor,
    private_vault,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.package_fixtures import prepare_package
from jikimi.disclosure.tests.provision_delivery_world import (  # noqa: F401 (fixtures)
    CLOCK,
    Provision,
    approved_masked_jobs,
    handover,
    provision_fixture,
    signature_png,
)
from jikimi.publishing.tests.pdf_reading import pdf_text, squeeze

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_huey")]


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK + timedelta(minutes=10), tick=True):
        yield


def provided(provision: Provision, capture: Any, **changes: Any) -> ProvisionCase:
    approved_masked_jobs(provision, capture)
    actor = officer_actor(provision.officer)
    prepared = prepare_package(actor, provision.case)
    return provide_footage(actor, provision.case, handover(package=prepared.delivery, **changes))


def test_the_receipt_pdf_carries_the_form_and_the_limits(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    case = provided(provision, django_capture_on_commit_callbacks)
    pdf, sha256, template = render_receipt(case)
    assert template == "disclosure/receipts/receipt.html" and len(sha256) == 64
    text = squeeze(pdf_text(pdf))
    today = timezone.localdate()
    for expected in (
        "영상정보인수증",
        case.case_number,
        "1.영상정보의내용",
        "장비명",
        "설치장소",
        "파일갯수",
        "목적",
        provision.world.device.name.replace(" ", ""),  # 장비명
        provision.world.location.name.replace(" ", ""),  # 설치장소
        "1개(2026-11-2308:59~09:01)",  # 파일 갯수 and period
        "교통사고뺑소니사건수사",  # 목적
        "2.수령일자",
        f"{today.year}년{today.month}월{today.day}일",
        "3.서약사항",
        "신청목적이외의용도로사용하지않으며,타인에게양도또는제공하지않고",
        "4.영상정보의처리",
        # R32: the limits asked of the recipient, and no re-use or re-provision.
        "수사종결시까지(최대2027-05-31)",
        "사건수사자료로만열람,복제금지",
        "암호화저장,접근권한자한정,반출기록",
        "목적외이용금지,제3자에게재제공금지",
        f"파기기한:{case.destroy_by:%Y-%m-%d}",
        # 인수자 and 인계자 with 소속·직급·성명·서명.
        "인수자",
        "소속:인천중부경찰서형사과",
        "직급:경위",
        "성명:이수사",
        "인계자",
        "성명:김앨리스",
        "(서명)",
    ):
        assert expected in text, expected


def test_signed_on_screen_the_pdf_embeds_the_signature(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    case = provided(provision, django_capture_on_commit_callbacks)
    unsigned, unsigned_sha, _ = render_receipt(case)
    png = signature_png()
    case = sign_receipt_on_screen(officer_actor(provision.officer), case, png)
    assert case.receipt_signed_at is not None and bytes(case.receiver_signature) == png
    signed, signed_sha, _ = render_receipt(case)
    assert signed_sha != unsigned_sha and b"/Subtype /Image" in signed and b"/Subtype /Image" not in unsigned
    entry = AuditEntry.objects.get(action="disclosure.sign_receipt")
    assert entry.details["sign_method"] == "on_screen" and entry.details["receipt_sha256"] == signed_sha
    with pytest.raises(HandoverRefused, match="이미 서명"):
        sign_receipt_on_screen(officer_actor(provision.officer), case, png)


def test_a_signature_drawn_at_the_handover_signs_at_once(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    case = provided(provision, django_capture_on_commit_callbacks, signature=signature_png())
    assert case.state == ProvisionCase.State.PROVIDED and case.receipt_signed_at is not None
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["disclosure.provide_footage", "disclosure.sign_receipt"]


def test_signed_on_paper_the_scan_is_kept_encrypted(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    case = provided(provision, django_capture_on_commit_callbacks)
    pdf, _sha, _ = render_receipt(case)  # printed, signed, scanned: a PDF as good as any
    scan = SimpleUploadedFile("인수증-서명.pdf", pdf, content_type="application/pdf")
    attachment = sign_receipt_by_scan(officer_actor(provision.officer), case, scan)
    assert (
        attachment.kind == ProvisionAttachment.Kind.RECEIPT_SCAN
        and attachment.content_type == "application/pdf"
    )
    stored = attachment_store().get(attachment.object_name)
    assert b"%PDF" not in stored[:64]  # encrypted at rest
    case.refresh_from_db()
    assert case.receipt_signed_at is not None
    entry = AuditEntry.objects.get(action="disclosure.sign_receipt")
    assert entry.details["sign_method"] == "scan" and entry.details["attachment"] == attachment.pk


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_with_nothing_saved(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    case = provided(provision, django_capture_on_commit_callbacks)
    fake = SimpleUploadedFile(
        "인수증.pdf", b"this is a text file, not a scan\n" * 10, content_type="application/pdf"
    )
    with pytest.raises(
        HandoverRefused, match="서명한 인수증: 인수증.pdf 파일은 JPG·PNG 이미지 또는 PDF가 아닙니다"
    ):
        sign_receipt_by_scan(officer_actor(provision.officer), case, fake)
    case.refresh_from_db()
    assert case.receipt_signed_at is None
    assert not ProvisionAttachment.objects.filter(case=case).exists()
    assert not AuditEntry.objects.filter(action="disclosure.sign_receipt").exists()


def test_nothing_is_signed_before_the_handover(provision: Provision) -> None:
    with pytest.raises(HandoverRefused, match="제공한 뒤에"):
        sign_receipt_on_screen(officer_actor(provision.officer), provision.case, signature_png())


# -- the staff pages -------------------------------------------------------------------------------------


def test_the_officer_hands_over_and_gets_the_receipt_signed_through_the_pages(
    provision: Provision, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    case = provision.case
    log_in(client, provision.officer)
    page = client.get(reverse("provisions:handover", args=[case.pk]))
    assert page.status_code == 200 and "공개 승인됨" in page.content.decode()
    # Issue 18: the page queues the package; a worker (here Huey's immediate mode, once the request's
    # transaction commits) builds it, and the page's polling shows it made.
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(reverse("provisions:package", args=[case.pk]))
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    assert "압축 파일 암호" in made.content.decode() and "만들고 있습니다" in made.content.decode()
    package = case.deliveries.get()
    status = client.get(reverse("provisions:package_status", args=[case.pk])).content.decode()
    assert 'data-build-state="ready"' in status and package.file_name in status
    form = {
        "delivery": "package",
        "package": str(package.pk),
        "receiver_department": "인천중부경찰서 형사과",
        "receiver_position": "경위",
        "receiver_name": "이수사",
        "use_period": "",
        "use_method": "사건 수사 자료로만 열람",
        "safety_measures": "암호화 저장",
        "destroy_by": f"{timezone.localdate() + timedelta(days=90):%Y-%m-%d}",
        "signature": "data:image/png;base64," + base64.b64encode(signature_png()).decode(),
    }
    # R32: without the period of use nothing is recorded; the error names the field in Korean.
    refused = client.post(reverse("provisions:provide", args=[case.pk]), form)
    assert refused.status_code == 400 and "이용 기간" in refused.content.decode()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.APPROVED
    form["use_period"] = "수사 종결 시까지"
    done = client.post(reverse("provisions:provide", args=[case.pk]), form)
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.PROVIDED and case.receipt_signed_at is not None
    receipt = client.get(reverse("provisions:receipt", args=[case.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    assert "성명:이수사" in squeeze(pdf_text(receipt.content))


def test_a_scan_through_the_page_and_a_bad_one(
    provision: Provision, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    case = provided(provision, django_capture_on_commit_callbacks)
    log_in(client, provision.officer)
    url = reverse("provisions:receipt_scan", args=[case.pk])
    bad = client.post(url, {"scan": SimpleUploadedFile("scan.png", b"GIF89a not a png")})
    assert bad.status_code == 400 and "JPG·PNG 이미지 또는 PDF가 아닙니다" in bad.content.decode()
    png = SimpleUploadedFile("scan.png", signature_png(), content_type="image/png")
    assert client.post(url, {"scan": png}).status_code == 302
    case.refresh_from_db()
    assert case.receipt_signed_at is not None


def test_another_departments_officer_does_not_find_the_case(provision: Provision, client: Any) -> None:
    log_in(client, provision.world.stranger)
    assert client.get(reverse("provisions:handover", args=[provision.case.pk])).status_code == 404
    log_in(client, make_user("op", "operator", institution=provision.case.institution))
    assert client.get(reverse("provisions:handover", args=[provision.case.pk])).status_code == 403


def test_a_signature_that_is_not_a_png_is_refused_on_the_page(
    provision: Provision, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    case = provision.case
    log_in(client, provision.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("provisions:package", args=[case.pk]))
    form = {
        "delivery": "package",
        "package": str(case.deliveries.get().pk),
        "receiver_department": "형사과",
        "receiver_name": "이수사",
        "use_period": "수사 종결 시까지",
        "use_method": "수사 자료",
        "safety_measures": "암호화 저장",
        "destroy_by": f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}",
        "signature": "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
    }
    refused = client.post(reverse("provisions:provide", args=[case.pk]), form)
    assert (
        refused.status_code == 400 and "인수자 서명: 서명 이미지(PNG)가 아닙니다" in refused.content.decode()
    )
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.APPROVED and case.receiver_signature is None
