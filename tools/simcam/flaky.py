"""A simulated camera that fails and recovers on a cycle — for the demo's camera health (오산시 지침 제27조).

    python -m tools.simcam --cameras 3 --flaky cam3:300:120

cuts cam3 for 120 s in every 300 s (up 180 s, then down 120 s, and again): its sessions are closed at
once and its name answers 404 — as a camera that lost power — then it comes back with a fresh RTP
session, as a rebooted camera does. The recorder reports it reconnecting, the health check opens a
maintenance ticket once the fault lasts JIKIMI_CAMERA_FAULT_SECONDS, and closes it when the camera
records again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from .rtsp import RtspCameraServer, SimulatedCamera


@dataclass(frozen=True)
class FlakySpec:
    camera: str
    period: float  # seconds of one cycle
    down: float  # seconds of it the camera is cut (at the cycle's end)

    def __post_init__(self) -> None:
        if not self.camera or not 0 < self.down < self.period:
            raise ValueError(f"--flaky {self.camera}:{self.period}:{self.down}: need 0 < DOWN < PERIOD")

    @classmethod
    def parse(cls, text: str) -> FlakySpec:
        """ "cam3:300:120" → cam3 cut for 120 s in every 300 s."""
        try:
            camera, period, down = text.split(":")
            return cls(camera, float(period), float(down))
        except ValueError as error:
            raise ValueError(
                f"--flaky {text!r}: expected NAME:PERIOD:DOWN, e.g. cam3:300:120 ({error})"
            ) from None


class FlakyCamera:
    """Cuts and restores one camera of a running `RtspCameraServer` on its spec's cycle, in a thread."""

    def __init__(
        self, server: RtspCameraServer, spec: FlakySpec, *, report: Callable[[str], None] | None = None
    ) -> None:
        if spec.camera not in server.cameras:
            raise ValueError(f"--flaky: no camera {spec.camera!r} (have {', '.join(server.cameras)})")
        self.server = server
        self.spec = spec
        self.loop = server.cameras[spec.camera].loop
        self._clock_offset = server.cameras[spec.camera].clock_offset
        self.report = report or (lambda line: None)
        self.cycles = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def is_down(self) -> bool:
        return self.spec.camera not in self.server.cameras

    def cut(self) -> None:
        camera = self.server.cameras.pop(self.spec.camera, None)  # new connections: 404 Not Found
        if camera is not None:
            self._clock_offset = camera.clock_offset  # the same camera comes back, its clock too
            camera.stop()  # its sessions are closed at once
        self.report(f"{self.spec.camera} down")

    def restore(self) -> None:
        if self.is_down:
            camera = SimulatedCamera(self.spec.camera, self.loop, self._clock_offset)
            camera.start()
            self.server.cameras[self.spec.camera] = camera
            self.report(f"{self.spec.camera} up")

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"flaky-{self.spec.camera}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop cycling; the camera is left up."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.restore()

    def _run(self) -> None:
        while not self._stop.wait(self.spec.period - self.spec.down):
            self.cut()
            if self._stop.wait(self.spec.down):
                return
            self.restore()
            self.cycles += 1
