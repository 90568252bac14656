"""Prints the masking benchmark's results as the Markdown tables used in docs/masking.md and the README.

.venv/bin/python -m bench.masking.table [--held-back] [--encoding]
"""

from __future__ import annotations

import json
import sys

from bench.masking.encoding import RESULTS as ENCODING
from bench.masking.run import RESULTS


def families(held_back: bool) -> None:
    path = RESULTS.with_name("masking-held-back.json") if held_back else RESULTS
    report = json.loads(path.read_text())
    print(
        "| family | tool | 20–27 px | 28–39 px | 40–79 px | 80+ px | ≥ 28 px | faces ≥ 40 px bare "
        "(frames) | fps (wall) | fps, CPU basis (2 cores) | size out / in |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in report["families"]:
        by = r["boxes_masked_by_size"]
        cells = [f"{by[k]:.1%}" if k in by else "–" for k in ("20-27px", "28-39px", "40-79px", "80+px")]
        bare = r["bare_ge_40px"]
        frames = sum(r["bare_ge_40px_frames"].values())
        print(
            f"| {r['family']} | {r['tool']} | " + " | ".join(cells) + f" | {r['boxes_masked_ge_28px']:.1%} | "
            f"{bare} of {r['faces']}{f' ({frames})' if bare else ''} | {r['fps']} | "
            f"{r['cpu_bound_fps_2_cores']} | {r['size_ratio']}× |"
        )
    m = report["machine"]
    print(f"\nload average before/after: {m['load_before']} / {m.get('load_after')}")


def encoding() -> None:
    rows = json.loads(ENCODING.read_text())["rows"]
    print(
        "| clip | preset | CRF | size out / in | encode CPU-ms a frame | PSNR-Y outside masks (dB) | profile |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(
            f"| {r['clip']} | {r['preset']} | {r['crf']} | {r['size_ratio']}× | "
            f"{r['encode_cpu_ms_per_frame']} | {r['psnr_y_outside_masks']} | {r['profile']} |"
        )


def main() -> int:
    if "--encoding" in sys.argv:
        encoding()
    else:
        families("--held-back" in sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
