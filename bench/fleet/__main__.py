"""Simulate a fleet of recorders on loopback and judge it (see README.md).

    python -m bench.fleet                    # 120 cameras × 4 recorders: the largest shape that held here
    python -m bench.fleet --quick            # smoke: 40 cameras × 2 recorders, 30 s window (~4 min)
    python -m bench.fleet --cameras 2500 --recorders 10     # the issue's shape (does not hold on 2 cores)

Everything is real and on 127.0.0.1: PostgreSQL (database jikimi_fleetbench, created and dropped here),
Redis (db 12, a queue name of the run's own, flushed after), a moto S3 server (a child process), the
cameras (tools.simcam child processes, one encoded loop shared by all) and the nodes (`jikimi record`,
`jikimi run_huey`). Phases:

1. Every camera recorded by exactly one node: leases per node, footage coverage of a steady window,
   overlapping segments of one camera (duplicates) over the whole run, storing delay.
2. One recorder SIGKILLed: seconds until another node holds each of its cameras (target < 30 s); for
   each, the hole in its footage against the "녹화기 교대" outage written: seconds lost beyond it.
3. Retention across the fleet: `enforce_retention` 32 days on (bench/fleet/retention.py): day keys and
   segments destroyed per node's cameras, objects left in the S3 bucket.
4. A masking job on one camera's recorded footage through Huey on Redis: its worker SIGKILLed mid-job,
   the sweep requeues it and the other worker finishes it, rendered once.
5. CPU and memory per process (medians over the steady window), real-time coverage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.fleet import verdict
from bench.fleet.procs import Sampler, free_port, stop

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "fleet.json"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE = "jikimi_fleetbench"
REDIS_URL = "redis://127.0.0.1:6379/12"
TAKEOVER_TARGET_S = 30.0
# How long a judge waits for the stores to catch up with the end of its window (storing delay under load
# reached 30 s at 240 × 6 on 2 cores; a camera still not past it by then is judged on what it has).
STORE_WAIT_LIMIT_S = 120.0
MASKING_LEASE_S = 4
BUCKET = "fleet"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def _pg(statement: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement)


def wait(condition: Any, seconds: float, what: str, period: float = 0.5) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise TimeoutError(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(period)
    return time.monotonic() - started


def start_cameras(
    args: argparse.Namespace, sampler: Sampler
) -> tuple[list[subprocess.Popen[str]], list[str]]:
    """`--simulators` simcam processes sharing the cameras (one process is one core at most: the GIL);
    each encodes the one scene loop once and replays its packets to all its cameras."""
    children, urls = [], []
    per = -(-args.cameras // args.simulators)
    for n in range(args.simulators):
        count = min(per, args.cameras - n * per)
        if count <= 0:
            break
        command = [
            sys.executable, "-m", "tools.simcam", "--port", "0", "--cameras", str(count), "--audio", "0",
            "--scene", "testsrc2", "--size", args.size, "--fps", str(args.fps),
            "--bitrate", str(args.bitrate), "--gop", "1", "--loop", "4",
        ]  # fmt: skip
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        children.append(child)
        sampler.add(f"simcam-{n + 1}", child)
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == "ready":
                break
            urls.append(line.split()[0])
        else:
            raise RuntimeError("simcam did not start")
    return children, urls


def setup_world(urls: list[str]) -> dict[str, Any]:
    """The register: one device group of the cameras at one location, and the people of a 사본 request."""
    from jikimi.accounts.testing import make_group, make_user
    from jikimi.audit.anchoring import signing_key
    from jikimi.audit.context import Actor
    from jikimi.inventory.models import Location
    from jikimi.vault import keyring
    from jikimi.vault.actions.devices import add_device

    keyring.master_key()  # created once here, before a dozen processes would race to create it
    signing_key()
    actor = Actor.command("bench.fleet")
    group = make_group("교통행정과", "fleet", count=len(urls))
    location = Location.objects.create(device_group=group, key="fleet", name="모의 카메라 설치장소")
    started = time.perf_counter()
    devices = [
        add_device(actor, group, f"모의 {n + 1:04d}", location=location, source_url=url).pk
        for n, url in enumerate(urls)
    ]
    log(f"{len(devices)} devices registered in {time.perf_counter() - started:.1f} s")
    officer = make_user("fleet-officer", "officer", departments=["교통행정과"], name="김담당")
    head = make_user("fleet-head", "operating_head", departments=["교통행정과"], name="박책임")
    return {"devices": devices, "location": location, "officer": officer, "head": head}


def holders() -> dict[int, str]:
    from django.utils import timezone

    from jikimi.vault.models import CameraLease

    now = timezone.now()
    return dict(CameraLease.objects.filter(expires_at__gt=now).values_list("device_id", "node"))


def open_offers() -> int:
    from jikimi.vault.models import CameraLease

    return CameraLease.objects.filter(offered_at__isnull=False).count()


def spans_by_device(devices: list[int] | None = None, since: datetime | None = None) -> dict[int, list[Any]]:
    from jikimi.vault.models import Segment

    rows = Segment.objects.all()
    if devices is not None:
        rows = rows.filter(device_id__in=devices)
    if since is not None:
        rows = rows.filter(end__gt=since)
    spans: dict[int, list[Any]] = defaultdict(list)
    for device, start, end in rows.values_list("device_id", "start", "end").iterator(chunk_size=20000):
        spans[device].append((start, end))
    return spans


def stored_past(devices: list[int], until: datetime, limit: float) -> float:
    """Wait (at most `limit` s) until every camera has a segment stored that ends at or after `until`,
    so that a window is judged on what was recorded, not on how far behind the stores are: a camera's
    segments are stored one after the other, so a hole before that segment is footage lost (or an
    outage), never one still on its way. Returns the seconds waited; storing delay is reported apart."""
    from django.db.models import Max

    from jikimi.vault.models import Segment

    started = time.monotonic()
    while time.monotonic() - started < limit:
        ends = dict(
            Segment.objects.filter(device_id__in=devices).values("device_id").annotate(end=Max("end"))
            .values_list("device_id", "end")
        )  # fmt: skip
        if all(ends.get(d) is not None and ends[d] >= until for d in devices):
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def outages_by_device(devices: list[int], since: datetime) -> dict[int, list[tuple[Any, Any, str]]]:
    from jikimi.vault.models import RecordingOutage

    found: dict[int, list[tuple[Any, Any, str]]] = defaultdict(list)
    rows = RecordingOutage.objects.filter(device_id__in=devices, end__gt=since)
    for device, start, end, reason in rows.values_list("device_id", "start", "end", "reason"):
        found[device].append((start, end, reason))
    return found


def node_names(recorders: list[subprocess.Popen[bytes]]) -> dict[int, str]:
    from jikimi.vault.models import RecorderHeartbeat

    pids = [r.pid for r in recorders]
    return dict(
        RecorderHeartbeat.objects.filter(pid__in=pids, stopped_at__isnull=True).values_list("pid", "name")
    )


def phase_steady(
    args: argparse.Namespace, devices: list[int], sampler: Sampler, recorders: list[subprocess.Popen[bytes]]
) -> dict[str, Any]:
    """Phase 1 (and 5): every camera held and recorded by one node over a steady window."""
    from django.utils import timezone

    from jikimi.vault.models import Segment

    log(f"steady window: {args.seconds:.0f} s")
    sampler.recording = True
    since = timezone.now()
    time.sleep(args.seconds)
    until = timezone.now()
    sampler.recording = False
    held = holders()
    # Let the segments that were open at `until` close and be stored before judging the window.
    waited = stored_past(devices, until, STORE_WAIT_LIMIT_S)
    spans = spans_by_device(devices, since - timedelta(seconds=args.segment_seconds * 2))
    outages = outages_by_device(devices, since)
    coverage = [verdict.covered_fraction(spans.get(d, []), since, until) for d in devices]
    losses = {
        d: verdict.loss(
            spans.get(d, []), [(s, e) for s, e, _ in outages.get(d, [])], since, until, args.tolerance
        )
        for d in devices
    }
    lost = {d: x for d, x in losses.items() if x.lost}
    delays = sorted(
        (created - end).total_seconds()
        for created, end in Segment.objects.filter(device_id__in=devices, end__gt=since, end__lte=until)
        .values_list("created_at", "end")
        .iterator(chunk_size=20000)
    )
    per_node = Counter(held.values())
    names = node_names(recorders)
    return {
        "window_s": round((until - since).total_seconds(), 1),
        "waited_for_stores_s": waited,
        "cameras_leased": len(held),
        "cameras_unleased": len(set(devices) - set(held)),
        "per_node": dict(sorted(per_node.items())),
        "balance": verdict.balance(dict(per_node)),
        "nodes": {str(pid): name for pid, name in names.items()},
        "cameras_with_footage": sum(1 for d in devices if spans.get(d)),
        "coverage_median": round(statistics.median(coverage), 4),
        "coverage_min": round(min(coverage), 4),
        "cameras_below_99pct": sum(1 for c in coverage if c < 0.99),
        "cameras_losing_footage": len(lost),
        "seconds_lost_without_outage": round(sum(x.lost_seconds for x in lost.values()), 1),
        "outages_in_window": sum(len(v) for v in outages.values()),
        "outage_reasons": dict(Counter(r.split(":")[0][:40] for v in outages.values() for _, _, r in v)),
        "storing_delay_s": {
            "p50": round(statistics.median(delays), 2) if delays else None,
            "p95": round(delays[int(0.95 * (len(delays) - 1))], 2) if delays else None,
            "max": round(delays[-1], 2) if delays else None,
        },
        "segments_in_window": len(delays),
        "_holders": held,
    }


def phase_takeover(
    args: argparse.Namespace, devices: list[int], recorders: list[subprocess.Popen[bytes]]
) -> dict[str, Any]:
    """Phase 2: SIGKILL the recorder holding the most cameras; time until others hold all of them."""
    from django.utils import timezone

    from jikimi.vault.actions.leases import TAKEOVER_REASON
    from jikimi.vault.models import Segment

    names = node_names(recorders)
    held = holders()
    per_node = Counter(held.values())
    victim_process = max(recorders, key=lambda r: per_node.get(names.get(r.pid, ""), 0))
    victim = names[victim_process.pid]
    victims = sorted(d for d, n in held.items() if n == victim)
    log(f"SIGKILL to {victim} (pid {victim_process.pid}), holding {len(victims)} cameras")
    before = timezone.now() - timedelta(seconds=args.segment_seconds * 3)
    victim_process.send_signal(signal.SIGKILL)
    victim_process.wait(10)
    killed_at = timezone.now()
    killed = time.monotonic()

    def taken() -> bool:
        now_held = holders()
        return all(now_held.get(d) not in (None, victim) for d in victims)

    progress: list[tuple[float, int]] = []

    def taken_logged() -> bool:
        now_held = holders()
        count = sum(1 for d in victims if now_held.get(d) not in (None, victim))
        if not progress or progress[-1][1] != count:
            progress.append((round(time.monotonic() - killed, 1), count))
        return count == len(victims)

    took = wait(taken_logged, 180, "the takeover", period=0.25)
    log(f"takeover of {len(victims)} cameras: {took:.1f} s")
    survivors = Counter(holders().get(d) for d in victims)

    def recording_again() -> bool:
        return Segment.objects.filter(device_id__in=victims, start__gt=killed_at).values(
            "device_id"
        ).distinct().count() == len(victims)

    first_footage = wait(recording_again, 240, "footage of every taken camera")
    until = timezone.now()
    waited = stored_past(victims, until, STORE_WAIT_LIMIT_S)  # the hole closed on both sides
    spans = spans_by_device(victims, before - timedelta(seconds=args.segment_seconds))
    outages = outages_by_device(victims, before)
    takeover_outages = {
        d: [(s, e) for s, e, r in outages.get(d, []) if r.startswith(TAKEOVER_REASON)] for d in victims
    }
    losses = {
        d: verdict.loss(
            spans.get(d, []), [(s, e) for s, e, _ in outages.get(d, [])], before, until, args.tolerance
        )
        for d in victims
    }
    outage_s = sorted((e - s).total_seconds() for v in takeover_outages.values() for s, e in v)
    return {
        "victim": victim,
        "victim_cameras": len(victims),
        "takeover_s": round(took, 1),
        "takeover_target_s": TAKEOVER_TARGET_S,
        "takeover_progress": progress,
        "taken_by": {str(k): v for k, v in sorted(survivors.items(), key=str)},
        "first_footage_of_all_s": round(took + first_footage, 1),
        "cameras_with_takeover_outage": sum(1 for v in takeover_outages.values() if v),
        "takeover_outage_s": {
            "min": round(outage_s[0], 1) if outage_s else None,
            "median": round(statistics.median(outage_s), 1) if outage_s else None,
            "max": round(outage_s[-1], 1) if outage_s else None,
        },
        "hole_s_total": round(sum(x.hole_seconds for x in losses.values()), 1),
        "hole_s_explained_by_outages": round(sum(x.outage_seconds for x in losses.values()), 1),
        "cameras_losing_footage_beyond_outage": sum(1 for x in losses.values() if x.lost),
        "seconds_lost_beyond_outage": round(sum(x.lost_seconds for x in losses.values()), 1),
        "judged_from": before.isoformat(),
        "judged_until": until.isoformat(),
        "waited_for_stores_s": waited,
        "killed_at": killed_at.isoformat(),
    }


def duplicates(devices: list[int]) -> dict[str, int]:
    spans = spans_by_device(devices)
    pairs = {d: verdict.overlaps(s) for d, s in spans.items()}
    return {
        "segments": sum(len(s) for s in spans.values()),
        "overlapping_pairs": sum(len(p) for p in pairs.values()),
        "cameras_with_overlap": sum(1 for p in pairs.values() if p),
    }


def phase_masking(
    args: argparse.Namespace, world: dict[str, Any], device: int, env: dict[str, str], work: Path
) -> dict[str, Any]:
    """Phase 4: a 사본 request over the camera's recorded footage, masked by two `jikimi run_huey`
    consumers on Redis; the one rendering is SIGKILLed; the minute's sweep requeues the job."""
    from django.utils import timezone

    from jikimi.audit.context import Actor
    from jikimi.audit.models import AuditEntry
    from jikimi.disclosure.actions.decisions import decide
    from jikimi.disclosure.actions.masking import start_masking
    from jikimi.disclosure.models import Decision, IdentityCheck, MaskingJob, SubjectRequest
    from jikimi.inventory.models import Device
    from jikimi.vault.models import Segment

    span = Segment.objects.filter(device_id=device).order_by("start").values_list("start", "end")
    first, last = span.first(), span.last()
    assert first is not None and last is not None
    officer, head = world["officer"], world["head"]
    location = world["location"]
    import hashlib

    token = secrets.token_urlsafe(32)
    request = SubjectRequest.objects.create(
        institution=location.device_group.institution,
        receipt_number="2026-FLEET",
        status_token_hash=hashlib.sha256(token.encode()).hexdigest(),
        kind=SubjectRequest.Kind.COPY,
        channel=SubjectRequest.Channel.ONLINE,
        requester_name="홍길동",
        requester_email="hong@example.com",
        period_start=first[0],
        period_end=last[1],
        purpose="모의시험: 녹화된 모습 확인",
        received_at=timezone.now(),
        due_on=timezone.localdate() + timedelta(days=10),
    )
    request.locations.add(location)
    IdentityCheck.objects.create(
        request=request, method=IdentityCheck.Method.ID_CARD, document="주민등록증",
        checked_by=officer, checked_at=timezone.now(),
    )  # fmt: skip
    decide(Actor.for_user(head, "127.0.0.1"), request, Decision.Outcome.COPY)
    logs = [work / f"consumer-{n}.log" for n in (1, 2)]
    consumers = []
    for path in logs:
        with path.open("ab") as out:
            consumers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "jikimi.web.manage", "run_huey"],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )  # fmt: skip
            )
    result: dict[str, Any] = {"device": device, "footage_s": round((last[1] - first[0]).total_seconds(), 1)}
    try:
        job = start_masking(Actor.for_user(officer, "127.0.0.1"), request, Device.objects.get(pk=device))
        queued = time.monotonic()

        def running() -> bool:
            j = MaskingJob.objects.get(pk=job.pk)
            if not j.is_working:
                raise RuntimeError(f"the job ended before its worker could be killed: {j.state} {j.error}")
            return j.state == MaskingJob.State.RUNNING and 0 < j.progress < 50

        wait(running, 180, "a consumer to claim the masking job", period=0.1)
        holder = MaskingJob.objects.get(pk=job.pk)
        victim = next(c for c in consumers if c.pid == holder.worker_pid)
        survivor = next(c for c in consumers if c is not victim)
        result["killed_at_frames"] = f"{holder.progress_frames}/{holder.progress_total}"
        result["claimed_after_s"] = round(time.monotonic() - queued, 1)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        killed = time.monotonic()
        log(f"masking job {job.pk}: SIGKILL to consumer {victim.pid} at {result['killed_at_frames']} frames")
        result["recovered_after_kill_s"] = round(
            wait(
                lambda: AuditEntry.objects.filter(action="disclosure.recover_masking").exists(),
                MASKING_LEASE_S + 90, "the sweep to requeue the job",
            ),
            1,
        )  # fmt: skip
        wait(lambda: not MaskingJob.objects.get(pk=job.pk).is_working, 300, "the survivor to render the job")
        done = MaskingJob.objects.get(pk=job.pk)
        result.update(
            finished_after_kill_s=round(time.monotonic() - killed, 1),
            state=str(done.state),
            error=done.error,
            attempts=done.attempts,
            renders=done.renders,
            frames=done.frames,
            finished_by_survivor=done.worker_pid == survivor.pid,
            passed=(
                done.state == MaskingJob.State.READY
                and done.worker_pid == survivor.pid
                and done.attempts == 2
                and done.renders == 1
            ),
        )
        log(
            f"masking job: {done.state} by {done.worker_pid} (attempts {done.attempts}, renders {done.renders})"
        )
    except Exception as error:  # noqa: BLE001 (the phase's failure is a figure; the run goes on)
        result.update(passed=False, error=str(error)[:500])
        for path in logs:
            print(f"--- {path.name}\n{path.read_text(errors='replace')[-2000:]}")
    finally:
        for child in consumers:
            stop(child, 30)
    return result


