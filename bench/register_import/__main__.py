"""Hostile register files: how long refusing each takes and how much memory it costs.

    python -m bench.register_import [--case NAME]

Each file is written to var/bench/register_import/, then read in a fresh process exactly as
`jikimi import_register` reads it (size check, decode, the safe loader, the schema); the process
reports the wall time of that work and its peak resident memory (ru_maxrss: Django and the
interpreter included — the baseline, a process that only loaded Django, is reported too). The
want of issue 16: every refused file of up to 10 MB under 5 s and 200 MB. Writes
bench/results/register_import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "bench" / "register_import"
RESULTS = ROOT / "bench" / "results" / "register_import.json"
SMALL = ROOT / "src" / "jikimi" / "inventory" / "tests" / "data" / "small.yaml"
MB = 1024 * 1024
WANT_SECONDS, WANT_MB = 5.0, 200


def small() -> str:
    return SMALL.read_text(encoding="utf-8")


def alias_bomb() -> bytes:
    """Ten levels of ten aliases (10¹⁰ strings), padded to 16 KB — today 2.7 GB and no end."""
    lines = ["bomb:", "  l0: &l0 [" + ", ".join(["하하하하하하하하"] * 10) + "]"]
    lines += [f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    text = small() + "\n".join(lines) + "\n"
    return (text + "#" * (16 * 1024 - len(text.encode()))).encode()


def merge_bomb() -> bytes:
    """The same with merge keys (`<<: *m`), which a loader expands when it builds the mapping."""
    lines = ["m0: &m0 {a: 1, b: 2}"]
    lines += [f"m{n}: &m{n} {{<<: *m{n - 1}, k: [{', '.join([f'*m{n - 1}'] * 10)}]}}" for n in range(1, 10)]
    return (small() + "\n".join(lines) + "\n").encode()


def self_alias() -> bytes:
    return (small() + "loop: &loop [*loop]\n").encode()


def deep_flow() -> bytes:
    """A 4 MB line of '[' (today: RecursionError)."""
    return (small() + "deep: " + "[" * (4 * MB) + "\n").encode()


def deep_block() -> bytes:
    return (small() + "".join("  " * n + f"d{n}:\n" for n in range(500))).encode()


def keys_one_entry() -> bytes:
    """~4.9 MB of unknown keys in one entry (today 10⁶ keys: 75 s, 2.2 GB, 141 MB of errors)."""
    keys, n = [], 0
    size = len(small().encode())
    while size < 5 * MB - 64 * 1024:
        line = f"  k{n}: 1\n"
        keys.append(line)
        size += len(line)
        n += 1
    return small().replace("institution:\n", "institution:\n" + "".join(keys), 1).encode()


def keys_spread() -> bytes:
    """~4.9 MB of small entries of unknown keys: refused by the count of values, not of keys."""
    rows, size, n = [], len(small().encode()), 0
    while size < 5 * MB - 64 * 1024:
        row = f"  - {{a: {n}, b: 2, c: 3, d: 4}}\n"
        rows.append(row)
        size += len(row)
        n += 1
    return (small() + "extra:\n" + "".join(rows)).encode()


def long_text() -> bytes:
    """One 4.9 MB value in a text field (a 50 MB one is refused by the file size)."""
    purpose = "    purpose: 버스전용차로 단속\n"
    body = "가" * ((5 * MB - 64 * 1024) // 3)
    return small().replace(purpose, purpose + f"    notes: {body}\n", 1).encode()


def many_errors() -> bytes:
    """2,000 device groups (the most a file may have) with 11 wrong values each: 22,000 errors."""
    group = (
        "  - key: g{n}\n    name: 묶음\n    department: 없는과\n    count: 여럿\n    site: 1\n"
        "    storage_place: [1]\n    purpose: {{a: 1}}\n    kind: 둥근형\n    status: 몰라\n"
        "    site_count: -1\n    coverage: {{b: 2}}\n    notice_method: [x]\n"
    )
    head, _, _ = small().partition("device_groups:")
    return (head + "device_groups:\n" + "".join(group.format(n=n) for n in range(2_000))).encode()


def unknown_keys_at_the_limit() -> bytes:
    """As many unknown keys as the limits let through (900 groups × 99): ~89,000 schema errors."""
    head, _, _ = small().partition("device_groups:")
    keys = "".join(f"    colour{k}: red\n" for k in range(99))
    groups = "".join(f"  - key: g{n}\n{keys}" for n in range(900))
    return (head + "device_groups:\n" + groups).encode()


def too_many_groups() -> bytes:
    """~4.9 MB of device groups, far past the 2,000 a file may have."""
    head, _, _ = small().partition("device_groups:")
    rows, size, n = [], len(head.encode()), 0
    while size < 5 * MB - 64 * 1024:
        row = f"  - {{key: g{n}, name: 묶음 {n}}}\n"
        rows.append(row)
        size += len(row.encode())
        n += 1
    return (head + "device_groups:\n" + "".join(rows)).encode()


def syntax_at_the_end() -> bytes:
    """~4.9 MB of long but readable notes, then a syntax error on the last line."""
    notes = "".join(f"  n{n}: {'나' * 40_000}\n" for n in range(40))
    return (small() + "notes_block:\n" + notes + "broken: [1, 2\n").encode()


def cp949() -> bytes:
    text = small()
    return (text * (4 * MB // len(text.encode("cp949")))).encode("cp949")


def size_10mb() -> bytes:
    return (small() + "# " + "가" * (10 * MB // 3) + "\n").encode()


CASES: dict[str, Callable[[], bytes]] = {
    "alias_bomb_16kb": alias_bomb,
    "merge_bomb": merge_bomb,
    "self_alias": self_alias,
    "deep_flow_4mb": deep_flow,
    "deep_block": deep_block,
    "keys_one_entry_5mb": keys_one_entry,
    "keys_spread_5mb": keys_spread,
    "long_text_5mb": long_text,
    "many_errors_22000": many_errors,
    "unknown_keys_89000": unknown_keys_at_the_limit,
    "too_many_groups_5mb": too_many_groups,
    "syntax_error_at_end_5mb": syntax_at_the_end,
    "cp949_4mb": cp949,
    "size_10mb": size_10mb,
}


def child(path: Path | None) -> dict[str, object]:
    """In a fresh process: read `path` as the import command does; time and peak memory."""
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jikimi.web.settings")
    import django

    django.setup()
    from jikimi.inventory.register_file import RegisterFileError
    from jikimi.inventory.register_file.reading import check_size, decode_register, parse_register

    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if path is None:
        return {"peak_mb": round(base_mb, 1)}
    started = time.perf_counter()
    problems: list[str] = []
    try:
        check_size(path.stat().st_size, str(path))
        parse_register(decode_register(path.read_bytes(), str(path)), str(path))
        outcome = "accepted"
    except RegisterFileError as error:
        outcome = "refused"
        problems = error.listed(3)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"outcome": outcome, "seconds": round(seconds, 3), "peak_mb": round(peak, 1), "first": problems}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.register_import")
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(Path(args.child) if args.child else None), ensure_ascii=False))
        return 0

    WORK.mkdir(parents=True, exist_ok=True)

    def run(path: str) -> dict[str, object]:
        out = subprocess.run(
            [sys.executable, "-m", "bench.register_import", "--child", path],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))

    baseline = run("")
    print(f"baseline (Django loaded, nothing read): peak {baseline['peak_mb']} MB", flush=True)
    figures: dict[str, dict[str, object]] = {}
    worst = True
    for name in args.case or list(CASES):
        path = WORK / f"{name}.yaml"
        path.write_bytes(CASES[name]())
        result = {"bytes": path.stat().st_size, **run(str(path.relative_to(ROOT)))}
        figures[name] = result
        ok = (
            result["outcome"] == "refused"
            and float(str(result["seconds"])) < WANT_SECONDS
            and float(str(result["peak_mb"])) < WANT_MB
        )
        worst = worst and ok
        first = list(result["first"])  # type: ignore[call-overload]
        print(
            f"{name:<26} {int(str(result['bytes'])) / MB:>6.2f} MB  {result['outcome']:<8} "
            f"{float(str(result['seconds'])):>6.2f} s  peak {float(str(result['peak_mb'])):>6.1f} MB  "
            f"{'ok' if ok else 'OVER'}  {first[0] if first else ''}",
            flush=True,
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "python": platform.python_version(),
                "want": {"seconds": WANT_SECONDS, "peak_mb": WANT_MB},
                "baseline_peak_mb": baseline["peak_mb"],
                "cases": figures,
                "all_within": worst,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(
        f"{'all refused within 5 s and 200 MB' if worst else 'SOME CASE OVER THE WANT'}; {RESULTS.relative_to(ROOT)}"
    )
    return 0 if worst else 1


if __name__ == "__main__":
    sys.exit(main())
