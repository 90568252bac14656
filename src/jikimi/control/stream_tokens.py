"""Short-lived tokens for the live wall's parts and segments, served without the Django stack (issue 17).

A 16-up wall asks ~4 times a second per tile; through the whole stack each part cost 24 queries and
~35 ms (session, user, second factor, the grants' scope twice, the viewing; bench/live_wall: the web
server was nearly all of the 23.5% of the node the wall cost). The playlist stays a full Django view:
it is where the open viewing (R41, audited when it opened), the grant (R36) and the session (R38) are
checked, at every reload (~twice a second). Each playlist hands the part and segment URIs it lists a
token, an HMAC (a key derived from SECRET_KEY) over the person, the viewing, the camera, the session
cookie and an expiry; StreamTokenMiddleware, near the top of the stack, serves a part or segment whose
token verifies straight from JIKIMI_LIVE_DIR, with no session, user or database work. A playlist reload
within AUTHORIZED_SECONDS of the full view's checks, in the same session, is answered there too.

The bound: a person whose grant is revoked or whose viewing expires gets no new playlist after
AUTHORIZED_SECONDS (5 s), one who logs out at once (his browser no longer sends the session cookie), so
the wall stops with the parts already listed; a client that kept a token and
guessed the next parts' names could fetch them for at most MAX_SECONDS after the last playlist it was
given. A token is worth nothing without its session's cookie (a logged-out browser no longer sends it),
from outside the internal networks (R38), for another camera or viewing, or after its expiry.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from jikimi.accounts import access
from jikimi.control import live_stream
from jikimi.inventory.models import Device

_SALT = "jikimi.control.stream_tokens"
# A token lives TOKEN_SECONDS, its expiry rounded up to STEP_SECONDS so that a part's URI stays the same
# across a few reloads (hls.js compares URIs without their query, but a stable one costs nothing).
TOKEN_SECONDS = 20
STEP_SECONDS = 10
MAX_SECONDS = TOKEN_SECONDS + STEP_SECONDS  # the stated bound: at most 30 s after the last playlist
_STREAM_VIEWS = {"control:live_part", "control:live_segment"}


def _mac(user: int, viewing: int, device: int, session_key: str, expires: int) -> str:
    message = f"{user}:{viewing}:{device}:{expires}:{session_key}"
    return salted_hmac(_SALT, message, algorithm="sha256").hexdigest()[:32]


def mint(user: int, viewing: int, device: int, session_key: str, now: float | None = None) -> str:
    """The token for one camera of one viewing, for the person and session asking now."""
    now = time.time() if now is None else now
    expires = math.ceil((now + TOKEN_SECONDS) / STEP_SECONDS) * STEP_SECONDS
    return f"{user}.{expires}.{_mac(user, viewing, device, session_key, expires)}"


def verify(token: str, viewing: int, device: int, session_key: str, now: float | None = None) -> bool:
    """Whether `token` was minted for this viewing, camera and session and has not expired."""
    user_text, _, rest = token.partition(".")
    expires_text, _, mac = rest.partition(".")
    if not (
        user_text.isdecimal() and expires_text.isdecimal() and len(user_text) < 20 and len(expires_text) < 20
    ):
        return False
    user, expires = int(user_text), int(expires_text)
    now = time.time() if now is None else now
    if expires < now or not session_key:
        return False
    return constant_time_compare(mac, _mac(user, viewing, device, session_key, expires))


# A camera found streamable by the full view (wall_views._stream_device: viewing, grant, session, second
# factor) is taken as such for AUTHORIZED_SECONDS in the same session, never past the viewing's end: the
# checks and the stack were nearly all of a playlist reload, twice a second per tile. Only the full view
# fills this; a revoked grant (R36) stops the playlist within AUTHORIZED_SECONDS.
AUTHORIZED_SECONDS = 5
_AUTHORIZED: dict[tuple[str, int, int], tuple[float, int, str]] = {}


def remember(
    session_key: str, viewing: int, device: int, user: int, storage_name: str, ends: datetime
) -> None:
    now = time.time()
    if len(_AUTHORIZED) > 10_000:  # forget the ended ones (a wall has at most 16 tiles)
        for stale in [k for k, (until, _, _) in _AUTHORIZED.items() if until <= now]:
            del _AUTHORIZED[stale]
    if session_key:
        _AUTHORIZED[(session_key, viewing, device)] = (
            min(now + AUTHORIZED_SECONDS, ends.timestamp()),
            user,
            storage_name,
        )


def recall(session_key: str, viewing: int, device: int) -> tuple[int, str] | None:
    """(person, storage name) of a camera the full view found streamable within AUTHORIZED_SECONDS."""
    known = _AUTHORIZED.get((session_key, viewing, device)) if session_key else None
    if known is None or known[0] <= time.time():
        return None
    return known[1], known[2]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def playlist_response(
    request: HttpRequest, user: int, session_key: str, viewing: int, device: int, storage_name: str
) -> HttpResponse:
    """The camera's LL-HLS playlist (blocking reload), its parts and segments on a fresh token."""
    try:
        window = live_stream.wait_for(
            storage_name, _int(request.GET.get("_HLS_msn")), _int(request.GET.get("_HLS_part"))
        )
    except live_stream.LiveUnavailable:
        return _refused(404, "이 기기의 실시간 영상이 없습니다 (녹화기 중지 또는 연결 끊김)")
    # One reverse() and string formatting for the window's hundreds of URLs: a reverse() each made a
    # 3-minute playlist cost ~29 ms, at two reloads a second per tile (bench/live_wall).
    base = reverse("control:live_playlist", args=[viewing, device]).removesuffix("index.m3u8")
    # The init segment, fetched once per tile, stays a full view.
    query = "?t=" + mint(user, viewing, device, session_key)
    text = live_stream.playlist(
        window,
        init_url=lambda init: f"{base}init/{init}",
        part_url=lambda msn, part: f"{base}part/{msn}.{part}.m4s{query}",
        segment_url=lambda msn: f"{base}segment/{msn}.m4s{query}",
    )
    response = HttpResponse(text, content_type="application/vnd.apple.mpegurl")
    response["Cache-Control"] = "no-store"  # live personal video lingers in no cache (R41)
    return response


