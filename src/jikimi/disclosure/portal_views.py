"""The requesting bodies' portal (/portal/): an investigating body's officer logs in, applies online
for footage with the official letter, and follows his own body's cases (성동구·남해군 style).

Each view parses, authorizes (jikimi.disclosure.provision_scope: his own body's cases only), calls one
action, renders. The pages answer from outside the institution's networks (jikimi.accounts.access) —
always behind the second factor there (R38) — and only to an account holding Role.REQUESTING_OFFICER:
a staff account is refused, as an officer's account is refused by every staff page (it holds no staff
permission).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jikimi.accounts import access
from jikimi.accounts import actions as account_actions
from jikimi.accounts.forms import LoginForm
from jikimi.audit.context import Actor
from jikimi.disclosure.actions.provision_delivery import (
    HandoverRefused,
    download_package,
    handed_over,
    open_packages,
)
from jikimi.disclosure.actions.provision_intake import ProvisionError, file_provision
from jikimi.disclosure.models import ExternalRequester, ProvisionCase, ProvisionDelivery
from jikimi.disclosure.portal_forms import ApplicationForm, field_message
from jikimi.disclosure.provision_scope import external_requester, requester_case, requester_cases
from jikimi.disclosure.served_video import sealed_response
from jikimi.vault.keyring import FootageRefused

PortalView = Callable[..., HttpResponse]


def _portal_next(request: HttpRequest) -> str:
    """Where to go after logging in: a portal page only."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    portal = reverse("portal:index")
    if (
        wanted.startswith(portal)
        and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
        and not wanted.startswith(reverse("portal:login"))
    ):
        return wanted
    return portal


def portal_page(view: PortalView) -> PortalView:
    """Log in at the portal first; then only an investigating body's officer, with his link to it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?{urlencode({'next': request.get_full_path()})}")
        if user.must_change_password:
            return redirect("accounts:password_change")
        requester = external_requester(user)
        if requester is None:
            raise PermissionDenied(
                "제공 요청 포털은 수사기관 등 요청 기관 담당자의 계정만 쓸 수 있습니다. "
                "직원은 기관 내부의 제3자 제공 화면을 쓰십시오."
            )
        return view(request, requester, *args, **kwargs)

    return wrapper


# ---- logging in -----------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """The officer's password; then the second factor of jikimi.accounts, as for staff (R38)."""
    next_url = _portal_next(request)
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = account_actions.attempt_login(
            Actor.from_request(request),
            form.cleaned_data["username"],
            form.cleaned_data["password"],
            external_only=True,
        )
        if outcome.user is not None:
            auth_login(request, outcome.user, backend="django.contrib.auth.backends.ModelBackend")
            if access.second_factor_required(request):
                return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': next_url})}")
            return redirect(next_url)
        form.add_error(None, outcome.error)
    return render(request, "disclosure/portal/login.html", {"form": form, "next": next_url})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        account_actions.record_logout(Actor.from_request(request))
    auth_logout(request)
    messages.success(request, "로그아웃했습니다.")
    return redirect("portal:login")


# ---- his body's cases -------------------------------------------------------------------------


@portal_page
@require_GET
def index(request: HttpRequest, requester: ExternalRequester) -> HttpResponse:
    cases = requester_cases(request.user).select_related("applicant__user")
    return render(request, "disclosure/portal/index.html", {"requester": requester, "cases": cases})


@dataclass(frozen=True)
class Step:
    """One step of the case as the requesting body may read it (no staff-only notes)."""

    label: str
    at: datetime | None
    text: str = ""
    done: bool = True


