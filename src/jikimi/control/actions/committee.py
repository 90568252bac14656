"""The operating committee (오산시 지침 제24조): members and terms, meetings, agenda items, decisions."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jikimi.accounts.models import User
from jikimi.accounts.permissions import Permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control.actions.room import RoomError, ensure, text
from jikimi.control.models import AgendaItem, CommitteeMember, CommitteeTerm, Decision, Meeting
from jikimi.disclosure.models import ProvisionCase
from jikimi.inventory.models import Institution
from jikimi.lib.input_limits import check_day
from jikimi.rules.control_room import MembershipKind, Term, TermRefused, check_term, is_renewal

TERM_DATES_AHEAD = timedelta(days=3 * 366)


def appoint_member(
    actor: Actor,
    institution: Institution,
    *,
    name: str,
    affiliation: str,
    kind: str,
    office: str,
    recommended_by: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> CommitteeMember:
    """A new member: 당연직 by office (no term), or 위촉직 with a first term (제24조④–⑥). Audited."""
    user = ensure(actor.user, Permission.MANAGE_COMMITTEE, institution, whole=True)
    name = text(name, "name", "성명", 60)
    affiliation = text(affiliation, "affiliation", "소속·직위", 100)
    recommended_by = text(recommended_by, "recommended_by", "추천 기관", 100, required=False)
    if kind not in CommitteeMember.Kind.values:
        raise RoomError("구분: 목록에서 고르세요", "kind")
    if office not in CommitteeMember.Office.values:
        raise RoomError("직책: 목록에서 고르세요", "office")
    appointed = kind == MembershipKind.APPOINTED
    if appointed and (starts_on is None or ends_on is None):
        raise RoomError("위촉직 위원은 임기(시작·끝)를 적으세요 (오산시 지침 제24조⑥)", "starts_on")
    with transaction.atomic():
        if (
            office == CommitteeMember.Office.CHAIR
            and CommitteeMember.objects.filter(institution=institution, office=office).exists()
        ):
            raise RoomError("직책: 위원장은 한 명입니다 (오산시 지침 제24조③: 시장)", "office")
        member = CommitteeMember.objects.create(
            institution=institution,
            name=name,
            affiliation=affiliation,
            kind=kind,
            office=office,
            recommended_by=recommended_by,
        )
        details: dict[str, object] = {"name": name, "membership": kind, "office": office}
        if appointed:
            assert starts_on is not None and ends_on is not None
            term = _add_term(user, member, starts_on, ends_on)
            details |= {"term_starts_on": term.starts_on, "term_ends_on": term.ends_on}
        record(actor, AuditEvent.CONTROL_APPOINT_MEMBER, member, details=details)
    return member


def add_term(actor: Actor, member: CommitteeMember, *, starts_on: date, ends_on: date) -> CommitteeTerm:
    """Another term of an appointed member: a renewal (연임) once at most (제24조⑥). Audited."""
    user = ensure(actor.user, Permission.MANAGE_COMMITTEE, member.institution, whole=True)
    with transaction.atomic():
        CommitteeMember.objects.select_for_update().get(pk=member.pk)
        term = _add_term(user, member, starts_on, ends_on)
        record(
            actor,
            AuditEvent.CONTROL_ADD_TERM,
            member,
            details={
                "name": member.name,
                "term_starts_on": term.starts_on,
                "term_ends_on": term.ends_on,
                "renewal": term.renewal,
            },
        )
    return term


def _add_term(user: User, member: CommitteeMember, starts_on: date, ends_on: date) -> CommitteeTerm:
    for value, field in ((starts_on, "starts_on"), (ends_on, "ends_on")):
        try:
            check_day(value, field, ahead=TERM_DATES_AHEAD)
        except ValueError as error:
            raise RoomError(str(error), field) from None
    previous = [Term(t.starts_on, t.ends_on) for t in member.terms.all()]
    new = Term(starts_on, ends_on)
    try:
        check_term(MembershipKind(member.kind), previous, new)
    except TermRefused as error:
        raise RoomError(str(error), "starts_on") from None
    return CommitteeTerm.objects.create(
        member=member,
        starts_on=starts_on,
        ends_on=ends_on,
        renewal=is_renewal(previous, new),
        recorded_by=user,
        recorded_at=timezone.now(),
    )


def record_meeting(
    actor: Actor,
    institution: Institution,
    *,
    held_on: date,
    title: str,
    place: str = "",
    attendees: list[CommitteeMember],
) -> Meeting:
    """A meeting of the committee with the members present. Audited."""
    user = ensure(actor.user, Permission.MANAGE_COMMITTEE, institution, whole=True)
    title = text(title, "title", "회의명", 100)
    place = text(place, "place", "장소", 100, required=False)
    try:
        check_day(held_on, "held_on")
    except ValueError as error:
        raise RoomError(str(error), "held_on") from None
    if any(member.institution_id != institution.pk for member in attendees):
        raise RoomError("참석 위원: 이 기관의 위원이 아닙니다", "attendees")
    with transaction.atomic():
        meeting = Meeting.objects.create(
            institution=institution,
            held_on=held_on,
            title=title,
            place=place,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        meeting.attendees.set(attendees)
        record(
            actor,
            AuditEvent.CONTROL_RECORD_MEETING,
            meeting,
            details={"title": title, "held_on": held_on, "attendees": [m.name for m in attendees]},
        )
    return meeting


def add_agenda_item(actor: Actor, meeting: Meeting, *, topic: str, title: str) -> AgendaItem:
    """An agenda item of a meeting, under one of the committee's tasks (제24조② 각 호). Audited."""
    ensure(actor.user, Permission.MANAGE_COMMITTEE, meeting.institution, whole=True)
    title = text(title, "title", "안건", 200)
    if topic not in AgendaItem.Topic.values:
        raise RoomError("안건 구분: 목록에서 고르세요", "topic")
    with transaction.atomic():
        item = AgendaItem.objects.create(meeting=meeting, topic=topic, title=title)
        record(
            actor,
            AuditEvent.CONTROL_ADD_AGENDA_ITEM,
            item,
            details={"meeting": str(meeting), "topic": topic, "title": title},
        )
    return item


def record_decision(
    actor: Actor,
    item: AgendaItem,
    *,
    resolution: str,
    text_: str,
    provisions: list[ProvisionCase],
) -> Decision:
    """The committee's decision on an item, with the provisions it reviewed (제24조②4호). Audited."""
    institution = item.meeting.institution
    user = ensure(actor.user, Permission.MANAGE_COMMITTEE, institution, whole=True)
    body = text(text_, "text", "의결 내용", 4000)
    if resolution not in Decision.Outcome.values:
        raise RoomError("의결 결과: 목록에서 고르세요", "resolution")
    if any(case.institution_id != institution.pk for case in provisions):
        raise RoomError("심의한 제3자 제공: 이 기관의 제공 건이 아닙니다", "provisions")
    with transaction.atomic():
        if Decision.objects.filter(item=item).exists():
            raise RoomError("이 안건은 이미 의결이 기록되어 있습니다")
        decision = Decision.objects.create(
            item=item, outcome=resolution, text=body, recorded_by=user, recorded_at=timezone.now()
        )
        decision.provisions.set(provisions)
        record(
            actor,
            AuditEvent.CONTROL_RECORD_DECISION,
            decision,
            details={
                "agenda_item": item.title,
                "resolution": resolution,
                "provisions": [case.case_number for case in provisions],
            },
        )
    return decision
