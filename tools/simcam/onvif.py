"""A simulated camera's ONVIF pan/tilt/zoom: a small SOAP 1.2 server on 127.0.0.1.

It answers what an ONVIF client (jikimi's driver uses the `onvif-zeep-async` library) asks a PTZ
camera: the device service (GetServices, GetCapabilities, GetSystemDateAndTime), the media service
(GetProfiles) and the PTZ service (GetPresets, GotoPreset, AbsoluteMove, ContinuousMove, Stop,
GetStatus), and keeps the camera's position: absolute moves and presets arrive at once, a continuous
move runs at its velocity until Stop or its timeout. A login (WS-Security UsernameToken, digest or
text) is required when the server has a user, as on a real camera.

    server = OnvifPtzServer(user="admin", password="pw", presets={"1": ("정문", 0.1, -0.2, 0.0)})
    server.start()         # server.port: the port; the ONVIF device service is /onvif/device_service
    server.position        # (pan, tilt, zoom)
    server.stop()

Positions are the ONVIF generic spaces: pan and tilt -1…1, zoom 0…1. One server is one camera (ONVIF
clients find the device service at a fixed path of host:port).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape, quoteattr

SOAP = "http://www.w3.org/2003/05/soap-envelope"
TDS = "http://www.onvif.org/ver10/device/wsdl"
TRT = "http://www.onvif.org/ver10/media/wsdl"
TPTZ = "http://www.onvif.org/ver20/ptz/wsdl"
TT = "http://www.onvif.org/ver10/schema"
TER = "http://www.onvif.org/ver10/error"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PAN_TILT_SPACE = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
ZOOM_SPACE = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
PROFILE = "profile_1"
# Generic-space units per second at full velocity (a real dome turns about 180°/s: 1 unit).
FULL_SPEED = 1.0
DEFAULT_CONTINUOUS_TIMEOUT = 60.0


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _wrap_pan(value: float) -> float:
    # Pan turns round: past 1 comes -1.
    return ((value + 1.0) % 2.0) - 1.0


@dataclass
class PtzState:
    pan: float = 0.0
    tilt: float = 0.0
    zoom: float = 0.0
    velocity: tuple[float, float, float] = (0.0, 0.0, 0.0)
    since: float = 0.0  # monotonic time the velocity applies from
    until: float = 0.0  # monotonic time a continuous move stops by itself
    presets: dict[str, tuple[str, float, float, float]] = field(default_factory=dict)
    moves: list[str] = field(default_factory=list)  # the operations received, in order

    def settle(self, now: float) -> None:
        """Apply the running continuous move up to `now`."""
        if self.velocity == (0.0, 0.0, 0.0):
            return
        end = min(now, self.until)
        elapsed = max(0.0, end - self.since)
        vp, vt, vz = self.velocity
        self.pan = _wrap_pan(self.pan + vp * FULL_SPEED * elapsed)
        self.tilt = _clamp(self.tilt + vt * FULL_SPEED * elapsed, -1.0, 1.0)
        self.zoom = _clamp(self.zoom + vz * FULL_SPEED * elapsed, 0.0, 1.0)
        self.since = end
        if now >= self.until:
            self.velocity = (0.0, 0.0, 0.0)

    @property
    def moving(self) -> bool:
        return self.velocity != (0.0, 0.0, 0.0)


class SoapFault(Exception):
    def __init__(self, code: str, subcode: str, text: str, status: int = 400):
        super().__init__(text)
        self.code, self.subcode, self.text, self.status = code, subcode, text, status


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first descendant named `name` (any namespace)."""
    if element is None:
        return None
    for child in element.iter():
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element | None, name: str) -> str:
    found = _find(element, name)
    return (found.text or "").strip() if found is not None else ""


