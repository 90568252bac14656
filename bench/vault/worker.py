"""One database's run (a subprocess: the settings read JIKIMI_DATA_DIR and DATABASE_URL at import).

Migrates the scratch database, bulk-loads the index (load.py), then measures through the app's own code:
`jikimi.vault.queries.device_coverage` as /api/vault/coverage calls it, and
`jikimi.vault.actions.destruction.enforce_retention` under a fixed clock. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as dtime
from typing import Any


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def timed(fn: Callable[[], object], runs: int, warmup: int = 10) -> list[float]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def explain(queryset: Any) -> list[str]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


def existence_check(shape: Any, dev0: int, groups: list[int], queries_n: int, seed: int) -> dict[str, Any]:
    from bench.vault.load import BASE

    from jikimi.inventory.models import Device
    from jikimi.vault import queries
    from jikimi.vault.models import Segment

    rng = random.Random(seed)
    span = shape.minutes * 60 - 3600

    def window(hours: int = 1) -> tuple[Any, Any]:
        start = BASE + timedelta(seconds=rng.randrange(0, max(1, shape.minutes * 60 - hours * 3600)))
        return start, start + timedelta(hours=hours)

    def one_device(hours: int = 1) -> Callable[[], object]:
        def run() -> object:
            # What views._coverage does for ?device=ID: the device (views._device_or_404), then the check.
            pk = dev0 + rng.randrange(shape.devices)
            device = Device.objects.select_related("device_group", "device_group__department").get(pk=pk)
            start, end = window(hours)
            result = queries.device_coverage(device, start, end)
            assert result.intervals, "no intervals"
            return result

        return run

    def site() -> object:
        # views._coverage for ?group=ID: every device of the group (one site), one hour.
        group = rng.choice(groups)
        start, end = window()
        devices = list(Device.objects.filter(device_group_id=group).select_related("device_group"))
        return [queries.device_coverage(d, start, end) for d in devices]

    def segments_only(variant: str) -> Callable[[], object]:
        # The segment query of queries._window_spans alone: as written (Segment.Meta.ordering makes it
        # ORDER BY device → group → institution, three joins); without the ordering (coverage() sorts);
        # and without it and with a lower bound on start (segments here are one minute; bound 1 h).
        def run() -> object:
            pk = dev0 + rng.randrange(shape.devices)
            start, end = window()
            q = Segment.objects.filter(
                device_id=pk, start__lt=end, end__gt=start, day_key__wrapped_key__isnull=False
            )
            if variant != "as_written":
                q = q.order_by()
            if variant == "bounded":
                q = q.filter(start__gte=start - timedelta(hours=1))
            if variant == "bounded_25h":  # the app's bound until issue 18 (queries.LONGEST_SEGMENT)
                q = q.filter(start__gte=start - queries.LONGEST_SEGMENT)
            if variant == "last_start":  # the app's bound now (queries._segment_window)
                device = Device(pk=pk)
                q = q.filter(start__gte=queries._segment_window(device, start, end)["start__gte"])
            return list(q.values_list("start", "end"))

        return run

    late_start = BASE + timedelta(seconds=span)
    sample = Segment.objects.filter(
        device_id=dev0 + shape.devices // 2,
        start__lt=late_start + timedelta(hours=1),
        end__gt=late_start,
        day_key__wrapped_key__isnull=False,
    ).values_list("start", "end")
    hit = one_device()()
    per_group = len(Device.objects.filter(device_group_id=groups[0]))
    log("  existence check: one device, 1 h windows")
    result: dict[str, Any] = {
        "one_device_1h": percentiles(timed(one_device(), queries_n)),
    }
    log("  existence check: one device, 24 h windows")
    result["one_device_24h"] = percentiles(timed(one_device(24), max(20, queries_n // 5)))
    log(f"  existence check: a site ({per_group} devices), 1 h windows")
    result["site_1h"] = percentiles(timed(site, max(10, queries_n // 10), warmup=3))
    result["site_devices"] = per_group
    log("  segment query alone, as written and bounded")
    for variant in ("as_written", "unordered", "bounded", "bounded_25h", "last_start"):
        result[f"segment_query_{variant}"] = percentiles(timed(segments_only(variant), queries_n))
    result["plan_latest_hour"] = explain(sample)
    result["plan_latest_hour_unordered"] = explain(sample.order_by())
    result["plan_latest_hour_bounded"] = explain(
        sample.order_by().filter(start__gte=late_start - timedelta(hours=1))
    )
    result["example_intervals"] = len(hit.intervals)  # type: ignore[attr-defined]
    return result


def names_at_destruction(batch_size: int) -> float:
    """The design not taken: what reading every destroyed key's names (and hashing them) would add.

    Run after the destruction and before garbage collection, on the same rows: the keys' segment
    names, batch by batch as destroy_day_keys reads its aggregate, grouped per key and hashed.
    """
    from jikimi.vault.actions.collection import names_sha256
    from jikimi.vault.models import DayKey, Segment

    keys = list(DayKey.objects.filter(wrapped_key__isnull=True).order_by("id").values_list("id", flat=True))
    log(f"  reading the names of {len(keys)} destroyed keys (the alternative design)")
    started = time.perf_counter()
    for first in range(0, len(keys), batch_size):
        names: dict[int, list[str]] = {}
        rows = Segment.objects.filter(day_key_id__in=keys[first : first + batch_size]).order_by()
        for key, name in rows.values_list("day_key_id", "object_name").iterator(chunk_size=10_000):
            names.setdefault(key, []).append(name)
        for listed in names.values():
            names_sha256(listed)
    return round(time.perf_counter() - started, 2)


def retention(shape: Any, shred_budget: float, gc_budget: float) -> dict[str, Any]:
    import time_machine
    from bench.vault.load import BASE_DAY, SEOUL

    from jikimi.audit.context import Actor
    from jikimi.vault.actions import collection, destruction
    from jikimi.vault.models import DayKey, Destruction, Segment

    # 30일: a key of day D expires on D+31 (rules.retention); at noon of D+31 exactly day D is due.
    now = datetime.combine(BASE_DAY + timedelta(days=31), dtime(12), SEOUL)
    real_collect, real_destroy = destruction.collect_garbage, destruction.destroy_day_keys
    deferred: list[bool] = []
    destruction.collect_garbage = lambda *_: deferred.append(True) or 0  # timed on its own below
    done_keys = [0]

    def counting_destroy(*args: Any, **kwargs: Any) -> Any:
        made = real_destroy(*args, **kwargs)
        done_keys[0] += len(made[0])
        return made

    destruction.destroy_day_keys = counting_destroy
    actor = Actor.command("bench_vault")
    outcome: dict[str, Any] = {}
    shredded = threading.Event()

    def shred() -> None:
        from django.db import connection as thread_connection

        try:
            # The loaded footage ends weeks before this clock, so the sweep's clock check (R17) would
            # refuse it: an officer confirms the clock, as after a long outage (audited, one entry).
            outcome["report"] = destruction.enforce_retention(
                actor, clock_confirmed="벤치마크: 시계를 확인함"
            )
            outcome["elapsed"] = time.perf_counter() - started
        except BaseException as error:  # re-raised below, in the main thread
            outcome["error"] = error
        finally:
            thread_connection.close()
            shredded.set()

    # The real enforce_retention, in a thread so that a slow run is stopped after `shred_budget` seconds
    # (the rest extrapolated from the keys done) and the whole benchmark stays within minutes.
    log(
        f"  enforce_retention at {now.isoformat()} (garbage collection deferred; budget {shred_budget:.0f} s)"
    )
    with time_machine.travel(now, tick=True):
        started = time.perf_counter()
        threading.Thread(target=shred, daemon=True).start()
        finished = shredded.wait(shred_budget)
        elapsed = time.perf_counter() - started
    if "error" in outcome:
        raise outcome["error"]
    result: dict[str, Any] = {"day": BASE_DAY.isoformat(), "clock": now.isoformat(), "finished": finished}
    if not finished:
        done = done_keys[0]
        result.update(
            {
                "day_keys_destroyed": done,
                "day_keys_due": shape.devices,
                "segments_under_them": None,
                "key_destruction_s": round(elapsed / done * shape.devices, 1) if done else None,
                "key_destruction_measured_s": round(elapsed, 1),
                "per_key_ms": round(elapsed / done * 1000, 2) if done else None,
                "gc_finished": False,
                "gc_segments_per_s": None,
                "gc_estimated_total_s": None,
                "gc_note": "not measured: key destruction was still running at the end of its budget",
            }
        )
        return result
    destruction.collect_garbage, destruction.destroy_day_keys = real_collect, real_destroy
    report, shredding = outcome["report"], outcome["elapsed"]
    assert deferred, "enforce_retention did not reach its garbage collection"
    destroyed = len(report.destroyed)
    assert destroyed == shape.devices, f"destroyed {destroyed} day keys, expected {shape.devices}"
    assert DayKey.objects.filter(wrapped_key__isnull=True).count() == shape.devices
    result.update(
        {
            "day_keys_destroyed": destroyed,
            "day_keys_due": shape.devices,
            "segments_under_them": sum(d.segments for d in report.destroyed),
            "key_destruction_s": round(shredding, 2),
            "per_key_ms": round(shredding / destroyed * 1000, 2),
            "failed": report.failed,
            "overdue": len(report.overdue),
            "batch_size": destruction.BATCH_SIZE,
            "names_at_destruction_s": names_at_destruction(destruction.BATCH_SIZE),
        }
    )
    result.update(row_delete(shape))
    # Garbage collection: the real collect_garbage, in a thread, counted through its _delete calls;
    # stopped after `gc_budget` seconds (the rest extrapolated) so a full run stays within minutes.
    pending = Segment.objects.filter(day_key__wrapped_key__isnull=True).count()
    deletes = [0]
    real_delete = collection._delete

    def counting_delete(store: Any, name: str) -> int:
        deletes[0] += 1
        return real_delete(store, name)

    collection._delete = counting_delete
    done = threading.Event()

    def collect() -> None:
        try:
            result["gc_objects_deleted"] = real_collect()
        finally:
            from django.db import connection as thread_connection

            thread_connection.close()
            done.set()

    log(f"  collect_garbage: {pending:,} segment rows (budget {gc_budget:.0f} s)")
    started = time.perf_counter()
    threading.Thread(target=collect, daemon=True).start()
    finished = done.wait(gc_budget)
    elapsed = time.perf_counter() - started
    rate = deletes[0] / elapsed if elapsed else 0.0
    result.update(
        {
            "gc_segments": pending,
            "gc_finished": finished,
            "gc_measured_s": round(elapsed, 1),
            "gc_segments_done": deletes[0],
            "gc_segments_per_s": round(rate, 1),
            "gc_estimated_total_s": round(
                elapsed if finished else pending / rate if rate else float("inf"), 1
            ),
            "destruction_records": Destruction.objects.count(),
        }
    )
    return result


def row_delete(shape: Any, keys_n: int = 100) -> dict[str, Any]:
    """The index side of garbage collection alone: one DELETE of the rows of `keys_n` destroyed day
    keys (what collect_garbage runs per destruction once the objects are gone), to extrapolate a
    day's deletion at this size — and what dropping a day partition instead would save."""
    from jikimi.vault.models import DayKey, Segment

    keys = list(
        DayKey.objects.filter(wrapped_key__isnull=True).order_by("-id").values_list("id", flat=True)[:keys_n]
    )
    started = time.perf_counter()
    deleted, _ = Segment.objects.filter(day_key_id__in=keys).delete()
    elapsed = time.perf_counter() - started
    day_rows = shape.devices * shape.per_day
    log(f"  row delete: {deleted:,} rows of {len(keys)} keys in {elapsed:.1f} s")
    return {
        "row_delete_keys": len(keys),
        "row_delete_rows": deleted,
        "row_delete_s": round(elapsed, 2),
        "row_delete_rows_per_s": round(deleted / elapsed) if elapsed else None,
        "row_delete_day_estimate_s": round(day_rows * elapsed / deleted, 1) if deleted else None,
    }


