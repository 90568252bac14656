"""Viewing footage (R41): a viewing opened with its stated purpose, its timeline, and the HLS parts the
player fetches. Opening the viewing is the audited act; a part found damaged is recorded as damage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.accounts.permissions import (
    Permission,
    ensure_permission,
    permission_required,
)
from jikimi.audit.context import Actor
from jikimi.vault import queries
from jikimi.vault.actions.damage import record_damage
from jikimi.vault.actions.playback import ViewingRefused, open_viewing
from jikimi.vault.forms import (
    PlaybackForm,
)
from jikimi.vault.keyring import FootageRefused
from jikimi.vault.models import HeldSegment, Segment, Viewing
from jikimi.vault.playback import (
    Footage,
    FootageDamaged,
    hls_playlist,
    playlist_parts,
    segment_init,
    segment_media,
    timeline,
    viewing_footage,
    viewing_held_copies,
    viewing_is_open,
    viewing_segments,
)
from jikimi.vault.views import device_or_404


@require_http_methods(["GET", "POST"])
@permission_required(Permission.VIEW_FOOTAGE)
def playback_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Before anything plays, the viewer states a purpose (R41)."""
    device = device_or_404(pk)
    ensure_permission(request.user, Permission.VIEW_FOOTAGE, device_group=device.device_group)
    # A range clicked on the device's timeline arrives as ?start=&end= (한국 시각) to prefill the form.
    form = PlaybackForm(request.POST or None, initial={k: request.GET.get(k) for k in ("start", "end")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            viewing = open_viewing(
                Actor.from_request(request), device, data["start"], data["end"], data["purpose"]
            )
        except ViewingRefused as error:
            form.add_error(None, str(error))
        else:
            return redirect("vault:viewing", pk=viewing.pk)
    return render(request, "vault/playback_new.html", {"device": device, "form": form})


def _open_viewing_or_403(request: HttpRequest, pk: int) -> Viewing:
    viewing = Viewing.objects.select_related("device__device_group").filter(pk=pk).first()
    if viewing is None:
        raise Http404("열람 기록이 없습니다")
    ensure_permission(request.user, Permission.VIEW_FOOTAGE, device_group=viewing.device.device_group)
    if not viewing_is_open(viewing, request.user):
        raise PermissionDenied("열람 시한이 지났거나 다른 사람의 열람입니다. 목적을 적고 다시 여세요")
    return viewing


@require_GET
@permission_required(Permission.VIEW_FOOTAGE)
def viewing(request: HttpRequest, pk: int) -> HttpResponse:
    current = _open_viewing_or_403(request, pk)
    coverage = queries.device_coverage(current.device, current.start, current.end)
    return _no_store(
        render(
            request,
            "vault/viewing.html",
            {
                "viewing": current,
                "device": current.device,
                "has_footage": bool(viewing_footage(current)),
                "timeline": timeline(coverage.intervals, current.start, current.end),
            },
        )
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    # Decrypted footage (and the list of it) must not linger in a browser or proxy cache (R41).
    response["Cache-Control"] = "no-store"
    return response


def _viewing_part(request: HttpRequest, pk: int, segment: int, held: bool) -> tuple[Viewing, Footage]:
    """The viewing (open, the requester's own) and one of its segments or held copies; 404 for any other."""
    current = _open_viewing_or_403(request, pk)
    found: Footage | None = (
        viewing_held_copies(current).select_related("hold").filter(pk=segment).first()
        if held
        else viewing_segments(current, with_damaged=True).select_related("day_key").filter(pk=segment).first()
    )
    if found is None:
        raise Http404("이 열람 구간에 없는 영상 조각입니다")
    return current, found


def _damaged(request: HttpRequest, found: Footage, error: Exception) -> HttpResponse:
    if isinstance(error, FootageDamaged) and isinstance(found, Segment):
        # R41: tampering caught here is recorded as damage, audited and alerted — not only refused.
        record_damage(Actor.from_request(request), found, str(error))
    return _no_store(HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8"))


def _already_damaged(found: Segment) -> HttpResponse:
    # Named by its time, as the first refusal was; never by its place in the store.
    text = (
        f"{timezone.localtime(found.start):%Y-%m-%d %H:%M:%S}부터의 영상 조각은 손상(변조·잘림·파일 없음)이"
        f" 확인되어 재생하지 않습니다 (확인 {timezone.localtime(found.damaged_at):%Y-%m-%d %H:%M})"
    )
    return _no_store(HttpResponse(text, status=409, content_type="text/plain; charset=utf-8"))


@require_GET
@permission_required(Permission.VIEW_FOOTAGE)
def viewing_playlist(request: HttpRequest, pk: int) -> HttpResponse:
    """The viewing's range as one HLS timeline. Opening the viewing was the audited act (R41): the
    playlist and its parts are the same viewing and write no further entry."""
    current = _open_viewing_or_403(request, pk)
    text = hls_playlist(
        playlist_parts(current),
        init_url=lambda s: _part_url("init", current, s),
        media_url=lambda s: _part_url("media", current, s),
    )
    return _no_store(HttpResponse(text, content_type="application/vnd.apple.mpegurl"))


def _part_url(part: str, viewing: Viewing, footage: Footage) -> str:
    held = "_held" if isinstance(footage, HeldSegment) else ""
    return reverse(f"vault:viewing{held}_{part}", args=[viewing.pk, footage.pk])


@require_GET
@permission_required(Permission.VIEW_FOOTAGE)
def viewing_init(request: HttpRequest, pk: int, segment: int, held: bool = False) -> HttpResponse:
    _, found = _viewing_part(request, pk, segment, held)
    if isinstance(found, Segment) and found.damaged_at is not None:
        return _already_damaged(found)
    try:
        data = segment_init(found)
    except (FootageDamaged, FootageRefused) as error:
        return _damaged(request, found, error)
    return _no_store(HttpResponse(data, content_type="video/mp4"))


@require_GET
@permission_required(Permission.VIEW_FOOTAGE)
def viewing_media(request: HttpRequest, pk: int, segment: int, held: bool = False) -> HttpResponse:
    current, found = _viewing_part(request, pk, segment, held)
    if isinstance(found, Segment) and found.damaged_at is not None:
        return _already_damaged(found)
    try:
        data = segment_media(found, current)
    except (FootageDamaged, FootageRefused) as error:
        return _damaged(request, found, error)
    return _no_store(HttpResponse(data, content_type="video/iso.segment"))
