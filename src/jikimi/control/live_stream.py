"""The recorder's live window (jikimi.engine.recording.live) as a low-latency HLS playlist.

The recorder writes, per camera, parts of ~0.5 s and an `index.json` listing the rolling window;
this module reads them for the wall's views (which authorize and audit first, R41) and builds an
LL-HLS media playlist (RFC 8216bis: EXT-X-PART, blocking playlist reload). The window's older
segments are listed whole, so the full-size view can go back over the last minutes (instant replay).
Each segment carries when the recorder received it (`RECEIVED_TAG`), for the picture's time on the wall.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

# Parts are listed for the newest segments only (the spec's "last three target durations" and more).
PARTS_LISTED = 4
# When the recorder received each segment's first frame, as a comment line the wall's script reads (hls.js
# keeps it in the fragment's tagList). Not EXT-X-PROGRAM-DATE-TIME: hls.js 1.7 re-aligns a live playlist
# on its dates at every reload until the window first slides (the first three minutes after the recorder
# starts), and on a window starting at segment 0 each re-alignment moved its timeline a further second
# off the media — it loaded parts it could not place and the picture froze (a 5–12 s "latency" in the
# browser test). Without dates it aligns on sequence numbers, which are exact.
RECEIVED_TAG = "#JIKIMI-RECEIVED"
HOLD_BACK_PARTS = 2
BLOCK_SECONDS = 3.0  # how long a blocking playlist request waits for the part it asks for
_NAME = re.compile(r"^(init-\d+\.mp4|\d+\.\d+\.m4s)$")


class LiveUnavailable(LookupError):
    """The camera is not published live now (not recorded, or the recorder is down)."""


@dataclass(frozen=True)
class Window:
    part_target: float
    segments: list[dict[str, Any]]

    @property
    def last(self) -> tuple[int, int]:
        """(msn, part) of the newest part."""
        newest = self.segments[-1]
        if newest["complete"]:
            return newest["msn"] + 1, -1
        return newest["msn"], len(newest["parts"]) - 1

    def has(self, msn: int, part: int | None) -> bool:
        for segment in self.segments:
            if segment["msn"] > msn:
                return True
            if segment["msn"] == msn:
                if segment["complete"]:
                    return True
                return part is not None and part < len(segment["parts"])
        return False


def camera_directory(storage_name: str) -> Path:
    if not settings.LIVE_DIR:
        raise LiveUnavailable("live publishing is off (JIKIMI_LIVE_DIR)")
    return Path(settings.LIVE_DIR) / storage_name


# The last window read per camera, by the index's modification time: a blocking playlist request polls
# every few tens of milliseconds, and sixteen tiles do so at once; a stat is cheaper than a parse.
# The stamp is (mtime, inode): file times are kept to the kernel's tick, and the recorder may replace
# the index twice within one; each replacement is a new inode.
_READ: dict[Path, tuple[tuple[int, int], Window]] = {}


def read_window(storage_name: str) -> Window:
    path = camera_directory(storage_name) / "index.json"
    try:
        status = path.stat()
        stamp = (status.st_mtime_ns, status.st_ino)
        cached = _READ.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        index = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError) as error:
        raise LiveUnavailable(storage_name) from error
    if not index.get("segments"):
        raise LiveUnavailable(storage_name)
    window = Window(float(index["part_target"]), index["segments"])
    _READ[path] = (stamp, window)
    return window


def wait_for(storage_name: str, msn: int | None, part: int | None, timeout: float = BLOCK_SECONDS) -> Window:
    """The window once it holds segment `msn` (part `part`), or as it is after `timeout` (blocking reload)."""
    deadline = time.monotonic() + timeout
    while True:
        window = read_window(storage_name)
        if msn is None or window.has(msn, part) or time.monotonic() >= deadline:
            return window
        time.sleep(0.05)


def _date(text: str) -> str:
    return (
        datetime.fromisoformat(text).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )


def playlist(
    window: Window,
    *,
    init_url: Callable[[str], str],
    part_url: Callable[[int, int], str],
    segment_url: Callable[[int], str],
) -> str:
    segments = window.segments
    part_target = max([window.part_target] + [p[0] for s in segments for p in s["parts"]])
    part_target = math.ceil(part_target * 1000) / 1000
    target = max(1, max(math.ceil(sum(p[0] for p in s["parts"])) for s in segments))
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:9",
        f"#EXT-X-TARGETDURATION:{target}",
        # The player holds back twice the part target, the least RFC 8216bis allows (it recommends
        # three): parts come from a recorder on the same network, at a steady pace, and each part
        # held back is half a second more between the camera and the screen (issue 17: under 2 s).
        f"#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK={HOLD_BACK_PARTS * part_target:.3f}",
        f"#EXT-X-PART-INF:PART-TARGET={part_target:.3f}",
        f"#EXT-X-MEDIA-SEQUENCE:{segments[0]['msn']}",
    ]
    init = None
    listed_from = len(segments) - PARTS_LISTED
    for position, segment in enumerate(segments):
        if segment["init"] != init:
            if init is not None:
                lines.append("#EXT-X-DISCONTINUITY")
            init = segment["init"]
            lines.append(f'#EXT-X-MAP:URI="{init_url(init)}"')
        lines.append(f"{RECEIVED_TAG}:{_date(segment['start'])}")
        if position >= listed_from or not segment["complete"]:
            for number, (seconds, independent) in enumerate(segment["parts"]):
                extra = ",INDEPENDENT=YES" if independent else ""
                lines.append(
                    f'#EXT-X-PART:DURATION={seconds:.5f},URI="{part_url(segment["msn"], number)}"{extra}'
                )
        if segment["complete"]:
            lines.append(f"#EXTINF:{sum(p[0] for p in segment['parts']):.5f},")
            lines.append(segment_url(segment["msn"]))
    return "\n".join(lines) + "\n"


def read_file(storage_name: str, name: str) -> bytes:
    if not _NAME.match(name):
        raise LiveUnavailable(name)
    try:
        return (camera_directory(storage_name) / name).read_bytes()
    except FileNotFoundError as error:
        raise LiveUnavailable(name) from error


def read_segment(storage_name: str, msn: int) -> bytes:
    """A complete segment: its parts, in order (fragments concatenated are one CMAF segment)."""
    window = read_window(storage_name)
    for segment in window.segments:
        if segment["msn"] == msn and segment["complete"]:
            return b"".join(read_file(storage_name, f"{msn}.{n}.m4s") for n in range(len(segment["parts"])))
    raise LiveUnavailable(f"{storage_name} {msn}")
