"""A source that answers but cannot be recorded by remuxing is reported failed, not retried blindly."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jikimi.engine.recording import (
    Backoff,
    CameraRecorder,
    CameraSource,
    CameraState,
    RecorderSupervisor,
    SourceUnusable,
)
from jikimi.engine.recording.tests.conftest import CollectingSink
from jikimi.engine.synthetic import write_clip

# Real-time streams or child processes: never beside another such test (--dist loadgroup, Makefile).
pytestmark = [pytest.mark.xdist_group("realtime")]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def mpeg2_over_http(tmp_path: Path) -> Iterator[str]:
    """An MPEG-2 video stream over HTTP: recording it would need re-encoding to H.264."""
    write_clip(tmp_path / "old.ts", codec="mpeg2video", fps=10, frames=20, audio=None)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/old.ts"
    server.shutdown()
    server.server_close()


def test_a_codec_that_needs_re_encoding_is_refused(mpeg2_over_http: str, sink: CollectingSink) -> None:
    recorder = CameraRecorder(CameraSource("old", mpeg2_over_http), sink)
    with pytest.raises(SourceUnusable, match="mpeg2video"):
        recorder.run(threading.Event())
    assert sink.segments == []


def test_the_supervisor_reports_it_failed_and_says_why(mpeg2_over_http: str, sink: CollectingSink) -> None:
    supervisor = RecorderSupervisor(sink, restart_backoff=Backoff(initial=30, maximum=30, jitter=0))
    supervisor.start([CameraSource("old", mpeg2_over_http)])
    try:
        sink.wait_for(lambda: sink.reached("old", CameraState.FAILED), "the failure")
        status = supervisor.statuses()["old"]
        assert status.state is CameraState.FAILED
        assert "re-encoding" in status.detail
    finally:
        supervisor.stop()
