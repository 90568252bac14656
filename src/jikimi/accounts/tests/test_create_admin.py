"""`jikimi create_admin`: an administrator with a one-time password, printed once and audited."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jikimi.accounts.models import User
from jikimi.accounts.permissions import Permission, has_permission
from jikimi.accounts.testing import make_institution
from jikimi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def create_admin(*args):
    out = StringIO()
    call_command("create_admin", *args, stdout=out)
    text = out.getvalue()
    return re.search(r"일회용 비밀번호: (\S+)", text).group(1), text


def test_it_creates_an_institution_administrator():
    incheon = make_institution()
    password, text = create_admin("--username", "kim", "--name", "김관리", "--institution", "incheon")
    kim = User.objects.get(username="kim")
    assert kim.check_password(password) and kim.must_change_password and not kim.is_superuser
    assert has_permission(kim, Permission.MANAGE_ACCOUNTS, institution=incheon)
    assert "인천광역시의 시스템 관리자" in text
    entries = AuditEntry.objects.filter(target_id=str(kim.pk))
    assert {"accounts.create_user", "accounts.grant_role"} <= set(entries.values_list("action", flat=True))
    assert all(
        e.actor_label == "명령 create_admin" and e.client_address.startswith("console:") for e in entries
    )


def test_without_an_institution_it_makes_an_account_managing_superuser():
    create_admin("--username", "root", "--name", "최고")
    root = User.objects.get(username="root")
    assert root.is_superuser and root.is_staff
    assert not has_permission(root, Permission.VIEW_REGISTER)


def test_running_it_again_resets_the_password_and_unlocks():
    make_institution()
    first, _ = create_admin("--username", "kim", "--name", "김관리", "--institution", "incheon")
    kim = User.objects.get(username="kim")
    kim.locked_until, kim.failed_login_count, kim.must_change_password = kim.date_joined, 2, False
    kim.save()
    second, text = create_admin("--username", "kim", "--name", "김관리", "--institution", "incheon")
    kim.refresh_from_db()
    assert (
        first != second
        and kim.check_password(second)
        and kim.must_change_password
        and kim.locked_until is None
    )
    assert "초기화했습니다" in text
    assert kim.role_grants.filter(revoked_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="accounts.reset_password", target_id=str(kim.pk)).exists()


def test_an_unknown_institution_is_named_in_the_error():
    make_institution()
    with pytest.raises(CommandError, match="'nowhere'.*incheon"):
        create_admin("--username", "kim", "--name", "김관리", "--institution", "nowhere")
