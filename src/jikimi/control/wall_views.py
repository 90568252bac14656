"""The live wall's pages (오산시 지침 제12조①, 제19조) and the live stream they play (R41).

A view parses, authorizes, calls one action, renders. The stream's views serve the recorder's live
window only within an open live viewing of the requesting person that names the camera — opening it was
the audited act; the playlist and its parts write no further entry (as vault.viewing_views). The parts
and segments the playlist lists are served by control.stream_tokens on a short-lived token it mints.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.control import live_stream, stream_tokens
from jikimi.control.actions.live import LiveRefused, open_live_viewing, save_layout, viewing_is_open
from jikimi.control.live_queries import live_state, may_watch, watchable_devices, watchable_groups
from jikimi.control.models import LiveViewing, WallLayout
from jikimi.control.models.wall import WALL_SIZES
from jikimi.control.site_map import Site, site_map
from jikimi.inventory.models import Device, Location


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _me(request: HttpRequest) -> int:
    """The logged-in person's pk (every view here requires a login)."""
    return int(request.user.pk or 0)


def _layout(request: HttpRequest) -> WallLayout:
    name = request.GET.get("layout") or "기본"
    found = WallLayout.objects.filter(user_id=_me(request), name=name).first()
    return found or WallLayout(user_id=_me(request), name=name, size=4, tiles=[])


@require_GET
@permission_required(Permission.WATCH_LIVE)
def wall(request: HttpRequest) -> HttpResponse:
    """Choose cameras by group, site and the map of sites, arrange them 1/4/9/16 up, save the layout,
    start watching. A site chosen on the map (`fill`) fills the tiles with its cameras, unsaved until
    the operator saves the layout."""
    layout = _layout(request)
    size = _int(request.GET.get("size")) or layout.size
    size = size if size in WALL_SIZES else 4
    groups = watchable_groups(request.user)
    group = _int(request.GET.get("group"))
    location = _int(request.GET.get("location"))
    choices = watchable_devices(request.user, group=group, location=location)
    saved = watchable_devices(request.user)
    by_pk = {d.pk: d for d in saved}
    tiles = [(layout.tiles[i] if i < len(layout.tiles) else None) for i in range(size)]
    # The map shows the sites of the group chosen (all the operator's otherwise), whatever site is chosen.
    sites_map = site_map(saved if group is None else [d for d in saved if d.device_group_id == group])
    filled: Site | None = None
    if location is not None and request.GET.get("fill"):
        filled = next(
            (s for s in [*sites_map.placed, *sites_map.unplaced] if s.location.pk == location), None
        )
        if filled is not None:
            picked: list[int | None] = [d.pk for d in choices[:size]]
            tiles = picked + [None] * (size - len(picked))
    # A saved camera stays offered even when the filter hides it, so that saving keeps it.
    options = {d.pk: d for d in choices}
    for pk in tiles:
        if pk in by_pk:
            options.setdefault(pk, by_pk[pk])
    sites = Location.objects.filter(device_group__in=groups, devices__in=saved).distinct().order_by("name")
    query = {"layout": layout.name, "size": size, **({"group": group} if group is not None else {})}

    def link(site: Site) -> tuple[Site, str, bool]:
        return (
            site,
            "?" + urlencode({**query, "location": site.location.pk, "fill": 1}),
            site.location.pk == location,
        )

    return render(
        request,
        "control/wall.html",
        {
            "layout": layout,
            "layouts": WallLayout.objects.filter(user_id=_me(request)),
            "size": size,
            "sizes": WALL_SIZES,
            "slots": list(enumerate(tiles)),
            "options": list(options.values()),
            "states": [live_state(d) for d in choices],
            "groups": groups,
            "sites": sites,
            "group": group,
            "location": location,
            "map": sites_map,
            "map_placed": [link(s) for s in sites_map.placed],
            "map_unplaced": [link(s) for s in sites_map.unplaced],
            "filled": filled,
            "filled_left_out": max(0, len(choices) - size) if filled else 0,
        },
    )


def _devices(request: HttpRequest, pks: list[int | None]) -> list[Device | None]:
    found = {
        d.pk: d for d in Device.objects.select_related("device_group").filter(pk__in=[p for p in pks if p])
    }
    return [found.get(pk) if pk else None for pk in pks]


@require_POST
@permission_required(Permission.WATCH_LIVE)
def wall_save(request: HttpRequest) -> HttpResponse:
    size = _int(request.POST.get("size")) or 4
    tiles = _devices(request, [_int(request.POST.get(f"tile_{i}")) for i in range(min(size, 16))])
    name = request.POST.get("name") or "기본"
    try:
        layout = save_layout(Actor.from_request(request), name, size, tiles)
    except LiveRefused as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    if request.POST.get("watch"):
        return _watch(request, [d for d in tiles if d is not None], layout.size)
    return redirect(f"{reverse('control:wall')}?layout={layout.name}")


