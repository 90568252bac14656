"""Large registers: importing and rendering 광양시's (2,436 devices) and a synthetic 20,000-device one.

    python -m bench.register_import.scale [--runs 5] [--case gwangyang|synthetic_20000]

Each run is a fresh process on a fresh copy of a migrated SQLite database (migrated once, not timed):
it imports the file exactly as `jikimi import_register` does (one transaction with its audit entry),
then generates the policy and renders it as `jikimi render_policy --format html` does, then exports
the register as `jikimi export_register` does (the officer's file with the current values), unchanged
and after one edit (a group's 촬영 범위 changed, so the round-trip library writes it into the file). Reported
per step: wall time; and the process's peak resident memory (ru_maxrss, Django included — the
baseline of a process that only loaded Django is reported too). Medians over the runs are written to
bench/results/register_scale.json.

The synthetic register is 10 departments, 40 groups of 500 locations of one camera each (20,000
devices, every location named, `locations_complete: true`) and a stated total of 20,000 — the file
states devices by group and location; the devices themselves are registered in the vault, not here.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "var" / "bench" / "register_scale"
RESULTS = ROOT / "bench" / "results" / "register_scale.json"
GWANGYANG = ROOT / "registers" / "gwangyang.yaml"
SYNTHETIC_DEVICES = 20_000
GROUPS, DEPARTMENTS = 40, 10


def synthetic() -> str:
    per_group = SYNTHETIC_DEVICES // GROUPS
    lines = [
        "# 합성 대장: 20,000대 (bench.register_import.scale)",
        "format: jikimi-register/1",
        "institution:",
        "  name: 합성시",
        "  slug: hapseong",
        "departments:",
    ]
    lines += [f"  - {{key: d{n}, name: 합성{n}과}}" for n in range(DEPARTMENTS)]
    lines += ["officers:"]
    lines += [
        f"  - {{key: o{n}, department: 합성{n}과, position: 합성{n}과장, phone: 000-000-{n:04d}}}"
        for n in range(DEPARTMENTS)
    ]
    lines += ["device_groups:"]
    for g in range(GROUPS):
        department = g % DEPARTMENTS
        lines += [
            f"  - key: g{g}",
            f"    name: 방범용 CCTV {g}",
            f"    department: 합성{department}과",
            "    legal_bases: [crime]",
            "    purpose: 범죄 예방",
            f"    count: {per_group}",
            f"    site: 합성{g}동 일원",
            "    recording_hours: 24시간",
            "    notice_method: 안내판",
            "    retention: 30일",
            "    storage_place: 합성시 통합관제센터",
            f"    managers: [o{department}]",
            "    locations_complete: true",
            "    locations:",
        ]
        # count stated: a location without one is "not published" (issue 16), which a complete list refuses.
        lines += [f"      - {{key: l{n}, name: 합성{g}동 {n}번지, count: 1}}" for n in range(per_group)]
    lines += [
        "declared_totals:",
        f"  - {{key: gojeonghyeong, label: 고정형, count: {SYNTHETIC_DEVICES}, kind: fixed}}",
        "policy:",
        "  title: 영상정보처리기기 운영·관리방침",
        "  sections:",
        "    - {title: 설치 근거 및 설치 목적, generated: fixed_purposes}",
        "    - {title: 설치 대수 및 위치, generated: counts_summary}",
        "    - {title: 운영·관리 현황, generated: operation_table}",
        "    - {title: 운영현황 (위치 목록), generated: group_cards}",
        "    - {title: 관리책임자 및 접근권한자, generated: managers}",
    ]
    return "\n".join(lines) + "\n"


CASES = {"gwangyang": lambda: GWANGYANG.read_text(encoding="utf-8"), "synthetic_20000": synthetic}


def child(path: str) -> dict[str, object]:
    """In a fresh process on its own database copy: import, render, export; times and peak memory."""
    import resource

    import django

    django.setup()
    from jikimi.audit.context import Actor
    from jikimi.inventory.actions import import_register
    from jikimi.inventory.register_file import export_register
    from jikimi.publishing.rendering import policy_html_page

    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not path:
        return {"peak_mb": round(base_mb, 1)}
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    started = time.perf_counter()
    result = import_register(Actor.system("bench"), text, file.name)
    imported = time.perf_counter()
    html = policy_html_page(result.institution)
    rendered = time.perf_counter()
    rendered_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    exported_text = export_register(result.institution)
    exported = time.perf_counter()
    exported_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # After an edit in the browser (one group's 촬영 범위), the export writes the value into the
    # officer's file with the round-trip library: the cost of keeping comments and order.
    group = result.institution.device_groups.order_by("position").first()
    if group is not None:
        type(group).objects.filter(pk=group.pk).update(coverage="편집된 촬영 범위")
    edited = time.perf_counter()
    edited_text = export_register(result.institution)
    edited_exported = time.perf_counter()
    return {
        "devices": result.counts["devices"],
        "locations": result.counts["locations"],
        "file_bytes": len(text.encode()),
        "html_bytes": len(html.encode()),
        "export_same_as_file": exported_text == text,
        "edited_export_has_the_edit": "편집된 촬영 범위" in edited_text and edited_text.startswith(text[:40]),
        "import_s": round(imported - started, 3),
        "render_s": round(rendered - imported, 3),
        "export_s": round(exported - rendered, 3),
        "export_after_edit_s": round(edited_exported - edited, 3),
        "peak_after_render_mb": round(rendered_peak, 1),  # import and render
        "peak_after_export_mb": round(exported_peak, 1),  # and the unchanged export
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),  # and after an edit
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.register_import.scale")
    parser.add_argument("--case", choices=sorted(CASES), action="append")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child), ensure_ascii=False))
        return 0

    WORK.mkdir(parents=True, exist_ok=True)
    template = WORK / "template.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jikimi.web.settings",
        "JIKIMI_DATA_DIR": str(WORK / "data"),
        "DATABASE_URL": f"sqlite:///{template}",
    }
    template.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], cwd=ROOT, env=env, check=True)

    def run(path: str) -> dict[str, object]:
        database = WORK / "run.sqlite3"
        shutil.copyfile(template, database)
        out = subprocess.run(
            [sys.executable, "-m", "bench.register_import.scale", "--child", path],
            cwd=ROOT,
            env={**env, "DATABASE_URL": f"sqlite:///{database}"},
            capture_output=True,
            text=True,
            check=True,
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))

    baseline = run("")
    print(f"baseline (Django loaded, nothing read): peak {baseline['peak_mb']} MB", flush=True)
    figures: dict[str, dict[str, object]] = {}
    for name in args.case or list(CASES):
        path = WORK / f"{name}.yaml"
        path.write_text(CASES[name](), encoding="utf-8")
        runs = [run(str(path)) for _ in range(args.runs)]
        median = {
            key: statistics.median(float(str(r[key])) for r in runs)
            for key in (
                "import_s",
                "render_s",
                "export_s",
                "export_after_edit_s",
                "peak_after_render_mb",
                "peak_after_export_mb",
                "peak_mb",
            )
        }
        figures[name] = {**{k: runs[0][k] for k in runs[0] if k not in median}, "runs": args.runs, **median}
        print(
            f"{name:<16} {runs[0]['devices']:>6} devices {runs[0]['locations']:>6} locations  "
            f"import {median['import_s']:.2f} s  render {median['render_s']:.2f} s  "
            f"export {median['export_s']:.2f} s, after an edit {median['export_after_edit_s']:.2f} s  "
            f"peak {median['peak_after_render_mb']:.0f} / {median['peak_after_export_mb']:.0f} / "
            f"{median['peak_mb']:.0f} MB (median of {args.runs})",
            flush=True,
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": platform.platform(),
                "python": platform.python_version(),
                "baseline_peak_mb": baseline["peak_mb"],
                "cases": figures,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(RESULTS.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
