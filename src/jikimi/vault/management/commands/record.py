"""jikimi record — record the enabled cameras of the register into the vault until stopped.

Any number of `jikimi record` nodes share the cameras through leases in the database
(vault.actions.leases): each takes its fair share by --capacity, and a killed node's cameras are taken
over by the others within 30 s. One node alone records them all.

The recorder supervisor runs each camera as its own worker (jikimi.engine.recording), restarts a failed
one, and reports each camera's state to the vault; the register is re-read every --refresh seconds, so
added, changed and disabled devices are picked up without a restart. SIGTERM or SIGINT stops every
camera after it handed over its open segment.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jikimi.audit.context import Actor
from jikimi.engine.recording import CameraSource, RecorderSupervisor
from jikimi.vault.recording import VaultSink, run_recorder


class Command(BaseCommand):
    help = "대장에 등록된 사용 중인 카메라를 모두 녹화합니다 (음성 제외, 암호화 저장). SIGTERM/SIGINT로 멈춥니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--segment-seconds", type=float, default=60.0, help="조각 길이(초), 기본 60")
        parser.add_argument(
            "--once-for", type=float, default=None, metavar="SECONDS", help="이 시간(초) 동안만 녹화하고 멈춤"
        )
        parser.add_argument("--refresh", type=float, default=30.0, help="기기 목록을 다시 읽는 간격(초)")
        parser.add_argument(
            "--capacity",
            type=int,
            default=None,
            help="이 녹화기가 맡을 최대 카메라 수 (여러 녹화기가 나눠 맡을 때, 기본: 제한 없음)",
        )
        parser.add_argument(
            "--db-connections",
            type=int,
            default=4,
            help="카메라 작업이 동시에 쓰는 데이터베이스 연결 수의 상한 (기본 4; PostgreSQL max_connections 안에서)",
        )
        parser.add_argument(
            "--full-retry",
            type=float,
            default=600.0,
            help="저장 공간 부족으로 멈춘 카메라를 다시 시도할 때까지(초)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        segment_seconds = options["segment_seconds"]
        if segment_seconds <= 0:
            raise CommandError(f"--segment-seconds는 0보다 커야 합니다 ({segment_seconds})")
        if options["once_for"] is not None and options["once_for"] <= 0:
            raise CommandError(f"--once-for는 0보다 커야 합니다 ({options['once_for']})")
        if options["refresh"] <= 0:
            raise CommandError(f"--refresh는 0보다 커야 합니다 ({options['refresh']})")
        if options["capacity"] is not None and options["capacity"] <= 0:
            raise CommandError(f"--capacity는 0보다 커야 합니다 ({options['capacity']})")
        if options["db_connections"] < 1:
            raise CommandError(f"--db-connections는 1 이상이어야 합니다 ({options['db_connections']})")
        sink = VaultSink(
            Actor.command("record"),
            full_retry=options["full_retry"],
            db_connections=options["db_connections"],
        )
        supervisor = RecorderSupervisor(sink)
        stop = threading.Event()

        def on_change(sources: list[CameraSource]) -> None:
            self.stdout.write(
                f"녹화 중인 카메라 {len(sources)}대: {', '.join(s.camera for s in sources) or '없음'}"
            )
            self.stdout.flush()

        previous = {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                previous[signum] = signal.signal(signum, lambda *_: stop.set())
        try:
            run_recorder(
                sink,
                supervisor,
                stop,
                segment_seconds=segment_seconds,
                refresh=options["refresh"],
                run_for=options["once_for"],
                capacity=options["capacity"],
                on_change=on_change,
            )
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        self.stdout.write("녹화를 멈췄습니다")
