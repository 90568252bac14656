from __future__ import annotations

from datetime import date

import pytest

from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.inventory.models import DeviceGroup
from jikimi.publishing.actions import NotPermitted, PublishRefused, publish_policy
from jikimi.publishing.models import ImmutableVersion, PolicyVersion


def actor(user):
    return Actor.for_user(user, "127.0.0.1")


def test_it_freezes_the_generated_policy_as_version_one_with_its_dates_and_digest(gunsan, privacy_officer):
    published = publish_policy(
        actor(privacy_officer), gunsan, date(2024, 8, 23), date(2024, 9, 1), "2차 개정"
    )
    version = published.version
    assert version.number == 1
    assert (version.announced_on, version.effective_on) == (date(2024, 8, 23), date(2024, 9, 1))
    assert version.published_by == privacy_officer
    assert version.digest_matches
    assert "㈜영창티엠에스" in version.html
    assert version.content["effective_on"] == "2024-09-01"
    assert published.warnings == ()


def test_it_writes_its_audit_entry_in_the_same_transaction(gunsan, privacy_officer):
    version = publish_policy(
        actor(privacy_officer), gunsan, date(2024, 8, 23), date(2024, 9, 1), "개정"
    ).version
    entry = AuditEntry.objects.get(action="publishing.publish_policy")
    assert entry.target_id == str(version.pk)
    assert entry.details["sha256"] == version.content_sha256
    assert entry.reason == "개정"


def test_it_numbers_versions_in_order(gunsan, privacy_officer):
    publish_policy(actor(privacy_officer), gunsan, date(2024, 1, 1), date(2024, 1, 8), "제정")
    DeviceGroup.objects.filter(key="city-hall").update(retention="45일")
    second = publish_policy(
        actor(privacy_officer), gunsan, date(2024, 2, 1), date(2024, 2, 8), "개정"
    ).version
    assert second.number == 2
    assert "신구비교표" in second.html  # the change history links to the comparison (R7)


def test_it_warns_but_publishes_when_the_notice_is_shorter_than_seven_days(gunsan, privacy_officer):
    # R7: template practice, a warning not a failure.
    published = publish_policy(
        actor(privacy_officer), gunsan, date(2024, 8, 29), date(2024, 9, 1), "급한 개정"
    )
    assert published.version.pk
    assert len(published.warnings) == 1 and "3일" in published.warnings[0]
    assert published.version.warnings == list(published.warnings)


def test_it_refuses_an_effective_date_before_the_announcement(gunsan, privacy_officer):
    with pytest.raises(PublishRefused, match="시행일"):
        publish_policy(actor(privacy_officer), gunsan, date(2024, 9, 1), date(2024, 8, 1), "잘못")
    assert not PolicyVersion.objects.exists()
    assert not AuditEntry.objects.filter(action="publishing.publish_policy").exists()


def test_it_refuses_a_version_that_takes_effect_before_the_previous_one(gunsan, privacy_officer):
    publish_policy(actor(privacy_officer), gunsan, date(2024, 8, 1), date(2024, 9, 1), "개정")
    with pytest.raises(PublishRefused, match="직전 버전"):
        publish_policy(actor(privacy_officer), gunsan, date(2024, 7, 1), date(2024, 8, 1), "과거")


def test_it_refuses_an_empty_reason(gunsan, privacy_officer):
    with pytest.raises(PublishRefused, match="사유"):
        publish_policy(actor(privacy_officer), gunsan, date(2024, 8, 1), date(2024, 9, 1), "  ")


def test_it_refuses_an_officer_without_publish_permission(gunsan, traffic_officer, other_privacy_officer):
    for user in (traffic_officer, other_privacy_officer):
        with pytest.raises(NotPermitted):
            publish_policy(actor(user), gunsan, date(2024, 8, 1), date(2024, 9, 1), "개정")
    assert not PolicyVersion.objects.exists()


def test_a_published_version_can_be_neither_changed_nor_deleted(gunsan, privacy_officer):
    version = publish_policy(
        actor(privacy_officer), gunsan, date(2024, 8, 1), date(2024, 9, 1), "개정"
    ).version
    version.reason = "바꿔 보기"
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        version.delete()
    assert PolicyVersion.objects.get().reason == "개정"


def test_bulk_updates_and_deletes_are_refused_too(gunsan, privacy_officer):
    publish_policy(actor(privacy_officer), gunsan, date(2024, 8, 1), date(2024, 9, 1), "개정")
    with pytest.raises(ImmutableVersion):
        PolicyVersion.objects.update(reason="x")
    with pytest.raises(ImmutableVersion):
        PolicyVersion.objects.all().delete()


def test_the_admin_is_read_only(rf, gunsan):
    from django.contrib.admin.sites import site

    admin = site._registry[PolicyVersion]
    request = rf.get("/")
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)
