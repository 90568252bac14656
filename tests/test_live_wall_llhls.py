"""The bench's LL-HLS viewers (bench.live_wall) read a playlist as hls.js does: which parts are new, where
a joining player starts, and which part a blocking reload asks for next."""

from __future__ import annotations

import pytest
from bench.live_wall import llhls

HEAD = """#EXTM3U
#EXT-X-VERSION:9
#EXT-X-TARGETDURATION:1
#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.068
#EXT-X-PART-INF:PART-TARGET=0.534
#EXT-X-MEDIA-SEQUENCE:7
#EXT-X-MAP:URI="/control/live/3/9/init/init-0.mp4"
#JIKIMI-RECEIVED:2026-12-07T03:00:00.000Z
#EXTINF:1.00000,
/control/live/3/9/segment/7.m4s?t=a
#JIKIMI-RECEIVED:2026-12-07T03:00:01.000Z
#EXT-X-PART:DURATION=0.53333,URI="/control/live/3/9/part/8.0.m4s?t=a",INDEPENDENT=YES
#EXT-X-PART:DURATION=0.46667,URI="/control/live/3/9/part/8.1.m4s?t=a"
#EXTINF:1.00000,
/control/live/3/9/segment/8.m4s?t=a
#JIKIMI-RECEIVED:2026-12-07T03:00:02.000Z
#EXT-X-PART:DURATION=0.53333,URI="/control/live/3/9/part/9.0.m4s?t=a",INDEPENDENT=YES
"""


def test_parts_numbered_by_segment_and_the_next_blocking_reload() -> None:
    playlist = llhls.parse(HEAD)
    assert [p.key for p in playlist.parts] == [(8, 0), (8, 1), (9, 0)]
    assert playlist.parts[1].uri == "/control/live/3/9/part/8.1.m4s?t=a"
    assert [p.independent for p in playlist.parts] == [True, False, True]
    assert playlist.parts[0].init == "/control/live/3/9/init/init-0.mp4"
    assert playlist.part_hold_back == pytest.approx(1.068)
    assert playlist.last == (9, 0) and not playlist.last_complete
    assert playlist.next_request() == (9, 1)  # the next part of the segment in progress


def test_a_complete_last_segment_asks_for_part_0_of_the_next() -> None:
    playlist = llhls.parse(HEAD + "#EXTINF:0.53333,\n/control/live/3/9/segment/9.m4s?t=a\n")
    assert playlist.last == (9, 0) and playlist.last_complete
    assert playlist.next_request() == (10, 0)


def test_a_joining_player_starts_on_the_newest_independent_part_then_takes_only_new_ones() -> None:
    playlist = llhls.parse(HEAD)
    assert [p.key for p in playlist.parts_after(None)] == [(9, 0)]
    assert [p.key for p in playlist.parts_after((8, 0))] == [(8, 1), (9, 0)]
    assert playlist.parts_after((9, 0)) == []


def test_not_a_playlist() -> None:
    with pytest.raises(ValueError, match="EXTM3U"):
        llhls.parse("<html>로그인</html>")
