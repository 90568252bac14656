"""The requesting bodies' portal as people meet it (issue 14; 성동구·남해군 style): the privacy officer
makes the account of a police officer of 인천남동경찰서 by choosing and typing; the officer logs in at
the portal with the one-time password, registers his authenticator app, sets his own password, and
files a request for footage with the official letter (a PDF) by typing and choosing; his list shows it.
An officer of another police station logs in and does not see it."""

from __future__ import annotations

from base64 import b32decode
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from jikimi.accounts.testing import current_code, make_group, make_user
from jikimi.disclosure.models import ProvisionCase, RequestingBody
from jikimi.disclosure.tests.intake_world import pdf
from jikimi.disclosure.tests.portal_world import make_officer
from jikimi.disclosure.tests.provision_world import record_segment
from jikimi.inventory.models import Location
from jikimi.lib.clock import SEOUL
from jikimi.vault.actions.devices import add_device
from jikimi.vault.tests.conftest import ACTOR
from tests.browser.login import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "police-station-horse-42"  # noqa: S105 (tests only)


@pytest.fixture
def world(settings, tmp_path: Path, live_server) -> dict[str, object]:
    settings.STORAGE_URL = f"file://{tmp_path / 'footage'}?reserve=0"
    settings.HOLD_STORAGE_URL = f"file://{tmp_path / 'held'}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = f"file://{tmp_path / 'attachments'}?reserve=0"
    group = make_group("교통행정과", "bus-lane")
    gate = Location.objects.create(device_group=group, key="gate", name="정문")
    camera = add_device(ACTOR, group, "정문 1번", location=gate)
    # Footage of 정문 from an hour ago (Seoul), as the recorder stored it.
    recorded = (timezone.now() - timedelta(hours=1)).astimezone(SEOUL).replace(second=0, microsecond=0)
    record_segment(camera, recorded.strftime("%Y-%m-%dT%H:%M"))
    bob = make_user("bob", "privacy_officer", name="이밥")
    institution = group.institution
    police = RequestingBody.objects.create(
        institution=institution, name="인천남동경찰서", kind=RequestingBody.Kind.POLICE
    )
    other = RequestingBody.objects.create(
        institution=institution, name="인천중부경찰서", kind=RequestingBody.Kind.POLICE
    )
    make_officer("lee", "이경사", other, bob)
    letter = tmp_path / "공문.pdf"
    letter.write_bytes(pdf())
    return {"recorded": recorded, "police": police, "letter": letter}


def portal_log_in(page, live_server, username: str, password: str) -> None:
    """At the portal's address the account manager gave: the password, then the authenticator app."""
    page.goto(f"{live_server.url}/portal/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="영상정보 제공 요청 — 요청 기관 로그인").is_visible()
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state("networkidle")
    if "/accounts/second-factor/enrol/" in page.url:
        secret = page.locator("#totp-secret").inner_text().replace(" ", "")
        app = TOTPDevice(key=b32decode(secret).hex())
        page.get_by_label("인증 코드").fill(current_code(app))
        page.get_by_role("button", name="등록").click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".jk-recovery-codes li").count() == 10
        page.get_by_role("link", name="계속").click()
        page.wait_for_load_state("networkidle")
    else:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("인증 코드").fill(current_code(device))
        page.get_by_role("button", name="확인").click()
        page.wait_for_load_state("networkidle")


def test_a_police_officer_applies_online_and_sees_only_his_body_s_case(page, live_server, world) -> None:
    # The privacy officer makes the account.
    log_in(page, live_server, "bob")
    page.get_by_role("navigation", name="주 메뉴").get_by_role("link", name="계정·권한").click()
    page.get_by_role("link", name="외부 기관 담당자").click()
    page.get_by_role("link", name="담당자 계정 만들기").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("요청 기관", exact=True).select_option(label="인천남동경찰서 (경찰)")
    page.get_by_label("아이디").fill("police-kim")
    page.get_by_label("성명").fill("김경위")
    page.get_by_label("소속 부서").fill("형사과 강력1팀")
    page.get_by_label("직급").fill("경위")
    page.get_by_label("연락처").fill("032-111-2222")
    page.get_by_label("전자우편").fill("kim@police.go.kr")
    page.get_by_role("button", name="만들기").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="계정을 만들었습니다").is_visible()
    one_time = page.locator(".jk-one-time-password code").inner_text().strip()
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state("networkidle")

    # The officer, at the portal: first login, his app, his own password.
    portal_log_in(page, live_server, "police-kim", one_time)
    assert "/accounts/password/" in page.url
    page.get_by_label("현재 비밀번호").fill(one_time)
    page.get_by_label("새 비밀번호 (필수)", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("새 비밀번호 확인").fill(NEW_PASSWORD)
    page.get_by_role("button", name="비밀번호 바꾸기").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="인천남동경찰서의 영상정보 제공 요청").is_visible()

    # The application, by typing and choosing.
    page.get_by_role("link", name="영상 제공 요청하기").click()
    page.wait_for_load_state("networkidle")
    recorded = world["recorded"]
    page.get_by_label("공문번호").fill("남동서 형사과-5678")
    page.get_by_label("공문 일자").fill(f"{recorded:%Y-%m-%d}")
    page.get_by_label("요청 공문 (스캔)").set_input_files(str(world["letter"]))
    page.get_by_label("제공 근거 (개인정보 보호법 제18조제2항)").select_option(
        label="제7호 범죄의 수사와 공소의 제기 및 유지를 위하여 필요한 경우"
    )
    page.get_by_label("근거 법령·조문").fill("형사소송법 제199조")
    page.get_by_label("요청 목적").fill("절도 피의자 동선 확인")
    page.get_by_label("설치장소 1", exact=True).select_option(label="정문")
    page.get_by_label("설치장소 1 기간 시작").fill(f"{recorded - timedelta(minutes=10):%Y-%m-%dT%H:%M}")
    page.get_by_label("설치장소 1 기간 끝").fill(f"{recorded + timedelta(minutes=20):%Y-%m-%dT%H:%M}")
    page.get_by_label("제3자를 가린 사본 (마스킹)").check()
    page.get_by_role("button", name="요청하기").click()
    page.wait_for_load_state("networkidle")

    case = ProvisionCase.objects.get()
    assert page.get_by_text(f"요청을 접수했습니다. 사건번호는 {case.case_number}입니다").is_visible()
    assert page.locator("#case-state").inner_text() == "요청 접수"
    assert case.channel == ProvisionCase.Channel.ONLINE and case.body == world["police"]
    assert case.applicant is not None and case.applicant.user.username == "police-kim"
    page.get_by_role("link", name="요청 목록").first.click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#cases tbody tr").filter(has_text=case.case_number)
    assert "남동서 형사과-5678" in row.inner_text() and "요청 접수" in row.inner_text()
    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_load_state("networkidle")
    assert "/portal/login/" in page.url

    # An officer of another police station does not see it.
    from jikimi.accounts.testing import PASSWORD

    portal_log_in(page, live_server, "lee", PASSWORD)
    assert page.get_by_role("heading", name="인천중부경찰서의 영상정보 제공 요청").is_visible()
    assert page.get_by_text("아직 요청한 건이 없습니다.").is_visible()
    assert case.case_number not in page.content()
