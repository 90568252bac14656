"""Emptying both audit tables is caught by the signed checkpoint (R40).

Issue 11: `DELETE FROM audit_auditentry; DELETE FROM audit_chainhead;` gave "0건: 이상 없음".
"""

import pytest
from django.urls import reverse

from jikimi.accounts.testing import log_in, personas
from jikimi.audit.models import AuditEntry
from jikimi.audit.tests.conftest import command_failure, run_command
from jikimi.audit.tests.tampering import disable_guard, sql, write_entries

pytestmark = pytest.mark.django_db


def test_deleting_every_entry_and_the_head_is_detected():
    write_entries(5)
    run_command("anchor_audit")
    disable_guard()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_chainhead")
    error = str(command_failure("verify_audit"))
    assert "감사 기록 0건" in error and "(truncated)" in error and "#5" in error


def test_a_wiped_log_that_started_again_is_detected():
    write_entries(5)
    run_command("anchor_audit")
    disable_guard()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_chainhead")
    write_entries(7)  # a fresh chain from the genesis, longer than the old one
    error = str(command_failure("verify_audit"))
    assert "(rewritten)" in error and "#5" in error


@pytest.mark.urls("jikimi.audit.tests.urls")
def test_the_auditors_verify_now_reports_the_wipe_and_the_last_checkpoint(client):
    auditor = personas()["auditor"]
    log_in(client, auditor)
    write_entries(5)
    run_command("anchor_audit")
    anchored = AuditEntry.objects.order_by("-sequence").first().sequence
    disable_guard()
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_chainhead")
    page = client.post(reverse("audit:verify"), follow=True).content.decode()
    assert "(truncated)" in page and f"마지막 외부 고정점 #{anchored}" in page
    recorded = AuditEntry.objects.get(action="audit.verify").details
    assert recorded["ok"] is False and recorded["last_checkpoint"]["sequence"] == anchored
