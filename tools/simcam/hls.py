"""Simulated cameras as live HLS (HTTP): PyAV's HLS muxer writes each camera's playlist and MPEG-TS
segments into a temporary directory, in real time, and Python's http.server serves it on 127.0.0.1.

    http://127.0.0.1:PORT/NAME/index.m3u8

The video is the scene loop's H.264, remuxed (never re-encoded); a camera with audio also carries
AAC (encoded live from the loop's tone: MPEG-TS cannot carry G.711). `stop()` stops the writers and
the HTTP server (the source "goes down"); `start()` resumes on the same port with new segments.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import tempfile
import threading
import time
from fractions import Fraction
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import av
import numpy as np

from .scenes import AUDIO_CLOCK, VIDEO_CLOCK, SceneLoop

START_CODE = b"\x00\x00\x00\x01"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class HlsCamera:
    def __init__(self, name: str, loop: SceneLoop, directory: Path, segment_seconds: float) -> None:
        self.name, self.loop, self.directory, self.segment_seconds = name, loop, directory, segment_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._epoch = 0.0  # seconds of stream already written (continues across stop/start)

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._stop.clear()
        self._thread = threading.Thread(target=self._write, name=f"simcam-hls-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _write(self) -> None:
        loop = self.loop
        out = av.open(
            str(self.directory / "index.m3u8"),
            mode="w",
            format="hls",
            options={
                "hls_time": str(self.segment_seconds),
                "hls_list_size": "6",
                "hls_flags": "delete_segments+omit_endlist",
                "hls_segment_filename": str(self.directory / f"{int(self._epoch)}-%05d.ts"),
            },
        )
        video = out.add_stream("h264", rate=loop.fps)
        video.width, video.height = loop.width, loop.height
        video.time_base = Fraction(1, VIDEO_CLOCK)
        audio = None
        if loop.audio is not None:
            audio = out.add_stream("aac", rate=AUDIO_CLOCK)
            audio.layout = "mono"
        samples = np.frombuffer(loop.audio or b"", np.uint8).astype(np.float32)
        tone = ((samples - 128) / 512).astype(np.float32)  # any sound will do: it must be dropped
        per_frame = AUDIO_CLOCK // loop.fps
        t0 = time.monotonic() - 0.0
        offset = round(self._epoch * VIDEO_CLOCK)
        n = 0
        try:
            while True:
                unit = loop.units[n % len(loop.units)]
                clock = (n // len(loop.units)) * loop.duration + unit.pts
                if self._stop.wait(max(0.0, t0 + clock / VIDEO_CLOCK - time.monotonic())):
                    break
                packet = av.Packet(b"".join(START_CODE + nal for nal in unit.nals))
                packet.pts = packet.dts = offset + clock
                packet.time_base = Fraction(1, VIDEO_CLOCK)
                packet.is_keyframe = unit.keyframe
                packet.stream = video
                out.mux(packet)
                if audio is not None and len(tone):
                    start = (n * per_frame) % len(tone)
                    chunk = np.resize(np.roll(tone, -start), per_frame)[None, :]
                    frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
                    frame.sample_rate = AUDIO_CLOCK
                    frame.pts = round((offset + clock) * AUDIO_CLOCK / VIDEO_CLOCK)
                    frame.time_base = Fraction(1, AUDIO_CLOCK)
                    for encoded in audio.encode(frame):
                        out.mux(encoded)
                n += 1
        finally:
            self._epoch += n / loop.fps + 1
            with contextlib.suppress(av.error.FFmpegError):
                out.close()


class HlsCameraServer:
    """Serves simulated cameras at http://HOST:PORT/NAME/index.m3u8 until stopped."""

    def __init__(
        self,
        cameras: dict[str, SceneLoop],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        segment_seconds: float = 1.0,
    ) -> None:
        self.host, self.port = host, port
        self.root = Path(tempfile.mkdtemp(prefix="simcam-hls-"))
        self.cameras = {n: HlsCamera(n, loop, self.root / n, segment_seconds) for n, loop in cameras.items()}
        self._http: ThreadingHTTPServer | None = None
        self._serving: threading.Thread | None = None

    def url(self, name: str) -> str:
        return f"http://{self.host}:{self.port}/{name}/index.m3u8"

    def __enter__(self) -> HlsCameraServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def start(self) -> None:
        for camera in self.cameras.values():
            camera.start()
        handler = functools.partial(_QuietHandler, directory=str(self.root))
        ThreadingHTTPServer.allow_reuse_address = True
        self._http = ThreadingHTTPServer((self.host, self.port), handler)
        self.port = self._http.server_address[1]
        self._serving = threading.Thread(target=self._http.serve_forever, name="simcam-hls", daemon=True)
        self._serving.start()

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        for camera in self.cameras.values():
            camera.stop()
