"""A data subject's request from the 청구서 to the encrypted copy, every step by hand (issue 13's "done
when"): a citizen files online with an ID photo and a sketch of the scene; the operating head checks
the identity (R21), sees the footage the vault holds for the request, decides 사본 교부 (its letter is
kept and mailed, R22), starts the masking, leaves the requester's own face unmasked and approves (R25);
the citizen downloads the AES archive through the status link and opens it with the password given
apart (R42). Mail goes through a real SMTP server; every step is in the audit log (R41)."""

from __future__ import annotations

import io
import zlib
from datetime import timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
import pyzipper
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.anchoring import signing_key
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import Decision, MaskingJob, SubjectRequest
from jikimi.engine.masking.package import verify_package
from jikimi.engine.masking.tests.conftest import FACES
from jikimi.inventory.models import Location
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import ingest
from tests.browser.demo import build_demo
from tests.browser.login import log_in
from tests.browser.test_masking_review_by_hand import two_faces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x42" * 2000 + b"\xff\xd9"


def sketch_png() -> bytes:
    """A real 16×16 grey PNG: the 사고 현장 약도."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    rows = b"".join(b"\x00" + b"\x80" * 16 for _ in range(16))
    header = (16).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def world(settings, tmp_path: Path, live_server):
    if not FACES.is_dir():
        pytest.skip(f"test data not found at {FACES}")
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_AUDIT_SIGNING_KEY_PATH = tmp_path / "keys" / "signing.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    settings.DISCLOSURE_MASKING_MODE = "fast"
    before, HUEY.immediate = HUEY.immediate, True  # the masking job runs as soon as it is queued
    demo = build_demo()
    # The site: a crossing of 교통행정과's cameras, recording at all hours (the demo's groups keep
    # recording hours that a clip of ten minutes ago may fall outside).
    group = make_group("교통행정과", "crossing", demo.institution, name="교차로 CCTV")
    site = Location.objects.create(device_group=group, key="gate", name="정문 앞 교차로")
    device = add_device(Actor.command("test setup"), site.device_group, "현장 카메라", location=site)
    # Footage of two people, ten minutes ago, at the site the citizen will choose.
    recorded = timezone.now().astimezone(SEOUL).replace(second=0, microsecond=0) - timedelta(minutes=10)
    ingest(Actor.command("test setup"), device, two_faces(tmp_path / "clip.mp4"), recorded)
    # The operating head of the site's cameras handles and decides the request.
    make_user(
        "dora",
        "operating_head",
        institution=demo.institution,
        device_groups=[site.device_group],
        name="박도라",
    )
    yield site, device, recorded
    HUEY.immediate = before


def test_a_request_from_the_form_to_the_encrypted_copy(
    page, live_server, world, smtp_inbox, tmp_path
) -> None:
    site, device, recorded = world
    page.set_default_timeout(30_000)

    # The citizen files the 청구서 from the published policy.
    page.goto(f"{live_server.url}/policy/incheon/")
    page.get_by_role("link", name="열람 등 청구하기").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("청구인 성명").fill("홍길동")
    page.get_by_label("생년월일").fill("1980-05-05")
    page.get_by_label("주소").fill("인천광역시 남동구 정각로 29")
    page.get_by_label("전화번호").fill("010-1234-5678")
    page.get_by_label("전자우편").fill("hong@example.org")
    page.get_by_label("기록기간 시작").fill(f"{recorded - timedelta(minutes=1):%Y-%m-%dT%H:%M}")
    page.get_by_label("기록기간 끝").fill(f"{recorded + timedelta(minutes=2):%Y-%m-%dT%H:%M}")
    page.get_by_label("설치장소", exact=True).select_option(label=site.name)
    page.get_by_label("사본 교부").check()
    page.get_by_label("청구 목적 및 사유").fill("접촉사고 당시 제 모습과 상대 차량 확인")
    page.get_by_label("신분증 사본").set_input_files(
        files=[{"name": "신분증.jpg", "mimeType": "image/jpeg", "buffer": ID_PHOTO}]
    )
    page.get_by_label("사고 현장 약도").set_input_files(
        files=[{"name": "약도.png", "mimeType": "image/png", "buffer": sketch_png()}]
    )
    page.get_by_role("button", name="제출").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "청구가 접수되었습니다"
    receipt = page.locator(".jk-receipt-number").inner_text()
    status_url = page.locator("a.jk-status-link").get_attribute("href")
    assert status_url is not None
    request = SubjectRequest.objects.get(receipt_number=receipt)

    # The operating head: the list, the request, the vault's answer, the identity check.
    page.context.clear_cookies()
    log_in(page, live_server, "dora")
    page.get_by_role("link", name="열람 등 청구").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#requests tbody tr").filter(has_text=receipt).get_by_role("link", name=receipt).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=f"{site.name} / {device.name}").is_visible()
    page.get_by_label("확인 방법").select_option(label="신분증 대조")
    page.get_by_label("확인한 서류").fill("주민등록증")
    page.get_by_role("button", name="본인 확인 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#request-state").inner_text() == "진행 상태: 본인 확인 완료"

    # 사본 교부: the decision and its letter.
    page.get_by_label("결정 내용").select_option(label="사본 교부 (마스킹한 사본)")
    page.get_by_role("button", name="결정하고 통지서 만들기").click()
    page.wait_for_load_state("networkidle")
    decision = Decision.objects.get(request=request)
    assert decision.outcome == Decision.Outcome.COPY and decision.letter_pdf[:5] == b"%PDF-"

    # The masked copy: start, review (the requester's own face left unmasked), approve, seal.
    page.get_by_label("기기").select_option(label=f"{site.name} · {device.name}")
    page.get_by_role("button", name="마스킹 시작").click()
    page.get_by_role("link", name="검토").click()
    page.wait_for_load_state("networkidle")
    boxes = page.locator(".jk-review-box[data-track]")
    boxes.first.wait_for()
    subject = boxes.first.get_attribute("data-track")
    boxes.first.click()
    page.wait_for_load_state("networkidle")
    assert "정보주체" in page.locator(f'[data-track-row="{subject}"]').inner_text()
    page.get_by_role("button", name="다시 렌더링").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="공개 승인").click()
    page.get_by_role("button", name="암호화 사본 만들기").click()
    password = page.locator("[data-password]").inner_text().strip()
    # A worker builds the archive (issue 18); the page follows it until it is made.
    page.locator('[data-build-state="ready"]').wait_for(timeout=60_000)
    job = MaskingJob.objects.get(request=request)
    assert job.state == MaskingJob.State.APPROVED and job.derivative_sha256 != job.original_sha256

    # The citizen, through the status link: the letter and the copy, opened with the password.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{status_url}")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="통지서 PDF").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="내려받기").click()
    archive_path = tmp_path / "copy.zip"
    download.value.save_as(archive_path)
    with pyzipper.AESZipFile(io.BytesIO(archive_path.read_bytes())) as archive:
        archive.setpassword(password.encode())
        archive.extractall(tmp_path / "opened")
    assert verify_package(tmp_path / "opened" / receipt, trusted_keys=[signing_key().public_key()]).ok

    # Mail went to the requester at each step, the password never with it.
    to_requester = [
        message_from_bytes(e.content, policy=default)
        for e in smtp_inbox.messages
        if "hong@example.org" in e.rcpt_tos
    ]
    subjects = " | ".join(m["Subject"] for m in to_requester)
    assert receipt in subjects
    assert any(
        part.get_content_type() == "application/pdf" for m in to_requester for part in m.iter_attachments()
    )
    assert all(password not in m.get_body(preferencelist=("plain",)).get_content() for m in to_requester)

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "disclosure.file_request",
        "disclosure.view_request",
        "vault.existence_check",
        "disclosure.verify_identity",
        "disclosure.decide",
        "disclosure.start_masking",
        "vault.export_footage",
        "disclosure.review_masks",
        "disclosure.approve_release",
        "disclosure.prepare_copy",
        "disclosure.download_copy",
    } <= actions
