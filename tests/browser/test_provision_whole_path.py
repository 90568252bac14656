"""A police request, the whole way through by hand (issue 14; R25, R29–R32, R42, R49; 오산시 지침
제32조·제35조, 별지 제2호·제3호서식; 군산시 제4조 "제공받은자는 제공목적 달성한 후 즉시 파기 및 통보"):

the police officer applies at the portal with the official letter; the officer reviews it; the
총괄책임관 approves it; the officer masks the footage, approves the masks, makes the encrypted package
and hands it over with the receiver's signature drawn on screen; the police officer downloads the
package from his case page (it opens with the password given by another channel and verifies against
the institution's published key); the officer records the notice to the data subject; the police
officer reports the destruction, which closes the case; the 관리대장 shows the 제공 and 파기 rows, and
its XLSX opens with the 별지 제2호 columns."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from io import BytesIO
from pathlib import Path

import pytest
import pyzipper
import time_machine
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from openpyxl import load_workbook

from jikimi.accounts.testing import PASSWORD, make_group, make_user
from jikimi.audit.anchoring import signing_key
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import LedgerEntry, MaskingJob, ProvisionCase, RequestingBody
from jikimi.disclosure.tests.intake_world import pdf
from jikimi.disclosure.tests.portal_world import make_officer
from jikimi.engine.masking.package import verify_package
from jikimi.engine.masking.tests.conftest import FACES
from jikimi.inventory.models import Location
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.models import LegalHold
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in
from tests.browser.test_masking_review_by_hand import two_faces
from tests.browser.test_portal_by_hand import portal_log_in
from tests.browser.test_provision_by_hand import review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gate(settings, tmp_path: Path, live_server):  # type: ignore[no-untyped-def]
    if not FACES.is_dir():
        pytest.skip(f"test data not found at {FACES}")
    # The path takes a minute or more: begun at 23:59 in Seoul it dated the notice "today" on a case
    # made "yesterday", which the page rightly refused (CI failed so). It runs at noon of today's Seoul
    # date, its clock ticking: the same date as the browser's.
    noon = datetime.combine(datetime.now(SEOUL).date(), time(12), tzinfo=SEOUL)
    with time_machine.travel(noon, tick=True):
        yield from _gate(settings, tmp_path)


def _gate(settings, tmp_path: Path):  # type: ignore[no-untyped-def]
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_AUDIT_SIGNING_KEY_PATH = tmp_path / "keys" / "signing.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    settings.DISCLOSURE_MASKING_MODE = "fast"
    # The police station is outside the institution's networks; staff are inside.
    settings.JIKIMI_INTERNAL_NETWORKS = ["127.0.0.0/8"]
    before, HUEY.immediate = HUEY.immediate, True  # the masking job runs as soon as it is queued
    group = make_group("교통행정과", "bus-lane")
    location = Location.objects.create(device_group=group, key="gate", name="정문 앞 교차로")
    device = add_device(ACTOR, group, "정문 1번", location=location)
    # Footage of a few minutes ago, so that nothing depends on the date the suite runs on.
    recorded = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=10)
    ingest(ACTOR, device, two_faces(tmp_path / "clip.mp4"), recorded)
    make_user("alice", "officer", group.institution, departments=["교통행정과"], name="김앨리스")
    bob = make_user("bob", "privacy_officer", group.institution, name="이밥")
    police = RequestingBody.objects.create(
        institution=group.institution, name="인천남동경찰서", kind=RequestingBody.Kind.POLICE
    )
    make_officer("police-kim", "김경위", police, bob, email="kim@police.go.kr")
    letter = tmp_path / "공문.pdf"
    letter.write_bytes(pdf())
    yield {"recorded": recorded.astimezone(SEOUL), "letter": letter}
    HUEY.immediate = before


def open_case(page, live_server, case: ProvisionCase) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="제3자 제공").click()
    page.wait_for_load_state("networkidle")
    page.locator("#provisions").get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")


def log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state("networkidle")


def test_a_police_request_from_the_portal_to_the_destruction_report(
    page, live_server, gate, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    recorded = gate["recorded"]
    today = timezone.localdate()

    # 1. 요청: the police officer applies at the portal with the official letter.
    portal_log_in(page, live_server, "police-kim", PASSWORD)
    page.get_by_role("link", name="영상 제공 요청하기").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("공문번호").fill("남동서 형사과-5678")
    page.get_by_label("공문 일자").fill(f"{recorded:%Y-%m-%d}")
    page.get_by_label("요청 공문 (스캔)").set_input_files(str(gate["letter"]))
    page.get_by_label("제공 근거 (개인정보 보호법 제18조제2항)").select_option(
        label="제7호 범죄의 수사와 공소의 제기 및 유지를 위하여 필요한 경우"
    )
    page.get_by_label("근거 법령·조문").fill("형사소송법 제199조")
    page.get_by_label("요청 목적").fill("절도 피의자 동선 확인")
    page.get_by_label("설치장소 1", exact=True).select_option(label="정문 앞 교차로")
    page.get_by_label("설치장소 1 기간 시작").fill(f"{recorded - timedelta(minutes=1):%Y-%m-%dT%H:%M}")
    page.get_by_label("설치장소 1 기간 끝").fill(f"{recorded + timedelta(minutes=2):%Y-%m-%dT%H:%M}")
    page.get_by_label("제3자를 가린 사본 (마스킹)").check()
    page.get_by_role("button", name="요청하기").click()
    page.wait_for_load_state("networkidle")
    case = ProvisionCase.objects.get()
    assert page.get_by_text(f"요청을 접수했습니다. 사건번호는 {case.case_number}입니다").is_visible()
    assert LegalHold.objects.filter(case_reference=case.hold_reference, released_at=None).exists()
    log_out(page)

    # 2. 검토: the officer records third parties and harm.
    log_in(page, live_server, "alice")
    open_case(page, live_server, case)
    review(page, "행인 1명 (얼굴 노출)")
    log_out(page)

    # 3. 승인: the 총괄책임관, who did not prepare it.
    log_in(page, live_server, "bob")
    open_case(page, live_server, case)
    page.get_by_role("link", name="승인·거부").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#cannot-decide").count() == 0
    page.get_by_label("승인", exact=True).check()
    page.get_by_label("결정 사유").fill("수사 목적 확인, 제3자 마스킹한 사본으로 제공")
    page.get_by_role("button", name="결정 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(f"제공 요청 {case.case_number}을(를) 승인했습니다").is_visible()
    log_out(page)

    # 4. 마스킹·제공: the officer masks, approves the masks, packages and hands over with a signature.
    log_in(page, live_server, "alice")
    open_case(page, live_server, case)
    page.get_by_role("link", name="제공·인수증 화면").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="정문 1번 마스킹 시작").click()
    page.wait_for_load_state("networkidle")
    job = MaskingJob.objects.get(provision=case)
    assert job.state == MaskingJob.State.READY, job.error
    page.reload()
    page.get_by_role("link", name=f"작업 {job.pk}: 검토 대기").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="공개 승인").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="제공·인수증 화면으로").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="암호화 제공 파일 만들기").click()
    page.wait_for_load_state("networkidle")
    password = page.locator("[data-password]").inner_text()  # given by phone, not by the portal
    page.get_by_role("link", name="제공·인수증 화면으로").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("제공 방법").select_option(label="암호화 사본 제공")
    page.get_by_label("제공 파일").select_option(index=1)
    page.get_by_label("인수자 소속").fill("인천남동경찰서 형사과")
    page.get_by_label("인수자 직급").fill("경위")
    page.get_by_label("인수자 성명").fill("김경위")
    page.get_by_label("이용 기간").fill("수사 종결 시까지")
    page.get_by_label("이용 방법·범위").fill("사건 수사 자료로만 이용, 복제·재제공 금지")
    page.get_by_label("요구하는 안전성 확보 조치").fill("암호화 저장, 접근 권한자 한정")
    page.get_by_label("파기 기한").fill(f"{today + timedelta(days=90):%Y-%m-%d}")
    pad = page.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 40, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 20):
        page.mouse.move(box["x"] + 40 + step * 20, box["y"] + 120 - (step % 5) * 15)
    page.mouse.up()
    page.get_by_role("button", name="제공 기록").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("인수증에 서명을 받았습니다").is_visible()
    log_out(page)

    # 5. The police officer downloads the package from his case page.
    portal_log_in(page, live_server, "police-kim", PASSWORD)
    page.get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="암호화 사본 내려받기").click()
    archive = Path(downloading.value.path())
    with pyzipper.AESZipFile(BytesIO(archive.read_bytes())) as zf:
        zf.setpassword(password.encode())
        zf.extractall(tmp_path / "opened")
    [package] = [p for p in (tmp_path / "opened").iterdir() if p.is_dir()]
    report = verify_package(package, trusted_keys=[signing_key().public_key()])
    assert report.ok, report.problem
    log_out(page)

    # 6. The notice to the data subject (footage given to an investigation, 오산시 지침 제35조②).
    log_in(page, live_server, "alice")
    open_case(page, live_server, case)
    page.get_by_role("link", name="파기 통보 · 정보주체 통지 · 공개").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("정보주체 통지", exact=True).select_option(label="통지함")
    page.get_by_label("통지 일자").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("통지 방법").fill("등기우편")
    page.get_by_label("통지 내용 또는 통지하지 못한 사유").fill("영상을 수사기관에 제공한 사실과 그 근거")
    page.get_by_role("button", name="정보주체 통지 기록").click()
    page.wait_for_load_state("networkidle")
    assert f"{today:%Y-%m-%d}, 등기우편" in page.locator("#subject-notice").inner_text()
    log_out(page)

    # 7. 파기 통보: the police officer reports the destruction; the case closes.
    portal_log_in(page, live_server, "police-kim", PASSWORD)
    page.get_by_role("link", name=case.case_number).click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="파기 통보하기").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("파기 일자").fill(f"{today:%Y-%m-%d}")
    page.get_by_label("파기 방법").fill("저장매체에서 복원이 불가능한 방법으로 영구 삭제")
    page.get_by_role("button", name="파기 통보").click()
    page.wait_for_load_state("networkidle")
    assert "사건이 종결되었습니다" in page.locator("#destruction-done").inner_text()
    case.refresh_from_db()
    assert case.state == ProvisionCase.State.CLOSED
    log_out(page)

    # 8. The 관리대장: the 제공 and the 파기 rows of the case, and the XLSX with the 별지 columns.
    log_in(page, live_server, "bob")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="관리대장").click()
    page.wait_for_load_state("networkidle")
    ledger = page.locator("#ledger").inner_text()
    assert "제공" in ledger and "파기" in ledger and "인천남동경찰서" in ledger
    assert "개인정보 보호법 제18조제2항제7호" in ledger
    with page.expect_download() as downloading:
        page.get_by_role("link", name="엑셀(XLSX) 내려받기").click()
    sheet = load_workbook(BytesIO(Path(downloading.value.path()).read_bytes())).active
    assert [cell.value for cell in sheet[3]][:11] == [
        "번호", "구분", "일시", "파일명/형태", "담당자", "목적/사유", "이용·제공받는 제3자/열람등 요구자",
        "이용·제공근거", "이용·제공 형태", "기간", "결재",
    ]  # fmt: skip
    kinds = set(LedgerEntry.objects.filter(provision=case).values_list("kind", flat=True))
    assert {LedgerEntry.Kind.PROVISION, LedgerEntry.Kind.DESTRUCTION} <= kinds

    # Every step is in the audit log, and the case's holds ended with it.
    actions = set(AuditEntry.objects.filter(target_id=str(case.pk)).values_list("action", flat=True))
    assert {
        "disclosure.file_provision",
        "disclosure.review_provision",
        "disclosure.approve_provision",
        "disclosure.provide_footage",
        "disclosure.sign_receipt",
        "disclosure.download_copy",
        "disclosure.notify_subject",
        "disclosure.report_destruction",
    } <= actions
    assert not LegalHold.objects.filter(case_reference=case.hold_reference, released_at=None).exists()
