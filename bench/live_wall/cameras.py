"""python -m bench.live_wall.cameras N — N stamped simulated cameras for the live wall bench, in their
own process (cameras are not on the recorder node).

One stamped loop (tools.simcam.stamp: the frame index burnt into the picture; testsrc2, 640×360,
15 fps, a keyframe a second, 60 s: latencies under 30 s read unambiguously), encoded once and sent by
every camera. Prints one line per camera — URL, the wall time its replay started, frames in the loop,
fps — then "ready"; the bench maps a frame index read on screen to when the camera sent it.
"""

from __future__ import annotations

import signal
import sys
import threading
import time

from tools.simcam.rtsp import RtspCameraServer
from tools.simcam.scenes import encode_scene


def main() -> int:
    count = int(sys.argv[1])
    loop = encode_scene("testsrc2", width=640, height=360, fps=15, seconds=60, gop_seconds=1, stamp=True)
    server = RtspCameraServer({f"cam{n + 1}": loop for n in range(count)}, port=0)
    server.start()
    while any(camera.started is None for camera in server.cameras.values()):
        time.sleep(0.01)
    for name, camera in server.cameras.items():
        print(server.url(name), repr(camera.started), len(loop.units), loop.fps)
    print("ready", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