def sizes(rows: int) -> dict[str, Any] | None:
    """Where the segment index's bytes go (PostgreSQL): the table and each index, in all and per row."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('vault_segment'), pg_total_relation_size('vault_segment'), "
            "pg_indexes_size('vault_segment'), pg_database_size(current_database())"
        )
        table, total, indexes, database = cursor.fetchone()
        cursor.execute(
            "SELECT c.relname, pg_relation_size(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'vault_segment'::regclass "
            "ORDER BY 2 DESC"
        )
        each = cursor.fetchall()
        cursor.execute(
            "SELECT avg(pg_column_size(s.*)), avg(length(object_name)), avg(length(location)) "
            "FROM (SELECT * FROM vault_segment LIMIT 10000) s"
        )
        tuple_bytes, name_chars, location_chars = cursor.fetchone()

    def per_row(size: int) -> float:
        return round(size / rows, 1)

    return {
        "table_bytes": table,
        "indexes_bytes": indexes,
        "total_bytes": total,
        "database_bytes": database,
        "bytes_per_row": {
            "total": per_row(total),
            "table": per_row(table),
            "tuple_avg": round(float(tuple_bytes), 1),
            **{name: per_row(size) for name, size in each},
        },
        "object_name_chars": round(float(name_chars), 1),
        "location_chars": round(float(location_chars), 1),
    }


def main() -> None:
    from bench.vault.load import Shape

    options = json.loads(sys.argv[1])
    shape = Shape(
        options["devices"],
        options["minutes"],
        options["per_group"],
        options.get("seconds", 60),
        options.get("interleaved", False),
    )

    import django

    django.setup()
    from bench.vault import load
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"  migrated in {time.perf_counter() - started:.1f} s; loading {shape.describe()}")
    dev0, key0, groups = load.devices_and_keys(shape)
    loaded = load.segments(shape, dev0, key0, log)
    from jikimi.vault.models import Segment

    rows = Segment.objects.count()
    assert rows == shape.rows, f"{rows} rows loaded, expected {shape.rows}"
    result: dict[str, Any] = {"rows": rows, "load": loaded, "sizes": sizes(rows)}
    log(f"  sizes: {json.dumps(result['sizes'])}")
    if not options.get("measure", True):
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
        os._exit(0)
    result |= {
        "existence_check": existence_check(shape, dev0, groups, options["queries"], options["seed"]),
        "retention": retention(shape, options["shred_budget"], options["gc_budget"]),
    }
    print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
    os._exit(0)  # the garbage collection thread may still be running; the scratch database is dropped


if __name__ == "__main__":
    main()
