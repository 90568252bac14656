"""A provision's handover by hand (R25, R32, R42, R49; 오산시 지침 별지 제3호): on an approved police
request the officer masks the footage from the case's handover page, approves the masks on the review
page, makes the encrypted package and reads its password once; the handover form refuses her without
the period of use (R32), then records the handover with the receiver's signature drawn on screen; the
signed 인수증 embeds it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from jikimi.accounts.testing import make_group, make_user
from jikimi.disclosure.models import MaskingJob, ProvisionCase, ProvisionFootage, RequestingBody
from jikimi.disclosure.receipts import render_receipt
from jikimi.engine.masking.tests.conftest import FACES
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in
from tests.browser.test_masking_review_by_hand import two_faces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approved_case(settings, tmp_path: Path, live_server):  # type: ignore[no-untyped-def]
    if not FACES.is_dir():
        pytest.skip(f"test data not found at {FACES}")
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_AUDIT_SIGNING_KEY_PATH = tmp_path / "keys" / "signing.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    settings.DISCLOSURE_MASKING_MODE = "fast"
    before, HUEY.immediate = HUEY.immediate, True  # the job runs as soon as it is queued
    group = make_group("교통행정과", "bus-lane")
    location = Location.objects.create(device_group=group, key="gate", name="정문 앞 교차로")
    device = add_device(ACTOR, group, "정문 1번", location=location)
    t0 = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    ingest(ACTOR, device, two_faces(tmp_path / "clip.mp4"), t0)
    make_user("alice", "officer", group.institution, departments=["교통행정과"], name="김앨리스")
    bob = make_user("bob", "privacy_officer", group.institution, name="이밥")
    body = RequestingBody.objects.create(
        institution=group.institution, name="인천남동경찰서", kind=RequestingBody.Kind.POLICE
    )
    case = ProvisionCase.objects.create(
        institution=group.institution,
        case_number="2026-P0031",
        body=body,
        channel=ProvisionCase.Channel.PAPER,
        state=ProvisionCase.State.APPROVED,
        requester_name="박형사",
        letter_number="남동서 형사과-1234",
        letter_date=timezone.localdate(),
        legal_ground="7",
        purpose="절도 사건 수사 (피의자 동선 확인)",
        received_at=timezone.now(),
        decided_by=bob,
        decided_at=timezone.now(),
        approval_kind=ProvisionCase.ApprovalKind.PRIVACY_OFFICER,
        decision_reason="수사 목적 확인",
    )
    ProvisionFootage.objects.create(
        case=case, device=device, start=t0 - timedelta(minutes=1), end=t0 + timedelta(minutes=1)
    )
    yield case
    HUEY.immediate = before


def test_the_officer_masks_packages_and_hands_over_with_a_signature_on_screen(
    page, live_server, approved_case
) -> None:  # type: ignore[no-untyped-def]
    case = approved_case
    log_in(page, live_server, "alice")
    page.get_by_role("link", name="제3자 제공").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#provisions").get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="제공·인수증 화면").click()
    page.wait_for_load_state("networkidle")

    # Mask the footage (Huey runs at once here) and review it.
    page.get_by_role("button", name="정문 1번 마스킹 시작").click()
    page.wait_for_load_state("networkidle")
    job = MaskingJob.objects.get(provision=case)
    assert job.state == MaskingJob.State.READY, job.error
    page.reload()
    page.get_by_role("link", name=f"작업 {job.pk}: 검토 대기").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=f"마스킹 검토 — 제3자 제공 {case.case_number}").is_visible()
    assert page.get_by_role("button", name="정보주체로").count() == 0  # no subject in a provision
    page.get_by_role("button", name="공개 승인").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="제공·인수증 화면으로").click()
    page.wait_for_load_state("networkidle")

    # The package: its password once.
    page.get_by_role("button", name="암호화 제공 파일 만들기").click()
    page.wait_for_load_state("networkidle")
    password = page.locator("[data-password]").inner_text()
    assert len(password) == 24
    page.get_by_role("link", name="제공·인수증 화면으로").click()
    page.wait_for_load_state("networkidle")
    assert password not in page.content()

    # The handover: without the period of use, refused, naming the field (R32).
    page.get_by_label("제공 방법").select_option(label="암호화 사본 제공")
    page.get_by_label("제공 파일").select_option(index=1)
    page.get_by_label("인수자 소속").fill("인천남동경찰서 형사과")
    page.get_by_label("인수자 직급").fill("경위")
    page.get_by_label("인수자 성명").fill("박형사")
    page.get_by_label("이용 방법·범위").fill("사건 수사 자료로만 이용, 복제 금지")
    page.get_by_label("요구하는 안전성 확보 조치").fill("암호화 저장, 접근 권한자 한정")
    page.get_by_label("파기 기한").fill((timezone.localdate() + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="제공 기록").click()
    page.wait_for_load_state("networkidle")
    assert (
        page.get_by_text("이용 기간: 이 필드는 필수 항목입니다").first.is_visible()
        or page.get_by_text("이용 기간:").first.is_visible()
    )
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.APPROVED

    page.get_by_label("이용 기간").fill("수사 종결 시까지")
    # The receiver signs in the canvas.
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()  # in the viewport, where the mouse moves
    assert box is not None
    page.mouse.move(box["x"] + 40, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 20):
        page.mouse.move(box["x"] + 40 + step * 20, box["y"] + 120 - (step % 5) * 15)
    page.mouse.up()
    page.get_by_role("button", name="제공 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("인수증에 서명을 받았습니다").is_visible()
    assert "인수자 서명 완료 (화면 서명)" in page.locator("#receipt-signed").inner_text()

    case.refresh_from_db()
    assert case.state == ProvisionCase.State.PROVIDED and case.use_period == "수사 종결 시까지"
    signature = bytes(case.receiver_signature)
    assert signature.startswith(b"\x89PNG")
    pdf, _sha, _template = render_receipt(case)
    assert b"/Subtype /Image" in pdf
