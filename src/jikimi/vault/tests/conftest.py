"""Shared material: a private footage store and master key per test, real clips made with PyAV
(`jikimi.engine.synthetic`), personas, and the vault on a real S3 server (moto on 127.0.0.1).

Alice is an officer of 교통행정과, Charlie an officer of 총무과 (must be refused everything of Alice's),
Bob the institution's privacy officer, the auditor sees no footage.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from jikimi.accounts.testing import make_group, make_user
from jikimi.audit.context import Actor
from jikimi.engine.footage import Segment as EngineSegment
from jikimi.engine.synthetic import write_clip
from jikimi.inventory.models import Device, DeviceGroup, Location
from jikimi.vault import keyring
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.ingest import store_live_segment
from jikimi.vault.models import Segment

ACTOR = Actor(user=None, label="테스트", client_address="test")
# Tests that travel weeks ahead with no recorder or sweep in between look to the retention sweep like a
# clock that jumped (R17): they say, as an officer would after checking it, that the clock is right.
CLOCK_CONFIRMED = "시계 확인함: 시험에서 시간을 앞으로 옮김"


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small camera clip: 64×48, 10 fps, 4 s, a keyframe every second, with an AAC tone."""
    return write_clip(
        tmp_path_factory.mktemp("clips") / "with-audio.mp4", width=64, height=48, fps=10, seconds=4
    )


@pytest.fixture(scope="session")
def silent_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_clip(
        tmp_path_factory.mktemp("clips") / "silent.mp4", width=64, height=48, fps=10, seconds=4, audio=None
    )


@pytest.fixture(autouse=True)
def vault_storage(settings: Any, tmp_path: Path) -> Path:
    """Every test gets its own store and master key (the caches are keyed by path and URL)."""
    root = tmp_path / "footage"
    settings.STORAGE_URL = f"file://{root}?reserve=0"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    return root


def stored_objects() -> list[str]:
    return sorted(keyring.footage_store().list(""))


@pytest.fixture
def people(db: Any) -> dict[str, Any]:
    return {
        "alice": make_user("alice", "officer", departments=["교통행정과"], name="김앨리스"),
        "charlie": make_user("charlie", "officer", departments=["총무과"], name="최찰리"),
        "bob": make_user("bob", "privacy_officer", name="이밥"),
        "auditor": make_user("auditor", "auditor", name="감사자"),
        "operator": make_user("operator", "operator", departments=["교통행정과"], name="관제요원"),
    }


def traffic_group(**fields: Any) -> DeviceGroup:
    return make_group("교통행정과", "bus-lane", **fields)


def admin_group(**fields: Any) -> DeviceGroup:
    return make_group("총무과", "city-hall", **fields)


def place(group: DeviceGroup, key: str, name: str, **fields: Any) -> Location:
    """A location of `group` in the register (its own retention or hours in `fields`)."""
    return Location.objects.create(device_group=group, key=key, name=name, **fields)


def new_device(group: DeviceGroup | None = None, name: str = "정문 1번") -> Device:
    return add_device(ACTOR, group or traffic_group(), name)


def synthetic_segment(device: Device, start: datetime, seconds: int = 60) -> Segment:
    """A stored, indexed segment of random bytes (the retention tests need no real video)."""
    data = secrets.token_bytes(200)
    segment = EngineSegment(
        index=0,
        start=start,
        end=start + timedelta(seconds=seconds),
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        frames=1,
        had_audio=False,
    )
    [stored] = store_live_segment(ACTOR, device, segment)
    return stored


@pytest.fixture
def seoul_morning() -> Any:
    """Ingest tests record footage of 2026-11-23: fix the clock to that morning (Asia/Seoul)."""
    import time_machine

    with time_machine.travel(datetime.fromisoformat("2026-11-23T12:00:00+09:00"), tick=True):
        yield


# -- the vault on S3-compatible object storage: a real moto server on 127.0.0.1 --

S3_CREDENTIALS = ("testing", "testing")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server_module = pytest.importorskip("moto.server", reason="moto[server] is in the dev extras")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_vault(settings: Any, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Day footage in one bucket and held copies in another (R18: stored apart), as a deployment would."""
    import boto3

    # Credentials never go in the storage URL: boto3's usual chain (here the environment) supplies them.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", S3_CREDENTIALS[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", S3_CREDENTIALS[1])
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_CREDENTIALS[0],
        aws_secret_access_key=S3_CREDENTIALS[1],
    )
    days, holds = f"days-{secrets.token_hex(4)}", f"holds-{secrets.token_hex(4)}"
    for bucket in (days, holds):
        client.create_bucket(Bucket=bucket)
    settings.STORAGE_URL = f"s3://{days}/vault?endpoint={s3_endpoint}&region=us-east-1"
    settings.HOLD_STORAGE_URL = f"s3://{holds}/held?endpoint={s3_endpoint}&region=us-east-1"
    return client, days, holds
