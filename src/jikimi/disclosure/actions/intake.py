"""Filing a 청구서 (시행령 제46조, 오산시 지침 별지 제4호서식, R20, R21, R28): online or at the counter.

One action, all or nothing: the request with its receipt number (접수번호 "YYYY-NNNNN", per institution
and year), its due date (법 제35조③, 제36조: 10 days by the 민법's count, jikimi.rules.request_deadlines),
its attachments (stored encrypted, jikimi.disclosure.attachments), a legal hold on the footage it names
(R18: so that it cannot expire while the request is open — a request on day 29 of a 30-day retention
still finds its footage) and the audit entry commit together. Attachments and held copies are objects
written outside the database transaction: when the request does not commit they are deleted again.
The receipt mail goes out after the commit (notify).

The public form is guarded before anything is stored: at most JIKIMI_REQUESTS_PER_ADDRESS_PER_HOUR
requests from one client address an hour, at most JIKIMI_OPEN_REQUESTS_PER_CONTACT open requests per
e-mail address or phone number.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.timezone import now

from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure import attachments as stored_files
from jikimi.disclosure.attachments import CheckedFile
from jikimi.disclosure.models import RequestAttachment, SubjectRequest
from jikimi.disclosure.notify import notify_requester
from jikimi.disclosure.status_links import new_token, status_path
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Device, Institution, Location
from jikimi.lib.clock import SEOUL
from jikimi.lib.public_holidays import holidays_between
from jikimi.rules.request_deadlines import answer_due
from jikimi.vault import keyring
from jikimi.vault.actions.holds import place_hold

# The actor of a request filed on the public page: no account, the client's address recorded.
ONLINE_REQUESTER_LABEL = "청구인 (온라인)"


class IntakeRefused(ValueError):
    """A request that is not taken; `field` names the form field ("" for the whole form)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class RequestDetails:
    """What the 청구서 says, checked by the form (intake_forms)."""

    kind: str
    requester_name: str
    requester_birth_date: date | None
    requester_address: str
    requester_phone: str
    requester_email: str
    subject_is_requester: bool
    subject_name: str
    relationship: str
    period_start: datetime
    period_end: datetime
    locations: list[Location]
    place_text: str
    purpose: str
    files: list[CheckedFile] = field(default_factory=list)


@dataclass(frozen=True)
class Filed:
    """The filed request and its status token — shown once, never stored."""

    request: SubjectRequest
    token: str

    @property
    def status_path(self) -> str:
        return status_path(self.token)


def online_actor(client_address: str) -> Actor:
    return Actor(user=None, label=ONLINE_REQUESTER_LABEL, client_address=client_address)


def check_rate_limits(institution: Institution, details: RequestDetails, client_address: str) -> None:
    """The public form's limits, checked before anything is stored."""
    per_hour = int(settings.JIKIMI_REQUESTS_PER_ADDRESS_PER_HOUR)
    recent = SubjectRequest.objects.filter(
        channel=SubjectRequest.Channel.ONLINE,
        client_address=client_address,
        received_at__gte=now() - timedelta(hours=1),
    ).count()
    if client_address and recent >= per_hour:
        raise IntakeRefused(
            "",
            f"같은 곳에서 한 시간에 {per_hour}건까지 청구할 수 있습니다. 잠시 후 다시 제출하거나 "
            "기관에 방문·우편·팩스로 청구하십시오",
        )
    limit = int(settings.JIKIMI_OPEN_REQUESTS_PER_CONTACT)
    open_states = [
        s
        for s in SubjectRequest.State
        if s not in (SubjectRequest.State.CLOSED, SubjectRequest.State.WITHDRAWN)
    ]
    mine = SubjectRequest.objects.filter(institution=institution, state__in=open_states)
    for name, label, value, lookup in (
        ("requester_email", "전자우편", details.requester_email, "requester_email__iexact"),
        ("requester_phone", "전화번호", details.requester_phone, "requester_phone"),
    ):
        if value and mine.filter(Q(**{lookup: value})).count() >= limit:
            raise IntakeRefused(
                name,
                f"{label}: 이 {label}(으)로 처리 중인 청구가 이미 {limit}건 있습니다. 처리가 끝난 뒤 "
                "다시 청구하거나 받은 상태 확인 주소에서 진행을 확인하십시오",
            )


def _receipt_number(institution: Institution, year: int) -> str:
    """The next 접수번호 of the year; the caller holds the institution's row lock."""
    taken = SubjectRequest.objects.filter(
        institution=institution, receipt_number__startswith=f"{year}-"
    ).values_list("receipt_number", flat=True)
    serial = max((int(n.split("-", 1)[1]) for n in taken if n.split("-", 1)[1].isdigit()), default=0) + 1
    return f"{year}-{serial:05d}"


def due_date(received_on: date) -> date:
    # 법 제35조③, 제36조: 10일, 민법 제157조·제161조 (weekends and public holidays move the last day).
    return answer_due(received_on, holidays_between(received_on.year, received_on.year + 1))


def _devices_at(locations: list[Location]) -> list[Device]:
    return list(Device.objects.filter(location__in=locations).select_related("device_group").order_by("pk"))


