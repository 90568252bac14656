"""Back-off arithmetic and source settings: pure, no network."""

from __future__ import annotations

import pytest

from jikimi.engine.recording import Backoff, CameraSource


def test_backoff_doubles_up_to_its_maximum() -> None:
    backoff = Backoff(initial=1, factor=2, maximum=10, jitter=0)
    assert [backoff.delay(n) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]


def test_backoff_jitter_only_lengthens_the_wait() -> None:
    backoff = Backoff(initial=1, factor=2, maximum=10, jitter=0.1)
    assert backoff.delay(3, rng=lambda: 0.0) == 4
    assert backoff.delay(3, rng=lambda: 1.0) == pytest.approx(4.4)


def test_it_refuses_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        Backoff(initial=0)
    with pytest.raises(ValueError):
        CameraSource("cam", "file:///etc/passwd")
    with pytest.raises(ValueError):
        CameraSource("cam", "rtsp://127.0.0.1/x", segment_seconds=0)


def test_rtsp_is_always_pulled_over_tcp() -> None:
    assert CameraSource("cam", "rtsp://127.0.0.1:8554/a").open_options()["rtsp_transport"] == "tcp"


def test_statuses_never_show_the_source_password() -> None:
    camera = CameraSource("cam", "rtsp://admin:s3cret@10.0.0.5:554/Streaming/101")
    assert camera.redacted_url() == "rtsp://10.0.0.5:554/Streaming/101"
