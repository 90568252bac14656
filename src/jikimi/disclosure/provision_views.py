"""The staff's pages of provision requests (제3자 제공): the list, the paper intake form, a case's page,
the review, the decision, the letter, and the list of requesting bodies. Each view parses, authorizes,
calls one action (or query), renders.

A case outside the reader's scope answers 404, as one that does not exist (R36).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from jikimi.accounts.permissions import login_required
from jikimi.audit.context import Actor
from jikimi.audit.display import detail_lines
from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure import provision_scope
from jikimi.disclosure.actions.errors import RequestError
from jikimi.disclosure.actions.provision_bodies import (
    add_requesting_body,
    file_provision_from_new_body,
    handles_provisions_in,
)
from jikimi.disclosure.actions.provision_intake import file_provision
from jikimi.disclosure.actions.provision_reading import open_provision, read_provision_attachment
from jikimi.disclosure.actions.provision_review import (
    approve_provision,
    approver_for,
    ground_label,
    refuse_provision,
    review_provision,
)
from jikimi.disclosure.models import ProvisionAttachment, ProvisionCase, RequestingBody
from jikimi.disclosure.provision_forms import (
    BodyForm,
    CaseFilterForm,
    DecisionForm,
    PaperProvisionForm,
    ReviewForm,
)
from jikimi.disclosure.queries import HistoryEntry
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Institution
from jikimi.lib.clock import today
from jikimi.rules.coverage import COVERAGE_LABELS
from jikimi.vault.actions.holds import HoldError
from jikimi.vault.models import LegalHold
from jikimi.vault.playback import timeline

log = logging.getLogger(__name__)

State = ProvisionCase.State
OPEN_STATES = [s for s in State if s not in (State.REFUSED, State.CLOSED, State.WITHDRAWN)]
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
NOT_STORED = "요청을 저장하지 못했습니다 (접수된 것 없음). 잠시 후 다시 접수하십시오"

View = Callable[..., HttpResponse]


def provision_staff(view: View) -> View:
    """Any of HANDLE_PROVISIONS, APPROVE_PROVISIONS, APPROVE_URGENT_PROVISIONS, somewhere (403 else)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not provision_scope.is_staff_of_provisions(request.user):
            raise PermissionDenied("제3자 제공 요청을 처리하거나 승인할 권한이 없습니다")
        return view(request, *args, **kwargs)

    return wrapper


def _case_or_404(request: HttpRequest, pk: int) -> ProvisionCase:
    found = provision_scope.case_for(request.user, pk)
    if found is None:
        raise Http404("제공 요청이 없거나 볼 권한이 없습니다")
    return found


def _institution_handled(request: HttpRequest, slug: str) -> Institution:
    institution = get_object_or_404(Institution, slug=slug)
    if not handles_provisions_in(request.user, institution):
        raise PermissionDenied("이 기관의 제3자 제공 요청을 처리할 권한이 없습니다")
    return institution


def _add_error(form: Form, error: RequestError) -> None:
    field = error.field
    if field == "footage":
        field = "site_1"
    form.add_error(field if field in form.fields else None, str(error))


@dataclass(frozen=True)
class Listed:
    case: ProvisionCase
    next_step: str
    overdue: bool


def next_step(case: ProvisionCase, now: date) -> tuple[str, bool]:
    """What the case waits for, and whether a date has passed (destruction report, publication)."""
    if case.state == State.RECEIVED:
        return "담당자 검토", False
    if case.state == State.REVIEWED:
        return ("통합관제센터장 또는 총괄책임관 승인" if case.urgent else "총괄책임관 승인"), False
    if case.state == State.APPROVED:
        return "영상 제공(마스킹·인수증)", False
    if case.state == State.PROVIDED:
        waiting = []
        late = False
        if case.destroy_by:
            waiting.append(f"파기 통보 {case.destroy_by:%Y-%m-%d}까지")
            late = case.destroy_by < now
        if case.publish_by and not case.published_at:
            waiting.append(f"공개 {case.publish_by:%Y-%m-%d}까지")
            late = late or case.publish_by < now
        return (", ".join(waiting) or "파기 통보"), late
    return "—", False


