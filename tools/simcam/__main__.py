"""python -m tools.simcam — serve simulated cameras on 127.0.0.1 until interrupted.

    python -m tools.simcam --cameras 4 --audio 1 --port 8554 [--hls-port 8555] [--flaky cam3:300:120]
    rtsp://127.0.0.1:8554/cam1  testsrc2    640x360 15 fps  audio
    rtsp://127.0.0.1:8554/cam2  mandelbrot  640x360 15 fps
    ...

One line per camera on stdout (then "ready"), so that a demo script or a test can read the URLs.
The scenes rotate through testsrc2, mandelbrot and life; the first ``--audio`` cameras also send
G.711 audio, which jikimi's recorder must drop and warn about (법 제25조⑤). ``--flaky NAME:PERIOD:DOWN``
cuts a camera for DOWN seconds in every PERIOD and brings it back (tools/simcam/flaky.py): the demo's
camera that fails and recovers, printing "NAME down" / "NAME up" as it does. Every camera sends RTCP
sender reports with its own clock; ``--clock-offset NAME:SECONDS`` sets a camera's clock wrong (a
camera whose NTP sync failed), which the recorder's health figures show as "카메라 시각 오차".
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .flaky import FlakyCamera, FlakySpec
from .hls import HlsCameraServer
from .rtsp import RtspCameraServer
from .scenes import SCENES, encode_scene


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.simcam", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8554, help="RTSP port (0: any free port)")
    parser.add_argument("--cameras", type=int, default=3)
    parser.add_argument("--audio", type=int, default=1, help="how many of the cameras also send audio")
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT")
    parser.add_argument("--fps", type=int, default=15)
    parser.add_argument("--bitrate", type=int, default=1_000_000, help="bits per second")
    parser.add_argument("--gop", type=float, default=1.0, help="seconds between keyframes")
    parser.add_argument("--loop", type=float, default=10.0, help="seconds of scene encoded and replayed")
    parser.add_argument(
        "--hls-port", type=int, help="also serve every camera as live HLS on this port (0: any)"
    )
    parser.add_argument(
        "--scene", choices=sorted(SCENES), help="one scene for every camera (default: rotate)"
    )
    parser.add_argument(
        "--flaky",
        action="append",
        default=[],
        metavar="NAME:PERIOD:DOWN",
        help="cut camera NAME for DOWN seconds in every PERIOD seconds, then restore it (repeatable)",
    )
    parser.add_argument(
        "--clock-offset",
        action="append",
        default=[],
        metavar="NAME:SECONDS",
        help="camera NAME's clock is SECONDS ahead (negative: behind), as its RTCP sender reports tell",
    )
    args = parser.parse_args(argv)
    clock_offsets = {}
    for text in args.clock_offset:
        name, _, seconds = text.partition(":")
        try:
            clock_offsets[name] = float(seconds)
        except ValueError:
            parser.error(f"--clock-offset {text!r}: expected NAME:SECONDS, e.g. cam2:90")
    try:
        flaky_specs = [FlakySpec.parse(text) for text in args.flaky]
    except ValueError as error:
        parser.error(str(error))
    width, height = (int(x) for x in args.size.lower().split("x"))
    scenes = [args.scene] if args.scene else list(SCENES)
    loops = {}
    for n in range(args.cameras):
        scene, audio = scenes[n % len(scenes)], n < args.audio
        key = (scene, audio)
        if key not in loops:  # cameras showing the same scene share its encoded loop
            loops[key] = encode_scene(
                scene,
                width=width,
                height=height,
                fps=args.fps,
                seconds=args.loop,
                gop_seconds=args.gop,
                bitrate=args.bitrate,
                audio=audio,
            )
    cameras = {f"cam{n + 1}": loops[(scenes[n % len(scenes)], n < args.audio)] for n in range(args.cameras)}
    unknown = sorted(set(clock_offsets) - set(cameras))
    if unknown:
        parser.error(f"--clock-offset: no camera {', '.join(unknown)} (have {', '.join(cameras)})")
    server = RtspCameraServer(cameras, host=args.host, port=args.port, clock_offsets=clock_offsets)
    server.start()
    try:
        flaky = [
            FlakyCamera(server, spec, report=lambda line: print(line, flush=True)) for spec in flaky_specs
        ]
    except ValueError as error:
        server.stop()
        parser.error(str(error))
    hls = None
    if args.hls_port is not None:
        hls = HlsCameraServer(cameras, host=args.host, port=args.hls_port)
        hls.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    for n, name in enumerate(cameras):
        loop = cameras[name]
        audio = "  audio" if loop.audio is not None else ""
        print(
            f"{server.url(name)}  {scenes[n % len(scenes)]:<10}  {loop.width}x{loop.height} {loop.fps} fps{audio}"
        )
        if hls is not None:
            print(
                f"{hls.url(name)}  {scenes[n % len(scenes)]:<10}  {loop.width}x{loop.height} {loop.fps} fps{audio}"
            )
    print("ready", flush=True)
    for camera in flaky:
        camera.start()
    done.wait()
    for camera in flaky:
        camera.stop()
    server.stop()
    if hls is not None:
        hls.__exit__()
    return 0


if __name__ == "__main__":
    sys.exit(main())
