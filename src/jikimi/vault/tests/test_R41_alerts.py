"""Alerts (issue 11): raised by the vault's actions, listed for the officers in scope, e-mailed to the
institution's privacy officers and operating heads (a real SMTP server, aiosmtpd on 127.0.0.1), and
acknowledged by an audited action."""

from __future__ import annotations

from email.header import decode_header, make_header
from typing import Any

import pytest
from django.urls import reverse
from tests.servers import Inbox, free_port

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.vault.actions.alerts import raise_alert
from jikimi.vault.models import VaultAlert
from jikimi.vault.tests.conftest import admin_group, new_device

pytestmark = [pytest.mark.django_db]
SYSTEM = Actor.system("check_recorders")


@pytest.fixture
def inbox(smtp_inbox: Inbox, settings: Any) -> Inbox:
    settings.DEFAULT_FROM_EMAIL = "jikimi@city.example"
    return smtp_inbox


@pytest.fixture
def heads(people: dict[str, Any]) -> dict[str, Any]:
    people["bob"].email = "bob@city.example"
    people["bob"].save()
    people["alice"].email = "alice@city.example"
    people["alice"].save()
    return {
        "traffic": make_user(
            "traffic_head", "operating_head", departments=["교통행정과"], email="traffic@city.example"
        ),
        "general": make_user(
            "general_head", "operating_head", departments=["총무과"], email="general@city.example"
        ),
    }


def _subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_an_alert_is_mailed_to_the_privacy_officer_and_the_operating_head_in_scope(
    inbox: Inbox, heads: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    device = new_device()
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(SYSTEM, VaultAlert.Kind.RECORDER_DOWN, "녹화기 신호 없음 (시험)", device=device)
    assert alert is not None
    [(to, message)] = inbox.received()
    # Not the officer, not the head of another department.
    assert sorted(to) == ["bob@city.example", "traffic@city.example"]
    assert "녹화기 중지" in _subject(message) and "정문 1번" in _subject(message)
    assert "녹화기 신호 없음" in message.get_payload(decode=True).decode()
    alert.refresh_from_db()
    assert alert.mailed_to == ["bob@city.example", "traffic@city.example"]
    assert AuditEntry.objects.get(action=AuditEvent.VAULT_RAISE_ALERT).details["kind"] == "recorder_down"


def test_the_same_open_alert_is_raised_and_mailed_once(
    inbox: Inbox, heads: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    device = new_device()
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert(SYSTEM, VaultAlert.Kind.RECORDER_DOWN, "첫 경보", device=device)
        assert raise_alert(SYSTEM, VaultAlert.Kind.RECORDER_DOWN, "또 경보", device=device) is None
    assert len(inbox.messages) == 1 and VaultAlert.objects.count() == 1


def test_a_mail_server_that_does_not_answer_leaves_the_alert_standing(
    settings: Any, heads: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    device = new_device()
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(SYSTEM, VaultAlert.Kind.FOOTAGE_DAMAGED, "손상 (시험)", device=device)
    assert alert is not None
    alert.refresh_from_db()
    assert alert.open and alert.mailed_to == []


def test_the_alerts_page_shows_each_officer_the_alerts_in_scope_and_acknowledging_is_audited(
    client: Any, people: dict[str, Any]
) -> None:
    traffic = new_device()
    general = new_device(admin_group(), name="청사 현관")
    mine = raise_alert(SYSTEM, VaultAlert.Kind.RECORDER_DOWN, "교통 카메라 녹화기 중지", device=traffic)
    theirs = raise_alert(SYSTEM, VaultAlert.Kind.RECORDER_DOWN, "청사 카메라 녹화기 중지", device=general)
    clock = raise_alert(
        SYSTEM,
        VaultAlert.Kind.CLOCK_JUMP,
        "시계가 앞서 파기 보류",
        institution=traffic.device_group.institution,
    )
    assert mine and theirs and clock

    log_in(client, people["alice"])
    page = client.get(reverse("vault:alerts")).content.decode()
    assert "교통 카메라 녹화기 중지" in page and "청사 카메라" not in page and "파기 보류" not in page
    # The device page shows its own open alert too.
    assert (
        "교통 카메라 녹화기 중지"
        in client.get(reverse("vault:device_detail", args=[traffic.pk])).content.decode()
    )
    # Another department's alert cannot be acknowledged (nor seen to exist).
    assert (
        client.post(reverse("vault:alert_acknowledge", args=[theirs.pk]), {"note": "확인"}).status_code == 404
    )
    response = client.post(reverse("vault:alert_acknowledge", args=[mine.pk]), {"note": "녹화기 재시작함"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (
        not mine.open
        and mine.acknowledged_by == people["alice"]
        and mine.acknowledgement == "녹화기 재시작함"
    )
    entry = AuditEntry.objects.get(action=AuditEvent.VAULT_ACKNOWLEDGE_ALERT)
    assert entry.actor_id == people["alice"].pk and entry.reason == "녹화기 재시작함"
    # A second acknowledgement is refused (nothing new to say).
    client.post(reverse("vault:alert_acknowledge", args=[mine.pk]), {"note": "다시"})
    assert AuditEntry.objects.filter(action=AuditEvent.VAULT_ACKNOWLEDGE_ALERT).count() == 1

    # The privacy officer (whole institution) sees the institution-wide clock alert.
    client.logout()
    log_in(client, people["bob"])
    page = client.get(reverse("vault:alerts")).content.decode()
    assert "파기 보류" in page and "청사 카메라 녹화기 중지" in page


def test_an_acknowledgement_says_what_was_done(client: Any, people: dict[str, Any]) -> None:
    alert = raise_alert(SYSTEM, VaultAlert.Kind.RECORDER_DOWN, "녹화기 중지", device=new_device())
    assert alert is not None
    log_in(client, people["alice"])
    client.post(reverse("vault:alert_acknowledge", args=[alert.pk]), {"note": " "})
    alert.refresh_from_db()
    assert alert.open and not AuditEntry.objects.filter(action=AuditEvent.VAULT_ACKNOWLEDGE_ALERT).exists()


def test_an_auditor_sees_no_alerts(client: Any, people: dict[str, Any]) -> None:
    raise_alert(SYSTEM, VaultAlert.Kind.RECORDER_DOWN, "녹화기 중지", device=new_device())
    log_in(client, people["auditor"])
    assert "녹화기 중지<" not in client.get(reverse("vault:alerts")).content.decode()
