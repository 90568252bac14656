"""Accounts for investigating bodies' officers (성동구·남해군 style): made by an account manager, with
their body; logging in with the same protections as staff (R37 lockouts, R38 second factor) — from
outside the institution's networks, where only the portal answers them; deactivated like any account."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jikimi.accounts.actions import AccountError, grant_role, reset_second_factor
from jikimi.accounts.models import Role, RoleGrant, User
from jikimi.accounts.testing import PASSWORD, current_code, enrol_second_factor, log_in
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.actions.portal_accounts import NewBody, PortalAccountError, create_external_account
from jikimi.disclosure.models import ExternalRequester, RequestingBody
from jikimi.disclosure.tests.portal_world import OUTSIDE, Portal, office_network, portal
from jikimi.disclosure.tests.provision_world import ProvisionWorld, provision_stores, pw

__all__ = ["office_network", "portal", "provision_stores", "pw"]

NEW_PASSWORD = "police-station-horse-42"  # noqa: S105 (tests only)


def account_form(pw: ProvisionWorld, **changes: Any) -> dict[str, Any]:
    form = {
        "institution": pw.institution.pk,
        "body": pw.police.pk,
        "new_body_name": "",
        "new_body_kind": "",
        "username": "police-choi",
        "name": "최경감",
        "department": "형사과 강력1팀",
        "position": "경감",
        "phone": "032-111-2222",
        "email": "choi@police.go.kr",
        "reason": "공문 제2026-12호",
    }
    form.update(changes)
    return form


def create_by_page(client: Client, pw: ProvisionWorld, **changes: Any) -> Any:
    log_in(client, pw.bob)
    return client.post(reverse("external_accounts:officer_create"), account_form(pw, **changes))


def one_time_password(response: Any) -> str:
    page = response.content.decode()
    start = page.index('<p class="jk-one-time-password"><code>') + len(
        '<p class="jk-one-time-password"><code>'
    )
    return page[start : page.index("</code>", start)]


# ---- creating -----------------------------------------------------------------------------------


def test_the_privacy_officer_creates_an_officer_s_account_with_a_new_body(
    client: Client, pw: ProvisionWorld
) -> None:
    response = create_by_page(client, pw, body="", new_body_name="인천삼산경찰서", new_body_kind="police")
    assert response.status_code == 200 and "임시 비밀번호" in response.content.decode()
    user = User.objects.get(username="police-choi")
    assert user.must_change_password and user.institution == pw.institution and user.name == "최경감"
    assert user.email == "choi@police.go.kr"
    (grant,) = RoleGrant.objects.filter(user=user)
    assert grant.role == Role.REQUESTING_OFFICER and grant.institution == pw.institution
    assert grant.granted_by == pw.bob
    requester = ExternalRequester.objects.get(user=user)
    assert requester.body.name == "인천삼산경찰서" and requester.body.kind == RequestingBody.Kind.POLICE
    assert (requester.department, requester.position, requester.created_by) == (
        "형사과 강력1팀",
        "경감",
        pw.bob,
    )
    entry = AuditEntry.objects.get(action=AuditEvent.DISCLOSURE_CREATE_EXTERNAL_ACCOUNT)
    assert entry.details["officer_body"] == "인천삼산경찰서" and entry.details["body_added"] is True
    assert AuditEntry.objects.filter(action=AuditEvent.ACCOUNTS_CREATE_USER, target_id=str(user.pk)).exists()
    assert AuditEntry.objects.filter(action=AuditEvent.ACCOUNTS_GRANT_ROLE, target_id=str(user.pk)).exists()
    # The list of officers shows him, with a link to his account page (deactivation is there).
    listing = client.get(reverse("external_accounts:officer_list")).content.decode()
    assert "최경감" in listing and reverse("accounts:user_detail", args=[user.pk]) in listing


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"body": ""}, "요청 기관"),
        ({"body": "", "new_body_name": "인천남동경찰서", "new_body_kind": "police"}, "이미 등록"),
        ({"body": "", "new_body_name": "인천삼산경찰서"}, "구분"),
        ({"username": "bob"}, "아이디"),
        ({"username": "김경위"}, "아이디"),
        ({"department": ""}, "소속 부서"),
        ({"email": "not-an-address"}, "전자우편"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(
    client: Client, pw: ProvisionWorld, changes: dict[str, str], named: str
) -> None:
    bodies = RequestingBody.objects.count()
    users = User.objects.count()
    response = create_by_page(client, pw, **changes)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert RequestingBody.objects.count() == bodies and User.objects.count() == users
    assert not ExternalRequester.objects.exists()


def test_only_account_managers_create_them(client: Client, pw: ProvisionWorld) -> None:
    for who in (pw.alice, pw.auditor, pw.hana):
        log_in(client, who)
        assert client.get(reverse("external_accounts:officer_create")).status_code == 403
        assert client.post(reverse("external_accounts:officer_create"), account_form(pw)).status_code == 403
    assert not User.objects.filter(username="police-choi").exists()


def test_another_institution_s_body_cannot_be_chosen(pw: ProvisionWorld) -> None:
    far = RequestingBody.objects.create(
        institution=pw.other, name="광양경찰서", kind=RequestingBody.Kind.POLICE
    )
    with pytest.raises(PortalAccountError, match="요청 기관"):
        create_external_account(
            pw.actor(pw.bob),
            pw.institution,
            body=far,
            username="x1",
            name="엑스",
            department="형사과",
            position="경위",
            phone="1",
            email="x@police.go.kr",
        )
    with pytest.raises(PortalAccountError, match="하나만"):
        create_external_account(
            pw.actor(pw.bob),
            pw.institution,
            body=pw.police,
            new_body=NewBody("새 경찰서", "police"),
            username="x1",
            name="엑스",
            department="형사과",
            position="경위",
            phone="1",
            email="x@police.go.kr",
        )


def test_an_external_account_never_also_holds_a_staff_role(portal: Portal) -> None:
    pw = portal.pw
    with pytest.raises(AccountError, match="외부 기관 담당자 계정"):
        grant_role(pw.actor(pw.bob), portal.kim, role=Role.OFFICER, institution=pw.institution, reason="실수")
    with pytest.raises(AccountError, match="직원 역할"):
        grant_role(
            pw.actor(pw.bob),
            pw.alice,
            role=Role.REQUESTING_OFFICER,
            institution=pw.institution,
            reason="실수",
        )


# ---- logging in, from the police station -------------------------------------------------------


def test_first_login_from_outside_enrols_the_app_and_changes_the_password(
    client: Client, pw: ProvisionWorld
) -> None:
    password = one_time_password(create_by_page(client, pw))
    police = Client(REMOTE_ADDR=OUTSIDE)
    # The staff login stays closed outside; the portal's answers.
    assert police.get(reverse("accounts:login")).status_code == 403
    assert police.get(reverse("portal:login")).status_code == 200
    response = police.post(reverse("portal:login"), {"username": "police-choi", "password": password})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:second_factor"))
    # No app yet: enrolment, which the fresh one-time password opens from outside.
    response = police.get(response["Location"], follow=True)
    assert response.status_code == 200 and "totp-secret" in response.content.decode()
    page = response.content.decode()
    secret = page.split('id="totp-secret"')[1].split(">", 1)[1].split("<", 1)[0].replace(" ", "")
    app = TOTPDevice(key=b32decode(secret).hex())
    enrolled = police.post(
        reverse("accounts:second_factor_enrol") + "?next=/portal/", {"code": current_code(app)}
    )
    assert enrolled.status_code == 200 and "jk-recovery-codes" in enrolled.content.decode()
    # Then the password of his own, before anything else.
    assert police.get(reverse("portal:index"))["Location"] == reverse("accounts:password_change")
    changed = police.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed.status_code == 302
    assert police.get(changed["Location"])["Location"] == reverse("portal:index")  # home sends him on
    assert police.get(reverse("portal:index")).status_code == 200
    # Staff pages stay closed to him, outside and in.
    assert police.get("/register/").status_code == 403
    assert police.get("/vault/").status_code == 403


def test_every_later_login_needs_the_code(client: Client, portal: Portal) -> None:
    device = enrol_second_factor(portal.kim, OUTSIDE)
    police = Client(REMOTE_ADDR=OUTSIDE)
    response = police.post(reverse("portal:login"), {"username": "kim", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:second_factor"))
    # The password alone opens nothing.
    assert police.get(reverse("portal:index"))["Location"].startswith(reverse("accounts:second_factor"))
    right = police.post(reverse("accounts:second_factor") + "?next=/portal/", {"code": current_code(device)})
    assert right.status_code == 302 and right["Location"] == "/portal/"
    assert police.get(reverse("portal:index")).status_code == 200


def test_inside_the_officer_needs_the_code_too(portal: Portal) -> None:
    # APPLY_FOR_PROVISION is among the permissions that call for a second factor (R38).
    enrol_second_factor(portal.kim)
    inside = Client()
    inside.post(reverse("portal:login"), {"username": "kim", "password": PASSWORD})
    assert inside.get(reverse("portal:index"))["Location"].startswith(reverse("accounts:second_factor"))


def test_a_staff_password_is_refused_at_the_portal_like_a_wrong_one(portal: Portal) -> None:
    police = Client(REMOTE_ADDR=OUTSIDE)
    right = police.post(reverse("portal:login"), {"username": "bob", "password": PASSWORD})
    wrong = police.post(reverse("portal:login"), {"username": "bob", "password": "not-his-password"})
    assert right.status_code == wrong.status_code == 200
    assert "로그인하지 못했습니다" in right.content.decode()
    assert "_auth_user_id" not in police.session
    causes = [e.details["cause"] for e in AuditEntry.objects.filter(action=AuditEvent.ACCOUNTS_LOGIN_FAILED)]
    assert causes == ["not_external", "wrong_password"]
    # Not even the staff's account steps answer outside.
    assert police.get(reverse("accounts:second_factor")).status_code == 403


def test_after_a_second_factor_reset_enrolment_outside_needs_a_new_one_time_password(portal: Portal) -> None:
    pw = portal.pw
    enrol_second_factor(portal.kim, OUTSIDE)
    reset_second_factor(pw.actor(pw.bob), portal.kim, reason="휴대전화 분실")
    police = Client(REMOTE_ADDR=OUTSIDE)
    police.post(reverse("portal:login"), {"username": "kim", "password": PASSWORD})
    refused = police.get(reverse("accounts:second_factor_enrol"))
    assert refused.status_code == 403 and "기관 내부망에서만" in refused.content.decode()


def test_the_login_lockout_holds_at_the_portal(settings: Any, portal: Portal) -> None:
    settings.JIKIMI_LOGIN_FAILURE_LIMIT = 3
    police = Client(REMOTE_ADDR=OUTSIDE)
    for _ in range(3):
        police.post(reverse("portal:login"), {"username": "kim", "password": "guess"})
    portal.kim.refresh_from_db()
    assert portal.kim.is_locked
    response = police.post(reverse("portal:login"), {"username": "kim", "password": PASSWORD})
    assert "로그인하지 못했습니다" in response.content.decode()


def test_the_portal_logout_returns_to_the_portal_login(portal: Portal) -> None:
    police = Client(REMOTE_ADDR=OUTSIDE)
    log_in(police, portal.kim)
    assert police.get(reverse("portal:index")).status_code == 200
    response = police.post(reverse("portal:logout"))
    assert response["Location"] == reverse("portal:login")
    assert police.get(reverse("portal:index"))["Location"].startswith(reverse("portal:login"))
    assert AuditEntry.objects.filter(action=AuditEvent.ACCOUNTS_LOGOUT, actor=portal.kim).exists()
