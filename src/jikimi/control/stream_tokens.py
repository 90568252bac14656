"""Short-lived tokens for the live wall's parts and segments, served without the Django stack (issue 17).

A 16-up wall asks ~4 times a second per tile; through the whole stack each part cost 24 queries and
~35 ms (session, user, second factor, the grants' scope twice, the viewing; bench/live_wall: the web
server was nearly all of the 23.5% of the node the wall cost). The playlist stays a full Django view:
it is where the open viewing (R41, audited when it opened), the grant (R36) and the session (R38) are
checked, at every reload (~twice a second). Each playlist hands the part and segment URIs it lists a
token, an HMAC (a key derived from SECRET_KEY) over the person, the viewing, the camera, the session
cookie and an expiry; StreamTokenMiddleware, near the top of the stack, serves a part or segment whose
token verifies straight from JIKIMI_LIVE_DIR, with no session, user or database work.

The bound: a person whose grant is revoked, whose viewing expires or whose session ends gets no new
playlist at once, so the wall stops with the parts already listed (~1 s); a client that kept a token and
guessed the next parts' names could fetch them for at most MAX_SECONDS after the last playlist it was
given. A token is worth nothing without its session's cookie (a logged-out browser no longer sends it),
from outside the internal networks (R38), for another camera or viewing, or after its expiry.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
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


def _refused(status: int, message: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def serve(request: HttpRequest, token: str) -> HttpResponse | None:
    """A token-bearing part or segment, served from the live directory; None for any other request."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name not in _STREAM_VIEWS or request.method not in ("GET", "HEAD"):
        return None
    # R38: outside the institution's networks nothing but public pages answers, token or not.
    if not (access.is_internal(request) or settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS):
        return _refused(403, "기관 내부망 밖에서는 실시간 영상을 볼 수 없습니다.")
    viewing, device = int(match.kwargs["pk"]), int(match.kwargs["device"])
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
    if not verify(token, viewing, device, session_key):
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
        token = request.GET.get("t")
        if token:
            answer = serve(request, token)
            if answer is not None:
                return answer
        return self.get_response(request)
