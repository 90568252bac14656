"""The administrator's Korean account pages; everyone else is refused (403)."""

import pytest
from django.urls import reverse

from jikimi.accounts.models import RoleGrant, User
from jikimi.accounts.testing import log_in, make_department, make_institution, make_user, personas
from jikimi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return personas()


@pytest.fixture
def admin_client(client, people):
    log_in(client, people["admin"])
    return client


def test_the_administrator_sees_the_accounts_of_the_institution(admin_client, people):
    make_user("outsider", institution=make_institution("gunsan", "군산시"))
    page = admin_client.get(reverse("accounts:user_list")).content.decode()
    assert "alice" in page and "charlie" in page and "outsider" not in page
    assert "관리담당자·접근권한자" in page


@pytest.mark.parametrize("who", ["alice", "charlie", "auditor"])
def test_everyone_but_the_account_managers_is_refused(client, people, who):
    log_in(client, people[who])
    alice = people["alice"]
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_detail", args=[alice.pk])).status_code == 403
    response = client.post(
        reverse("accounts:user_grant", args=[alice.pk]), {"role": "administrator", "reason": "x"}
    )
    assert response.status_code == 403
    assert client.post(reverse("accounts:user_reset_password", args=[alice.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, people):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_an_administrator_of_another_institution_is_refused_our_accounts(client, people):
    gunsan_admin = make_user(
        "gunsan-admin", "administrator", institution=make_institution("gunsan", "군산시")
    )
    log_in(client, gunsan_admin)
    assert client.get(reverse("accounts:user_detail", args=[people["alice"].pk])).status_code == 403
    assert "alice" not in client.get(reverse("accounts:user_list")).content.decode()


def test_creating_an_account_shows_the_one_time_password_once(admin_client):
    response = admin_client.post(
        reverse("accounts:user_create"),
        {
            "username": "erin",
            "name": "한에린",
            "institution": make_institution().pk,
            "department": make_department("총무과").pk,
        },
    )
    assert response.status_code == 200
    erin = User.objects.get(username="erin")
    assert "임시 비밀번호" in response.content.decode() and erin.must_change_password
    assert AuditEntry.objects.filter(action="accounts.create_user", target_id=str(erin.pk)).exists()


def test_a_bad_account_form_says_what_is_wrong(admin_client):
    other = make_department("교통행정과", make_institution("gunsan", "군산시"))
    response = admin_client.post(
        reverse("accounts:user_create"),
        {"username": "alice", "name": "", "institution": make_institution().pk, "department": other.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "이미 있습니다" in page and "성명" in page


def test_granting_and_revoking_from_the_detail_page(admin_client, people):
    charlie = people["charlie"]
    response = admin_client.post(
        reverse("accounts:user_grant", args=[charlie.pk]),
        {"institution": make_institution().pk, "role": "auditor", "reason": "내부감사 지원"},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=charlie, role="auditor")
    page = admin_client.get(reverse("accounts:user_detail", args=[charlie.pk])).content.decode()
    assert "감사자" in page and "내부감사 지원" in page and "기관 전체" in page
    admin_client.post(reverse("accounts:grant_revoke", args=[charlie.pk, grant.pk]), {"reason": "지원 종료"})
    grant.refresh_from_db()
    assert grant.revoke_reason == "지원 종료"
    history = admin_client.get(reverse("accounts:grant_history")).content.decode()
    assert "지원 종료" in history and "내부감사 지원" in history


def test_a_grant_without_a_reason_is_refused_with_the_reason_named(admin_client, people):
    charlie = people["charlie"]
    response = admin_client.post(
        reverse("accounts:user_grant", args=[charlie.pk]),
        {"institution": make_institution().pk, "role": "auditor", "reason": ""},
    )
    assert response.status_code == 400
    assert "부여 사유" in response.content.decode()
    assert not RoleGrant.objects.filter(user=charlie, role="auditor").exists()


def test_reset_and_unlock_from_the_detail_page(admin_client, people):
    alice = people["alice"]
    response = admin_client.post(reverse("accounts:user_reset_password", args=[alice.pk]), {"reason": "분실"})
    assert "임시 비밀번호" in response.content.decode()
    alice.refresh_from_db()
    assert alice.must_change_password
    admin_client.post(reverse("accounts:user_unlock", args=[alice.pk]), {"reason": "본인 확인"})
    assert AuditEntry.objects.filter(action="accounts.unlock_user").exists()


def test_deactivating_needs_a_reason(admin_client, people):
    alice = people["alice"]
    admin_client.post(reverse("accounts:user_deactivate", args=[alice.pk]), {"reason": ""})
    alice.refresh_from_db()
    assert alice.is_active
    admin_client.post(reverse("accounts:user_deactivate", args=[alice.pk]), {"reason": "퇴직"})
    alice.refresh_from_db()
    assert not alice.is_active


def test_a_superuser_manages_accounts_without_a_grant(client, people):
    root = make_user("root", institution=None, is_superuser=True, is_staff=True)
    log_in(client, root)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert client.get(reverse("accounts:user_detail", args=[people["alice"].pk])).status_code == 200
