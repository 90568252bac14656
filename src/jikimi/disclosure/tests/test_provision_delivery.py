"""Handing an approved provision's footage to the body (R25, R32, R42, R49): the masked package with the
case number as watermark, opening only with its password; nothing before the approval; the original
only where the approver allowed it with a reason; the viewing on site; every download audited."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import pyzipper
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jikimi.audit.anchoring import signing_key
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.masking import (
    MaskingRefused,
    approve_release,
    choose_subject,
    start_provision_masking,
)
from jikimi.disclosure.actions.provision_delivery import (
    HandoverRefused,
    download_package,
    handed_over,
    open_packages,
    provide_footage,
)
from jikimi.disclosure.actions.provision_intake import file_provision
from jikimi.disclosure.actions.provision_review import approve_provision, review_provision
from jikimi.disclosure.models import MaskingJob, ProvisionCase, ProvisionDelivery
from jikimi.disclosure.tests.masking_fixtures import (  # noqa: F401 (fixtures)
    immediate_huey,
    kst,
    officer_actor,
    private_vault,
    two_faces_footage,
    world_fixture,
)
from jikimi.disclosure.tests.package_fixtures import prepare_package
from jikimi.disclosure.tests.provision_delivery_world import (  # noqa: F401 (fixtures)
    CLOCK,
    Provision,
    approve_case,
    approved_masked_jobs,
    handover,
    make_case,
    provision_fixture,
    signature_png,
)
from jikimi.engine.masking.package import verify_package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_huey")]
POLICE = Actor(user=None, label="인천중부경찰서 이수사(포털)", client_address="198.51.100.7")


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(CLOCK + timedelta(minutes=10), tick=True):
        yield


def _open(delivery: ProvisionDelivery, password: str, target: Path) -> Path:
    data = download_package(POLICE, delivery).read()
    with pyzipper.AESZipFile(io.BytesIO(data)) as zf:
        zf.setpassword(password.encode())
        zf.extractall(target)
    return target


def test_the_masked_package_carries_the_case_number_and_opens_with_its_password(
    provision: Provision, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    case = provision.case
    [job] = approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    # The case number is burned into every frame of the masked clip (the watermark), with "재제공 금지".
    lines = job.tracks["spec"]["watermark"]["lines"]
    assert any(case.case_number in line for line in lines) and any("재제공 금지" in line for line in lines)
    assert job.derivative_sha256 != job.original_sha256  # R25
    prepared = prepare_package(officer_actor(provision.officer), case)
    assert len(prepared.password) == 24 and prepared.delivery.original is False
    # Without the password nothing opens.
    data = download_package(POLICE, prepared.delivery).read()
    with pyzipper.AESZipFile(io.BytesIO(data)) as zf, pytest.raises(RuntimeError):
        zf.setpassword(b"WRONG-PASS")
        zf.read(zf.namelist()[0])
    opened = _open(prepared.delivery, prepared.password, tmp_path / "opened")
    package = opened / case.case_number
    report = verify_package(package, trusted_keys=[signing_key().public_key()])
    assert report.ok, report.problem
    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert case.case_number in json.dumps(manifest, ensure_ascii=False)
    [clip] = (package / "clips").iterdir()
    assert clip.name == f"{case.case_number}-01-masked.mp4"
    readme = (opened / "읽어보세요.txt").read_text(encoding="utf-8")
    assert case.case_number in readme and "마스킹본" in readme and "원본 영상입니다" not in readme
    # Each download audited against the case; the portal lists the open packages.
    downloads = AuditEntry.objects.filter(action="disclosure.download_copy", target_id=str(case.pk))
    assert downloads.count() == 2 and downloads.first().details["sha256"] == prepared.delivery.sha256
    assert open_packages(case) == [prepared.delivery]
    prepared.delivery.refresh_from_db()
    assert prepared.delivery.uses == 2


def test_nothing_is_masked_or_packaged_before_the_approval(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(provision.world, serial=8)  # received, not approved
    actor = officer_actor(provision.officer)
    with pytest.raises(MaskingRefused, match="승인된 요청만"):
        start_provision_masking(actor, case, case.footage.get())
    with pytest.raises(HandoverRefused, match="승인된 제공 요청만"):
        prepare_package(actor, case)
    with pytest.raises(HandoverRefused, match="승인된 제공 요청만"):
        provide_footage(actor, case, handover(delivery=ProvisionCase.Delivery.ON_SITE))
    assert not MaskingJob.objects.filter(provision=case).exists()
    assert not ProvisionDelivery.objects.filter(case=case).exists()
    assert not AuditEntry.objects.filter(action="vault.export_footage").exists()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.RECEIVED


def test_an_approved_case_without_masked_derivative_cannot_be_packaged(provision: Provision) -> None:
    # R25: release needs the approved masked derivative of every footage item; nothing is exported first.
    with pytest.raises(HandoverRefused, match="공개 승인된 마스킹본이 없습니다"):
        prepare_package(officer_actor(provision.officer), provision.case)
    assert not AuditEntry.objects.filter(action="vault.export_footage").exists()


def test_a_provision_has_no_subject_left_unmasked(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = start_provision_masking(officer_actor(provision.officer), provision.case, provision.item)
    job.refresh_from_db()
    track = job.track_list()[0]["id"]
    with pytest.raises(MaskingRefused, match="정보주체 지정"):
        choose_subject(officer_actor(provision.officer), job, track)


def test_the_original_only_where_approved_with_a_reason(provision: Provision, tmp_path: Path) -> None:
    actor = officer_actor(provision.officer)
    # R49: not approved → refused, before any export.
    with pytest.raises(HandoverRefused, match="원본 제공"):
        prepare_package(actor, provision.case, original=True)
    assert not AuditEntry.objects.filter(action="vault.export_footage").exists()
    case = approve_case(
        provision.case, provision.privacy_officer, original_reason="피의자 인상착의 식별 필요"
    )
    prepared = prepare_package(actor, case, original=True)
    assert prepared.delivery.original is True
    opened = _open(prepared.delivery, prepared.password, tmp_path / "opened")
    readme = (opened / "읽어보세요.txt").read_text(encoding="utf-8")
    assert "원본 영상입니다" in readme and "사유" in readme
    [clip] = (opened / case.case_number / "clips").iterdir()
    assert clip.name.endswith("-original.mp4")
    # The clip is the original export itself: its hash is the source's in the manifest.
    manifest = json.loads((opened / case.case_number / "manifest.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest)
    assert prepared.delivery.files[0]["sha256"] in text
    entry = AuditEntry.objects.get(action="disclosure.prepare_copy")
    assert entry.details["original"] is True and entry.target_id == str(case.pk)


def test_handing_over_the_package_makes_the_case_provided(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    actor = officer_actor(provision.officer)
    prepared = prepare_package(actor, provision.case)
    case = provide_footage(actor, provision.case, handover(package=prepared.delivery))
    assert case.state == ProvisionCase.State.PROVIDED and case.provided_by == provision.officer
    assert case.destroy_by == timezone.localdate() + timedelta(days=180)
    assert handed_over(case) == prepared.delivery
    entry = AuditEntry.objects.get(action="disclosure.provide_footage")
    assert entry.details["files"] == 1 and entry.details["delivery_kind"] == "package"
    assert entry.details["original"] is False
    assert entry.details["sha256s"] == [prepared.delivery.files[0]["sha256"]]
    # Not twice.
    with pytest.raises(HandoverRefused):
        provide_footage(actor, case, handover(package=prepared.delivery))


def test_viewing_on_site_is_recorded_with_time_and_who_viewed(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    now = timezone.now()
    case = provide_footage(
        officer_actor(provision.officer),
        provision.case,
        handover(
            delivery=ProvisionCase.Delivery.ON_SITE,
            viewed_from=now - timedelta(minutes=40),
            viewed_until=now - timedelta(minutes=10),
            viewing_place="교통행정과 열람실",
            viewers="인천중부경찰서 형사과 경위 이수사\n경사 박형사",
        ),
    )
    viewing = handed_over(case)
    assert viewing is not None and viewing.kind == ProvisionDelivery.Kind.ON_SITE
    assert viewing.viewers.endswith("박형사") and viewing.viewing_place == "교통행정과 열람실"
    assert viewing.viewed_until - viewing.viewed_from == timedelta(minutes=30)
    assert case.delivery == ProvisionCase.Delivery.ON_SITE
    with pytest.raises(HandoverRefused, match="내려받을 제공 파일이 아닙니다"):
        download_package(POLICE, viewing)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"use_period": " "}, "use_period", "이용 기간: 필수"),
        ({"use_method": ""}, "use_method", "이용 방법·범위: 필수"),
        ({"safety_measures": ""}, "safety_measures", "안전성 확보 조치: 필수"),
        ({"receiver_name": ""}, "receiver_name", "인수자 성명: 필수"),
        ({"destroy_by": None}, "destroy_by", "파기 기한: 필수"),
        ({"package": None}, "package", "먼저 암호화 제공 파일"),
        ({"signature": b"not a png"}, "signature", "PNG 이미지가 아닙니다"),
    ],
)
def test_bad_handover_is_refused_in_korean_with_nothing_saved(
    provision: Provision, changes: dict[str, Any], field: str, message: str
) -> None:
    # R32: the limits asked of the recipient are required before anything leaves.
    with pytest.raises(HandoverRefused, match=message) as refused:
        provide_footage(officer_actor(provision.officer), provision.case, handover(**changes))
    assert refused.value.field == field
    provision.case.refresh_from_db()
    assert provision.case.state == ProvisionCase.State.APPROVED and provision.case.provided_at is None
    assert not provision.case.use_period
    assert not AuditEntry.objects.filter(action="disclosure.provide_footage").exists()


def test_an_expired_package_is_not_downloaded(
    provision: Provision, django_capture_on_commit_callbacks: Any
) -> None:
    approved_masked_jobs(provision, django_capture_on_commit_callbacks)
    prepared = prepare_package(officer_actor(provision.officer), provision.case)
    assert prepared.delivery.expires_at is not None
    with (
        time_machine.travel(prepared.delivery.expires_at + timedelta(minutes=1)),
        pytest.raises(HandoverRefused, match="기한이 지났습니다"),
    ):
        download_package(POLICE, prepared.delivery)
    assert not AuditEntry.objects.filter(action="disclosure.download_copy").exists()


def test_the_chain_from_a_paper_letter_to_the_signed_receipt_through_the_actions(
    provision: Provision, django_capture_on_commit_callbacks: Any, tmp_path: Path
) -> None:
    """prov's intake, review and approval, then the handover: the package, the limits and the signature."""
    world = provision.world
    officer = officer_actor(provision.officer)
    letter = SimpleUploadedFile("공문.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    case = file_provision(
        officer,
        provision.case.institution,
        provision.case.body,
        channel=ProvisionCase.Channel.PAPER,
        requester_name="박수사",
        requester_department="형사과",
        letter_number="형사과-777",
        letter_date=timezone.localdate(),
        legal_ground="7",
        purpose="폭행 사건 수사",
        footage=[(world.device, kst("2026-11-23T08:59:00"), kst("2026-11-23T09:01:00"))],
        letter=letter,
    )
    with pytest.raises(HandoverRefused, match="승인된 제공 요청만"):
        prepare_package(officer, case)  # R49: nothing before the approval
    case = review_provision(
        officer, case, third_parties="행인 2명", harm_assessment="제3자 얼굴 마스킹", mask_third_parties=True
    )
    case = approve_provision(officer_actor(provision.privacy_officer), case, reason="수사 필요성 인정")
    assert case.state == ProvisionCase.State.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        job = start_provision_masking(officer, case, case.footage.get())
    job.refresh_from_db()
    approve_release(officer, job)
    prepared = prepare_package(officer, case)
    case = provide_footage(officer, case, handover(package=prepared.delivery, signature=signature_png()))
    assert case.state == ProvisionCase.State.PROVIDED and case.receipt_signed_at is not None
    opened = _open(prepared.delivery, prepared.password, tmp_path / "opened")
    assert verify_package(opened / case.case_number, trusted_keys=[signing_key().public_key()]).ok
    actions = list(
        AuditEntry.objects.filter(target_id=str(case.pk), action__startswith="disclosure.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    for expected in (
        "disclosure.file_provision",
        "disclosure.review_provision",
        "disclosure.approve_provision",
        "disclosure.start_masking",
        "disclosure.approve_release",
        "disclosure.prepare_copy",
        "disclosure.provide_footage",
        "disclosure.sign_receipt",
        "disclosure.download_copy",
    ):
        assert expected in actions, expected
