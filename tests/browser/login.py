"""Logging in as a person does in the browser: the password, then the second factor (R38).

A user with no authenticator app yet is shown the enrolment page: the test reads the secret off the
page, as a person's app reads the QR code, types the code the app shows, and goes on past the recovery
codes. A user with an app types its current code. The codes come from django_otp's TOTP on Python's
clock, the same clock the live server checks against.
"""

from __future__ import annotations

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from jikimi.accounts.testing import PASSWORD, current_code


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(PASSWORD)
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
    elif "/accounts/second-factor/" in page.url:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.get_by_label("인증 코드").fill(current_code(device))
        page.get_by_role("button", name="확인").click()
        page.wait_for_load_state("networkidle")
    assert "/accounts/" not in page.url, f"{username} is not logged in: {page.url}"
