"""R1 (법 제25조①1호): a device installed because a law specifically permits it rests on that law, and
the policy names it. Where the institution cites 1호 but publishes no law, its register says so
(`enabling_law` null, issue 16) and publishing the policy is refused — with a Korean message naming each
group — until the officer records the law the institution relies on, on the register's own edit path.
Nothing is published in the institution's name that it did not adopt, and the policy prints no
placeholder for the law.
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
from jikimi.inventory.testing import TEST_LAW, record_enabling_laws
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.drafts import FactsNotPublished, LawsNotPublished
from jikimi.publishing.models import PolicyVersion

REGISTER = Path(__file__).resolve().parents[4] / "registers" / "gwangyang.yaml"
CONSOLE = Actor.command("test")
FORM = {"announced_on": "2024-08-23", "effective_on": "2024-09-01", "reason": "근거 추가"}


@pytest.fixture
def hall(gunsan) -> DeviceGroup:
    """군산시's 청사 group citing 1호 too, as a file stating `enabling_law: null` would store it."""
    group = DeviceGroup.objects.get(institution=gunsan, name="청사 시설관리용 CCTV")
    DeviceGroup.objects.filter(pk=group.pk).update(
        legal_bases=[*group.legal_bases, "law_permits"], enabling_law=None
    )
    group.refresh_from_db()
    return group


def publish(institution: Institution) -> PolicyVersion:
    return publish_policy(
        CONSOLE, institution, date(2024, 8, 23), date(2024, 9, 1), "개정", check_permission=False
    ).version


def test_R1_publishing_is_refused_naming_each_group_without_a_published_law(hall):
    with pytest.raises(LawsNotPublished) as refused:
        publish(hall.institution)
    message = str(refused.value)
    assert "그 법령이 공개되지 않은 기기 묶음이 있습니다: '청사 시설관리용 CCTV'" in message
    assert "R1, 법 제25조①1호" in message and "기관이 근거로 삼은 법령을 적은 뒤 공개하세요" in message
    assert not PolicyVersion.objects.exists()


def test_R1_a_law_and_a_reason_not_published_are_named_together(hall):
    DeviceGroup.objects.filter(pk=hall.pk).update(retention="3개월", retention_reason=None)
    with pytest.raises(FactsNotPublished) as refused:
        publish(hall.institution)
    assert "그 법령이 공개되지 않은" in str(refused.value) and "'청사 시설관리용 CCTV'(3개월)" in str(
        refused.value
    )


def test_R1_the_staff_page_shows_it_and_the_publish_form_is_refused(client, privacy_officer, hall):
    log_in(client, privacy_officer)
    page = unescape(client.get(reverse("publishing:staff_institution", args=["gunsan"])).content.decode())
    assert 'id="laws-not-published"' in page and "근거 법령 미공개 (R1)" in page
    assert 'id="reasons-not-published"' not in page
    response = client.post(reverse("publishing:publish", args=["gunsan"]), FORM)
    assert response.status_code == 400
    assert "그 법령이 공개되지 않은 기기 묶음" in unescape(response.content.decode())
    assert not PolicyVersion.objects.exists()


def test_R1_once_the_officer_records_the_law_the_policy_names_it_without_a_placeholder(privacy_officer, hall):
    # The register's edit path (the group's 고치기 page calls this action), audited as the officer's.
    update_device_group(
        Actor.for_user(privacy_officer, "127.0.0.1"),
        hall,
        {"enabling_law": "건축법 제00조"},
        "근거 법령 기록",
    )
    version = publish(hall.institution)
    assert "근거 법령: 건축법 제00조" in version.html
    for placeholder in ("미공개", "미기재", "기관 확인 필요"):
        assert placeholder not in version.html, placeholder


def test_R1_gwangyang_as_published_waits_for_its_law(db):
    call_command("import_register", str(REGISTER), verbosity=0)
    gwangyang = Institution.objects.get(slug="gwangyang")
    with pytest.raises(LawsNotPublished) as refused:
        publish(gwangyang)
    assert "'고정형 영상정보처리기기'" in str(refused.value)
    assert record_enabling_laws(gwangyang) == ["고정형 영상정보처리기기"]
    version = publish(gwangyang)
    # 광양시's policy states its purposes in its own words (1–6호, devices in the 별첨): neither the
    # test's law nor a placeholder of ours is printed in its name.
    for words in (TEST_LAW, "미기재", "근거 법령 미공개"):
        assert words not in version.html, words
