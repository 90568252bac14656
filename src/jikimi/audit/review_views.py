"""The monthly review of the log (안전성 확보조치 기준 제8조②, R40): read a month, sign it off."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from jikimi.audit import actions
from jikimi.audit.access import auditor_required, readable_entries, readable_scope
from jikimi.audit.context import Actor
from jikimi.audit.display import detail_lines
from jikimi.audit.forms import ReviewMonthForm, SignReviewForm
from jikimi.audit.review import (
    OUTLIER_FACTOR,
    OUTLIER_RULE,
    WORKING_HOURS_RULE,
    current_month,
    month_has_ended,
    month_review,
    previous_month,
)


def _page(
    request: HttpRequest,
    month: date,
    month_form: ReviewMonthForm,
    sign_form: SignReviewForm,
    status: int = 200,
) -> HttpResponse:
    scope = readable_scope(request.user)
    review = month_review(month, readable_entries(request.user), scope.key)
    # Reading the review is reading the log (R40): kept, and hidden from the list by default.
    actions.read_log(Actor.from_request(request), details={"via": "review", "month": f"{month:%Y-%m}"})
    return render(
        request,
        "audit/review.html",
        {
            "review": review,
            "month_form": month_form,
            "sign_form": sign_form,
            "covers": scope.describe(),
            "may_sign": month_has_ended(month) and review.signed is None,
            "downloads": [(e, detail_lines(e.action, e.details, e.target_type)) for e in review.downloads],
            "working_hours_rule": WORKING_HOURS_RULE,
            "outlier_rule": OUTLIER_RULE,
            "outlier_limit": OUTLIER_FACTOR * review.median,
        },
        status=status,
    )


@auditor_required
@require_GET
def review(request: HttpRequest) -> HttpResponse:
    month_form = ReviewMonthForm(request.GET or None)
    # The month to review is, by default, the last one that ended.
    month = previous_month(current_month())
    if month_form.is_valid() and month_form.cleaned_data.get("month"):
        month = month_form.cleaned_data["month"]
    elif not month_form.is_bound:
        month_form = ReviewMonthForm(initial={"month": f"{month:%Y-%m}"})
    sign_form = SignReviewForm(initial={"month": f"{month:%Y-%m}"})
    return _page(request, month, month_form, sign_form, status=200 if not month_form.errors else 400)


@auditor_required
@require_POST
def sign(request: HttpRequest) -> HttpResponse:
    sign_form = SignReviewForm(request.POST)
    if not sign_form.is_valid():
        month = sign_form.cleaned_data.get("month") or previous_month(current_month())
        month_form = ReviewMonthForm(initial={"month": f"{month:%Y-%m}"})
        return _page(request, month, month_form, sign_form, status=400)
    month = sign_form.cleaned_data["month"]
    scope = readable_scope(request.user)
    review = month_review(month, readable_entries(request.user), scope.key)
    try:
        actions.sign_review(
            Actor.from_request(request), review, scope, comment=sign_form.cleaned_data["comment"]
        )
    except actions.ReviewRefused as refused:
        sign_form.add_error(None, str(refused))
        month_form = ReviewMonthForm(initial={"month": f"{month:%Y-%m}"})
        return _page(request, month, month_form, sign_form, status=400)
    messages.success(request, f"{month:%Y년 %m월} 접속기록 점검을 확인했습니다.")
    return redirect(f"{reverse('audit:review')}?month={month:%Y-%m}")
