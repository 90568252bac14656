"""Drive a PTZ camera through ONVIF (the `onvif-zeep-async` library, its WSDLs shipped in the package).

One call opens a session with the camera's device service (GetServices → the media and PTZ services;
the first media profile unless the register names one), does one thing, reads the position back
(GetStatus) and closes. Nothing is fetched from the network but the camera: the WSDLs are the package's
and the WSDL cache is off. The login is the device's own, sealed with its video address (R42,
안전성 확보조치 기준 제7조): it is unsealed here, for the call, and never shown or logged.

The calls are synchronous for the views' actions (each runs its own event loop, in the request's
thread); a camera that does not answer within TIMEOUT_SECONDS, refuses the login or the command raises
PtzUnavailable with a Korean message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from jikimi.inventory.models import CREDENTIALS_PURPOSE, PtzCamera
from jikimi.lib import credentials
from jikimi.rules.ptz import Position

TIMEOUT_SECONDS = 10.0
T = TypeVar("T")


class PtzUnavailable(RuntimeError):
    """The camera cannot be driven now; the message says why (in Korean)."""


@dataclass(frozen=True)
class OnvifTarget:
    host: str
    port: int
    user: str
    password: str
    profile_token: str = ""
    scheme: str = "http"

    def __repr__(self) -> str:  # never the password
        return f"OnvifTarget({self.scheme}://{self.host}:{self.port}, profile={self.profile_token!r})"


def target_for(camera: PtzCamera) -> OnvifTarget:
    """Where and how to reach `camera`'s ONVIF services: its address and the device's sealed login."""
    parts = urlsplit(camera.onvif_address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PtzUnavailable(f"ONVIF 주소가 올바르지 않습니다: {camera.onvif_address}")
    userinfo = credentials.unseal(camera.device.source_credentials, purpose=CREDENTIALS_PURPOSE)
    user, _, password = userinfo.partition(":")
    return OnvifTarget(
        host=parts.hostname,
        port=parts.port or (443 if parts.scheme == "https" else 80),
        user=unquote(user),
        password=unquote(password),
        profile_token=camera.profile_token,
        scheme=parts.scheme,
    )


def _position(status: Any) -> Position:
    position = status.Position
    pan_tilt, zoom = position.PanTilt, position.Zoom
    return Position(
        float(pan_tilt.x) if pan_tilt is not None else 0.0,
        float(pan_tilt.y) if pan_tilt is not None else 0.0,
        float(zoom.x) if zoom is not None else 0.0,
    )


def _vector(position: Position) -> dict[str, Any]:
    return {"PanTilt": {"x": position.pan, "y": position.tilt}, "Zoom": {"x": position.zoom}}


Command = Callable[[Any, str], Awaitable[Any]]


async def _session(target: OnvifTarget, command: Command) -> Position:
    from onvif import ONVIFCamera  # the library loads its WSDL documents on import of a service
    from onvif.exceptions import ONVIFError
    from zeep.exceptions import Error as ZeepError

    host = f"{target.scheme}://{target.host}" if target.scheme == "https" else target.host
    # A camera without a login: the library always sends a WS-Security token, so an empty one (None
    # crashes it); such cameras ignore the header.
    camera = ONVIFCamera(host, target.port, target.user, target.password, no_cache=True)
    try:
        await camera.update_xaddrs()
        profile = target.profile_token
        if not profile:
            media = await camera.create_media_service()
            profiles = await media.GetProfiles()
            if not profiles:
                raise PtzUnavailable("카메라에 미디어 프로필이 없습니다")
            profile = profiles[0].token
        ptz = await camera.create_ptz_service()
        await command(ptz, profile)
        return _position(await ptz.GetStatus({"ProfileToken": profile}))
    except (ONVIFError, ZeepError, OSError, TimeoutError) as error:
        message = str(getattr(error, "message", "") or error) or type(error).__name__
        if "notauthorized" in message.replace(" ", "").lower():  # ONVIF Core: ter:NotAuthorized
            raise PtzUnavailable("카메라가 로그인을 거절했습니다 (기기의 인증정보를 확인하세요)") from error
        raise PtzUnavailable(f"카메라의 ONVIF 응답이 없거나 명령을 거절했습니다: {message[:200]}") from error
    finally:
        await camera.close()


def _run(target: OnvifTarget, command: Command) -> Position:
    async def bounded() -> Position:
        return await asyncio.wait_for(_session(target, command), TIMEOUT_SECONDS)

    try:
        return asyncio.run(bounded())
    except TimeoutError as error:
        raise PtzUnavailable(f"카메라가 {TIMEOUT_SECONDS:.0f}초 안에 응답하지 않았습니다") from error


def status(target: OnvifTarget) -> Position:
    """The camera's position now (GetStatus)."""

    async def nothing(ptz: Any, profile: str) -> None:
        return None

    return _run(target, nothing)


def goto_preset(target: OnvifTarget, token: str) -> Position:
    """Move to the camera's own preset `token` (GotoPreset); the position read after."""

    async def go(ptz: Any, profile: str) -> None:
        await ptz.GotoPreset({"ProfileToken": profile, "PresetToken": token})

    return _run(target, go)


def absolute_move(target: OnvifTarget, position: Position) -> Position:
    """Move to `position` (AbsoluteMove, generic spaces); the position read after."""

    async def move(ptz: Any, profile: str) -> None:
        await ptz.AbsoluteMove({"ProfileToken": profile, "Position": _vector(position)})

    return _run(target, move)


def continuous_move(target: OnvifTarget, velocity: Position, seconds: float) -> Position:
    """Turn at `velocity` for `seconds`, then Stop (a joystick's nudge); the position read after."""

    async def nudge(ptz: Any, profile: str) -> None:
        await ptz.ContinuousMove(
            {"ProfileToken": profile, "Velocity": _vector(velocity), "Timeout": f"PT{seconds:.3f}S"}
        )
        await asyncio.sleep(seconds)
        await ptz.Stop({"ProfileToken": profile, "PanTilt": True, "Zoom": True})

    return _run(target, nudge)


__all__ = [
    "OnvifTarget",
    "PtzUnavailable",
    "absolute_move",
    "continuous_move",
    "goto_preset",
    "status",
    "target_for",
]