def _watch(request: HttpRequest, devices: list[Device], size: int, replay: bool = False) -> HttpResponse:
    try:
        viewing = open_live_viewing(Actor.from_request(request), devices, size=size, replay=replay)
    except LiveRefused as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    return redirect("control:wall_live", pk=viewing.pk)


def _open_viewing_or_403(request: HttpRequest, pk: int) -> LiveViewing:
    viewing = LiveViewing.objects.filter(pk=pk).first()
    if viewing is None:
        raise Http404("실시간 관제 기록이 없습니다")
    if not viewing_is_open(viewing, request.user):
        raise PermissionDenied("관제 시한이 지났거나 다른 사람의 관제 화면입니다. 관제 화면을 다시 여세요")
    return viewing


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # live personal video lingers in no cache (R41)
    return response


@require_GET
@permission_required(Permission.WATCH_LIVE)
def wall_live(request: HttpRequest, pk: int) -> HttpResponse:
    viewing = _open_viewing_or_403(request, pk)
    devices = list(viewing.devices.select_related("device_group", "location").order_by("pk"))
    layout = WallLayout.objects.filter(user_id=_me(request)).first()
    if layout is not None and not viewing.replay:
        order = {pk: i for i, pk in enumerate(layout.tiles) if pk}
        devices.sort(key=lambda d: order.get(d.pk, 99))
    columns = {1: 1, 4: 2, 9: 3, 16: 4}[viewing.size]
    return _no_store(
        render(
            request,
            "control/wall_live.html",
            {
                "viewing": viewing,
                "tiles": [(d, d.pk in viewing.off_hours_devices) for d in devices],
                "columns": columns,
            },
        )
    )


@require_POST
@permission_required(Permission.WATCH_LIVE)
def wall_camera(request: HttpRequest, pk: int, device: int) -> HttpResponse:
    """One camera of the wall full-size with its last minutes (instant replay): a viewing of its own."""
    viewing = _open_viewing_or_403(request, pk)
    found = get_object_or_404(viewing.devices.select_related("device_group"), pk=device)
    return _watch(request, [found], 1, replay=True)


def _stream_device(request: HttpRequest, pk: int, device: int) -> str:
    """The storage name of a camera the requester may be streamed now, within his open viewing."""
    session_key = request.session.session_key or ""
    known = stream_tokens.recall(session_key, pk, device)
    if known is not None and known[0] == _me(request):
        return known[1]
    viewing = _open_viewing_or_403(request, pk)
    found = viewing.devices.select_related("device_group").filter(pk=device).first()
    if found is None:
        raise Http404("이 관제 화면에 없는 기기입니다")
    if not may_watch(request.user, found):  # a grant revoked mid-shift ends the picture (R36)
        raise PermissionDenied("실시간 관제 권한이 없는 기기입니다")
    stream_tokens.remember(session_key, pk, device, _me(request), found.storage_name, viewing.expires_at)
    return found.storage_name


def _unavailable() -> HttpResponse:
    return _no_store(
        HttpResponse("이 기기의 실시간 영상이 없습니다 (녹화기 중지 또는 연결 끊김)", status=404)
    )


@require_GET
@permission_required(Permission.WATCH_LIVE)
def live_playlist(request: HttpRequest, pk: int, device: int) -> HttpResponse:
    name = _stream_device(request, pk, device)
    return stream_tokens.playlist_response(
        request, _me(request), request.session.session_key or "", pk, device, name
    )


@require_GET
@permission_required(Permission.WATCH_LIVE)
def live_init(request: HttpRequest, pk: int, device: int, name: str) -> HttpResponse:
    camera = _stream_device(request, pk, device)
    try:
        data = live_stream.read_file(camera, name)
    except live_stream.LiveUnavailable:
        return _unavailable()
    return _no_store(HttpResponse(data, content_type="video/mp4"))


@require_GET
@permission_required(Permission.WATCH_LIVE)
def live_part(request: HttpRequest, pk: int, device: int, msn: int, part: int) -> HttpResponse:
    camera = _stream_device(request, pk, device)
    try:
        data = live_stream.read_file(camera, f"{msn}.{part}.m4s")
    except live_stream.LiveUnavailable:
        return _unavailable()
    return _no_store(HttpResponse(data, content_type="video/iso.segment"))


@require_GET
@permission_required(Permission.WATCH_LIVE)
def live_segment(request: HttpRequest, pk: int, device: int, msn: int) -> HttpResponse:
    camera = _stream_device(request, pk, device)
    try:
        data = live_stream.read_segment(camera, msn)
    except live_stream.LiveUnavailable:
        return _unavailable()
    return _no_store(HttpResponse(data, content_type="video/iso.segment"))
