"""The little of an LL-HLS media playlist (RFC 8216bis) the bench's viewers need, as hls.js reads it.

Pure text handling, no I/O: the parts a playlist lists (media sequence number, part number, URI,
INDEPENDENT), the init segment, the part hold-back, and which part a blocking playlist reload asks for
next (`_HLS_msn`/`_HLS_part`: the one after the newest listed). Parsed the way
jikimi.control.live_stream writes it, and as any LL-HLS server would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^",]*)')


def _attributes(text: str) -> dict[str, str]:
    return {name: value.strip('"') for name, value in _ATTRIBUTE.findall(text)}


@dataclass(frozen=True)
class Part:
    msn: int
    number: int
    uri: str
    independent: bool
    init: str  # the init segment (EXT-X-MAP) the part is decoded with

    @property
    def key(self) -> tuple[int, int]:
        return (self.msn, self.number)


@dataclass(frozen=True)
class MediaPlaylist:
    parts: list[Part]
    # (msn, part) of the newest part listed, the segment counted complete when its EXTINF is there
    last: tuple[int, int] | None
    last_complete: bool
    part_hold_back: float | None

    def next_request(self) -> tuple[int, int] | None:
        """`_HLS_msn`, `_HLS_part` of the blocking reload that waits for the part after the newest listed
        (hls.js: the next part of the same segment, or part 0 of the next segment once it is complete)."""
        if self.last is None:
            return None
        msn, number = self.last
        return (msn + 1, 0) if self.last_complete else (msn, number + 1)

    def parts_after(self, seen: tuple[int, int] | None) -> list[Part]:
        """The parts newer than `seen`, oldest first; when nothing was seen yet, from the newest
        independent part on (a player joins the live edge on a part it can decode alone)."""
        if seen is None:
            starts = [n for n, part in enumerate(self.parts) if part.independent]
            return self.parts[starts[-1] :] if starts else []
        return [part for part in self.parts if part.key > seen]


def parse(text: str) -> MediaPlaylist:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or lines[0] != "#EXTM3U":
        raise ValueError("not an HLS playlist (no #EXTM3U)")
    msn = 0
    number = 0
    init = ""
    hold_back: float | None = None
    parts: list[Part] = []
    last: tuple[int, int] | None = None
    last_complete = False
    expect_uri = False
    for line in lines[1:]:
        if expect_uri:
            if line.startswith("#"):
                continue
            # a complete segment: the next one starts
            last_complete = last is not None and last[0] == msn
            msn, number, expect_uri = msn + 1, 0, False
            continue
        tag, _, value = line.partition(":")
        if tag == "#EXT-X-MEDIA-SEQUENCE":
            msn = int(value)
        elif tag == "#EXT-X-SERVER-CONTROL":
            found = _attributes(value).get("PART-HOLD-BACK")
            hold_back = float(found) if found else None
        elif tag == "#EXT-X-MAP":
            init = _attributes(value)["URI"]
        elif tag == "#EXT-X-PART":
            attributes = _attributes(value)
            parts.append(Part(msn, number, attributes["URI"], attributes.get("INDEPENDENT") == "YES", init))
            last, last_complete = (msn, number), False
            number += 1
        elif tag == "#EXTINF":
            expect_uri = True
    return MediaPlaylist(parts, last, last_complete, hold_back)
