"""The operating committee's page (오산시 지침 제24조): members and terms, meetings, agenda, decisions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jikimi.accounts.permissions import Permission, permission_required
from jikimi.control.actions.committee import (
    add_agenda_item,
    add_term,
    appoint_member,
    record_decision,
    record_meeting,
)
from jikimi.control.committee_forms import AgendaForm, DecisionForm, MeetingForm, MemberForm, TermForm
from jikimi.control.form_posts import post_form
from jikimi.control.models import AgendaItem, CommitteeMember, CommitteeTerm, Meeting
from jikimi.control.room_views import _institution, nav
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


def _back(institution: Institution) -> Callable[[object], HttpResponse]:
    return lambda _result: redirect("control:committee", slug=institution.slug)


def _again(request: HttpRequest, institution: Institution, name: str) -> Callable[[Form], HttpResponse]:
    return lambda form: _page(request, institution, 400, **{name: form})


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    return post_form(
        request,
        _forms(institution, request.POST)["member_form"],
        lambda actor, data: appoint_member(actor, institution, **data),
        message=lambda member: f"위원 {member.name}을(를) 기록했습니다",
        then=_back(institution),
        again=_again(request, institution, "member_form"),
    )


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def term_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)

    def added(term: CommitteeTerm) -> str:
        kind = "연임" if term.renewal else "재위촉"
        return f"위원 {term.member.name}의 임기({kind})를 기록했습니다"

    return post_form(
        request,
        _forms(institution, request.POST)["term_form"],
        lambda actor, data: add_term(
            actor, data["member"], starts_on=data["starts_on"], ends_on=data["ends_on"]
        ),
        message=added,
        then=_back(institution),
        again=_again(request, institution, "term_form"),
    )


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    return post_form(
        request,
        _forms(institution, request.POST)["meeting_form"],
        lambda actor, data: record_meeting(
            actor,
            institution,
            held_on=data["held_on"],
            title=data["title"],
            place=data["place"],
            attendees=list(data["attendees"]),
        ),
        message=lambda meeting: f"회의 '{meeting.title}'을(를) 기록했습니다",
        then=_back(institution),
        again=_again(request, institution, "meeting_form"),
    )


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def agenda_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    return post_form(
        request,
        _forms(institution, request.POST)["agenda_form"],
        lambda actor, data: add_agenda_item(actor, data["meeting"], topic=data["topic"], title=data["title"]),
        message="안건을 등록했습니다",
        then=_back(institution),
        again=_again(request, institution, "agenda_form"),
    )


@require_POST
@permission_required(Permission.MANAGE_COMMITTEE)
def decision_add(request: HttpRequest, slug: str) -> HttpResponse:
    institution = _institution(request, slug, Permission.MANAGE_COMMITTEE, whole=True)
    return post_form(
        request,
        _forms(institution, request.POST)["decision_form"],
        lambda actor, data: record_decision(
            actor,
            data["item"],
            resolution=data["resolution"],
            text_=data["text"],
            provisions=list(data["provisions"]),
        ),
        message="의결을 기록했습니다",
        then=_back(institution),
        again=_again(request, institution, "decision_form"),
    )
