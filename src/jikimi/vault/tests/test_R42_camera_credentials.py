"""Camera credentials are stored encrypted and shown to nobody (안전성 확보조치 기준 제7조, R36, R42).

rtsp://admin:password@host/… : the database keeps the URL without the login and the login sealed under
the master key (jikimi.lib.credentials); pages and the admin show rtsp://***@host/…; the recorder alone
gets the login back, when it connects.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from jikimi.accounts.testing import log_in, make_user
from jikimi.audit.models import AuditEntry
from jikimi.engine.footage import MasterKey
from jikimi.inventory.models import Device
from jikimi.lib.credentials import SealError, redacted, split_credentials, with_credentials
from jikimi.vault.actions.devices import DeviceError, add_device
from jikimi.vault.models import Segment
from jikimi.vault.recording import camera_sources
from jikimi.vault.tests.conftest import ACTOR, traffic_group
from jikimi.vault.tests.test_record_command import cameras, record  # noqa: F401 (a fixture)

SECRET = "Pw-s3cret%21x"
URL = f"rtsp://admin:{SECRET}@10.0.0.5:554/stream1"
SHOWN = "rtsp://***@10.0.0.5:554/stream1"


def _device() -> Device:
    return add_device(ACTOR, traffic_group(), "정문 1번", source_url=URL)


def _row(device: Device) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM vault_device WHERE id = %s", [device.pk])
        return repr(cursor.fetchone())


def test_the_database_row_does_not_hold_the_password(db: Any) -> None:
    device = _device()
    row = _row(device)
    assert SECRET not in row and "admin:" not in row
    stored = Device.objects.get(pk=device.pk)
    assert stored.source_url == "rtsp://10.0.0.5:554/stream1"
    assert stored.source_credentials.startswith("s1:")
    assert stored.connect_url() == URL
    assert stored.shown_source_url == SHOWN
    for entry in AuditEntry.objects.all():
        assert SECRET not in f"{entry.details} {entry.target_label} {entry.reason}"


def test_a_url_without_credentials_is_kept_as_it_is(db: Any) -> None:
    device = add_device(ACTOR, traffic_group(), "후문", source_url="rtsp://10.0.0.6/stream1")
    assert (device.source_url, device.source_credentials) == ("rtsp://10.0.0.6/stream1", "")
    assert device.connect_url() == device.shown_source_url == "rtsp://10.0.0.6/stream1"


def test_the_recorder_is_given_the_credentials(db: Any) -> None:
    _device()
    assert [source.url for source in camera_sources(2.0)] == [URL]


def test_another_master_key_cannot_open_them(db: Any, settings: Any) -> None:
    device = _device()
    settings.MASTER_KEY_TEXT = MasterKey.generate().to_text()
    with pytest.raises(SealError, match="풀 수 없습니다"):
        Device.objects.get(pk=device.pk).connect_url()


def test_a_refused_source_is_not_echoed_with_its_password(db: Any) -> None:
    with pytest.raises(DeviceError) as refused:
        add_device(ACTOR, traffic_group(), "정문 1번", source_url=f"ftp://admin:{SECRET}@10.0.0.5/x")
    assert SECRET not in str(refused.value) and "ftp://***@10.0.0.5/x" in str(refused.value)


def test_a_refused_add_device_form_does_not_send_the_password_back(
    client: Any, people: dict[str, Any]
) -> None:
    group = traffic_group()
    log_in(client, people["alice"])
    page = client.post(
        reverse("vault:device_add"),
        {
            "device_group": group.pk,
            "name": "",  # refused: the name is required
            "source_url": f"rtsp://admin:{SECRET}@10.0.0.5:554/stream1",
            "enabled": "on",
        },
    ).content.decode()
    assert "다시 입력하십시오" in page and "rtsp://10.0.0.5:554/stream1" in page
    assert SECRET not in page and "admin:" not in page and not Device.objects.exists()


def test_the_device_page_shows_the_url_with_stars(client: Any, people: dict[str, Any]) -> None:
    device = _device()
    log_in(client, people["alice"])
    page = client.get(reverse("vault:device_detail", args=[device.pk])).content.decode()
    assert SHOWN in page and SECRET not in page and "admin:" not in page


def test_no_admin_page_shows_them(client: Any, people: dict[str, Any]) -> None:
    device = _device()
    log_in(client, make_user("root", "administrator", is_superuser=True, is_staff=True))
    for url in (
        reverse("admin:inventory_device_changelist"),
        reverse("admin:inventory_device_change", args=[device.pk]),
        reverse("admin:inventory_devicegroup_change", args=[device.device_group_id]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert SECRET not in page and device.source_credentials not in page, url
    assert SHOWN in client.get(reverse("admin:inventory_device_change", args=[device.pk])).content.decode()


def test_the_migration_seals_the_credentials_of_existing_devices(db: Any) -> None:
    device = add_device(ACTOR, traffic_group(), "정문 1번")
    Device.objects.filter(pk=device.pk).update(source_url=URL)  # as rows were before the migration
    migration = importlib.import_module("jikimi.inventory.migrations.0017_device_source_credentials")
    migration.seal_existing(apps, None)
    assert SECRET not in _row(device)
    assert Device.objects.get(pk=device.pk).connect_url() == URL
    migration.unseal_existing(apps, None)
    assert Device.objects.get(pk=device.pk).source_url == URL


@pytest.mark.parametrize(
    ("url", "bare", "userinfo"),
    [
        ("rtsp://u:p@h:554/a/b", "rtsp://h:554/a/b", "u:p"),
        ("rtsp://u:p@@h/a", "rtsp://h/a", "u:p@"),  # the last @ of the authority ends the login
        ("rtsp://h/a@b", "rtsp://h/a@b", ""),  # an @ in the path is no login
        ("https://h", "https://h", ""),
        ("", "", ""),
    ],
)
def test_credentials_are_split_at_the_authority(url: str, bare: str, userinfo: str) -> None:
    assert split_credentials(url) == (bare, userinfo)
    assert with_credentials(bare, userinfo) == url
    assert redacted(url) == (with_credentials(bare, "***") if userinfo else url)


@pytest.mark.slow
def test_the_recorder_still_connects_with_credentials(
    transactional_db: Any,
    cameras: dict[str, str],  # noqa: F811 (the fixture imported above)
) -> None:
    # The simulated camera asks for no login; FFmpeg connects with the URL the recorder was given.
    bare = cameras["cam2"]
    device = add_device(
        ACTOR, traffic_group(), "정문 1번", source_url=bare.replace("rtsp://", "rtsp://cam:pw@")
    )
    assert "cam:pw" not in _row(device)
    record(6)
    assert Segment.objects.filter(device=device).count() >= 1
