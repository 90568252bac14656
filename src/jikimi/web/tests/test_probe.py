"""`jikimi probe`: the health checks of a deployment (docs/deployment.md) say what is wrong, in Korean,
and pass only when the piece can work — against the real database, Redis and a served page."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from huey import RedisHuey
from tests.servers import free_port

from jikimi.vault.models import RecorderHeartbeat
from jikimi.web.management.commands.probe import ProbeFailed, probe_queue, probe_recorder, probe_web

NOW = datetime(2026, 6, 1, 3, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_the_database_probe_passes_on_a_migrated_database() -> None:
    out = StringIO()
    call_command("probe", "database", stdout=out)
    assert "마이그레이션 모두 적용" in out.getvalue()


@pytest.mark.django_db
def test_the_database_probe_fails_while_a_migration_is_pending() -> None:
    # What a worker of a new release sees before the migrate job ran: the newest migration not applied.
    app, newest = next(node for node in MigrationLoader(connection).graph.leaf_nodes() if node[0] == "vault")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, newest])
    with pytest.raises(
        CommandError, match=rf"적용되지 않은 마이그레이션 1건: vault\.{newest} \(jikimi migrate\)"
    ):
        call_command("probe", "database")


def test_the_queue_probe_reads_the_real_redis() -> None:
    assert probe_queue(RedisHuey("jikimi-probe-test", url="redis://127.0.0.1:6379/15")).startswith("정상")


def test_the_queue_probe_names_an_unreachable_queue() -> None:
    unreachable = RedisHuey("jikimi-probe-test", url=f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(ProbeFailed, match="작업 대기열에 연결할 수 없습니다"):
        probe_queue(unreachable)


def _beat(host: str, at: datetime, stopped: bool = False) -> None:
    RecorderHeartbeat.objects.create(
        name=f"{host}-{at.timestamp()}",
        host=host,
        pid=1,
        started_at=at,
        beat_at=at,
        stopped_at=at if stopped else None,
    )


@pytest.mark.django_db
@pytest.mark.calendar
def test_the_recorder_probe_passes_on_a_fresh_heartbeat_of_this_host(settings: object) -> None:
    with time_machine.travel(NOW, tick=False):
        _beat("rec-1", NOW - timedelta(seconds=5))
        _beat("rec-2", NOW - timedelta(hours=1))
        assert probe_recorder("rec-1") == "정상 (마지막 신호 5초 전)"
        with pytest.raises(
            ProbeFailed, match=r"rec-2\) 녹화기의 마지막 신호가 3600초 전입니다 \(기준 30초\)"
        ):
            probe_recorder("rec-2")


@pytest.mark.django_db
@pytest.mark.calendar
def test_the_recorder_probe_fails_without_a_running_recorder_on_this_host() -> None:
    with time_machine.travel(NOW, tick=False):
        _beat("rec-1", NOW - timedelta(seconds=1), stopped=True)
        with pytest.raises(ProbeFailed, match=r"이 호스트\(rec-1\)에서 실행 중인 녹화기 신호가 없습니다"):
            probe_recorder("rec-1")
        with pytest.raises(ProbeFailed, match="rec-9"):
            probe_recorder("rec-9")


@pytest.mark.django_db(transaction=True)
def test_the_web_probe_speaks_as_the_public_host_name(live_server: object, settings: object) -> None:
    settings.ALLOWED_HOSTS = ["cctv.example.go.kr"]  # type: ignore[attr-defined]
    url = f"{live_server.url}/healthz"  # type: ignore[attr-defined]
    # Without the host name Django refuses the request: a probe that did not send it would restart a
    # healthy server.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=5)  # noqa: S310
    assert refused.value.code == 400
    assert probe_web(url, timeout=5) == "정상"


def test_the_web_probe_names_a_server_that_does_not_answer() -> None:
    url = f"http://127.0.0.1:{free_port()}/healthz"
    with pytest.raises(ProbeFailed, match=f"{url}에 연결할 수 없습니다"):
        probe_web(url, timeout=2)
