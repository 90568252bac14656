"""`jikimi probe KIND`: is this piece of a deployment able to do its work? Exit 0 if so, 1 with the
reason in Korean if not. The container health checks and the Kubernetes probes run it
(deploy/compose.yaml, deploy/kubernetes/):

- `web`: the web server answers /healthz (which reads the database) with the public host name;
- `database`: the database answers and every migration is applied (workers and recorders wait for
  the migration job before they start work on a schema they do not know);
- `queue`: the job queue's store answers (Redis when scaled out, else the SQLite file);
- `recorder`: a `jikimi record` process on this host beat within JIKIMI_RECORDER_STALE_SECONDS
  (R41: a hung recorder is restarted instead of reading "녹화 중" while nothing records).

Reads only: a probe changes nothing, so it leaves no audit entry.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from huey import Huey

from jikimi.vault.models import RecorderHeartbeat

KINDS = ("web", "database", "queue", "recorder")


class ProbeFailed(Exception):
    """What is wrong, in Korean, for the operator reading the container's events."""


class Command(BaseCommand):
    help = "배포 구성요소가 일할 수 있는지 확인합니다 (web, database, queue, recorder). 정상이면 0, 아니면 1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help="확인할 구성요소")
        parser.add_argument("--url", default="http://127.0.0.1:8000/healthz", help="web: 확인할 주소")
        parser.add_argument("--timeout", type=float, default=5.0, help="web: 응답을 기다릴 시간(초)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        try:
            if kind == "web":
                message = probe_web(options["url"], options["timeout"])
            elif kind == "database":
                message = probe_database()
            elif kind == "queue":
                message = probe_queue()
            else:
                message = probe_recorder(socket.gethostname())
        except ProbeFailed as failure:
            raise CommandError(f"{kind}: {failure}") from None
        self.stdout.write(f"{kind}: {message}")


def probe_web(url: str, timeout: float) -> str:
    # Django answers only for its own host names (ALLOWED_HOSTS): the probe speaks as the first of them,
    # as the proxy in front does, or it would read 400 for a healthy server.
    if not url.startswith(("http://", "https://")):
        raise ProbeFailed(f"{url}: http:// 또는 https:// 주소여야 합니다")
    host = next((h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"), None)
    request = urllib.request.Request(url, headers={"Host": host} if host else {})  # noqa: S310 (http(s) only)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, above)
            body = json.loads(response.read(4096) or b"{}")
    except urllib.error.HTTPError as error:
        raise ProbeFailed(f"{url} 응답 {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise ProbeFailed(f"{url}에 연결할 수 없습니다 ({error})") from None
    except ValueError:
        raise ProbeFailed(f"{url} 응답이 JSON이 아닙니다") from None
    if body.get("status") != "ok":
        raise ProbeFailed(f"{url} 응답 상태 {body.get('status')!r}")
    return "정상"


def probe_database() -> str:
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        raise ProbeFailed(f"데이터베이스에 연결할 수 없습니다 ({error})") from None
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        more = f" 외 {len(pending) - 5}건" if len(pending) > 5 else ""
        raise ProbeFailed(f"적용되지 않은 마이그레이션 {len(pending)}건: {names}{more} (jikimi migrate)")
    return "정상 (마이그레이션 모두 적용)"


def probe_queue(queue: Huey | None = None) -> str:
    if queue is None:
        from huey.contrib.djhuey import HUEY

        queue = HUEY
    try:
        pending = queue.pending_count()
    except Exception as error:  # noqa: BLE001 — Redis and SQLite raise their own kinds; any is a failure
        raise ProbeFailed(f"작업 대기열에 연결할 수 없습니다 ({type(error).__name__}: {error})") from None
    return f"정상 (대기 작업 {pending}건)"


def probe_recorder(host: str) -> str:
    stale = timedelta(seconds=settings.JIKIMI_RECORDER_STALE_SECONDS)
    newest = (
        RecorderHeartbeat.objects.filter(host=host[:200], stopped_at__isnull=True)
        .order_by("-beat_at")
        .values_list("beat_at", flat=True)
        .first()
    )
    if newest is None:
        raise ProbeFailed(f"이 호스트({host})에서 실행 중인 녹화기 신호가 없습니다")
    age = timezone.now() - newest
    if age > stale:
        raise ProbeFailed(
            f"이 호스트({host}) 녹화기의 마지막 신호가 {age.total_seconds():.0f}초 전입니다 "
            f"(기준 {stale.total_seconds():.0f}초)"
        )
    return f"정상 (마지막 신호 {age.total_seconds():.0f}초 전)"
