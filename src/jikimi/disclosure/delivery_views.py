"""Delivering an approved masked copy (R25, R42).

Staff: make the encrypted archive (its password is on the answer page, once) or open the online
viewing. Citizen, through the status link only (the token is the key; a delivery of another request
is not found): download the archive, watch the online viewing. Each download and viewing is audited.
"""

from __future__ import annotations

import time
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure.actions import delivery as actions
from jikimi.disclosure.actions import package_jobs
from jikimi.disclosure.masking_views import PREVIEW_LIFETIME, job_or_404
from jikimi.disclosure.models import CopyDelivery, SubjectRequest
from jikimi.disclosure.served_video import sealed_response
from jikimi.disclosure.status_links import request_for_token
from jikimi.vault.keyring import FootageRefused

_ONLINE = "disclosure_online_viewings"


@require_POST
@permission_required(Permission.HANDLE_REQUESTS)
def prepare_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the archive (a worker builds it; issue 18); the answer shows its password once (no-store), to
    give by phone or at the counter, and the build's progress."""
    job = job_or_404(request, pk)
    try:
        order = package_jobs.order_copy(Actor.from_request(request), job)
    except actions.DeliveryRefused as error:
        messages.error(request, str(error))
        return redirect("disclosure:masking_review", pk=job.pk)
    response = render(
        request,
        "disclosure/copy_password.html",
        {
            "job": job,
            "subject_request": job.subject_request,
            "build": order.build,
            "password": order.password,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission_required(Permission.HANDLE_REQUESTS)
def copy_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The newest copy build's state, for the pages' polling while a worker builds it (HTMX)."""
    job = job_or_404(request, pk)
    return render(request, "disclosure/_package_job.html", {"build": job.package_jobs.first(), "job": job})


def withdrawal_asked(request: HttpRequest) -> tuple[int, str]:
    """The withdrawal form's build (the one the officer saw, so a stale page never withdraws a newer one)
    and reason (checked by the action: required, bounded)."""
    raw = request.POST.get("build", "")
    build_id = int(raw) if raw.isdigit() and len(raw) <= 10 else 0
    return build_id, request.POST.get("reason", "")


@require_POST
@permission_required(Permission.HANDLE_REQUESTS)
def withdraw_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """제공 파일 회수 of a request's copy: the archive destroyed, its link closed, a new one may be ordered."""
    job = job_or_404(request, pk)
    build_id, reason = withdrawal_asked(request)
    build = job.package_jobs.filter(pk=build_id).first()
    if build is None:
        messages.error(
            request, "회수할 사본 파일: 이 마스킹 작업의 사본 파일을 찾을 수 없습니다. 화면을 새로 고치세요"
        )
        return redirect("disclosure:masking_review", pk=job.pk)
    try:
        package_jobs.withdraw_package(Actor.from_request(request), build, reason)
    except package_jobs.WithdrawalRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "사본 파일을 회수했습니다: 보관한 파일을 파기하고 내려받기 링크를 닫았습니다. 사본 파일을 새로 만들 수 있습니다",
        )
    return redirect("disclosure:masking_review", pk=job.pk)


@require_POST
@permission_required(Permission.HANDLE_REQUESTS)
def open_online(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_or_404(request, pk)
    try:
        delivery = actions.open_online_viewing(Actor.from_request(request), job)
    except actions.DeliveryRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"온라인 열람을 열었습니다. {delivery.expires_at:%Y-%m-%d}까지 청구인이 상태 확인 링크에서 볼 수 있습니다",
        )
    return redirect("disclosure:masking_review", pk=job.pk)


# -- the citizen's side: through the status link ---------------------------------------------------------


def _request_for_token(token: str) -> SubjectRequest:
    found = request_for_token(token)
    if found is None:
        raise Http404
    return found


def _delivery(token: str, pk: int, kind: str) -> CopyDelivery:
    """The delivery `pk` of the token's own request; any other (another request's) is simply not found."""
    subject_request = _request_for_token(token)
    found = (
        CopyDelivery.objects.select_related("job__request__institution", "job__device")
        .filter(pk=pk, kind=kind, job__request=subject_request)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _citizen(request: HttpRequest) -> Actor:
    actor = Actor.from_request(request)
    return Actor(user=None, label="청구인(상태 확인 링크)", client_address=actor.client_address)


def _refused(request: HttpRequest, subject_request: SubjectRequest, error: Exception) -> HttpResponse:
    response = render(
        request,
        "disclosure/public/copy_refused.html",
        {"subject_request": subject_request, "message": str(error)},
        status=410,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def download_copy(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    delivery = _delivery(token, pk, CopyDelivery.Kind.ARCHIVE)
    try:
        opened = actions.download_copy(_citizen(request), delivery)
    except (actions.DeliveryRefused, FootageRefused) as error:
        return _refused(request, delivery.job.subject_request, error)
    return cast(
        HttpResponse, sealed_response(request, opened, "application/zip", download_name=delivery.file_name)
    )


@require_GET
def view_online(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    delivery = _delivery(token, pk, CopyDelivery.Kind.ONLINE)
    try:
        actions.view_online(_citizen(request), delivery)
    except actions.DeliveryRefused as error:
        return _refused(request, delivery.job.subject_request, error)
    grants = request.session.get(_ONLINE, {})
    grants[str(delivery.pk)] = min(
        time.time() + PREVIEW_LIFETIME.total_seconds(), delivery.expires_at.timestamp()
    )
    request.session[_ONLINE] = grants
    response = render(
        request,
        "disclosure/public/online_viewing.html",
        {"subject_request": delivery.job.subject_request, "delivery": delivery, "token": token},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def online_video(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    delivery = _delivery(token, pk, CopyDelivery.Kind.ONLINE)
    if float(request.session.get(_ONLINE, {}).get(str(delivery.pk), 0)) <= time.time():
        raise PermissionDenied("온라인 열람 화면을 다시 열어 주세요")
    try:
        opened = actions.online_video(delivery)
    except (actions.DeliveryRefused, FootageRefused) as error:
        return _refused(request, delivery.job.subject_request, error)
    return cast(HttpResponse, sealed_response(request, opened, "video/mp4"))
