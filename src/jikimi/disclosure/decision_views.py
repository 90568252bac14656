"""The decision endpoints of a request's page (R22–R24, R27): decide, record a fee, read a letter (of a
decision or of a postponement); and the requester's letters through the private status link.

Each view parses, authorizes (disclosure.scope: the panel is seen with the permission over one of
the request's sites; deciding, fees and letters speak for the whole request and need it over all of
them), calls one action and renders. The request's page itself (disclosure:request) includes `disclosure/_decision.html`;
`disclosure:decisions` shows the same panel alone. A refused decision or fee form is shown again as
typed, with its errors, on the request's page (status 400).
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.disclosure.actions.decisions import DecisionRefused, decide, read_letter
from jikimi.disclosure.actions.deletion import DeletionBlocked
from jikimi.disclosure.actions.fees import FeeError, record_fee
from jikimi.disclosure.actions.postponement import read_postponement_letter
from jikimi.disclosure.decision_forms import DecisionForm, FeeForm
from jikimi.disclosure.models import Decision, Postponement, SubjectRequest
from jikimi.disclosure.public_limits import TooManyLetterReads, check_letter_reads
from jikimi.disclosure.scope import may_answer_for, may_handle, request_for
from jikimi.disclosure.staff_views import request_page
from jikimi.disclosure.status_links import request_for_token


def _request_or_404(pk: int) -> SubjectRequest:
    found = SubjectRequest.objects.select_related("institution").filter(pk=pk).first()
    if found is None:
        raise Http404("청구가 없습니다")
    return found


def _ensure(user: object, permission: Permission, subject_request: SubjectRequest) -> None:
    """Speaks for the whole request (scope question 2): the permission over all of its sites."""
    if not may_answer_for(user, permission, subject_request):
        raise PermissionDenied("이 청구를 처리할 권한이 없습니다")


def _back(subject_request: SubjectRequest) -> HttpResponse:
    """To the request's page (the desk's), or this panel's own page where that is not installed."""
    try:
        return redirect(reverse("disclosure:request", kwargs={"pk": subject_request.pk}))
    except NoReverseMatch:
        return redirect("disclosure:decisions", pk=subject_request.pk)


def _panel(
    request: HttpRequest, subject_request: SubjectRequest, *, status: int = 200, **context: object
) -> HttpResponse:
    return render(
        request, "disclosure/decisions.html", {"subject_request": subject_request, **context}, status=status
    )