def case_steps(case: ProvisionCase) -> list[Step]:
    """요청 → 검토 → 승인·거부 → 제공 → 인수 → 파기 통보 → 종결 (군산시 제4조 요청 및 제공절차; R49)."""
    states = ProvisionCase.State
    steps = [Step("요청 접수", case.received_at, case.get_channel_display())]
    steps.append(
        Step(
            "검토",
            case.prepared_at,
            "담당자가 요청 내용을 검토했습니다" if case.prepared_at else "",
            case.prepared_at is not None,
        )
    )
    if case.state == states.REFUSED:
        # 거부 사유는 요청 기관에 알린다 (결정 사유).
        steps.append(Step("거부", case.decided_at, case.decision_reason))
    else:
        decided = case.decided_at is not None and case.state != states.WITHDRAWN
        text = case.get_approval_kind_display() if decided else ""
        if decided and case.original_requested:
            text += " · 원본 제공 " + ("승인" if case.original_approved else "불승인 (마스킹 사본 제공)")
        steps.append(Step("승인", case.decided_at, text, decided))
        delivery = case.get_delivery_display() if case.provided_at else ""
        limits = [v for v in (case.use_period, case.use_method, case.safety_measures) if v]
        if limits:
            delivery += " · 이용 조건: " + " / ".join(limits)
        steps.append(Step("제공", case.provided_at, delivery, case.provided_at is not None))
        steps.append(
            Step(
                "인수증 서명", case.receipt_signed_at, case.receiver_name, case.receipt_signed_at is not None
            )
        )
        due = f"파기 기한 {case.destroy_by:%Y-%m-%d}" if case.destroy_by else ""
        steps.append(
            Step("파기 통보", case.destruction_reported_at, due, case.destruction_reported_at is not None)
        )
    if case.state == states.WITHDRAWN:
        steps.append(Step("취하", case.closed_at))
    else:
        steps.append(Step("종결", case.closed_at, "", case.closed_at is not None))
    return steps


def package_url(case: ProvisionCase) -> str | None:
    """Where the delivered package is downloaded: a package handed over and still open."""
    if case.delivery != ProvisionCase.Delivery.PACKAGE or case.provided_at is None or not open_packages(case):
        return None
    return reverse("portal:package", args=[case.pk])


@portal_page
@require_GET
def package(request: HttpRequest, requester: ExternalRequester, pk: int) -> HttpResponse:
    """The encrypted package of the body's own case (R42): each download audited; its password was
    given by another channel than this page."""
    found = requester_case(request.user, pk)
    if found is None:
        raise Http404("요청을 찾을 수 없습니다")
    delivered = handed_over(found)
    if delivered is None or delivered.kind != ProvisionDelivery.Kind.PACKAGE:
        raise Http404("내려받을 제공 파일이 없습니다")
    try:
        opened = download_package(Actor.from_request(request), delivered)
    except (HandoverRefused, FootageRefused) as error:
        messages.error(request, str(error))
        return redirect("portal:case", pk=found.pk)
    return cast(
        HttpResponse, sealed_response(request, opened, "application/zip", download_name=delivered.file_name)
    )


@portal_page
@require_GET
def case(request: HttpRequest, requester: ExternalRequester, pk: int) -> HttpResponse:
    # Another body's case, or another institution's, is not found: the portal does not tell which
    # case numbers exist (jikimi.disclosure.provision_scope.requester_cases).
    found = requester_case(request.user, pk)
    if found is None:
        raise Http404("요청을 찾을 수 없습니다")
    context = {
        "requester": requester,
        "case": found,
        "steps": case_steps(found),
        "footage": found.footage.select_related("device__location").order_by("start", "pk"),
        "package_url": package_url(found),
    }
    return render(request, "disclosure/portal/case.html", context)


@portal_page
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, requester: ExternalRequester) -> HttpResponse:
    """영상정보 제공 요청 (online): the action checks everything and files it whole, or nothing."""
    institution = requester.body.institution
    form = ApplicationForm(institution, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user: Any = request.user
        try:
            filed = file_provision(
                Actor.from_request(request),
                institution,
                requester.body,
                channel=ProvisionCase.Channel.ONLINE,
                applicant=requester,
                requester_name=user.name,
                requester_department=requester.department,
                requester_position=requester.position,
                requester_phone=requester.phone,
                letter_number=data["letter_number"],
                letter_date=data["letter_date"],
                letter=data["letter"],
                legal_ground=data["legal_ground"],
                ground_detail=data["ground_detail"],
                purpose=data["purpose"],
                footage=form.footage,
                urgent=data["urgent"],
                mask_third_parties=not form.original_requested,
                original_requested=form.original_requested,
                original_reason=data["original_reason"],
            )
        except ProvisionError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, field_message(str(error), field))
        else:
            messages.success(
                request,
                f"요청을 접수했습니다. 사건번호는 {filed.case_number}입니다. 진행 상황은 이 화면에서 볼 수 있습니다.",
            )
            return redirect("portal:case", pk=filed.pk)
    return render(
        request,
        "disclosure/portal/apply.html",
        {"requester": requester, "form": form},
        status=400 if form.errors else 200,
    )
