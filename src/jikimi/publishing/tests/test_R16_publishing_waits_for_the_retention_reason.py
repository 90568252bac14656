"""R16 (영 제25조①4호, 표준지침): footage kept beyond 30 days needs a reason. Where the institution publishes
none, its register says so (`retention_reason` null, issue 16) and publishing the policy is refused —
with a Korean message naming each group — until the officer records the reason the institution adopted
on the register's own edit path. Nothing is published in the institution's name that it did not adopt,
and the policy prints no placeholder for the reason.
"""

from __future__ import annotations

from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.inventory.actions import update_device_group
from jikimi.inventory.models import DeviceGroup, Institution
from jikimi.inventory.testing import record_retention_reasons
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.drafts import ReasonsNotPublished
from jikimi.publishing.models import PolicyVersion

REGISTER = Path(__file__).resolve().parents[4] / "registers" / "incheon.yaml"
CONSOLE = Actor.command("test")
FORM = {"announced_on": "2024-08-23", "effective_on": "2024-09-01", "reason": "보관기간 변경"}


@pytest.fixture
def hall(gunsan) -> DeviceGroup:
    """군산시's 청사 group keeping 3개월, as a file stating `retention_reason: null` would store it."""
    group = DeviceGroup.objects.get(institution=gunsan, name="청사 시설관리용 CCTV")
    DeviceGroup.objects.filter(pk=group.pk).update(retention="3개월", retention_reason=None)
    group.refresh_from_db()
    return group


def test_R16_publishing_is_refused_naming_each_group_without_a_published_reason(hall):
    with pytest.raises(ReasonsNotPublished) as refused:
        publish_policy(
            CONSOLE, hall.institution, date(2024, 8, 23), date(2024, 9, 1), "개정", check_permission=False
        )
    message = str(refused.value)
    assert "'청사 시설관리용 CCTV'(3개월)" in message and "R16" in message
    assert "기관이 정한 보관 사유를 적은 뒤 공개하세요" in message
    assert not PolicyVersion.objects.exists()


def test_R16_the_staff_page_shows_it_and_the_publish_form_is_refused(client, privacy_officer, hall):
    log_in(client, privacy_officer)
    page = unescape(client.get(reverse("publishing:staff_institution", args=["gunsan"])).content.decode())
    assert 'id="reasons-not-published"' in page and "'청사 시설관리용 CCTV'(3개월)" in page
    response = client.post(reverse("publishing:publish", args=["gunsan"]), FORM)
    assert response.status_code == 400
    assert "사유가 공개되지 않은 기기 묶음" in unescape(response.content.decode())
    assert not PolicyVersion.objects.exists()


def test_R16_once_the_officer_records_the_reason_the_policy_is_published_without_a_placeholder(
    privacy_officer, hall
):
    # The register's edit path (the group's 고치기 page calls this action), audited as the officer's.
    update_device_group(
        Actor.for_user(privacy_officer, "127.0.0.1"),
        hall,
        {"retention_reason": "시설물 훼손 사고 조사에 필요한 기간"},
        "기관이 정한 보관 사유 기록",
    )
    version = publish_policy(
        CONSOLE, hall.institution, date(2024, 8, 23), date(2024, 9, 1), "개정", check_permission=False
    ).version
    assert "3개월" in version.html
    for placeholder in ("미공개", "기관 확인 필요", "사유가 기재되어 있지 않음"):
        assert placeholder not in version.html, placeholder


def test_R16_incheon_as_published_waits_for_its_two_reasons(db):
    call_command("import_register", str(REGISTER), verbosity=0)
    incheon = Institution.objects.get(slug="incheon")
    with pytest.raises(ReasonsNotPublished) as refused:
        publish_policy(
            CONSOLE, incheon, date(2026, 11, 1), date(2026, 11, 10), "최초 공개", check_permission=False
        )
    assert "'교통정보 수집용 CCTV'(3개월)" in str(refused.value)
    assert "'버스전용차로 단속 CCTV'(준영구)" in str(refused.value)
    assert record_retention_reasons(incheon) == ["교통정보 수집용 CCTV", "버스전용차로 단속 CCTV"]
    version = publish_policy(
        CONSOLE, incheon, date(2026, 11, 1), date(2026, 11, 10), "최초 공개", check_permission=False
    ).version
    assert "준영구" in version.html and "기관 확인 필요" not in version.html
    assert "사유 미공개" not in version.html
