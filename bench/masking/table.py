"""Prints bench/results/masking.json as the Markdown tables used in docs/masking.md."""

from __future__ import annotations

import json
import sys

from bench.masking.run import RESULTS


def main() -> int:
    report = json.loads(RESULTS.read_text())
    print(
        "| tool | fps (wall) | fps if 2 cores were free | CPU s | peak RSS MiB | boxes masked | 20–39 | 40–79 | 80–159 | 160–300 | faces leaked (of 31) | ≥40 px leaked | frames out | size out | ×deface 640x360 (CPU) |"
    )
    print(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
    )
    for r in report["runs"]:
        if "boxes_masked" not in r:
            print(
                f"| {r['tool']} | {r['fps']} | {r['cpu_bound_fps_2_cores']} | {r['cpu_s']} | {r['peak_rss_mib']} |"
                + " |" * 10
            )
            continue
        by = list(r["boxes_masked_by_size"].values())
        print(
            f"| {r['tool']} | {r['fps']} | {r['cpu_bound_fps_2_cores']} | {r['cpu_s']} | {r['peak_rss_mib']} | "
            f"{r['boxes_masked']:.1%} | " + " | ".join(f"{v:.0%}" for v in by) + f" | {r['leaked_faces']} | "
            f"{r['leaked_faces_ge_40px']} | {r['frames_decoded']}/{r['frames_expected']} | "
            f"{r['output_size'][0]}×{r['output_size'][1]} | {r.get('cpu_speed_vs_deface_640x360', '')} |"
        )
    if report.get("seeds"):
        print()
        print(
            "| scene seed | tool | fps (wall) | fps if 2 cores were free | CPU s | boxes masked | 20–39 | 40–79 | 80–159 | 160–300 | faces leaked | ≥20 px leaked | ≥40 px leaked |"
        )
        print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in report["seeds"]:
            by = list(r["boxes_masked_by_size"].values())
            print(
                f"| {r['seed']} | {r['tool']} | {r['fps']} | {r['cpu_bound_fps_2_cores']} | {r['cpu_s']} | "
                f"{r['boxes_masked']:.1%} | "
                + " | ".join(f"{v:.0%}" for v in by)
                + f" | {r['leaked_faces']} of {r['faces']} | "
                f"{r['leaked_faces_ge_20px']} | {r['leaked_faces_ge_40px']} |"
            )
    print()
    print(
        "| clip | tool | fps (wall) | fps if 2 cores were free | CPU s | tracks | in: size, frames, audio | out: size, frames, audio |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for r in report["real_clips"]:
        i, o = r["input"], r["output"]
        print(
            f"| {r['clip']} | {r['tool']} | {r['fps']} | {r['cpu_bound_fps_2_cores']} | {r['cpu_s']} | {r.get('tracks', '')} | "
            f"{i['size'][0]}×{i['size'][1]}, {i['frames']}, {i['audio_streams']} | {o['size'][0]}×{o['size'][1]}, {o['frames']}, {o['audio_streams']} |"
        )
    print(
        f"\nload average before/after: {report['machine']['load_before']} / {report['machine'].get('load_after')}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