def _duration_seconds(text: str) -> float | None:
    """An xs:duration as ONVIF uses it (PT5S, PT1M30S, PT0.5S)."""
    match = re.fullmatch(r"P(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?", text)
    if not text or not match:
        return None
    h, m, s = (float(g) if g else 0.0 for g in match.groups())
    return h * 3600 + m * 60 + s


def _vector(element: ET.Element | None) -> tuple[float | None, float | None, float | None]:
    """(x, y) of its PanTilt and x of its Zoom; None where absent."""
    pan_tilt, zoom = _find(element, "PanTilt"), _find(element, "Zoom")
    pan = float(pan_tilt.get("x", "0")) if pan_tilt is not None else None
    tilt = float(pan_tilt.get("y", "0")) if pan_tilt is not None else None
    z = float(zoom.get("x", "0")) if zoom is not None else None
    return pan, tilt, z


def _envelope(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<s:Envelope xmlns:s="{SOAP}" xmlns:tds="{TDS}" xmlns:trt="{TRT}" xmlns:tptz="{TPTZ}" '
        f'xmlns:tt="{TT}" xmlns:ter="{TER}"><s:Body>{body}</s:Body></s:Envelope>'
    ).encode()


def _position_xml(pan: float, tilt: float, zoom: float, tag: str = "tt:Position") -> str:
    return (
        f'<{tag}><tt:PanTilt x="{pan:.6f}" y="{tilt:.6f}" space="{PAN_TILT_SPACE}"/>'
        f'<tt:Zoom x="{zoom:.6f}" space="{ZOOM_SPACE}"/></{tag}>'
    )


