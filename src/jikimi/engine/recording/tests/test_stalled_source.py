"""A camera that stops sending but keeps its connection open (a hung encoder, a dead link behind a
switch) counts as dropped after `read_timeout`: the open segment is handed over whole, the gap is
reported, and recording resumes when the camera talks again. FFmpeg's own socket timeout does this
(no Python callback on every read: bench/recording)."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from tools.simcam.rtsp import RtspCameraServer

from jikimi.engine.recording import CameraSource
from jikimi.engine.recording.tests.conftest import CollectingSink, source
from jikimi.engine.recording.tests.test_camera_recorder import recording

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]


class StallingProxy:
    """A TCP proxy in front of the camera server that can stop forwarding without closing anything."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.flowing = threading.Event()
        self.flowing.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                while not self.flowing.is_set():  # stalled: hold the bytes, keep both sockets open
                    if self.closed:
                        return
                    time.sleep(0.05)
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()

    def close(self) -> None:
        self.closed = True
        self.listener.close()


@pytest.fixture
def proxy(cameras: RtspCameraServer) -> Iterator[StallingProxy]:
    host, port = cameras.url("cam1").split("//", 1)[1].split("/", 1)[0].split(":")
    stalling = StallingProxy((host, int(port)))
    yield stalling
    stalling.close()


def test_a_camera_that_goes_silent_with_its_connection_open_counts_as_dropped(
    cameras: RtspCameraServer, proxy: StallingProxy, sink: CollectingSink
) -> None:
    direct = source(cameras, "cam1", read_timeout=1.0)
    camera = CameraSource(
        "cam1",
        direct.url.replace(direct.url.split("//", 1)[1].split("/", 1)[0], f"127.0.0.1:{proxy.port}"),
        segment_seconds=direct.segment_seconds,
        read_timeout=1.0,
        analyze_seconds=direct.analyze_seconds,
        backoff=direct.backoff,
    )
    with recording(camera, sink):
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= 1, "a first segment")
        proxy.flowing.clear()  # the camera hangs; TCP stays up
        stalled_at = time.monotonic()
        sink.wait_for(lambda: any(s.retry_in is not None for s in sink.states_of("cam1")), "a reconnection")
        noticed_after = time.monotonic() - stalled_at
        proxy.flowing.set()
        sink.wait_for(lambda: len(sink.gaps) == 1, "the end of the gap")
        resumed = len(sink.segments_of("cam1")) + 1
        sink.wait_for(lambda: len(sink.segments_of("cam1")) >= resumed, "recording resumed")
    # Noticed by the 1 s read timeout, not by a TCP timeout of minutes.
    assert noticed_after < 15
    gap = sink.gaps[0]
    assert gap.end > gap.start
    segments = sink.segments_of("cam1")
    assert all(a.end <= b.start for a, b in zip(segments, segments[1:], strict=False))