def s3_objects(endpoint: str) -> int:
    import boto3

    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1"
    )  # credentials: AWS_* in the environment
    count = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="vault/days/"):
        count += page.get("KeyCount", 0)
    return count


def phase_retention(
    env: dict[str, str], endpoint: str, lease_map: dict[int, str], devices: list[int]
) -> dict[str, Any]:
    from jikimi.vault.models import DayKey, Segment

    objects_before = s3_objects(endpoint)
    segments_before = Segment.objects.count()
    keys_before = DayKey.objects.filter(wrapped_key__isnull=False).count()
    log(f"retention: {keys_before} day keys, {segments_before} segments, {objects_before} objects in S3")
    done = subprocess.run(
        [sys.executable, "-m", "bench.fleet.retention", "32"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout.strip().splitlines()[-1])
    per_node_keys: Counter[str] = Counter()
    per_node_segments: Counter[str] = Counter()
    for device, segments in report["destroyed"]:
        node = lease_map.get(device, "(none)")
        per_node_keys[node] += 1
        per_node_segments[node] += segments
    objects_after = s3_objects(endpoint)
    return {
        "clock": report["clock"],
        "seconds": report["seconds"],
        "day_keys_before": keys_before,
        "day_keys_destroyed": len(report["destroyed"]),
        "day_keys_left": DayKey.objects.filter(wrapped_key__isnull=False).count(),
        "segments_before": segments_before,
        "segments_destroyed": sum(s for _, s in report["destroyed"]),
        "segment_rows_left": Segment.objects.count(),
        "objects_collected": report["collected"],
        "s3_objects_before": objects_before,
        "s3_objects_after": objects_after,
        "per_node_day_keys": dict(sorted(per_node_keys.items())),
        "per_node_segments": dict(sorted(per_node_segments.items())),
        "failed": report["failed"][:10],
        "held_back": report["held_back"][:10],
        "refused": report["refused"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fleet", description=__doc__.splitlines()[0])
    # Defaults: the largest shape that held on the shared 2-core machine (README.md, "Figures").
    parser.add_argument("--cameras", type=int, default=120)
    parser.add_argument("--recorders", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60, help="steady window measured (phase 1)")
    parser.add_argument("--segment-seconds", type=float, default=10)
    parser.add_argument("--size", default="320x180")
    parser.add_argument("--fps", type=int, default=5)
    parser.add_argument("--bitrate", type=int, default=64_000, help="bits per second per camera")
    parser.add_argument("--simulators", type=int, help="simcam processes (default: one per 600 cameras)")
    parser.add_argument(
        "--tolerance", type=float, default=1.1, help="a hole up to this (s) is a seam, not a loss"
    )
    parser.add_argument("--settle", type=float, default=600, help="seconds allowed for the fleet to settle")
    parser.add_argument(
        "--quiet", type=float, default=30, help="settled: no lease changed hands for this long (s)"
    )
    parser.add_argument("--skip-masking", action="store_true")
    parser.add_argument("--quick", action="store_true", help="smoke: 40 cameras × 2 recorders, 30 s window")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.cameras, args.recorders, args.seconds = 40, 2, 30
    if args.simulators is None:
        args.simulators = max(1, -(-args.cameras // 600))
    if args.output is None:
        args.output = RESULTS.with_name("fleet-quick.json") if args.quick else RESULTS
    shape = (
        f"{args.cameras} cameras ({args.size}, {args.fps} fps, {args.bitrate // 1000} kbit/s) × "
        f"{args.recorders} recorders, {args.segment_seconds:g} s segments, {args.simulators} simcam process(es)"
    )
    log(f"shape: {shape}")

    work = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    moto_port = free_port()
    endpoint = f"http://127.0.0.1:{moto_port}"
    huey_name = f"jikimi-fleetbench-{os.getpid()}"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "jikimi.web.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "JIKIMI_DATA_DIR": str(work / "data"),
        "JIKIMI_STORAGE_URL": f"s3://{BUCKET}/vault?endpoint={endpoint}&region=us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "JIKIMI_HUEY_URL": REDIS_URL,
        "JIKIMI_HUEY_NAME": huey_name,
        "JIKIMI_DISCLOSURE_MASKING_MODE": "fast",
        "JIKIMI_DISCLOSURE_MASKING_LEASE_SECONDS": str(MASKING_LEASE_S),
    }
    os.environ.update(env)
    sampler = Sampler()
    children: list[Any] = []
    recorders: list[subprocess.Popen[bytes]] = []
    results: dict[str, Any] = {
        "shape": shape,
        "cameras": args.cameras,
        "recorders": args.recorders,
        "segment_seconds": args.segment_seconds,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_at_start": os.getloadavg(),
        },
    }
    _pg(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _pg(f"CREATE DATABASE {DATABASE}")
    try:
        moto = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        children.append(moto)
        sampler.add("moto-s3", moto)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        import boto3

        wait(lambda: _reachable(moto_port), 30, "the moto server")
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
        log("encoding the scene and starting the cameras …")
        cams, urls = start_cameras(args, sampler)
        children += cams
        world = setup_world(urls)
        devices = world["devices"]
        started = time.monotonic()
        for n in range(args.recorders):
            with (work / f"recorder-{n + 1}.log").open("wb") as out:
                recorder = subprocess.Popen(
                    [sys.executable, "-m", "jikimi.web.manage", "record", "--segment-seconds",
                     str(args.segment_seconds)],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            recorders.append(recorder)
            sampler.add(f"recorder-{n + 1}", recorder)
        sampler.start()
        log(f"{args.recorders} recorders started; waiting for every camera to be leased and balanced")
        results["settle"] = {
            "all_leased_s": round(
                wait(lambda: len(holders()) == len(devices), args.settle, "all leases", 1), 1
            )
        }
        # Settled: every node holds cameras, no offer open, and no lease changed hands for `--quiet`
        # seconds (a node starting its cameras under load may let leases lapse and the fleet rebalance).
        last: dict[str, Any] = {"map": None, "since": time.monotonic()}

        def quiet() -> bool:
            now_held = holders()
            if now_held != last["map"]:
                last.update(map=now_held, since=time.monotonic())
            return (
                len(now_held) == len(devices)
                and open_offers() == 0
                and len(set(now_held.values())) == args.recorders
                and time.monotonic() - last["since"] >= args.quiet
            )

        wait(quiet, args.settle, "the leases to settle", 1)
        results["settle"]["balanced_s"] = round(time.monotonic() - started, 1)
        from django.utils import timezone

        from jikimi.vault.models import Segment

        settled = timezone.now()
        wait(
            lambda: Segment.objects.filter(start__gte=settled).values("device_id").distinct().count()
            == len(devices),
            args.settle, "a segment of every camera after settling", 1,
        )  # fmt: skip
        results["settle"]["recording_s"] = round(time.monotonic() - started, 1)
        log(f"settled: {results['settle']}")
        steady = phase_steady(args, devices, sampler, recorders)
        lease_map = steady.pop("_holders")
        results["steady"] = steady
        results["processes"] = sampler.medians()
        rec = [
            v["cpu_percent_of_one_core"] for k, v in results["processes"].items() if k.startswith("recorder")
        ]
        mem = [v["rss_mb"] for k, v in results["processes"].items() if k.startswith("recorder")]
        results["recorder_median"] = {
            "cpu_percent_of_one_core": statistics.median(rec) if rec else None,
            "rss_mb": statistics.median(mem) if mem else None,
        }
        results["load_in_window"] = os.getloadavg()
        log(f"steady: {json.dumps(steady, default=str)}")
        log(f"processes: {json.dumps(results['processes'])}")
        results["takeover"] = phase_takeover(args, devices, recorders)
        log(f"takeover: {json.dumps(results['takeover'], default=str)}")
        for recorder in recorders:
            if recorder.poll() is None:
                recorder.send_signal(signal.SIGTERM)
        for recorder in recorders:
            stop(recorder, 90)
        for cam in cams:
            stop(cam, 10)
        results["duplicates"] = duplicates(devices)
        log(f"duplicates: {results['duplicates']}")
        if not args.skip_masking:
            victims_node = results["takeover"]["victim"]
            device = next(d for d in devices if lease_map.get(d) != victims_node)
            results["masking"] = phase_masking(args, world, device, env, work)
            log(f"masking: {json.dumps(results['masking'])}")
        results["retention"] = phase_retention(env, endpoint, lease_map, devices)
        log(f"retention: {json.dumps(results['retention'])}")
    finally:
        sampler.stop()
        for child in recorders + children:
            stop(child, 30)
        try:
            from redis import Redis

            redis = Redis.from_url(REDIS_URL)
            for key in redis.scan_iter(f"*{huey_name}*"):
                redis.delete(key)
        except Exception as error:  # noqa: BLE001
            log(f"could not clean Redis: {error}")
        from django.db import connections

        connections.close_all()
        _pg(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        failed_logs = {
            p.name: p.read_text(errors="replace")[-1500:] for p in sorted(work.glob("recorder-*.log"))
        }
        results["recorder_log_tails"] = {k: v for k, v in failed_logs.items() if "Traceback" in v}
        shutil.rmtree(work, ignore_errors=True)
    results["verdict"] = judge(results, args)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print(json.dumps(results["verdict"], indent=2, ensure_ascii=False))
    log(f"figures written to {args.output}")
    return 0 if results["verdict"]["passed"] else 1


def _reachable(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def judge(results: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    steady, takeover = results.get("steady", {}), results.get("takeover", {})
    dup, retention = results.get("duplicates", {}), results.get("retention", {})
    masking = results.get("masking")
    checks = {
        "every camera leased to one node": steady.get("cameras_unleased") == 0
        and steady.get("cameras_leased") == args.cameras,
        "every camera recorded (coverage >= 99 % each)": steady.get("cameras_below_99pct") == 0,
        "no footage lost without an outage (steady)": steady.get("cameras_losing_footage") == 0,
        "no segment twice (whole run)": dup.get("overlapping_pairs") == 0 and dup.get("segments", 0) > 0,
        f"takeover < {TAKEOVER_TARGET_S:.0f} s": takeover.get("takeover_s", 1e9) < TAKEOVER_TARGET_S,
        "every taken camera has its 녹화기 교대 outage": takeover.get("cameras_with_takeover_outage")
        == takeover.get("victim_cameras"),
        "segments lost beyond the recorded outage = 0": takeover.get("cameras_losing_footage_beyond_outage")
        == 0,
        "retention destroyed every day key": retention.get("day_keys_left") == 0
        and retention.get("day_keys_destroyed", 0) > 0,
        "retention emptied the S3 store": retention.get("s3_objects_after") == 0
        and retention.get("segment_rows_left") == 0,
    }
    if masking is not None:
        checks["masking job finished by the other worker, rendered once"] = bool(masking.get("passed"))
    return {"passed": all(checks.values()), "checks": checks}


if __name__ == "__main__":
    sys.exit(main())
