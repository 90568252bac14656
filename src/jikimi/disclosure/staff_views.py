"""The officers' pages of requests (HANDLE_REQUESTS): the list with its clock, a request's page, and
the steps taken on it. Each view parses, authorizes, calls one action (or query), renders.

A request outside the officer's scope answers 404, as one that does not exist: its receipt number
and requester are nobody else's business (R36).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure import queries, scope
from jikimi.disclosure.actions.closing import Ending, close_request, withdraw_request
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.identity import verify_identity
from jikimi.disclosure.actions.places import resolve_place
from jikimi.disclosure.actions.postponement import postpone
from jikimi.disclosure.actions.review import open_request
from jikimi.disclosure.models import IdentityCheck, SubjectRequest
from jikimi.disclosure.staff_forms import (
    IdentityForm,
    PlaceForm,
    PostponeForm,
    ReasonForm,
    RequestFilterForm,
)
from jikimi.engine.footage import FootageError
from jikimi.lib.clock import today
from jikimi.rules.coverage import COVERAGE_LABELS
from jikimi.rules.request_deadlines import days_left
from jikimi.vault.actions.holds import HoldError
from jikimi.vault.playback import timeline

log = logging.getLogger(__name__)

HANDLE = Permission.HANDLE_REQUESTS


def _request_or_404(request: HttpRequest, pk: int) -> SubjectRequest:
    found = scope.request_for(request.user, pk)
    if found is None:
        raise Http404("청구가 없거나 처리 권한이 없습니다")
    return found


@require_GET
@permission_required(HANDLE)
def index(request: HttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    state, overdue = form.chosen()
    now = today()
    rows = queries.filtered(scope.requests_for(request.user), state, overdue, now)
    return render(
        request,
        "disclosure/index.html",
        {"form": form, "rows": queries.listed(rows[:500], now), "today": now},
    )


@require_GET
@permission_required(HANDLE)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return request_page(request, _request_or_404(request, pk))


def request_page(
    request: HttpRequest, subject_request: SubjectRequest, *, status: int = 200, **bound: Form
) -> HttpResponse:
    """The request's page. A step refused is shown here again (status 400) with the form as it was
    typed and its errors at the fields (`bound`: identity_form, postpone_form, withdraw_form, close_form,
    place_form, or the decision panel's decision_form / fee_form), as the public 청구서 is: nothing is
    retyped."""
    devices, elsewhere = queries.devices_to_check(request.user, subject_request)
    opened = open_request(Actor.from_request(request), subject_request, devices)
    start, end = subject_request.period_start, subject_request.period_end
    now = today()
    check = IdentityCheck.objects.filter(request=subject_request).select_related("checked_by").first()
    waiting = subject_request.state in queries.WAITING
    sites = scope.sites_to_give(request.user, subject_request)
    unbound: dict[str, Form | None] = {
        "identity_form": IdentityForm() if subject_request.state == SubjectRequest.State.RECEIVED else None,
        "postpone_form": PostponeForm() if waiting else None,
        "withdraw_form": ReasonForm() if waiting else None,
        "close_form": ReasonForm() if subject_request.state == SubjectRequest.State.DECIDED else None,
        "place_form": PlaceForm(choices=sites)
        if subject_request.place_text and subject_request.is_open and sites.exists()
        else None,
    }
    locations = list(subject_request.locations.select_related("device_group").order_by("name"))
    return render(
        request,
        "disclosure/request.html",
        {
            "subject_request": subject_request,
            "locations": locations,
            "days_left": days_left(subject_request.due_on, now) if waiting else None,
            "overdue": queries.is_overdue(subject_request, now),
            "identity_check": check,
            **unbound,
            **bound,
            "problems": [problem for form in bound.values() for problem in _form_errors(form)],
            "place_resolutions": queries.place_resolutions(subject_request),
            "place_unresolved": bool(subject_request.place_text) and not locations,
            "coverage": [(c, timeline(c.intervals, start, end)) for c in opened.coverage],
            "coverage_problem": opened.problem,
            "devices_elsewhere": elsewhere,
            "labels": COVERAGE_LABELS,
            "history": queries.history(subject_request),
            "can_decide": scope.may_answer_for(request.user, Permission.DECIDE_REQUESTS, subject_request),
        },
        status=status,
    )


def _form_errors(form: Form) -> list[str]:
    """The summary above the page: "저장하지 않았습니다 — <label>: <error>" for each error."""
    return [
        "저장하지 않았습니다 — "
        + f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
        for name, errors in form.errors.items()
        for error in errors
    ]


def _step(
    request: HttpRequest,
    pk: int,
    form_name: str,
    form: Callable[[SubjectRequest], Form],
    act: Callable[[Actor, SubjectRequest, dict[str, Any]], str],
) -> HttpResponse:
    """Parse the posted form, act, and go back to the page; refused, show the page again as typed."""
    subject_request = _request_or_404(request, pk)
    bound = form(subject_request)
    if bound.is_valid():
        try:
            done = act(Actor.from_request(request), subject_request, bound.cleaned_data)
        except RequestError as error:
            field = error.field if error.field in bound.fields else None
            bound.add_error(field, str(error))
        else:
            messages.success(request, done)
            return redirect("disclosure:request", pk=subject_request.pk)
    subject_request.refresh_from_db()
    return request_page(request, subject_request, status=400, **{form_name: bound})


@require_POST
@permission_required(HANDLE)
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, subject: SubjectRequest, data: dict[str, Any]) -> str:
        check = verify_identity(actor, subject, data["method"], data["document"], data["notes"])
        return f"본인 확인을 기록했습니다 ({check.get_method_display()}: {check.document})"

    return _step(request, pk, "identity_form", lambda _: IdentityForm(request.POST), act)


@require_POST
@permission_required(HANDLE)
def postpone_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, subject: SubjectRequest, data: dict[str, Any]) -> str:
        done = postpone(actor, subject, data["new_due_on"], data["reason"])
        told = (
            " 청구인에게 전자우편으로 알렸습니다."
            if done.requester_email
            else " 청구인에게 연장 통지를 보내세요."
        )
        return f"처리 기한을 {done.due_on:%Y-%m-%d}로 연장했습니다.{told}"

    return _step(request, pk, "postpone_form", lambda _: PostponeForm(request.POST), act)


def _ended(ending: Ending, verb: str) -> str:
    held = f" 분리 보관 {len(ending.holds_ended)}건을 해제했습니다." if ending.holds_ended else ""
    return f"청구를 {verb}했습니다.{held} {ending.hold_problem}".strip()


@require_POST
@permission_required(HANDLE)
def close(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, subject: SubjectRequest, data: dict[str, Any]) -> str:
        return _ended(close_request(actor, subject, data["reason"]), "종결")

    return _step(request, pk, "close_form", lambda _: ReasonForm(request.POST), act)


@require_POST
@permission_required(HANDLE)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def act(actor: Actor, subject: SubjectRequest, data: dict[str, Any]) -> str:
        return _ended(withdraw_request(actor, subject, data["reason"]), "취하 처리")

    return _step(request, pk, "withdraw_form", lambda _: ReasonForm(request.POST), act)


@require_POST
@permission_required(HANDLE)
def resolve_place_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The sites of the request's typed place (actions.places): the legal hold is placed with them."""

    def form(subject: SubjectRequest) -> Form:
        return PlaceForm(request.POST, choices=scope.sites_to_give(request.user, subject))

    def act(actor: Actor, subject: SubjectRequest, data: dict[str, Any]) -> str:
        try:
            done = resolve_place(actor, subject, list(data["locations"]), data["note"])
        except (FootageError, HoldError) as error:
            log.warning("the place of request %s was not resolved: %s", subject.pk, error)
            raise RequestError(
                "설치장소를 지정하지 못했습니다 (영상 분리 보관 실패, 저장된 것 없음). 잠시 후 다시 시도하세요"
            ) from error
        names = ", ".join(location.name for location in done.locations.all())
        return f"직접 입력한 장소를 {names}(으)로 지정하고 그 영상 {done.holds}건을 분리 보관했습니다."

    return _step(request, pk, "place_form", form, act)
