"""The masked copy by hand (R25, R42): the officer finds the request on the desk's list, opens it and
starts a masking job from the masking panel of its page, watches its progress, opens the review, sees the detected faces drawn over the preview, clicks
the requester's face to leave it unmasked, drags a rectangle the detector missed, re-renders; the
operating head, by the same way, opens the review and approves and makes the encrypted copy, whose
password is shown once; the citizen downloads it from the status link's page and opens it with that
password. No page is reached by a hand-made URL."""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import timedelta
from pathlib import Path

import pytest
import pyzipper
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.anchoring import signing_key
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.decisions import decide
from jikimi.disclosure.models import Decision, IdentityCheck, MaskingJob, SubjectRequest
from jikimi.disclosure.status_links import status_path
from jikimi.engine.masking.package import verify_package
from jikimi.engine.masking.tests.conftest import FACES, face_crops, resize
from jikimi.engine.synthetic import textured_background, write_clip
from jikimi.inventory.models import Location
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def two_faces(path: Path) -> Path:
    crops = face_crops()
    background = textured_background(320, 240)
    layers = []
    for crop, x in ((crops[13], 30), (crops[16], 190)):
        w = int(crop.shape[1] * 110 / crop.shape[0])
        layers.append((resize(crop, w, 110), x))

    def paint(_: int, rgb) -> None:
        rgb[:] = background
        for image, x in layers:
            rgb[60 : 60 + image.shape[0], x : x + image.shape[1]] = image

    return write_clip(path, width=320, height=240, fps=15, seconds=2, paint=paint, crf=12, audio=None)


@pytest.fixture
def world(settings, tmp_path: Path, live_server):
    if not FACES.is_dir():
        pytest.skip(f"test data not found at {FACES}")
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_AUDIT_SIGNING_KEY_PATH = tmp_path / "keys" / "signing.key"
    settings.DISCLOSURE_MASKING_MODE = "fast"
    before, HUEY.immediate = HUEY.immediate, True  # the job runs as soon as it is queued
    group = make_group("교통행정과", "bus-lane")
    location = Location.objects.create(device_group=group, key="gate", name="정문 앞 교차로")
    device = add_device(ACTOR, group, "정문 1번", location=location)
    t0 = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    ingest(ACTOR, device, two_faces(tmp_path / "clip.mp4"), t0)
    officer = make_user("alice", "officer", departments=["교통행정과"], name="김앨리스")
    head = make_user("dora", "operating_head", departments=["교통행정과"], name="박도라")
    token = secrets.token_urlsafe(32)
    request = SubjectRequest.objects.create(
        institution=group.institution,
        receipt_number="2026-00012",
        status_token_hash=hashlib.sha256(token.encode()).hexdigest(),
        kind=SubjectRequest.Kind.COPY,
        channel=SubjectRequest.Channel.ONLINE,
        requester_name="홍길동",
        period_start=t0 - timedelta(minutes=1),
        period_end=t0 + timedelta(minutes=1),
        purpose="교통사고 당시 제 모습 확인",
        received_at=timezone.now(),
        due_on=timezone.localdate() + timedelta(days=10),
    )
    request.locations.add(location)
    IdentityCheck.objects.create(
        request=request,
        method="id_card",
        document="주민등록증",
        checked_by=officer,
        checked_at=timezone.now(),
    )
    # The head decides 사본 교부 first: the masked copy carries the decision out.
    decide(Actor.for_user(head, "127.0.0.1"), request, Decision.Outcome.COPY)
    yield request, token
    HUEY.immediate = before


def open_request_page(page, receipt_number: str) -> None:
    """From wherever the person is: the menu's 열람 등 청구, then the request's receipt number."""
    page.get_by_role("link", name="열람 등 청구").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("#requests tbody tr").filter(has_text=receipt_number).get_by_role(
        "link", name=receipt_number
    ).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=f"청구 {receipt_number}").is_visible()


def test_the_officer_reviews_the_masks_and_the_citizen_opens_the_copy(
    page, live_server, world, tmp_path
) -> None:
    request, token = world
    log_in(page, live_server, "alice")
    # As a person gets there: the menu, the list of requests, the request, its masking panel.
    open_request_page(page, request.receipt_number)
    panel = page.locator("#masking-panel")
    panel.get_by_role("heading", name="마스킹 사본").wait_for()
    assert "원본과 해시가 다른 마스킹본이 있어야만 공개할 수 있습니다" in panel.inner_text()
    panel.get_by_label("기기").select_option(label="정문 앞 교차로 · 정문 1번")
    panel.get_by_role("button", name="마스킹 시작").click()
    panel.get_by_role("link", name="검토").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="마스킹 검토").first.is_visible()

    # The detected faces are drawn over the preview; one click on the first leaves it unmasked.
    boxes = page.locator(".jk-review-box[data-track]")
    boxes.first.wait_for()
    assert boxes.count() >= 2
    subject = boxes.first.get_attribute("data-track")
    boxes.first.click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f'[data-track-row="{subject}"]')
    assert "정보주체" in row.inner_text()

    # A region the detector missed: drag a rectangle over the preview.
    page.get_by_role("button", name="가릴 영역 그리기").click()
    overlay = page.locator("[data-overlay]").bounding_box()
    page.mouse.move(overlay["x"] + 5, overlay["y"] + 5)
    page.mouse.down()
    page.mouse.move(overlay["x"] + 60, overlay["y"] + 40, steps=5)
    page.mouse.up()
    assert int(page.get_by_label("오른쪽").input_value()) > int(page.get_by_label("왼쪽").input_value())
    page.get_by_label("끝 프레임").fill("20")
    page.get_by_role("button", name="영역 추가").click()
    page.wait_for_load_state("networkidle")
    assert "프레임 0~20" in page.locator("main").inner_text()
    page.get_by_role("button", name="다시 렌더링").click()
    page.wait_for_load_state("networkidle")
    job = MaskingJob.objects.get()
    assert job.state == MaskingJob.State.READY and job.renders == 2 and not job.needs_render

    # The operating head approves and makes the copy; its password is shown once.
    page.context.clear_cookies()
    log_in(page, live_server, "dora")
    open_request_page(page, request.receipt_number)
    row = page.locator(f'#masking-panel tr[data-job="{job.pk}"]')
    assert "정문 1번" in row.inner_text() and "완료" in row.inner_text()
    row.get_by_role("link", name="검토").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="공개 승인").click()
    page.get_by_role("button", name="암호화 사본 만들기").click()
    password = page.locator("[data-password]").inner_text().strip()
    # A worker builds the archive (issue 18); the page follows it until it is made.
    page.locator('[data-build-state="ready"]').wait_for(timeout=60_000)
    assert len(password) == 24

    # The citizen downloads it through the status link, and opens it with the password.
    # The citizen follows the status link they were given, and clicks the download on that page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{status_path(token)}")
    page.wait_for_load_state("networkidle")
    with page.expect_download() as download:
        page.get_by_role("link", name="내려받기").click()
    archive_path = tmp_path / "copy.zip"
    download.value.save_as(archive_path)
    with pyzipper.AESZipFile(io.BytesIO(archive_path.read_bytes())) as archive:
        archive.setpassword(password.encode())
        archive.extractall(tmp_path / "opened")
    assert verify_package(
        tmp_path / "opened" / request.receipt_number, trusted_keys=[signing_key().public_key()]
    ).ok
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "disclosure.start_masking",
        "vault.export_footage",
        "disclosure.view_masking_preview",
        "disclosure.review_masks",
        "disclosure.approve_release",
        "disclosure.prepare_copy",
        "disclosure.download_copy",
    } <= actions
