"""The training page (오산시 지침 제28조, 제25조④; R48): who must be trained, who is, until when, and
whose footage access is suspended for it. Each view parses, authorizes, calls one action, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jikimi.accounts import actions, training
from jikimi.accounts.duty_forms import CompletionForm, CourseForm
from jikimi.accounts.permissions import Permission, footage_roles, institutions_for, permission_required
from jikimi.audit.context import Actor
from jikimi.lib.clock import today
from jikimi.rules.people_duties import TRAINING_WARNING_DAYS


def _institutions(request: HttpRequest) -> Any:
    return institutions_for(request.user, Permission.MANAGE_TRAINING)


def _page(
    request: HttpRequest,
    course_form: CourseForm | None = None,
    completion_form: CompletionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    institutions = _institutions(request)
    ids = list(institutions.values_list("pk", flat=True))
    courses = training.courses_of(ids)
    context = {
        "rows": training.training_table(ids, footage_roles(), today()),
        "courses": courses,
        "warning_days": TRAINING_WARNING_DAYS,
        "course_form": course_form or CourseForm(institutions=institutions),
        "completion_form": completion_form
        or CompletionForm(people=training.people_of(ids), courses=courses, initial={"completed_on": today()}),
    }
    return render(request, "accounts/training.html", context, status=status)


@permission_required(Permission.MANAGE_TRAINING)
@require_GET
def training_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


@permission_required(Permission.MANAGE_TRAINING)
@require_POST
def course_create(request: HttpRequest) -> HttpResponse:
    form = CourseForm(request.POST, institutions=_institutions(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            course = actions.add_course(
                Actor.from_request(request),
                institution=data["institution"],
                name=data["name"],
                roles=data["roles"],
                validity_months=data["validity_months"],
            )
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"교육 과정 '{course.name}'을(를) 등록했습니다.")
            return redirect("accounts:training")
    return _page(request, course_form=form, status=400)


@permission_required(Permission.MANAGE_TRAINING)
@require_POST
def training_record(request: HttpRequest) -> HttpResponse:
    ids = list(_institutions(request).values_list("pk", flat=True))
    form = CompletionForm(request.POST, people=training.people_of(ids), courses=training.courses_of(ids))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_training(
                Actor.from_request(request),
                course=data["course"],
                user=data["user"],
                completed_on=data["completed_on"],
                evidence=data["evidence"],
            )
        except actions.AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{data['user']}의 '{data['course']}' 이수를 기록했습니다.")
            return redirect("accounts:training")
    return _page(request, completion_form=form, status=400)