@require_GET
@permission_required(Permission.HANDLE_REQUESTS)
def decisions(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = _request_or_404(pk)
    # Seeing the decisions (scope question 1): any of its sites; the panel offers deciding only to
    # those who may answer for all of them.
    if not may_handle(request.user, subject_request):
        raise PermissionDenied("이 청구를 처리할 권한이 없습니다")
    return _panel(request, subject_request)


@require_POST
@permission_required(Permission.DECIDE_REQUESTS)
def decide_request(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = _request_or_404(pk)
    _ensure(request.user, Permission.DECIDE_REQUESTS, subject_request)
    form = DecisionForm(request.POST, subject_request=subject_request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = decide(
                Actor.from_request(request),
                subject_request,
                data["outcome"],
                grounds=data["grounds"],
                reasons=data["reasons"],
                limited=data["limited"],
                viewing_at=data["viewing_at"],
                viewing_place=data["viewing_place"],
                fee=form.fee() if form.has_fee() else None,
            )
        except (DecisionRefused, DeletionBlocked) as error:
            _add_refusal(form, str(error))
        else:
            messages.success(
                request,
                f"결정 {decision.number}({decision.get_outcome_display()})을 기록하고 통지서를 만들었습니다",
            )
            return _back(subject_request)
    return _refused(request, subject_request, decision_form=form)


def _add_refusal(form: Form, message: str) -> None:
    """The action's refusal at the field it names ("<label>: …", DecisionRefused), else above the form."""
    for name, field in form.fields.items():
        prefix = f"{field.label}: "
        if message.startswith(prefix):
            form.add_error(name, message.removeprefix(prefix))
            return
    form.add_error(None, message)


@require_POST
@permission_required(Permission.HANDLE_REQUESTS)
def decision_fee(request: HttpRequest, pk: int) -> HttpResponse:
    decision = Decision.objects.select_related("request__institution").filter(pk=pk).first()
    if decision is None:
        raise Http404("결정이 없습니다")
    _ensure(request.user, Permission.HANDLE_REQUESTS, decision.request)
    form = FeeForm(request.POST, prefix=f"fee{decision.pk}", institution=decision.request.institution)
    if form.is_valid():
        try:
            record_fee(Actor.from_request(request), decision, form.fee())
        except FeeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"결정 {decision.number}의 수수료를 기록했습니다")
            return _back(decision.request)
    return _refused(request, decision.request, fee_form=form)


def _refused(request: HttpRequest, subject_request: SubjectRequest, **bound: Form) -> HttpResponse:
    """A refused decision or fee form, shown again as typed with its errors (HTTP 400): on the request's
    page for whoever may open it (scope question 1), else on this panel's own page."""
    if request_for(request.user, subject_request.pk) is not None:
        return request_page(request, subject_request, status=400, **bound)
    return _panel(request, subject_request, status=400, **bound)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@permission_required(Permission.HANDLE_REQUESTS)
def letter(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    subject_request = _request_or_404(pk)
    _ensure(request.user, Permission.HANDLE_REQUESTS, subject_request)
    decision = subject_request.decisions.filter(number=number).first()
    if decision is None:
        raise Http404("결정이 없습니다")
    return _pdf(read_letter(Actor.from_request(request), decision, via="page"), decision.letter_name)


@require_GET
@permission_required(Permission.HANDLE_REQUESTS)
def postponement_letter(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    subject_request = _request_or_404(pk)
    _ensure(request.user, Permission.HANDLE_REQUESTS, subject_request)
    postponement = Postponement.objects.filter(request=subject_request, number=number).first()
    if postponement is None:
        raise Http404("연장 통지서가 없습니다")
    letter_pdf = read_postponement_letter(Actor.from_request(request), postponement, via="page")
    return _pdf(letter_pdf, postponement.letter_name)


def _token_request(token: str) -> SubjectRequest:
    """The request of a status link (status_links: one lookup for every page of the link)."""
    found = request_for_token(token)
    if found is None:
        raise Http404("통지서가 없습니다")
    return found


def _requester(request: HttpRequest) -> Actor:
    return Actor(
        user=None, label="청구인 (상태 확인 링크)", client_address=Actor.from_request(request).client_address
    )


def _too_many(request: HttpRequest) -> HttpResponse | None:
    """The letter-read limit of the status links (public_limits), checked before the token is looked up."""
    try:
        check_letter_reads(_requester(request).client_address)
    except TooManyLetterReads as error:
        response = render(request, "disclosure/public/too_many.html", {"message": str(error)}, status=429)
        response["Retry-After"] = "3600"
        return response
    return None


@require_GET
def public_postponement_letter(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """The requester's postponement letter through the private status link, as public_letter."""
    if limited := _too_many(request):
        return limited
    postponement = Postponement.objects.filter(request=_token_request(token), number=number).first()
    if postponement is None:
        raise Http404("통지서가 없습니다")
    letter_pdf = read_postponement_letter(_requester(request), postponement, via="status_link")
    return _pdf(letter_pdf, postponement.letter_name)


@require_GET
def public_letter(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """The requester's letter through the private status link; unknown tokens look like no letter."""
    if limited := _too_many(request):
        return limited
    decision = Decision.objects.filter(request=_token_request(token), number=number).first()
    if decision is None:
        raise Http404("통지서가 없습니다")
    return _pdf(read_letter(_requester(request), decision, via="status_link"), decision.letter_name)