class OnvifPtzServer:
    """One simulated PTZ camera's ONVIF services on `host`:`port` (0: any free port)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        user: str = "",
        password: str = "",
        presets: dict[str, tuple[str, float, float, float]] | None = None,
        position: tuple[float, float, float] = (0.0, 0.0, 0.0),
        name: str = "simcam",
    ):
        self.host, self.user, self.password, self.name = host, user, password, name
        self.state = PtzState(*position, presets=dict(presets or {}))
        self._lock = threading.Lock()
        self._requested_port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle ---------------------------------------------------------------------------------
    def start(self) -> OnvifPtzServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                status, body = owner.handle(self.path, self.rfile.read(length))
                self.send_response(status)
                self.send_header("Content-Type", "application/soap+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer((self.host, self._requested_port), Handler)
        self._server.daemon_threads = True
        self._requested_port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="simcam-onvif", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> OnvifPtzServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._requested_port

    @property
    def address(self) -> str:
        """The device service's address, as a register would hold it."""
        return f"http://{self.host}:{self.port}/onvif/device_service"

    @property
    def position(self) -> tuple[float, float, float]:
        with self._lock:
            self.state.settle(time.monotonic())
            return (self.state.pan, self.state.tilt, self.state.zoom)

    def set_position(self, pan: float, tilt: float, zoom: float) -> None:
        """Turn the camera by hand (a technician at the pole): not through ONVIF."""
        with self._lock:
            self.state.velocity = (0.0, 0.0, 0.0)
            self.state.pan, self.state.tilt, self.state.zoom = pan, tilt, zoom

    @property
    def moves(self) -> list[str]:
        with self._lock:
            return list(self.state.moves)

    # -- SOAP ---------------------------------------------------------------------------------------
    def handle(self, path: str, data: bytes) -> tuple[int, bytes]:
        try:
            try:
                root = ET.fromstring(data)  # noqa: S314 — a test camera on loopback; expat ≥ 2.4 limits entity expansion
            except ET.ParseError as error:
                raise SoapFault("s:Sender", "ter:WellFormed", f"XML: {error}") from error
            header = next((c for c in root if _local(c.tag) == "Header"), None)
            body = next((c for c in root if _local(c.tag) == "Body"), None)
            operation = body[0] if body is not None and len(body) else None
            if operation is None:
                raise SoapFault("s:Sender", "ter:InvalidArgVal", "empty body")
            name = _local(operation.tag)
            if name != "GetSystemDateAndTime":  # ONVIF Core 5.9.1: asked before logging in
                self._authenticate(header)
            with self._lock:
                self.state.settle(time.monotonic())
                return 200, _envelope(self._answer(path, name, operation))
        except SoapFault as fault:
            return fault.status, _envelope(
                f"<s:Fault><s:Code><s:Value>{fault.code}</s:Value><s:Subcode><s:Value>{fault.subcode}"
                f'</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">{escape(fault.text)}'
                "</s:Text></s:Reason></s:Fault>"
            )

    def _authenticate(self, header: ET.Element | None) -> None:
        if not self.user:
            return
        token = _find(header, "UsernameToken")
        if token is None or _text(token, "Username") != self.user:
            raise SoapFault("s:Sender", "ter:NotAuthorized", "Sender not Authorized")
        password = _find(token, "Password")
        given = (password.text or "").strip() if password is not None else ""
        if password is not None and (password.get("Type") or "").endswith("#PasswordDigest"):
            nonce = base64.b64decode(_text(token, "Nonce") or "")
            created = _text(token, "Created")
            expected = base64.b64encode(
                hashlib.sha1(nonce + created.encode() + self.password.encode()).digest()  # noqa: S324 — WS-Security's
            ).decode()
            ok = given == expected
        else:
            ok = given == self.password
        if not ok:
            raise SoapFault("s:Sender", "ter:NotAuthorized", "Sender not Authorized")

    def _base(self) -> str:
        return f"http://{self.host}:{self.port}/onvif"

    def _answer(self, path: str, name: str, op: ET.Element) -> str:
        state = self.state
        if name == "GetSystemDateAndTime":
            now = datetime.now(UTC)
            return (
                "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType>"
                "<tt:DaylightSavings>false</tt:DaylightSavings><tt:UTCDateTime>"
                f"<tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}</tt:Minute>"
                f"<tt:Second>{now.second}</tt:Second></tt:Time><tt:Date><tt:Year>{now.year}</tt:Year>"
                f"<tt:Month>{now.month}</tt:Month><tt:Day>{now.day}</tt:Day></tt:Date></tt:UTCDateTime>"
                "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
            )
        if name == "GetServices":
            services = "".join(
                f"<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{self._base()}/{path_}</tds:XAddr>"
                "<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>"
                for ns, path_ in ((TDS, "device_service"), (TRT, "media_service"), (TPTZ, "ptz_service"))
            )
            return f"<tds:GetServicesResponse>{services}</tds:GetServicesResponse>"
        if name == "GetCapabilities":
            return (
                "<tds:GetCapabilitiesResponse><tds:Capabilities>"
                f"<tt:Device><tt:XAddr>{self._base()}/device_service</tt:XAddr></tt:Device>"
                f"<tt:Media><tt:XAddr>{self._base()}/media_service</tt:XAddr><tt:StreamingCapabilities>"
                "<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
                "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>"
                f"<tt:PTZ><tt:XAddr>{self._base()}/ptz_service</tt:XAddr></tt:PTZ>"
                "</tds:Capabilities></tds:GetCapabilitiesResponse>"
            )
        if name == "GetProfiles":
            return (
                f'<trt:GetProfilesResponse><trt:Profiles token="{PROFILE}" fixed="true">'
                f"<tt:Name>{escape(self.name)}</tt:Name></trt:Profiles></trt:GetProfilesResponse>"
            )
        if name not in {"GetPresets", "GotoPreset", "AbsoluteMove", "ContinuousMove", "Stop", "GetStatus"}:
            raise SoapFault("s:Receiver", "ter:ActionNotSupported", f"{name} is not supported")
        profile = _text(op, "ProfileToken")
        if profile != PROFILE:
            raise SoapFault("s:Sender", "ter:NoProfile", f"no profile {profile!r}")
        if name == "GetPresets":
            presets = "".join(
                f"<tptz:Preset token={quoteattr(token)}><tt:Name>{escape(label)}</tt:Name>"
                f"{_position_xml(pan, tilt, zoom, 'tt:PTZPosition')}</tptz:Preset>"
                for token, (label, pan, tilt, zoom) in state.presets.items()
            )
            return f"<tptz:GetPresetsResponse>{presets}</tptz:GetPresetsResponse>"
        if name == "GetStatus":
            moving = "MOVING" if state.moving else "IDLE"
            utc = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return (
                "<tptz:GetStatusResponse><tptz:PTZStatus>"
                f"{_position_xml(state.pan, state.tilt, state.zoom)}"
                f"<tt:MoveStatus><tt:PanTilt>{moving}</tt:PanTilt><tt:Zoom>{moving}</tt:Zoom></tt:MoveStatus>"
                f"<tt:UtcTime>{utc}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>"
            )
        state.moves.append(name)
        if name == "GotoPreset":
            token = _text(op, "PresetToken")
            if token not in state.presets:
                raise SoapFault("s:Sender", "ter:NoToken", f"no preset {token!r}")
            _, pan, tilt, zoom = state.presets[token]
            state.velocity = (0.0, 0.0, 0.0)
            state.pan, state.tilt, state.zoom = pan, tilt, zoom
        elif name == "AbsoluteMove":
            pan, tilt, zoom = _vector(_find(op, "Position"))
            for value, low in ((pan, -1.0), (tilt, -1.0), (zoom, 0.0)):
                if value is not None and not low <= value <= 1.0:
                    raise SoapFault("s:Sender", "ter:InvalidPosition", f"{value} is out of the space")
            state.velocity = (0.0, 0.0, 0.0)
            state.pan = state.pan if pan is None else pan
            state.tilt = state.tilt if tilt is None else tilt
            state.zoom = state.zoom if zoom is None else zoom
        elif name == "ContinuousMove":
            vp, vt, vz = _vector(_find(op, "Velocity"))
            timeout = _duration_seconds(_text(op, "Timeout")) or DEFAULT_CONTINUOUS_TIMEOUT
            now = time.monotonic()
            state.velocity = (vp or 0.0, vt or 0.0, vz or 0.0)
            state.since, state.until = now, now + timeout
        elif name == "Stop":
            state.velocity = (0.0, 0.0, 0.0)
        return f"<tptz:{name}Response/>"


