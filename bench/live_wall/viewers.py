"""python -m bench.live_wall.viewers URL SESSION SIZE — the wall's N tiles as lightweight LL-HLS clients,
in their own process (an operator's computer, not the recorder node).

Logged in as the operator (the bench's session cookie, second factor passed), it opens the wall as he
does (the layout form's 저장하고 관제 시작: an audited viewing, R41), reads each tile's playlist URL from
the wall page and follows it as hls.js does: a blocking playlist reload asking for the part after the
newest listed (`_HLS_msn`/`_HLS_part`), then each new part, in order, from the newest independent part
on. Every part's samples go through one H.264 decoder per tile (a P-frame needs the frames before it);
the part's first frame is read for the index the simulated camera burnt into it (tools.simcam.stamp).
Prints one JSON line per part: tile, device, wall time (time.time()) the first frame was decoded, the
index read (null when unreadable); "ready" once every tile has read one. Stops on SIGTERM.

What it leaves out of "camera to screen": the player's hold-back (PART-HOLD-BACK, where hls.js plays
behind the newest part), the browser's decode of every frame and the paint.
"""

from __future__ import annotations

import html
import io
import json
import re
import signal
import sys
import threading
import time
from typing import Any

import av
import numpy as np
import requests
from bench.live_wall import llhls
from tools.simcam import stamp

_PLAYLIST = re.compile(r'data-playlist="([^"]+)"')
_DEVICE = re.compile(r"/live/\d+/(\d+)/index\.m3u8")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TILE = re.compile(r'<select name="(tile_\d+)">(.*?)</select>', re.S)
_SELECTED = re.compile(r'<option value="(\d+)" selected>')
_SAVE = re.compile(r'<form method="post" action="([^"]+)" class="jk-wall-layout"')

_print_lock = threading.Lock()
_stop = threading.Event()


def emit(line: str) -> None:
    with _print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def open_wall(base: str, session: requests.Session, size: int) -> list[str]:
    """Open the saved layout's wall as the operator does; the tiles' playlist URLs, in order."""
    page = session.get(f"{base}/control/wall/", params={"size": size}, timeout=30)
    page.raise_for_status()
    token = _CSRF.search(page.text)
    if token is None:
        raise SystemExit("the wall's layout form has no CSRF token")
    form: dict[str, str] = {"csrfmiddlewaretoken": token.group(1), "size": str(size), "name": "기본"}
    for name, options in _TILE.findall(page.text):
        chosen = _SELECTED.search(options)
        form[name] = chosen.group(1) if chosen else ""
    form["watch"] = "1"
    action = _SAVE.search(page.text)
    if action is None:
        raise SystemExit("the wall page has no layout form")
    wall = session.post(
        base + html.unescape(action.group(1)), data=form, headers={"Referer": page.url}, timeout=30
    )
    wall.raise_for_status()
    urls = [base + html.unescape(u) for u in _PLAYLIST.findall(wall.text)]
    if len(urls) != size:
        raise SystemExit(f"the wall shows {len(urls)} tiles, not {size} ({wall.url})")
    return urls


class Tile:
    def __init__(self, number: int, url: str, cookies: dict[str, str]) -> None:
        self.number = number
        self.url = url
        found = _DEVICE.search(url)
        self.device = int(found.group(1)) if found else 0
        self.origin = url.split("/control/", 1)[0]
        self.http = requests.Session()
        self.http.cookies.update(cookies)
        self.codec: Any = None
        self.init_uri = ""
        self.init = b""
        self.read_one = threading.Event()

    def get(self, uri: str, **params: Any) -> requests.Response:
        response = self.http.get(
            uri if uri.startswith("http") else self.origin + uri, params=params or None, timeout=10
        )
        response.raise_for_status()
        return response

    def first_index(self, part: llhls.Part, data: bytes) -> int | None:
        """Feed the part's samples to the tile's decoder; the index stamped on its first frame."""
        if part.init != self.init_uri:
            self.init_uri, self.init = part.init, self.get(part.init).content
            self.codec = None
        with av.open(io.BytesIO(self.init + data), format="mp4") as container:
            stream = container.streams.video[0]
            if self.codec is None:
                self.codec = av.CodecContext.create(stream.codec_context.name, "r")
                self.codec.extradata = stream.codec_context.extradata
            first: int | None = None
            index: int | None = None
            for packet in container.demux(stream):
                if packet.size == 0:
                    continue
                if first is None:
                    first = packet.pts
                for frame in self.codec.decode(packet):
                    if index is None and frame.pts == first:
                        luma = np.frombuffer(frame.planes[0], np.uint8)
                        luma = luma.reshape(frame.height, frame.planes[0].line_size)[:, : frame.width]
                        index = stamp.read(luma)
                        if index is None:
                            return None
            return index

    def run(self) -> None:
        seen: tuple[int, int] | None = None
        ask: tuple[int, int] | None = None
        while not _stop.is_set():
            try:
                params = {} if ask is None else {"_HLS_msn": ask[0], "_HLS_part": ask[1]}
                playlist = llhls.parse(self.get(self.url, **params).text)
                if seen is not None and seen not in {part.key for part in playlist.parts}:
                    # fell behind the parts listed: join the live edge again on a keyframe, as hls.js does
                    self.codec, seen = None, None
                for part in playlist.parts_after(seen):
                    if _stop.is_set():
                        return
                    data = self.get(part.uri).content
                    index = self.first_index(part, data)
                    emit(
                        json.dumps(
                            {"tile": self.number, "device": self.device, "at": time.time(), "index": index}
                        )
                    )
                    if index is not None:
                        self.read_one.set()
                    seen = part.key
                ask = playlist.next_request()
            except (requests.RequestException, av.FFmpegError, ValueError) as error:
                emit(json.dumps({"tile": self.number, "device": self.device, "error": str(error)[:200]}))
                ask, seen, self.codec = None, None, None
                _stop.wait(0.5)


def main() -> int:
    base, session_key, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    session = requests.Session()
    session.cookies.set("sessionid", session_key, domain="127.0.0.1", path="/")
    urls = open_wall(base, session, size)
    cookies = {c.name: c.value or "" for c in session.cookies}
    tiles = [Tile(n, url, cookies) for n, url in enumerate(urls)]
    threads = [threading.Thread(target=tile.run, daemon=True) for tile in tiles]
    for thread in threads:
        thread.start()
    signal.signal(signal.SIGTERM, lambda *_: _stop.set())
    signal.signal(signal.SIGINT, lambda *_: _stop.set())
    deadline = time.monotonic() + 60
    while not all(tile.read_one.is_set() for tile in tiles) and time.monotonic() < deadline:
        if _stop.wait(0.1):
            return 0
    emit("ready")
    _stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