@require_GET
@provision_staff
def index(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    state = form.chosen()
    cases = provision_scope.visible_cases(request.user)
    if state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif state != "all":
        cases = cases.filter(state=state)
    now = today()
    rows = [Listed(case, *next_step(case, now)) for case in cases[:500]]
    institutions = [i for i in Institution.objects.order_by("name") if handles_provisions_in(request.user, i)]
    return render(
        request,
        "disclosure/provisions/index.html",
        {"form": form, "rows": rows, "institutions": institutions, "today": now},
    )


# A request started from elsewhere (a control-centre incident, 오산시 지침 제21조③) arrives with its
# footage line and purpose filled in; the officer still types the letter and checks every field.
PREFILLED = ("site_1", "start_1", "end_1", "purpose")


def _prefilled(request: HttpRequest) -> dict[str, str]:
    return {key: request.GET[key][:500] for key in PREFILLED if request.GET.get(key)}


@never_cache
@require_http_methods(["GET", "POST"])
@provision_staff
def new(request: HttpRequest, slug: str) -> HttpResponse:
    """The paper letter (공문 접수), typed in by an officer."""
    institution = _institution_handled(request, slug)
    form = PaperProvisionForm(
        request.user,
        institution,
        request.POST or None,
        request.FILES or None,
        initial=_prefilled(request) if request.method == "GET" else None,
    )
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        new_body = form.cleaned_data["new_body_name"]
        actor = Actor.from_request(request)
        try:
            if body is not None and new_body:
                raise RequestError("요청 기관: 목록에서 고르거나 새 기관을 적거나, 하나만 하십시오", "body")
            if body is not None:
                case = file_provision(actor, institution, body, **form.fields_for_action())
            elif new_body:
                case = file_provision_from_new_body(
                    actor,
                    institution,
                    body_name=new_body,
                    body_kind=form.cleaned_data["new_body_kind"],
                    **form.fields_for_action(),
                )
            else:
                raise RequestError("요청 기관: 목록에서 고르거나 새 기관을 적으십시오", "body")
        except RequestError as error:
            _add_error(form, error)
        except (FootageError, HoldError) as error:
            log.warning("a provision request to %s was not filed: %s", institution.slug, error)
            form.add_error(None, NOT_STORED)
        else:
            messages.success(
                request, f"제공 요청 {case.case_number}을(를) 접수했습니다. 영상 보존 조치를 했습니다"
            )
            return redirect("provisions:case", pk=case.pk)
    return render(
        request,
        "disclosure/provisions/new.html",
        {"institution": institution, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@provision_staff
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    found = open_provision(Actor.from_request(request), case)
    return render(
        request,
        "disclosure/provisions/case.html",
        {
            "case": case,
            "ground": ground_label(case.legal_ground),
            "found": [
                (f, timeline(f.coverage.intervals, f.line.start, f.line.end) if f.coverage else None)
                for f in found
            ],
            "labels": COVERAGE_LABELS,
            "attachments": case.attachments.order_by("pk"),
            "holds": _holds(case),
            "history": _history(case),
            "may_review": provision_scope.may_handle(request.user, case)
            and case.state in (State.RECEIVED, State.REVIEWED),
            "approver": approver_for(request.user, case),
            "decidable": case.state in (State.RECEIVED, State.REVIEWED),
        },
    )


def _holds(case: ProvisionCase) -> list[LegalHold]:
    return list(
        LegalHold.objects.filter(case_reference=case.hold_reference).select_related("device").order_by("pk")
    )


def _history(case: ProvisionCase) -> list[HistoryEntry]:
    """The case's audit entries, oldest first, as Korean lines; openings of the page left out (noise)."""
    entries = (
        AuditEntry.objects.filter(target_type=ProvisionCase._meta.label, target_id=str(case.pk))
        .exclude(action=AuditEvent.DISCLOSURE_VIEW_PROVISION)
        .order_by("sequence")
    )
    return [
        HistoryEntry(e, AuditEvent(e.action).label, detail_lines(e.action, e.details, e.target_type))
        for e in entries
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@provision_staff
def review(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    if not provision_scope.may_handle(request.user, case):
        raise PermissionDenied("이 제공 요청을 검토할 권한이 없습니다")
    initial = {
        "third_parties": case.third_parties,
        "harm_assessment": case.harm_assessment,
        "mask_third_parties": case.mask_third_parties,
    }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review_provision(Actor.from_request(request), case, **form.cleaned_data)
        except RequestError as error:
            _add_error(form, error)
        else:
            messages.success(request, "검토를 기록했습니다. 승인권자의 결정을 기다립니다")
            return redirect("provisions:case", pk=case.pk)
    return render(
        request,
        "disclosure/provisions/review.html",
        {"case": case, "form": form, "ground": ground_label(case.legal_ground)},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@provision_staff
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse; the page says why when the reader may not (the preparer, the control head on
    a case that is not urgent on an urgent ground)."""
    case = _case_or_404(request, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = Actor.from_request(request)
        try:
            if data["decision"] == DecisionForm.APPROVE:
                approve_provision(
                    actor, case, reason=data["reason"], original_approved=data["original_approved"]
                )
                done = f"제공 요청 {case.case_number}을(를) 승인했습니다"
            else:
                refuse_provision(actor, case, reason=data["reason"])
                done = f"제공 요청 {case.case_number}을(를) 거부했습니다. 영상 보존 조치를 끝냈습니다"
        except RequestError as error:
            _add_error(form, error)
        else:
            messages.success(request, done)
            return redirect("provisions:case", pk=case.pk)
    return render(
        request,
        "disclosure/provisions/decide.html",
        {
            "case": case,
            "form": form,
            "ground": ground_label(case.legal_ground),
            "approver": approver_for(request.user, case),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@require_GET
@provision_staff
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A document of a case (the 공문), for those who may open the case: audited, not cached, downloaded."""
    found = ProvisionAttachment.objects.select_related("case").filter(pk=pk).first()
    if found is None or provision_scope.case_for(request.user, found.case_id) is None:
        raise Http404("첨부서류가 없습니다")
    content = read_provision_attachment(Actor.from_request(request), found)
    response = HttpResponse(content, content_type=found.content_type)
    extension = EXTENSIONS.get(found.content_type, "bin")
    name = f"{found.case.case_number}-{found.get_kind_display()}-{found.pk}.{extension}"
    response["Content-Disposition"] = (
        f'attachment; filename="{found.case.case_number}-{found.pk}.{extension}"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@provision_staff
def bodies(request: HttpRequest, slug: str) -> HttpResponse:
    """The institution's requesting bodies, and the form to add one."""
    institution = _institution_handled(request, slug)
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = add_requesting_body(Actor.from_request(request), institution, **form.cleaned_data)
        except RequestError as error:
            _add_error(form, error)
        else:
            messages.success(request, f"요청 기관 '{body.name}'을(를) 등록했습니다")
            return redirect("provisions:bodies", slug=institution.slug)
    return render(
        request,
        "disclosure/provisions/bodies.html",
        {
            "institution": institution,
            "form": form,
            "bodies": RequestingBody.objects.filter(institution=institution).order_by("name"),
        },
        status=400 if request.method == "POST" else 200,
    )