def place_holds(
    actor: Actor, subject_request: SubjectRequest, locations: list[Location], held_objects: list[str]
) -> int:
    """R18: hold the named footage — the devices at `locations` (the chosen sites, or those an officer
    later gives a typed place: actions.places), the window widened by a margin — until well after the
    due date, or until the request ends (end_holds_for_case). The held copies' object names are added
    to `held_objects`, for the caller to delete if its transaction does not commit (delete_held)."""
    margin = timedelta(minutes=int(settings.JIKIMI_REQUEST_HOLD_MARGIN_MINUTES))
    ends_on = subject_request.due_on + timedelta(days=int(settings.JIKIMI_REQUEST_HOLD_DAYS_AFTER_DUE))
    placed = 0
    for device in _devices_at(locations):
        hold = place_hold(
            actor,
            device,
            subject_request.period_start - margin,
            subject_request.period_end + margin,
            basis=f"열람 등 청구 (접수번호 {subject_request.receipt_number})",
            requester=f"{subject_request.institution.name} 열람 등 청구인",
            ends_on=ends_on,
            case_reference=subject_request.hold_reference,
        )
        held_objects.extend(hold.copies.values_list("object_name", flat=True))
        placed += 1
    return placed


def delete_held(names: list[str]) -> None:
    store = keyring.hold_store()
    for name in names:
        with contextlib.suppress(FootageError):
            store.delete(name)


def file_request(
    actor: Actor,
    institution: Institution,
    details: RequestDetails,
    *,
    channel: str = SubjectRequest.Channel.ONLINE,
) -> Filed:
    """File a 청구서: the request, its attachments, the holds and the audit entry, all or nothing."""
    online = channel == SubjectRequest.Channel.ONLINE
    if online:
        check_rate_limits(institution, details, actor.client_address)
    foreign = [loc for loc in details.locations if loc.device_group.institution_id != institution.pk]
    if foreign:
        raise IntakeRefused("locations", "설치장소: 선택한 장소가 이 기관의 설치장소 목록에 없습니다")
    if len(details.files) > stored_files.max_count():
        raise IntakeRefused(
            "photos",
            f"첨부서류: 너무 많습니다 ({len(details.files)}개). 모두 {stored_files.max_count()}개까지 받습니다",
        )
    token, token_hash = new_token()
    stored: list[str] = []
    held: list[str] = []
    try:
        with transaction.atomic():
            # Serialises receipt numbers of one institution (SQLite serialises writers anyway).
            Institution.objects.select_for_update().get(pk=institution.pk)
            received_at = now()
            received_on = received_at.astimezone(SEOUL).date()
            subject_request = SubjectRequest.objects.create(
                institution=institution,
                receipt_number=_receipt_number(institution, received_on.year),
                status_token_hash=token_hash,
                kind=details.kind,
                channel=channel,
                requester_name=details.requester_name,
                requester_birth_date=details.requester_birth_date,
                requester_phone=details.requester_phone,
                requester_email=details.requester_email,
                requester_address=details.requester_address,
                subject_is_requester=details.subject_is_requester,
                subject_name=details.subject_name,
                relationship=details.relationship,
                period_start=details.period_start,
                period_end=details.period_end,
                place_text=details.place_text,
                purpose=details.purpose,
                received_at=received_at,
                received_by=None if online else actor.user,
                client_address=actor.client_address[:100],
                due_on=due_date(received_on),
            )
            subject_request.locations.set(details.locations)
            for checked in details.files:
                attachment = stored_files.store_attachment(subject_request, checked)
                stored.append(attachment.object_name)
            holds = place_holds(actor, subject_request, list(details.locations), held)
            record(
                actor,
                AuditEvent.DISCLOSURE_FILE_REQUEST,
                subject_request,
                reason=f"{subject_request.get_channel_display()} 접수",
                details={
                    "receipt_number": subject_request.receipt_number,
                    "kind": subject_request.kind,
                    "channel": subject_request.channel,
                    "subject_is_requester": subject_request.subject_is_requester,
                    "start": subject_request.period_start,
                    "end": subject_request.period_end,
                    "locations": [loc.name for loc in details.locations],
                    "place_text": subject_request.place_text,
                    "attachments": len(stored),
                    "holds": holds,
                    "due_on": subject_request.due_on,
                },
            )
            _notify_receipt(subject_request, token)
    except BaseException:
        stored_files.delete_objects(stored)
        delete_held(held)
        raise
    return Filed(subject_request, token)


def _notify_receipt(subject_request: SubjectRequest, token: str) -> None:
    link = f"{settings.PUBLIC_BASE_URL}{status_path(token)}"
    notify_requester(
        subject_request,
        subject="열람 등 청구 접수",
        body=(
            f"{subject_request.requester_name}님의 {subject_request.get_kind_display()} 청구가 "
            f"접수되었습니다.\n\n"
            f"접수번호: {subject_request.receipt_number}\n"
            f"처리 기한: {subject_request.due_on:%Y년 %m월 %d일} (개인정보 보호법 제35조·제36조: 10일 이내)\n"
            f"진행 상태 확인: {link}\n\n"
            "이 주소는 청구인만 알고 있어야 합니다. 다른 사람에게 알려 주지 마십시오.\n"
            "처리 단계마다 이 전자우편 주소로 알려 드립니다.\n"
        ),
    )


def read_attachment(actor: Actor, attachment: RequestAttachment) -> bytes:
    """An officer opens an attachment of a request (an ID card is personal data): audited, then read."""
    content = stored_files.attachment_bytes(attachment)
    with transaction.atomic():
        record(
            actor,
            AuditEvent.DISCLOSURE_VIEW_ATTACHMENT,
            attachment.request,
            reason=f"{attachment.get_kind_display()} 열람",
            details={
                "receipt_number": attachment.request.receipt_number,
                "attachment": attachment.pk,
                "attachment_kind": attachment.kind,
                "size": attachment.size,
            },
        )
    return content
