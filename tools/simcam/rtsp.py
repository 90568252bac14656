"""A minimal RTSP server (RFC 2326) that sends simulated cameras as H.264 over RTP (RFC 6184).

Only what an IP camera offers a recorder: DESCRIBE (SDP with the SPS/PPS), SETUP of each track over
TCP — RTP/RTCP interleaved in the RTSP connection, which is how jikimi's recorder always asks —,
PLAY, GET_PARAMETER keep-alives and TEARDOWN. UDP transport is refused with 461, as many cameras
behind NAT do.

Each camera has one broadcaster thread that replays its scene loop in real time (see `scenes`) and
sends every RTP packet to every playing session, so two clients see the same live stream, and a
client that joins mid-GOP starts before a keyframe, as with a real camera. A camera with audio also
sends G.711 μ-law (payload type 0), 20 ms per packet: the recorder has to drop it.

`stop()` closes the listening socket and every session (the camera "goes down"); `start()` brings it
back on the same port, so a test can cut a source mid-stream and restore it.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import math
import secrets
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

from .scenes import AUDIO_CLOCK, AUDIO_PACKET, VIDEO_CLOCK, SceneLoop

MTU = 1400  # RTP payload size above which a NAL unit is split into FU-A fragments
VIDEO_PT, AUDIO_PT = 96, 0
RTCP_SR = 200  # RTCP packet type: sender report (RFC 3550 §6.4.1)
NTP_EPOCH = 2_208_988_800  # seconds from 1900-01-01 (NTP's epoch) to 1970-01-01
SENDER_REPORT_SECONDS = 1.0  # a sender report per track about every second, as cameras send them


def sender_report(ssrc: int, wall_time: float, rtp_timestamp: int, packets: int, octets: int) -> bytes:
    """An RTCP sender report (RFC 3550 §6.4.1) without reception blocks: the camera's wall clock (NTP
    format) at the instant of ``rtp_timestamp``. This is how a camera tells a recorder its own time."""
    ntp = wall_time + NTP_EPOCH
    seconds = int(ntp)
    fraction = int((ntp - seconds) * (1 << 32)) & 0xFFFFFFFF
    return struct.pack(
        "!BBHIIIIII",
        0x80,
        RTCP_SR,
        6,  # length in 32-bit words minus one
        ssrc,
        seconds & 0xFFFFFFFF,
        fraction,
        rtp_timestamp & 0xFFFFFFFF,
        packets & 0xFFFFFFFF,
        octets & 0xFFFFFFFF,
    )


def rtp_packet(payload_type: int, marker: bool, seq: int, timestamp: int, ssrc: int, payload: bytes) -> bytes:
    header = struct.pack(
        "!BBHII", 0x80, (0x80 if marker else 0) | payload_type, seq & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc
    )
    return header + payload


def h264_payloads(nals: tuple[bytes, ...], mtu: int = MTU) -> list[bytes]:
    """RTP payloads for one access unit: single NAL unit packets, FU-A fragments for large NALs."""
    payloads: list[bytes] = []
    for nal in nals:
        if len(nal) <= mtu:
            payloads.append(nal)
            continue
        indicator = (nal[0] & 0xE0) | 28  # FU-A
        kind = nal[0] & 0x1F
        body = nal[1:]
        for offset in range(0, len(body), mtu):
            start, end = offset == 0, offset + mtu >= len(body)
            header = (0x80 if start else 0) | (0x40 if end else 0) | kind
            payloads.append(bytes((indicator, header)) + body[offset : offset + mtu])
    return payloads


@dataclass(eq=False)
class _Session:
    sock: socket.socket
    session_id: str
    channels: dict[int, int] = field(default_factory=dict)  # track → interleaved RTP channel
    playing: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def send(self, data: bytes) -> bool:
        try:
            with self.lock:
                self.sock.sendall(data)
            return True
        except OSError:
            return False


_PAYLOADS: dict[int, tuple[SceneLoop, list[list[tuple[bytes, bool]]]]] = {}
_PAYLOADS_LOCK = threading.Lock()


def _payloads(loop: SceneLoop) -> list[list[tuple[bytes, bool]]]:
    """RTP payloads (and marker bits) of every access unit of a loop, built once and shared by the
    cameras replaying it: a hundred simulated cameras then cost sending, not packetizing."""
    with _PAYLOADS_LOCK:
        cached = _PAYLOADS.get(id(loop))
        if cached is None or cached[0] is not loop:
            units = []
            for unit in loop.units:
                payloads = h264_payloads(unit.nals)
                units.append([(p, i == len(payloads) - 1) for i, p in enumerate(payloads)])
            cached = _PAYLOADS[id(loop)] = (loop, units)
        return cached[1]


class SimulatedCamera:
    """One camera: a scene loop replayed in real time to the sessions that PLAY it.

    ``clock_offset``: seconds the camera's own clock is ahead (+) of the true time, as its RTCP sender
    reports tell it (a camera whose NTP sync failed): what the recorder's health check must notice.
    """

    def __init__(self, name: str, loop: SceneLoop, clock_offset: float = 0.0) -> None:
        self.name = name
        self.loop = loop
        self.clock_offset = clock_offset
        self.payloads = _payloads(loop)
        self.sessions: set[_Session] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ssrc = (secrets.randbits(32), secrets.randbits(32))
        self._seq = [secrets.randbits(16), secrets.randbits(16)]
        self._ts_base = (secrets.randbits(31), secrets.randbits(31))
        self._sent = [[0, 0], [0, 0]]  # per track: RTP packets and payload octets (for the reports)
        self._reported = [-math.inf, -math.inf]  # per track: monotonic time of the last sender report
        self.started: float | None = None  # wall time (time.time()) of the replay's start

    def sent_at(self, index: int, now: float | None = None) -> float | None:
        """The wall time (``time.time()``) at which this camera last sent frame ``index`` of its loop,
        at or before ``now``: with a stamped loop (`stamp`), the time the picture on a screen left the
        camera. None before the first sending (or while stopped)."""
        started = self.started
        if started is None or not 0 <= index < len(self.loop.units):
            return None
        now = time.time() if now is None else now
        offset = self.loop.units[index].pts / VIDEO_CLOCK
        period = self.loop.duration / VIDEO_CLOCK
        cycle = (now - started - offset) // period
        return None if cycle < 0 else started + cycle * period + offset

    @property
    def has_audio(self) -> bool:
        return self.loop.audio is not None

    def sdp(self, host: str) -> str:
        loop = self.loop
        sprop = ",".join(base64.b64encode(x).decode() for x in (loop.sps, loop.pps))
        lines = [
            "v=0",
            f"o=- {secrets.randbits(31)} 1 IN IP4 {host}",
            f"s=jikimi simcam {self.name}",
            f"c=IN IP4 {host}",
            "t=0 0",
            "a=control:*",
            "a=range:npt=now-",
            f"m=video 0 RTP/AVP {VIDEO_PT}",
            f"a=rtpmap:{VIDEO_PT} H264/{VIDEO_CLOCK}",
            f"a=fmtp:{VIDEO_PT} packetization-mode=1;profile-level-id={loop.profile_level_id};"
            f"sprop-parameter-sets={sprop}",
            f"a=framerate:{loop.fps}",
            "a=control:trackID=0",
        ]
        if self.has_audio:
            lines += [
                f"m=audio 0 RTP/AVP {AUDIO_PT}",
                f"a=rtpmap:{AUDIO_PT} PCMU/{AUDIO_CLOCK}",
                "a=control:trackID=1",
            ]
        return "\r\n".join(lines) + "\r\n"

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._broadcast, name=f"simcam-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        self.started = None
        with self._lock:
            sessions, self.sessions = self.sessions, set()
        for session in sessions:
            with contextlib.suppress(OSError):
                session.sock.shutdown(socket.SHUT_RDWR)
            session.sock.close()

    def add(self, session: _Session) -> None:
        with self._lock:
            self.sessions.add(session)

    def remove(self, session: _Session) -> None:
        with self._lock:
            self.sessions.discard(session)

    def _packets(self, track: int, payloads: list[tuple[bytes, bool]], timestamp: int) -> list[bytes]:
        pt = VIDEO_PT if track == 0 else AUDIO_PT
        out = []
        for payload, marker in payloads:
            self._sent[track][0] += 1
            self._sent[track][1] += len(payload)
            out.append(
                rtp_packet(
                    pt, marker, self._seq[track], self._ts_base[track] + timestamp, self._ssrc[track], payload
                )
            )
            self._seq[track] = (self._seq[track] + 1) & 0xFFFF
        return out

    def _send(self, track: int, packets: list[bytes], timestamp: int) -> None:
        """Sends ``packets`` (RTP time ``timestamp``, since the stream's start) to every playing session,
        a sender report on the track's RTCP channel first when one is due."""
        with self._lock:
            sessions = [s for s in self.sessions if s.playing and track in s.channels]
        report = b""
        now = time.monotonic()
        if now - self._reported[track] >= SENDER_REPORT_SECONDS:
            self._reported[track] = now
            packets_sent, octets = self._sent[track]
            rate = VIDEO_CLOCK if track == 0 else AUDIO_CLOCK
            started = self.started if self.started is not None else time.time()
            report = sender_report(
                self._ssrc[track],
                started + timestamp / rate + self.clock_offset,  # when this RTP time was captured
                self._ts_base[track] + timestamp,
                packets_sent,
                octets,
            )
        for session in sessions:
            channel = session.channels[track]
            frame = b"".join(b"$" + struct.pack("!BH", channel, len(p)) + p for p in packets)
            if report:  # RTCP on the channel after the track's RTP channel (RFC 2326 §10.12)
                frame = b"$" + struct.pack("!BH", channel + 1, len(report)) + report + frame
            if not session.send(frame):
                self.remove(session)

    def _broadcast(self) -> None:
        loop = self.loop
        t0 = time.monotonic()
        self.started = time.time() - (time.monotonic() - t0)
        audio_sent = 0  # samples
        audio_twice = (loop.audio or b"") * 2
        for cycle in itertools.count():
            for unit, payloads in zip(loop.units, self.payloads, strict=True):
                clock = cycle * loop.duration + unit.pts  # VIDEO_CLOCK units since start
                due = t0 + clock / VIDEO_CLOCK
                # Audio packets due before this picture go first.
                while loop.audio is not None and t0 + audio_sent / AUDIO_CLOCK < due:
                    if self._stop.wait(max(0.0, t0 + audio_sent / AUDIO_CLOCK - time.monotonic())):
                        return
                    start = audio_sent % len(loop.audio)
                    chunk = audio_twice[start : start + AUDIO_PACKET]
                    self._send(1, self._packets(1, [(chunk, False)], audio_sent), audio_sent)
                    audio_sent += AUDIO_PACKET
                if self._stop.wait(max(0.0, due - time.monotonic())):
                    return
                if self.sessions:  # nobody watching: keep time, build nothing
                    self._send(0, self._packets(0, payloads, clock), clock)


class RtspCameraServer:
    """Serves simulated cameras at rtsp://HOST:PORT/NAME until stopped."""

    def __init__(
        self,
        cameras: dict[str, SceneLoop],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clock_offsets: dict[str, float] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        offsets = clock_offsets or {}
        self.cameras = {
            name: SimulatedCamera(name, loop, offsets.get(name, 0.0)) for name, loop in cameras.items()
        }
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    def url(self, name: str) -> str:
        return f"rtsp://{self.host}:{self.port}/{name}"

    def sent_at(self, name: str, index: int, now: float | None = None) -> float | None:
        """When camera ``name`` last sent frame ``index`` of its loop (see `SimulatedCamera.sent_at`)."""
        return self.cameras[name].sent_at(index, now)

    def __enter__(self) -> RtspCameraServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        for camera in self.cameras.values():
            camera.start()
        self._accepting = threading.Thread(
            target=self._accept, args=(listener,), name="simcam-rtsp", daemon=True
        )
        self._accepting.start()

    def stop(self) -> None:
        """Close the port and every session at once, like a camera losing power."""
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        if self._accepting is not None:
            self._accepting.join(5)
        for camera in self.cameras.values():
            camera.stop()
        with self._lock:
            connections, self._connections = self._connections, set()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            # A client that stops reading is dropped, not waited for; one that only listens (sends
            # nothing for minutes) is fine, so the timeout is on sending only.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, struct.pack("ll", 10, 0))
            with self._lock:
                self._connections.add(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        session = _Session(conn, secrets.token_hex(8))
        camera: SimulatedCamera | None = None
        reader = conn.makefile("rb")
        try:
            while True:
                first = reader.read(1)
                if not first:
                    return
                if first == b"$":  # the client's RTCP receiver reports, interleaved
                    head = reader.read(3)
                    if len(head) < 3:
                        return
                    reader.read(struct.unpack("!H", head[1:])[0])
                    continue
                lines = [first + reader.readline()]
                while lines[-1] not in (b"\r\n", b"\n", b""):
                    lines.append(reader.readline())
                request = [line.decode("latin-1").strip() for line in lines if line.strip()]
                if not request:
                    return
                method, url, *_ = request[0].split(" ")
                headers = {
                    k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in request[1:])
                }
                if int(headers.get("content-length", "0")):
                    reader.read(int(headers["content-length"]))
                camera, close = self._answer(session, camera, method, url, headers)
                if close:
                    return
        except (OSError, ValueError):
            return
        finally:
            if camera is not None:
                camera.remove(session)
            with self._lock:
                self._connections.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _camera_for(self, url: str) -> SimulatedCamera | None:
        path = url.split("://", 1)[-1].partition("/")[2]
        return self.cameras.get(path.split("/")[0])

    def _answer(
        self,
        session: _Session,
        camera: SimulatedCamera | None,
        method: str,
        url: str,
        headers: dict[str, str],
    ) -> tuple[SimulatedCamera | None, bool]:
        cseq = headers.get("cseq", "0")

        def reply(status: str, extra: dict[str, str] | None = None, body: str = "") -> None:
            lines = [f"RTSP/1.0 {status}", f"CSeq: {cseq}", "Server: jikimi-simcam"]
            lines += [f"{k}: {v}" for k, v in (extra or {}).items()]
            if body:
                lines += [f"Content-Length: {len(body.encode())}"]
            session.send(("\r\n".join(lines) + "\r\n\r\n" + body).encode())

        if method == "OPTIONS":
            reply("200 OK", {"Public": "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER"})
        elif method in ("GET_PARAMETER", "SET_PARAMETER"):
            reply("200 OK", {"Session": session.session_id})
        elif method == "DESCRIBE":
            found = self._camera_for(url)
            if found is None:
                reply("404 Not Found")
                return camera, False
            base = f"rtsp://{self.host}:{self.port}/{found.name}/"
            reply("200 OK", {"Content-Type": "application/sdp", "Content-Base": base}, found.sdp(self.host))
            return found, False
        elif method == "SETUP":
            found = camera or self._camera_for(url)
            transport = headers.get("transport", "")
            if found is None:
                reply("404 Not Found")
            elif "interleaved=" not in transport:
                reply("461 Unsupported Transport")
            else:
                track = 1 if url.rstrip("/").endswith("trackID=1") else 0
                if track == 1 and not found.has_audio:
                    reply("404 Not Found")
                    return found, False
                interleaved = transport.split("interleaved=")[1].split(";")[0]
                session.channels[track] = int(interleaved.split("-")[0])
                reply(
                    "200 OK",
                    {
                        "Transport": f"RTP/AVP/TCP;unicast;interleaved={interleaved}",
                        "Session": f"{session.session_id};timeout=60",
                    },
                )
                return found, False
        elif method == "PLAY":
            if camera is None or not session.channels:
                reply("455 Method Not Valid in This State")
            else:
                reply("200 OK", {"Session": session.session_id, "Range": "npt=now-"})
                session.playing = True
                camera.add(session)
        elif method == "TEARDOWN":
            reply("200 OK", {"Session": session.session_id})
            return camera, True
        else:
            reply("501 Not Implemented")
        return camera, False
