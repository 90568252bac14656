"""`jikimi add_demo_cameras` registers make run's three simulated cameras once, audited, where footage is kept."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jikimi.accounts.testing import make_group
from jikimi.audit.models import AuditEntry
from jikimi.inventory.models import Device

pytestmark = pytest.mark.django_db


def test_it_adds_three_cameras_to_the_first_group_that_keeps_footage_once() -> None:
    make_group("교통행정과", "no-footage", retention="미보유")  # R15: would record nothing
    keeping = make_group("교통행정과", "bus-lane", retention="30일")

    call_command("add_demo_cameras", stdout=StringIO())
    out = StringIO()
    call_command("add_demo_cameras", stdout=out)

    devices = Device.objects.order_by("pk")
    assert [d.source_url for d in devices] == [f"rtsp://127.0.0.1:8554/cam{n}" for n in (1, 2, 3)]
    assert {d.device_group for d in devices} == {keeping} and all(d.enabled for d in devices)
    assert AuditEntry.objects.filter(action="vault.add_device").count() == 3
    assert out.getvalue().count("이미 등록되어 있습니다") == 3


def test_it_says_what_to_do_when_no_register_is_loaded() -> None:
    with pytest.raises(CommandError, match="load_demo"):
        call_command("add_demo_cameras")
