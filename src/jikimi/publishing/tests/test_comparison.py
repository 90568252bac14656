"""신구비교표 (R7): an officer changes a group's retention, publishes, and finds the change."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from jikimi.accounts.testing import log_in
from jikimi.audit.context import Actor
from jikimi.inventory.models import DeviceGroup
from jikimi.publishing.actions import publish_policy


def publish(user, institution, announced, effective, reason):
    return publish_policy(
        Actor.for_user(user, "127.0.0.1"), institution, announced, effective, reason
    ).version


def test_the_comparison_shows_the_changed_retention_old_and_new(client, gunsan, privacy_officer):
    publish(privacy_officer, gunsan, date(2024, 1, 1), date(2024, 1, 8), "제정")
    DeviceGroup.objects.filter(key="city-hall").update(retention="45일")
    publish(privacy_officer, gunsan, date(2024, 2, 1), date(2024, 2, 8), "청사 보관기간 변경")
    response = client.get(reverse("publishing:compare", args=["gunsan", 1, 2]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "변경 전 (제1판)" in text and "변경 후 (제2판)" in text
    assert '<del class="jk-diff-old">14일' in text
    assert '<ins class="jk-diff-new">45일' in text
    # Unchanged sections are left out by default, shown with ?all=1.
    assert "요청 및 제공절차" not in text
    assert (
        "요청 및 제공절차"
        in client.get(reverse("publishing:compare", args=["gunsan", 1, 2]) + "?all=1").content.decode()
    )


def test_the_public_page_shows_the_version_in_force_and_lists_the_others(client, gunsan, privacy_officer):
    publish(privacy_officer, gunsan, date(2024, 1, 1), date(2024, 1, 8), "제정")
    DeviceGroup.objects.filter(key="city-hall").update(retention="45일")
    publish(privacy_officer, gunsan, date(2024, 2, 1), date(2024, 2, 8), "청사 보관기간 변경")
    with time_machine.travel("2024-02-03 12:00 +0900", tick=False):
        text = client.get(reverse("publishing:policy", args=["gunsan"])).content.decode()
        assert "제1판 · 공고일" in text
        assert "제2판이 2024년 2월 8일부터 시행될 예정" in text
        assert "미리보기" not in text
    with time_machine.travel("2024-02-09 12:00 +0900", tick=False):
        text = client.get(reverse("publishing:policy", args=["gunsan"])).content.decode()
        assert "제2판 · 공고일" in text
        assert reverse("publishing:compare", args=["gunsan", 1, 2]) in text
        assert reverse("publishing:version", args=["gunsan", 1]) in text


def test_a_version_page_shows_the_frozen_text_not_the_register_of_today(client, gunsan, privacy_officer):
    publish(privacy_officer, gunsan, date(2024, 1, 1), date(2024, 1, 8), "제정")
    DeviceGroup.objects.filter(key="city-hall").update(retention="45일")
    text = client.get(reverse("publishing:version", args=["gunsan", 1])).content.decode()
    assert "14일" in text and "45일" not in text


def test_comparing_a_version_that_does_not_exist_is_not_found(client, gunsan):
    assert client.get(reverse("publishing:compare", args=["gunsan", 1, 2])).status_code == 404


def test_before_publishing_the_officer_sees_what_would_change(
    client, gunsan, privacy_officer, traffic_officer
):

    publish(privacy_officer, gunsan, date(2024, 1, 1), date(2024, 1, 8), "제정")
    DeviceGroup.objects.filter(key="city-hall").update(retention="45일")
    log_in(client, traffic_officer)
    assert client.get(reverse("publishing:compare_draft", args=["gunsan"])).status_code == 403
    log_in(client, privacy_officer)
    text = client.get(reverse("publishing:compare_draft", args=["gunsan"])).content.decode()
    assert "아직 공개되지 않은 초안" in text
    assert '<del class="jk-diff-old">14일' in text and '<ins class="jk-diff-new">45일' in text
