"""Retention across the fleet, in a process of its own: the real `enforce_retention` under a clock
(time_machine) at which every day of the simulated footage is due — 32 days on, past 30일 — with the
clock jump confirmed as an operator would (`--confirm-clock`), since the vault's newest trace of time is
the simulation's. Prints one JSON object: each destroyed day key's device and segments, the objects
collected, and what failed or was held back."""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta


def main() -> None:
    import django

    django.setup()
    import time_machine
    from django.utils import timezone

    from jikimi.audit.context import Actor
    from jikimi.vault.actions.destruction import enforce_retention

    now = timezone.now() + timedelta(days=float(sys.argv[1]))
    started = time.perf_counter()
    with time_machine.travel(now, tick=True):
        report = enforce_retention(
            Actor.command("bench.fleet"),
            clock_confirmed="함대 모의시험: 보관기간이 지난 날로 시계를 옮김 (bench.fleet)",
        )
    took = time.perf_counter() - started
    print(
        json.dumps(
            {
                "clock": now.isoformat(),
                "seconds": round(took, 2),
                "destroyed": [[d.device_id, d.segments] for d in report.destroyed],
                "collected": report.collected,
                "failed": list(report.failed),
                "held_back": list(report.held_back),
                "refused": report.refused,
                "unreadable": list(report.unreadable),
            }
        )
    )


if __name__ == "__main__":
    main()
