"""Devices are added to a device group of the register, by command or on a staff page, and audited."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_group, make_institution
from jikimi.audit.models import AuditEntry
from jikimi.inventory.models import Device, Location
from jikimi.vault.tests.conftest import admin_group, traffic_group

pytestmark = pytest.mark.django_db


def test_the_command_adds_a_device_by_the_groups_name_and_audits_it() -> None:
    group = traffic_group()
    out = StringIO()
    call_command("add_device", group.name, "정문 1번", "--source", "rtsp://127.0.0.1:8554/cam1", stdout=out)
    device = Device.objects.get()
    assert (device.device_group, device.name, device.source_url) == (
        group,
        "정문 1번",
        "rtsp://127.0.0.1:8554/cam1",
    )
    assert f"기기 {device.pk}" in out.getvalue()
    entry = AuditEntry.objects.get(action="vault.add_device")
    assert entry.target_id == str(device.pk)
    assert "rtsp" not in str(entry.details)  # a stream URL may carry credentials


def test_the_command_accepts_the_groups_key_and_a_device_without_source_is_file_only() -> None:
    traffic_group()
    call_command("add_device", "bus-lane", "단속 카메라", stdout=StringIO())
    assert Device.objects.get().status == Device.Status.FILE_ONLY


def test_an_ambiguous_group_name_lists_the_choices() -> None:
    make_group("교통행정과", "a", name="같은 이름")
    make_group("교통행정과", "b", institution=make_institution("gunsan", "군산시"), name="같은 이름")
    with pytest.raises(CommandError) as error:
        call_command("add_device", "같은 이름", "카메라")
    assert "incheon/a" in str(error.value) and "gunsan/b" in str(error.value)
    assert not Device.objects.exists()


def test_an_unknown_group_or_a_bad_source_is_refused_with_a_clear_error() -> None:
    traffic_group()
    with pytest.raises(CommandError, match="없습니다"):
        call_command("add_device", "없는 묶음", "카메라")
    with pytest.raises(CommandError, match="rtsp://"):
        call_command("add_device", "bus-lane", "카메라", "--source", "ftp://x")
    assert not Device.objects.exists()


def test_an_officer_adds_a_device_on_the_staff_page(client: Any, people: dict[str, Any]) -> None:
    group = traffic_group()
    back = Location.objects.create(device_group=group, key="back-gate", name="후문 앞")
    log_in(client, people["alice"])
    response = client.post(
        reverse("vault:device_add"),
        {"device_group": group.pk, "name": "후문", "location": back.pk, "enabled": "on"},
    )
    device = Device.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "vault:device_detail", args=[device.pk]
    )
    assert AuditEntry.objects.filter(action="vault.add_device", actor=people["alice"]).exists()


def test_an_officer_of_another_department_cannot_add_a_device_to_the_group(
    client: Any, people: dict[str, Any]
) -> None:
    group = traffic_group()
    admin_group()
    log_in(client, people["charlie"])
    response = client.post(reverse("vault:device_add"), {"device_group": group.pk, "name": "후문"})
    # Refused with the groups Charlie may choose (his department's only).
    page = response.content.decode()
    assert response.status_code == 200 and "고를 수 있는 묶음: 총무과 city-hall CCTV" in page
    assert "교통행정과 bus-lane CCTV</option>" not in page
    assert not Device.objects.exists()
    assert client.get(reverse("vault:device_detail", args=[_device(group).pk])).status_code == 403


def test_the_auditor_and_the_operator_may_not_add_devices(client: Any, people: dict[str, Any]) -> None:
    for name in ("auditor", "operator"):
        log_in(client, people[name])
        assert client.get(reverse("vault:device_add")).status_code == 403


def _device(group: Any) -> Device:
    from jikimi.vault.tests.conftest import new_device

    return new_device(group)
