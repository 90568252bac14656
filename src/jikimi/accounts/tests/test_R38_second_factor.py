"""A second factor (TOTP, django-otp) for every role that sees footage or personal data
(안전성 확보조치 기준 제6조, R38): enrolment, the code on every login, recovery codes, an audited reset,
and no view — the Django admin and the JSON API included — answering a session that skipped it."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jikimi.accounts.models import Role
from jikimi.accounts.permissions import role_requires_second_factor
from jikimi.accounts.testing import (
    PASSWORD,
    current_code,
    enrol_second_factor,
    log_in,
    make_contract_in_force,
    make_user,
    personas,
)
from jikimi.audit.models import AuditEntry
from jikimi.audit.queries import verify_log

pytestmark = [pytest.mark.django_db]

LOGIN = "/accounts/login/"


def password_step(client, user):
    """The real password form: the session is logged in, the second factor not yet passed."""
    return client.post(LOGIN, {"username": user.username, "password": PASSWORD})


def events(action):
    return AuditEntry.objects.filter(action=action)


def test_an_officer_is_sent_to_enrol_after_the_password_and_enrols_with_a_code(client):
    alice = make_user("alice", "officer", departments=["교통행정과"])
    response = password_step(client, alice)
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("accounts:second_factor_enrol"))
    page = client.get(reverse("accounts:second_factor_enrol")).content.decode()
    assert "2단계 인증 등록" in page and 'src="data:image/svg+xml' in page
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page)[1].replace(" ", "")
    # Until the code is confirmed nothing else answers.
    assert client.get(reverse("inventory:group_list"))["Location"].startswith(
        reverse("accounts:second_factor")
    )

    wrong = client.post(reverse("accounts:second_factor_enrol"), {"code": "000000"})
    assert "인증 코드가 맞지 않습니다" in wrong.content.decode()
    assert events("accounts.second_factor_failed").get().details == {"cause": "wrong_code_at_enrolment"}
    assert not TOTPDevice.objects.exists()

    code = current_code(TOTPDevice(user=alice, key=b32decode(secret).hex()))
    done = client.post(reverse("accounts:second_factor_enrol"), {"code": code})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10 and set(codes) == set(StaticToken.objects.values_list("token", flat=True))
    entry = events("accounts.second_factor_enrolled").get()
    assert entry.target_id == str(alice.pk) and entry.details["recovery_codes"] == 10
    assert client.get(reverse("inventory:group_list")).status_code == 200
    # The recovery codes were shown once: no page shows them again.
    assert codes[0] not in client.get(reverse("accounts:second_factor_enrol"), follow=True).content.decode()
    assert verify_log().ok


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.PRIVACY_OFFICER, True),
        (Role.OPERATING_HEAD, True),
        (Role.OFFICER, True),
        (Role.AUDITOR, True),
        # The control room's visitor log and handovers are personal data (오산시 지침 제22조, R41), and the
        # 관제요원 and a seconded police officer watch live video (issue 17).
        (Role.OPERATOR, True),
        (Role.SECONDED_POLICE, True),
        # 오산시 지침 제32조③: approves urgent provisions of footage (issue 14).
        (Role.CONTROL_HEAD, True),
        # An investigating body's officer receives his cases' footage.
        (Role.REQUESTING_OFFICER, True),
        (Role.CONTRACTOR, False),
    ],
)
def test_every_role_that_sees_footage_or_personal_data_needs_a_second_factor(role, required):
    assert role_requires_second_factor(make_user("someone", role)) is required


def test_superusers_and_admin_staff_need_a_second_factor():
    assert role_requires_second_factor(make_user("root", is_superuser=True, is_staff=True))
    assert role_requires_second_factor(make_user("staff", is_staff=True))
    assert not role_requires_second_factor(make_user("nobody"))
    assert role_requires_second_factor(make_user("watcher", "operator"))  # the live wall (R38, R41)


def test_a_register_reader_inside_logs_in_with_the_password_alone(client):
    # The operator no longer does (the control room's visitor log, live video: issue 17); the
    # contractor's role still reads only the register, which the published policy shows anyway.
    contractor = make_user("olga", "contractor")
    make_user("head", "control_head")  # R35: an official owns the centre while a contract runs
    make_contract_in_force(contractor)  # R33: a contractor works only under a contract in force
    response = password_step(client, contractor)
    assert response["Location"] == reverse("home")  # the dashboard of what needs doing (web.dashboard)
    assert client.get(reverse("inventory:group_list")).status_code == 200


def test_a_session_past_the_password_only_reaches_nothing_not_even_the_admin_or_the_api(client):
    people = personas()
    enrol_second_factor(people["admin"])
    people["admin"].is_staff = True
    people["admin"].save()
    password_step(client, people["admin"])
    for path in ["/register/", "/vault/", "/audit/", "/accounts/users/", "/publishing/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("accounts:second_factor")), path
    api = client.get("/api/vault/coverage")
    assert api.status_code == 403 and "2단계 인증" in api.json()["detail"]
    # The public pages still answer.
    assert client.get("/healthz").status_code == 200


def test_every_login_asks_for_the_code_and_a_code_is_good_once(client):
    alice = make_user("alice", "officer")
    device = enrol_second_factor(alice)
    password_step(client, alice)
    code = current_code(device)
    response = client.post(reverse("accounts:second_factor"), {"code": code, "next": "/vault/"})
    assert response["Location"] == "/vault/"
    assert events("accounts.second_factor_verified").get().details == {"method": "totp"}
    client.post(reverse("accounts:logout"))
    password_step(client, alice)
    replayed = client.post(reverse("accounts:second_factor"), {"code": code})
    assert replayed.status_code == 200 and "인증 코드가 맞지 않습니다" in replayed.content.decode()
    assert events("accounts.second_factor_failed").get().details == {"cause": "wrong_code"}
    assert client.get("/register/").status_code == 302


def test_repeated_wrong_codes_are_slowed_down_on_the_device(client):
    start = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        alice = make_user("alice", "officer")
        device = enrol_second_factor(alice)
        password_step(client, alice)
        client.post(reverse("accounts:second_factor"), {"code": "000000"})
        refused = client.post(reverse("accounts:second_factor"), {"code": current_code(device)})
        assert "잠시 입력할 수 없습니다" in refused.content.decode()
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        assert (
            client.post(reverse("accounts:second_factor"), {"code": current_code(device)}).status_code == 302
        )


def test_a_recovery_code_logs_in_once_and_is_recorded(client):
    alice = make_user("alice", "officer")
    enrol_second_factor(alice)
    code = StaticToken.objects.filter(device__user=alice).first().token
    password_step(client, alice)
    response = client.post(reverse("accounts:second_factor"), {"code": code.upper()}, follow=True)
    assert "복구 코드로 로그인했습니다. 남은 복구 코드는 9개" in response.content.decode()
    assert events("accounts.recovery_code_used").get().details == {"recovery_codes_left": 9}
    client.post(reverse("accounts:logout"))
    password_step(client, alice)
    again = client.post(reverse("accounts:second_factor"), {"code": code})
    assert "인증 코드가 맞지 않습니다" in again.content.decode()
    assert events("accounts.second_factor_failed").get().details == {"cause": "wrong_recovery_code"}


def test_an_account_manager_resets_a_lost_second_factor_with_a_reason(client):
    people = personas()
    alice = people["alice"]
    alice_client = type(client)()
    log_in(alice_client, alice)
    log_in(client, people["admin"])
    detail = reverse("accounts:user_detail", args=[alice.pk])
    reset = reverse("accounts:user_reset_second_factor", args=[alice.pk])
    assert "2단계 인증 등록됨" in client.get(detail).content.decode()
    refused = client.post(reset, {"reason": ""}, follow=True)
    assert "사유를 적어 주십시오" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=alice).exists()

    done = client.post(reset, {"reason": "휴대전화 분실(2026.11.23. 신고)"}, follow=True)
    assert "2단계 인증을 초기화했습니다" in done.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    entry = events("accounts.second_factor_reset").get()
    assert (entry.actor, entry.target_id, entry.reason) == (
        people["admin"],
        str(alice.pk),
        "휴대전화 분실(2026.11.23. 신고)",
    )
    # Alice's open session was verified with the removed app: it enrols again before anything else.
    response = alice_client.get("/register/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:second_factor_enrol"))


def test_nobody_resets_their_own_second_factor_or_one_they_do_not_manage(client):
    people = personas()
    log_in(client, people["admin"])
    own = client.post(
        reverse("accounts:user_reset_second_factor", args=[people["admin"].pk]),
        {"reason": "분실"},
        follow=True,
    )
    assert "자기 자신의 2단계 인증은 초기화할 수 없습니다" in own.content.decode()
    assert TOTPDevice.objects.filter(user=people["admin"]).exists()
    officer_client = type(client)()
    log_in(officer_client, people["alice"])  # an officer, who manages no accounts
    target = reverse("accounts:user_reset_second_factor", args=[people["admin"].pk])
    assert officer_client.post(target, {"reason": "x"}).status_code == 403
    assert not events("accounts.second_factor_reset").exists()


def test_the_django_admin_shows_no_second_factor_devices():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


@pytest.mark.calendar
def test_log_in_passes_the_real_second_step_under_a_frozen_clock(client):
    """time_machine pins time.time(), which TOTP reads on both sides; a frozen clock still logs in
    the same person several times (each login uses the next unused code)."""
    alice = make_user("alice", "officer")
    with time_machine.travel(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), tick=False):
        for _ in range(4):
            fresh = type(client)()
            log_in(fresh, alice)
            assert fresh.get(reverse("inventory:group_list")).status_code == 200
    assert events("accounts.second_factor_verified").count() == 4
