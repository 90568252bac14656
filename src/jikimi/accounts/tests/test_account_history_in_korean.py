"""The account page's history names audit events by their Korean labels, never their codes (issue 12)."""

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.events import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_account_page_names_its_audit_events_in_korean(client) -> None:
    """The history on an account's page reads "역할 부여", not "accounts.grant_role"."""
    admin = make_user("admin", "administrator", name="최관리")
    alice = make_user("alice", "officer", name="김앨리스")
    log_in(client, admin)
    page = client.get(reverse("accounts:user_detail", args=[alice.pk])).content.decode()
    assert f"<td>{AuditEvent.ACCOUNTS_GRANT_ROLE.label}</td>" in page
    assert AuditEvent.ACCOUNTS_GRANT_ROLE.value not in page
