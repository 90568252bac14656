"""Publishing asks to confirm what it will freeze, refuses a version that changes nothing ("변경 내용 없음"),
and lets an announced version be withdrawn (철회) before its 시행일 — publicly and audited (R5, R7).

The clock is pinned to 2026-12-06 (Asia/Seoul): version 1 is in force since 2024-09-01 (fixture
`published`), a new version is announced for 2026-12-20.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.models import DeviceGroup
from jikimi.publishing.actions import Unchanged, WithdrawRefused, publish_policy, withdraw_version
from jikimi.publishing.models import PolicyVersion
from jikimi.publishing.queries import current_version

pytestmark = pytest.mark.calendar
TODAY = datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def actor(user):
    return Actor.for_user(user, "127.0.0.1")


def change_retention():
    DeviceGroup.objects.filter(key="city-hall").update(retention="45일")


def announce(user, institution):
    change_retention()
    return publish_policy(
        actor(user), institution, date(2026, 12, 6), date(2026, 12, 20), "청사 보관기간 변경"
    ).version


FORM = {"announced_on": "2026-12-06", "effective_on": "2026-12-20", "reason": "청사 보관기간 변경"}


def test_the_form_first_shows_the_version_its_dates_and_changes_and_publishes_nothing(
    client, published, privacy_officer
):
    change_retention()
    log_in(client, privacy_officer)
    response = client.post(reverse("publishing:publish", args=["gunsan"]), FORM)
    assert response.status_code == 200
    text = response.content.decode()
    assert "공개 확인" in text and "제2판" in text and "2026년 12월 20일" in text and "공개 확정" in text
    assert "14일" in text and "45일" in text  # the change against 제1판, before publishing
    assert PolicyVersion.objects.count() == 1  # nothing published yet
    confirmed = client.post(
        reverse("publishing:publish", args=["gunsan"]),
        {**FORM, "confirmed": response.context["draft"].digest},
        follow=True,
    )
    assert "제2판을 공개했습니다" in confirmed.content.decode()
    assert PolicyVersion.objects.count() == 2


def test_a_register_changed_after_the_confirmation_page_is_not_published_unseen(
    client, published, privacy_officer
):
    change_retention()
    log_in(client, privacy_officer)
    digest = client.post(reverse("publishing:publish", args=["gunsan"]), FORM).context["draft"].digest
    DeviceGroup.objects.filter(key="city-hall").update(retention="60일")
    response = client.post(reverse("publishing:publish", args=["gunsan"]), {**FORM, "confirmed": digest})
    assert response.status_code == 400 and "다시 확인" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_an_unchanged_version_is_refused_with_a_clear_korean_message(client, published, privacy_officer):
    with pytest.raises(Unchanged, match="변경 내용 없음"):
        publish_policy(actor(privacy_officer), published, date(2026, 12, 6), date(2026, 12, 20), "그대로")
    log_in(client, privacy_officer)
    response = client.post(reverse("publishing:publish", args=["gunsan"]), FORM)
    assert response.status_code == 400
    assert "변경 내용 없음" in response.content.decode()
    assert PolicyVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action="publishing.publish_policy").count() == 1


def test_an_announced_version_is_withdrawn_publicly_and_audited(client, published, privacy_officer):
    second = announce(privacy_officer, published)
    withdrawal = withdraw_version(actor(privacy_officer), second, "보관기간 재검토 필요")
    assert withdrawal.reason == "보관기간 재검토 필요"
    entry = AuditEntry.objects.get(action="publishing.withdraw_policy")
    assert entry.target_id == str(second.pk) and entry.reason == "보관기간 재검토 필요"
    assert entry.details["number"] == 2
    # The version in force stays; the withdrawn one never takes effect.
    assert current_version(published).number == 1
    assert current_version(published, today=date(2027, 1, 1)).number == 1
    page = client.get(reverse("publishing:policy", args=["gunsan"])).content.decode()
    assert "제2판" in page and "철회" in page and "보관기간 재검토 필요" in page and "2026년 12월 6일" in page
    assert "현행 제1판이 계속 시행됩니다" in page
    version_page = client.get(reverse("publishing:version", args=["gunsan", 2])).content.decode()
    assert "철회된 버전입니다" in version_page


def test_the_next_version_follows_the_one_in_force_not_the_withdrawn_one(published, privacy_officer):
    second = announce(privacy_officer, published)
    withdraw_version(actor(privacy_officer), second, "재검토")
    DeviceGroup.objects.filter(key="city-hall").update(retention="20일")
    third = publish_policy(
        actor(privacy_officer), published, date(2026, 12, 7), date(2026, 12, 15), "재공고"
    ).version
    assert third.number == 3
    history = third.content["sections"][-1]
    text = str(history)
    assert "제2판" not in text and "제1판" in text and "2026.12.15" in text


def test_a_version_in_force_cannot_be_withdrawn(published, privacy_officer):
    first = PolicyVersion.objects.get(number=1)
    with pytest.raises(WithdrawRefused, match="시행 중이어서 철회할 수 없습니다"):
        withdraw_version(actor(privacy_officer), first, "실수")
    assert not AuditEntry.objects.filter(action="publishing.withdraw_policy").exists()


def test_the_withdraw_form_needs_a_reason_and_the_permission(
    client, published, privacy_officer, traffic_officer
):
    second = announce(privacy_officer, published)
    url = reverse("publishing:withdraw", args=["gunsan", second.number])
    log_in(client, traffic_officer)
    assert client.post(url, {"reason": "x"}).status_code == 403
    log_in(client, privacy_officer)
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "철회 사유를 적어 주세요" in response.content.decode()
    response = client.post(reverse("publishing:withdraw", args=["gunsan", 1]), {"reason": "실수"})
    assert response.status_code == 400 and "시행 중이어서 철회할 수 없습니다" in response.content.decode()
    done = client.post(url, {"reason": "재검토"}, follow=True)
    assert "제2판을 철회했습니다" in done.content.decode()