def _refused(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def serve(request: HttpRequest) -> HttpResponse | None:
    """A playlist reload the full view authorized within AUTHORIZED_SECONDS, or a token-bearing part or
    segment, served from the live directory; None for any other request (the full stack answers it)."""
    if "/live/" not in request.path_info or request.method not in ("GET", "HEAD"):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    token = request.GET.get("t")
    if not (match.view_name in _STREAM_VIEWS and token) and match.view_name != "control:live_playlist":
        return None
    # R38: outside the institution's networks nothing but public pages answers, token or not.
    if not (access.is_internal(request) or settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS):
        return _refused(403, "기관 내부망 밖에서는 실시간 영상을 볼 수 없습니다.")
    viewing, device = int(match.kwargs["pk"]), int(match.kwargs["device"])
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if match.view_name == "control:live_playlist":
        known = recall(session_key, viewing, device)
        if known is None:
            return None  # the full view checks the viewing, grant and session again
        return playlist_response(request, known[0], session_key, viewing, device, known[1])
    if not token or not verify(token, viewing, device, session_key):
        return _refused(
            403, "실시간 영상 주소의 유효 시간이 지났거나 잘못되었습니다. 관제 화면을 다시 여세요."
        )
    # The file name comes from the URL's bounded integers only (the `<id:…>` converter), never from
    # the client's text: no path can leave the camera's directory.
    camera = Device(pk=device).storage_name  # no query: the name is the primary key's
    try:
        if match.url_name == "live_part":
            data = live_stream.read_file(camera, f"{match.kwargs['msn']}.{match.kwargs['part']}.m4s")
        else:
            data = live_stream.read_segment(camera, int(match.kwargs["msn"]))
    except live_stream.LiveUnavailable:
        return _refused(404, "이 기기의 실시간 영상이 없습니다 (녹화기 중지 또는 연결 끊김)")
    response = HttpResponse(data, content_type="video/iso.segment")
    response["Cache-Control"] = "no-store"  # live personal video lingers in no cache (R41)
    return response


class StreamTokenMiddleware:
    """Serves token-bearing live parts and segments before the session, auth and second-factor
    middleware (see the module's docstring); every other request passes through untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        answer = serve(request)
        if answer is not None:
            return answer
        return self.get_response(request)
