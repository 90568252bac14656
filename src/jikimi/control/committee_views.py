"""The operating committee's page (오산시 지침 제24조): members and terms, meetings, agenda, decisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.audit.context import Actor
from jikimi.control.actions.committee import (
    add_agenda_item,
    add_term,
    appoint_member,
    record_decision,
    record_meeting,
)
from jikimi.control.actions.room import RoomError
from jikimi.control.committee_forms import AgendaForm, DecisionForm, MeetingForm, MemberForm, TermForm
from jikimi.control.models import AgendaItem, CommitteeMember, Meeting
from jikimi.control.room_views import _add_error, _institution, nav
from jikimi.disclosure.models import ProvisionCase
from jikimi.inventory.models import Institution
from jikimi.lib.clock import today
from jikimi.rules.control_room import Term, serving_on

TERM_ENDING_SOON = timedelta(days=60)  # time enough to ask the bodies of 제24조⑤ for a new name


def _members(institution: Institution) -> Any:
    return CommitteeMember.objects.filter(institution=institution).prefetch_related("terms")


def _forms(institution: Institution, data: Any = None) -> dict[str, Form]:
    members = _members(institution)
    meetings = Meeting.objects.filter(institution=institution)
    items = AgendaItem.objects.filter(meeting__institution=institution, decision__isnull=True).select_related(
        "meeting"
    )
    provisions = ProvisionCase.objects.filter(institution=institution).order_by("-pk")
    return {
        "member_form": MemberForm(data),
        "term_form": TermForm(data, members=members.filter(kind=CommitteeMember.Kind.APPOINTED)),
        "meeting_form": MeetingForm(data, members=members),
        "agenda_form": AgendaForm(data, meetings=meetings),
        "decision_form": DecisionForm(data, items=items, provisions=provisions),
    }


def _page(request: HttpRequest, institution: Institution, status: int = 200, **bound: Form) -> HttpResponse:
    day = today()
    rows = []
    for member in _members(institution):
        terms = [Term(t.starts_on, t.ends_on) for t in member.terms.all()]
        current = next((t for t in member.terms.all() if t.starts_on <= day <= t.ends_on), None)
        warning = ""
        if member.kind == CommitteeMember.Kind.APPOINTED:
            if not serving_on(terms, day):
                warning = "임기 중이 아닙니다"
            elif current is not None and current.ends_on - day <= TERM_ENDING_SOON:
                warning = f"임기가 {current.ends_on:%Y-%m-%d}에 끝납니다"
        rows.append(
            {"member": member, "terms": list(member.terms.all()), "current": current, "warning": warning}
        )
    forms = {**_forms(institution), **bound}
    meetings = (
        Meeting.objects.filter(institution=institution)
        .prefetch_related("attendees", "agenda__decision__provisions")
        .order_by("-held_on", "-pk")
    )
    context = {
        "institution": institution,
        "members": rows,
        "meetings": meetings,
        **nav(request.user, institution),
        **forms,
    }
    return render(request, "control/committee.html", context, status=status)


@never_cache
@permission_required(Permission.MANAGE_COMMITTEE)
def committee(request: HttpRequest, slug: str) -> HttpResponse:
    return _page(request, _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True))


def _done(request: HttpRequest, institution: Institution, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("control:committee", slug=institution.slug)


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    form = _forms(institution, request.POST)["member_form"]
    if form.is_valid():
        try:
            member = appoint_member(Actor.from_request(request), institution, **form.cleaned_data)
        except RoomError as error:
            _add_error(form, error)
        else:
            return _done(request, institution, f"위원 {member.name}을(를) 기록했습니다")
    return _page(request, institution, 400, member_form=form)


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def term_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    form = _forms(institution, request.POST)["term_form"]
    if form.is_valid():
        data = form.cleaned_data
        try:
            term = add_term(
                Actor.from_request(request),
                data["member"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except RoomError as error:
            _add_error(form, error)
        else:
            kind = "연임" if term.renewal else "재위촉"
            return _done(request, institution, f"위원 {data['member'].name}의 임기({kind})를 기록했습니다")
    return _page(request, institution, 400, term_form=form)


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    form = _forms(institution, request.POST)["meeting_form"]
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = record_meeting(
                Actor.from_request(request),
                institution,
                held_on=data["held_on"],
                title=data["title"],
                place=data["place"],
                attendees=list(data["attendees"]),
            )
        except RoomError as error:
            _add_error(form, error)
        else:
            return _done(request, institution, f"회의 '{meeting.title}'을(를) 기록했습니다")
    return _page(request, institution, 400, meeting_form=form)


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def agenda_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    form = _forms(institution, request.POST)["agenda_form"]
    if form.is_valid():
        data = form.cleaned_data
        try:
            add_agenda_item(
                Actor.from_request(request), data["meeting"], topic=data["topic"], title=data["title"]
            )
        except RoomError as error:
            _add_error(form, error)
        else:
            return _done(request, institution, "안건을 등록했습니다")
    return _page(request, institution, 400, agenda_form=form)


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def decision_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    form = _forms(institution, request.POST)["decision_form"]
    if form.is_valid():
        data = form.cleaned_data
        try:
            record_decision(
                Actor.from_request(request),
                data["item"],
                resolution=data["resolution"],
                text_=data["text"],
                provisions=list(data["provisions"]),
            )
        except RoomError as error:
            _add_error(form, error)
        else:
            return _done(request, institution, "의결을 기록했습니다")
    return _page(request, institution, 400, decision_form=form)