def main(argv: list[str] | None = None) -> int:
    """python -m tools.simcam.onvif --port 8080 [--user admin --password pw] [--preset 1=정문:0.1,-0.2,0]
    — one simulated PTZ camera's ONVIF service until interrupted (for `make run`'s demo cameras)."""
    import argparse
    import signal

    parser = argparse.ArgumentParser(prog="python -m tools.simcam.onvif", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument(
        "--preset", action="append", default=[], help="TOKEN=NAME:PAN,TILT,ZOOM (the camera's own presets)"
    )
    args = parser.parse_args(argv)
    presets: dict[str, tuple[str, float, float, float]] = {}
    for text in args.preset:
        token, _, rest = text.partition("=")
        name, _, numbers = rest.rpartition(":")
        pan, tilt, zoom = (float(x) for x in numbers.split(","))
        presets[token] = (name or token, pan, tilt, zoom)
    # Powered on at its first preset (its home view), as PTZ cameras are: `make run`'s minute check
    # of the views raised "승인된 프리셋을 벗어났습니다" at once when the camera started at 0,0,0.
    home = next(iter(presets.values()), ("", 0.0, 0.0, 0.0))[1:]
    server = OnvifPtzServer(
        host=args.host,
        port=args.port,
        user=args.user,
        password=args.password,
        presets=presets,
        position=home,
    ).start()
    print(server.address, flush=True)
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()
    return 0


__all__ = ["OnvifPtzServer", "main"]


if __name__ == "__main__":
    raise SystemExit(main())
