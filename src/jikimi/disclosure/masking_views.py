"""The officer's pages of a request's masked copy (R25): the masking panel of the request page (HTMX,
polling while a job runs), the review page with its player and tracks, the corrections, the
re-render and the approval. Each view parses, authorizes, calls one action, renders.

A provision's jobs (제3자 제공, R49) use the same review pages: they are reached with HANDLE_PROVISIONS
over the camera's group (which also approves their masks: the case itself was approved by the
총괄책임관), and have no data subject to leave unmasked; the provision's handover page starts them.

Scope (disclosure.scope): the panel opens to whoever may handle the request (one of its sites) and
lists the cameras of their own groups; a job concerns one camera and is reached through that camera's
group (HANDLE_REQUESTS there, DECIDE_REQUESTS to approve); a job or request outside the user's scope
answers 404, as one that does not exist.
Watching the masked preview is a viewing of personal video: opening the review page records it
(view_preview) and lets this session fetch the video for PREVIEW_LIFETIME.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, ensure_permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure.actions import masking as actions
from jikimi.disclosure.masked_files import reader
from jikimi.disclosure.models import MaskingJob, SubjectRequest
from jikimi.disclosure.scope import may_work_on_device, request_for
from jikimi.disclosure.served_video import sealed_response
from jikimi.inventory.models import Device
from jikimi.vault.keyring import FootageRefused

HANDLE = Permission.HANDLE_REQUESTS
DECIDE = Permission.DECIDE_REQUESTS
PREVIEW_LIFETIME = timedelta(hours=2)
_GRANTS = "disclosure_masking_previews"


def _request_or_404(request: HttpRequest, pk: int) -> tuple[SubjectRequest, list[Device]]:
    """The request and the devices at its sites the user may handle; 404 if there are none."""
    found = request_for(request.user, pk)  # scope question 1: one of its sites
    if found is None:
        raise Http404("청구가 없거나 처리 권한이 없습니다")
    devices = [d for d in actions.request_devices(found) if may_work_on_device(request.user, HANDLE, d)]
    if not devices:
        raise Http404("청구가 없거나 처리 권한이 없습니다")
    return found, devices


def job_permissions(job: MaskingJob) -> tuple[Permission, Permission]:
    """(to handle, to approve) the job: a request's, or a provision's (HANDLE_PROVISIONS for both)."""
    if job.provision_id is not None:
        return Permission.HANDLE_PROVISIONS, Permission.HANDLE_PROVISIONS
    return HANDLE, DECIDE


def job_or_404(request: HttpRequest, pk: int, permission: Permission = HANDLE) -> MaskingJob:
    """The job if the user may handle it (`permission`: HANDLE to work on it, DECIDE to approve it; for a
    provision's job both read HANDLE_PROVISIONS)."""
    job = (
        MaskingJob.objects.select_related(
            "request__institution", "provision__institution", "device__device_group"
        )
        .filter(pk=pk)
        .first()
    )
    handle, approve = job_permissions(job) if job is not None else (HANDLE, DECIDE)
    ensure_permission(request.user, handle)  # 403 to whoever holds it nowhere, as the decorator did
    if job is None or not may_work_on_device(request.user, handle, job.device):
        raise Http404("마스킹 작업이 없거나 처리 권한이 없습니다")
    if permission == DECIDE and not may_work_on_device(request.user, approve, job.device):
        raise PermissionDenied("열람 등 청구 결정·공개 승인 권한이 없습니다")
    return job


class StartForm(forms.Form):
    device = forms.TypedChoiceField(label="기기", coerce=int)

    def __init__(self, *args: Any, devices: list[Device], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.devices = {d.pk: d for d in devices}
        field = self.fields["device"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(d.pk, f"{d.location.name if d.location else ''} · {d.name}") for d in devices]


def _panel(
    request: HttpRequest,
    subject_request: SubjectRequest,
    devices: list[Device],
    form: StartForm | None = None,
) -> HttpResponse:
    jobs = [
        job
        for job in MaskingJob.objects.filter(request=subject_request).select_related(
            "device__location", "device__device_group"
        )
        if may_work_on_device(request.user, HANDLE, job.device)
    ]
    try:
        actions.check_request_may_be_masked(subject_request)
        refused = ""
    except actions.MaskingRefused as error:
        refused = str(error)
    context = {
        "subject_request": subject_request,
        "jobs": jobs,
        "working": any(job.is_working for job in jobs),
        "form": form or StartForm(devices=devices),
        "refused": refused,
    }
    template = (
        "disclosure/_masking_panel.html"
        if request.headers.get("HX-Request")
        else "disclosure/masking_panel.html"
    )
    return render(request, template, context)


@require_GET
@permission_required(HANDLE)
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request, devices = _request_or_404(request, pk)
    return _panel(request, subject_request, devices)


@require_POST
@permission_required(HANDLE)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request, devices = _request_or_404(request, pk)
    form: StartForm | None = StartForm(request.POST, devices=devices)
    if form is not None and form.is_valid():
        try:
            actions.start_masking(
                Actor.from_request(request), subject_request, form.devices[form.cleaned_data["device"]]
            )
        except actions.MaskingRefused as error:
            form.add_error("device" if str(error).startswith("기기") else None, str(error))
        else:
            if not request.headers.get("HX-Request"):
                messages.success(request, "마스킹 작업을 시작했습니다. 끝나면 검토할 수 있습니다")
                return redirect("disclosure:masking", pk=subject_request.pk)
            form = None
    return _panel(request, subject_request, devices, form)


# -- review ---------------------------------------------------------------------------------------------


def _grant(request: HttpRequest, job: MaskingJob) -> None:
    grants = request.session.get(_GRANTS, {})
    grants[str(job.pk)] = time.time() + PREVIEW_LIFETIME.total_seconds()
    request.session[_GRANTS] = grants


def _granted(request: HttpRequest, job: MaskingJob) -> bool:
    return float(request.session.get(_GRANTS, {}).get(str(job.pk), 0)) > time.time()


class RegionForm(forms.Form):
    start_frame = forms.IntegerField(label="시작 프레임", min_value=0)
    end_frame = forms.IntegerField(label="끝 프레임", min_value=0)
    x1 = forms.IntegerField(label="왼쪽", min_value=0)
    y1 = forms.IntegerField(label="위", min_value=0)
    x2 = forms.IntegerField(label="오른쪽", min_value=0)
    y2 = forms.IntegerField(label="아래", min_value=0)


def _review_page(
    request: HttpRequest, job: MaskingJob, region_form: RegionForm | None = None, status: int = 200
) -> HttpResponse:
    response = render(
        request,
        "disclosure/masking_review.html",
        {
            "job": job,
            "subject_request": job.request,
            "provision": job.provision,
            "tracks": job.track_list(),
            "regions": list(enumerate(job.manual_regions or [])),
            "region_form": region_form or RegionForm(),
            "may_approve": may_work_on_device(request.user, job_permissions(job)[1], job.device),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    if job.has_derivative:
        actions.view_preview(Actor.from_request(request), job)
        _grant(request, job)
    return _review_page(request, job)


@require_GET
@login_required
def preview_video(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    if not job.has_derivative:
        raise Http404("마스킹본이 없습니다")
    if not _granted(request, job):
        raise PermissionDenied("검토 화면을 다시 열어 주세요 (열람 시한이 지났습니다)")
    try:
        opened = reader(job.derivative_object, job.derivative_key_id, job.derivative_wrapped_key)
    except FootageRefused as error:
        raise Http404(str(error)) from error
    # permission_required types views as returning HttpResponse; a streamed body is as good to Django.
    return cast(HttpResponse, sealed_response(request, opened, "video/mp4"))


@require_GET
@login_required
def tracks(request: HttpRequest, pk: int) -> HttpResponse:
    """The tracks' boxes per frame, for the player's overlay (only to a session that opened the review)."""
    job = job_or_404(request, pk)
    if not _granted(request, job):
        raise PermissionDenied("검토 화면을 다시 열어 주세요")
    data = {
        "fps": job.fps,
        "frames": job.frames,
        "width": job.width,
        "height": job.height,
        "subject": job.subject_track,
        "dropped": list(job.dropped_tracks or []),
        "tracks": [
            {
                "id": t["track_id"],
                "label": t.get("label", "face"),
                "boxes": [[d["frame"], *[round(v) for v in d["box"]]] for d in t.get("detections", [])],
            }
            for t in (job.tracks or {}).get("tracks", [])
        ],
        "regions": job.manual_regions or [],
    }
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


def _track_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("track", ""))
    except ValueError:
        raise actions.MaskingRefused("추적 번호: 숫자여야 합니다") from None


@require_POST
@login_required
def change(request: HttpRequest, pk: int) -> HttpResponse:
    """One correction of the review: subject, drop/restore a track, add/remove a manual region."""
    job = job_or_404(request, pk)
    actor = Actor.from_request(request)
    what = request.POST.get("change", "")
    region_form = None
    try:
        if what == "subject":
            actions.choose_subject(actor, job, _track_id(request))
        elif what == "no_subject":
            actions.choose_subject(actor, job, None)
        elif what in ("drop", "restore"):
            actions.drop_track(actor, job, _track_id(request), dropped=what == "drop")
        elif what == "add_region":
            region_form = RegionForm(request.POST)
            if not region_form.is_valid():
                return _review_page(request, job, region_form, status=400)
            d = region_form.cleaned_data
            actions.add_region(
                actor,
                job,
                start_frame=d["start_frame"],
                end_frame=d["end_frame"],
                box=(d["x1"], d["y1"], d["x2"], d["y2"]),
            )
        elif what == "remove_region":
            actions.remove_region(actor, job, int(request.POST.get("region", "-1") or -1))
        else:
            raise actions.MaskingRefused("무엇을 고칠지 알 수 없습니다")
    except (actions.MaskingRefused, ValueError) as error:
        messages.error(request, str(error))
        if region_form is not None:
            region_form.add_error(None, str(error))
            return _review_page(request, job, region_form, status=400)
    return redirect("disclosure:masking_review", pk=job.pk)


@require_POST
@login_required
def rerender(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    try:
        actions.rerender(Actor.from_request(request), job)
    except actions.MaskingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "고친 내용으로 다시 렌더링합니다")
    return redirect("disclosure:masking_review", pk=job.pk)


@require_POST
@login_required
def restart(request: HttpRequest, pk: int) -> HttpResponse:
    """Start again a job a killed worker left queued or running (no progress for a while)."""
    job = job_or_404(request, pk)
    try:
        actions.restart_stalled(Actor.from_request(request), job)
    except actions.MaskingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "멈춘 마스킹 작업을 다시 시작했습니다")
    if job.provision_id is not None:
        return redirect("provisions:handover", pk=job.provision_id)
    return redirect("disclosure:masking", pk=job.request_id)


@require_POST
@login_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk, DECIDE)
    try:
        actions.approve_release(Actor.from_request(request), job)
    except actions.MaskingRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "마스킹본의 공개를 승인했습니다. 사본 제공 방법을 고르세요")
    return redirect("disclosure:masking_review", pk=job.pk)


@require_GET
@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's state for the review page's polling while it re-renders (HTMX)."""
    job = job_or_404(request, pk)
    return render(request, "disclosure/_masking_progress.html", {"job": job})
