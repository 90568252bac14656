"""Measure the vault at scale (see bench/vault/__init__.py).

For each database — SQLite in a scratch JIKIMI_DATA_DIR, PostgreSQL in a scratch database created and
dropped here — a subprocess (worker.py) migrates, bulk-loads the index (load.py) and measures:

1. Existence check (존재확인) latency through `jikimi.vault.queries.device_coverage`, the function behind
   /api/vault/coverage: random devices and random 1-hour windows (plus 24-hour windows, and a site: every
   device of one group), p50/p95/max after a warm-up; and the segment query alone, as written and with a
   lower bound on `start`, to show where the time goes. Target: p95 under 20 ms.
2. Retention: `enforce_retention` under a fixed clock at which exactly one day of every device is due —
   the crypto-shredding (day keys nulled, Destruction records, audit entries) timed apart from the
   ciphertext garbage collection. Target: key destruction under 5 s.

The machine is shared and noisy: compare figures of one run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
from bench.vault.load import Shape

RESULTS = Path(__file__).resolve().parents[1] / "results" / "vault.json"
ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "jikimi_bench"
# A run stops (and drops its database) when the disk's free space falls below this.
MIN_FREE_BYTES = 20 * 1024**3
TARGET_P95_MS = 20.0
TARGET_SHRED_S = 5.0


def _pg(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement)


def run_worker(
    database: str, shape: Shape, options: dict[str, Any], work: Path, pg_database: str = PG_DATABASE
) -> dict[str, Any]:
    env = dict(os.environ, JIKIMI_DATA_DIR=str(work / database), DJANGO_SETTINGS_MODULE="jikimi.web.settings")
    env["JIKIMI_STORAGE_URL"] = f"file://{work / database / 'footage'}?reserve=0"
    if database == "postgresql":
        _pg(f'DROP DATABASE IF EXISTS "{pg_database}"')
        _pg(f'CREATE DATABASE "{pg_database}"')
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_database}"
    else:
        env.pop("DATABASE_URL", None)
    payload = dict(
        options,
        devices=shape.devices,
        minutes=shape.minutes,
        per_group=shape.per_group,
        seconds=shape.seconds,
        interleaved=shape.interleaved,
    )
    print(f"{database}:", flush=True)
    started = time.perf_counter()
    lowest_free = shutil.disk_usage(work).free
    try:
        with subprocess.Popen(
            [sys.executable, "-m", "bench.vault.worker", json.dumps(payload)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        ) as worker:
            while worker.poll() is None:
                # A city-size load fills the disk the database is on: stop before it is full.
                lowest_free = min(lowest_free, shutil.disk_usage(work).free)
                if lowest_free < MIN_FREE_BYTES:
                    worker.kill()
                    raise SystemExit(f"stopped: {lowest_free / 1024**3:.1f} GB free on the disk")
                time.sleep(2)
            output = worker.stdout.read() if worker.stdout else ""
            if worker.returncode:
                raise SystemExit(f"{database} worker failed ({worker.returncode})")
    finally:
        if database == "postgresql":
            _pg(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        shutil.rmtree(work / database, ignore_errors=True)
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["lowest_free_disk_gb"] = round(lowest_free / 1024**3, 1)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'':34}" + "".join(f"{db:>26}" for db in results)]

    def row(label: str, cell: Any) -> None:
        lines.append(
            f"{label:34}" + "".join(f"{'—' if cell(r) is None else cell(r):>26}" for r in results.values())
        )

    def lat(key: str) -> Any:
        return lambda r: "{p50_ms} / {p95_ms} / {max_ms}".format(**r["existence_check"][key])

    row("segment rows", lambda r: f"{r['rows']:,}")
    row(
        "bytes per row (PostgreSQL, all)",
        lambda r: (r.get("sizes") or {}).get("bytes_per_row", {}).get("total"),
    )
    row(
        "table + indexes (GB)",
        lambda r: (
            f"{r['sizes']['table_bytes'] / 1e9:.1f} + {r['sizes']['indexes_bytes'] / 1e9:.1f}"
            if r.get("sizes")
            else None
        ),
    )
    row("load: insert + indexes (s)", lambda r: f"{r['load']['insert_s']} + {r['load']['indexes_s']}")
    lines.append("existence check, ms p50 / p95 / max")
    row("  one device, 1 h window", lat("one_device_1h"))
    row("  one device, 24 h window", lat("one_device_24h"))
    row("  site, 1 h window", lat("site_1h"))
    row("  segment query as written", lat("segment_query_as_written"))
    row("  … without ORDER BY", lat("segment_query_unordered"))
    row("  … without ORDER BY, start bounded", lat("segment_query_bounded"))
    row(
        "  … bounded 25 h (the app until issue 18)",
        lambda r: (
            lat("segment_query_bounded_25h")(r)
            if "segment_query_bounded_25h" in r["existence_check"]
            else None
        ),
    )
    row(
        "  … bounded by the last start (the app now)",
        lambda r: (
            lat("segment_query_last_start")(r) if "segment_query_last_start" in r["existence_check"] else None
        ),
    )
    row(
        f"  p95 < {TARGET_P95_MS:.0f} ms (one device, 1 h)",
        lambda r: "met" if r["existence_check"]["one_device_1h"]["p95_ms"] < TARGET_P95_MS else "NOT met",
    )
    lines.append("retention: one day of every device")
    row(
        "  day keys destroyed / due",
        lambda r: f"{r['retention']['day_keys_destroyed']} / {r['retention']['day_keys_due']}",
    )
    row(
        "  segments under them",
        lambda r: (
            f"{r['retention']['segments_under_them']:,}" if r["retention"]["segments_under_them"] else None
        ),
    )
    row(
        "  key destruction (s)",
        lambda r: ("" if r["retention"]["finished"] else "~") + str(r["retention"]["key_destruction_s"]),
    )
    row("  … per key (ms)", lambda r: r["retention"]["per_key_ms"])
    row("  keys per transaction", lambda r: r["retention"].get("batch_size"))
    row("  reading names would add (s)", lambda r: r["retention"].get("names_at_destruction_s"))
    row(
        f"  < {TARGET_SHRED_S:.0f} s",
        lambda r: "met" if (r["retention"]["key_destruction_s"] or 1e9) < TARGET_SHRED_S else "NOT met",
    )
    row("  row DELETE alone (rows/s)", lambda r: r["retention"].get("row_delete_rows_per_s"))
    row("  … a day's rows (s, estimated)", lambda r: r["retention"].get("row_delete_day_estimate_s"))
    row("  garbage collection (segments/s)", lambda r: r["retention"]["gc_segments_per_s"])
    row(
        "  garbage collection total (s)",
        lambda r: (
            "—"
            if r["retention"]["gc_estimated_total_s"] is None
            else ("" if r["retention"]["gc_finished"] else "~") + str(r["retention"]["gc_estimated_total_s"])
        ),
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.vault", description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2417, help="devices (default 2,417: 광양시)")
    parser.add_argument("--minutes", type=int, default=4140, help="minutes recorded per device")
    parser.add_argument("--segment-seconds", type=int, default=60, help="one segment's length (default 60)")
    parser.add_argument(
        "--city",
        action="store_true",
        help="PostgreSQL only, 2,417 devices × 6,900 minutes of 10-s segments = 100,063,800 rows",
    )
    parser.add_argument(
        "--interleaved",
        action="store_true",
        help="rows in time order across devices, as a fleet writes them (--city: always)",
    )
    parser.add_argument("--pg-database", default=PG_DATABASE, help="scratch database (created and dropped)")
    parser.add_argument("--per-group", type=int, default=25, help="devices per device group (a site)")
    parser.add_argument("--queries", type=int, default=400, help="existence checks per kind")
    parser.add_argument("--gc-budget", type=float, default=30, help="seconds of garbage collection measured")
    parser.add_argument(
        "--shred-budget",
        type=float,
        default=150,
        help="seconds of key destruction measured (rest extrapolated)",
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--quick", action="store_true", help="a smoke run: 400 devices × 60 minutes, 60 queries"
    )
    parser.add_argument(
        "--output", type=Path, help=f"default {RESULTS} (--quick: vault-quick.json beside it)"
    )
    args = parser.parse_args()
    if args.quick:
        args.devices, args.minutes, args.queries, args.gc_budget, args.shred_budget = 400, 60, 60, 3, 20
    if args.city:
        args.devices, args.minutes, args.segment_seconds, args.interleaved = 2417, 6900, 10, True
        args.database = args.database or ["postgresql"]
    if args.output is None:
        name = "vault-quick.json" if args.quick else "vault-city.json" if args.city else RESULTS.name
        args.output = RESULTS.with_name(name)
    shape = Shape(args.devices, args.minutes, args.per_group, args.segment_seconds, args.interleaved)
    databases = args.database or ["sqlite", "postgresql"]
    print(f"shape: {shape.describe()}", flush=True)
    options = {
        "queries": args.queries,
        "seed": args.seed,
        "gc_budget": args.gc_budget,
        "shred_budget": args.shred_budget,
    }
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="jikimi-bench-vault-") as tmp:
        for database in databases:
            results[database] = run_worker(database, shape, options, Path(tmp), args.pg_database)
    report = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "django": django.__version__,
        },
        "settings": {
            "shape": shape.describe(),
            "devices": shape.devices,
            "minutes": shape.minutes,
            "segment_seconds": shape.seconds,
            "per_group": shape.per_group,
            "quick": args.quick,
            **options,
        },
        "targets": {"existence_check_p95_ms": TARGET_P95_MS, "key_destruction_s": TARGET_SHRED_S},
        "results": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
