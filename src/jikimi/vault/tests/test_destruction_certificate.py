"""The destruction records and their certificate (PDF) list what was destroyed, when, how, by whom (R19)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.lib.pdf import uncovered_characters
from jikimi.vault.actions.destruction import enforce_retention
from jikimi.vault.certificate import certificate_context
from jikimi.vault.tests.conftest import new_device, synthetic_segment, traffic_group

pytestmark = [pytest.mark.django_db]


def kst(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}+09:00")


@pytest.fixture
def destroyed() -> None:
    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        enforce_retention(Actor.system("retention"))


def test_the_privacy_officer_gets_a_certificate_pdf(
    client: Any, people: dict[str, Any], destroyed: None
) -> None:
    log_in(client, people["bob"])
    response = client.get(
        reverse("vault:destruction_certificate"), {"since": "2026-11-01", "until": "2026-11-30"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    page = client.get(
        reverse("vault:destruction_list"), {"since": "2026-11-01", "until": "2026-11-30"}
    ).content.decode()
    assert "정문 1번" in page and "시스템 작업 retention" in page
    assert "day/" in page and "1개" in page  # the destroyed key and how many files it sealed


def test_the_certificate_template_has_no_glyph_the_font_lacks(
    client: Any, people: dict[str, Any], destroyed: None
) -> None:
    from django.template.loader import render_to_string

    from jikimi.vault.models import Destruction

    html = render_to_string(
        "vault/certificate.html",
        certificate_context(list(Destruction.objects.all()), date(2026, 11, 1), date(2026, 11, 30)),
    )
    assert uncovered_characters(html) == set()


def test_the_certificate_names_what_was_destroyed(destroyed: None) -> None:
    """R19 파일명: the day's prefix, the count, the names and the SHA-256 the audit chain holds."""
    from django.template.loader import render_to_string

    from jikimi.audit.models import AuditEntry
    from jikimi.vault.models import Destruction

    record = Destruction.objects.get()
    html = render_to_string(
        "vault/certificate.html", certificate_context([record], date(2026, 11, 1), date(2026, 11, 30))
    )
    listed = AuditEntry.objects.get(action="vault.record_destroyed_files").details["files"]
    assert f"1개 ({listed['prefix']} 아래 전부)" in html and record.object_names[0] in html
    assert listed["sha256"] in html and listed["count"] == 1


def test_before_its_ciphertext_is_deleted_a_destroyed_day_is_named_by_prefix_and_count() -> None:
    from django.template.loader import render_to_string

    from jikimi.vault.actions.destruction import destroy_day_keys, due_day_keys
    from jikimi.vault.models import Destruction

    device = new_device(traffic_group(retention="1일"))
    with time_machine.travel(kst("2026-11-23T12:00:00")):
        synthetic_segment(device, kst("2026-11-23T09:00:00"))
        synthetic_segment(device, kst("2026-11-23T09:01:00"))
    with time_machine.travel(kst("2026-11-25T03:00:00")):
        due, _ = due_day_keys(date(2026, 11, 25))
        destroy_day_keys(Actor.system("retention"), due, date(2026, 11, 25))  # no collection yet
    html = render_to_string(
        "vault/certificate.html",
        certificate_context(list(Destruction.objects.all()), date(2026, 11, 1), date(2026, 11, 30)),
    )
    assert f"2개 (days/{device.storage_name}/2026-11-23/ 아래 전부)" in html
    assert "파일명 목록은 암호문 삭제 때 기록" in html


def test_a_bad_period_is_refused_clearly(client: Any, people: dict[str, Any]) -> None:
    log_in(client, people["bob"])
    response = client.get(reverse("vault:destruction_certificate"), {"since": "어제"})
    assert response.status_code == 400 and "YYYY-MM-DD" in response.content.decode()


def test_officers_and_the_auditor_do_not_get_destruction_records(
    client: Any, people: dict[str, Any], destroyed: None
) -> None:
    for name in ("alice", "charlie", "auditor"):
        log_in(client, people[name])
        assert client.get(reverse("vault:destruction_list")).status_code == 403, name


def test_the_vault_index_lists_only_devices_in_scope(client: Any, people: dict[str, Any]) -> None:
    new_device(traffic_group(), "교통 카메라")
    log_in(client, people["charlie"])
    assert "교통 카메라" not in client.get(reverse("vault:index")).content.decode()
    log_in(client, people["alice"])
    assert "교통 카메라" in client.get(reverse("vault:index")).content.decode()
    log_in(client, people["auditor"])
    assert client.get(reverse("vault:index")).status_code == 403
