"""Taking in a request for footage from a body (목적 외 이용·제3자 제공, 법 제18조②; R29, R49; 군산시
제4조 요청 및 제공절차 "요청 → 검토 → 승인 → 제공"): on paper (staff type in the 공문) or online (the
body's officer applies in the portal). Both channels call `file_provision`.

One action, all or nothing, everything checked before anything is written: the ground (R29: items 5–10
only for a public body), the 공문 (number, date, the scan — a PDF or image by its content), the purpose,
the footage (sites or devices of this institution, each window sane, within the vault's one-month
question, and holding footage: a window with nothing recorded is refused now, not at masking time), the
reason when the original is asked for (R49). Then, in one transaction: the case with its number
("YYYY-P0001", per institution and year), its footage rows, the letter stored encrypted
(jikimi.disclosure.attachments), a legal hold on each device's window until the case ends (R18: the
footage must not expire while the case is open) and the audit entry. Objects written outside the
database (the letter, the held copies) are deleted again when the case does not commit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.timezone import now

from jikimi.accounts.permissions import Permission, device_groups_for, institutions_for
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.disclosure import attachments as stored_files
from jikimi.disclosure.actions.errors import RequestError, checked_text
from jikimi.disclosure.attachments import AttachmentRefused, CheckedFile, Upload
from jikimi.disclosure.models import (
    ExternalRequester,
    ProvisionAttachment,
    ProvisionCase,
    ProvisionFootage,
    RequestingBody,
)
from jikimi.engine.footage import FootageError
from jikimi.inventory.models import Device, Institution, Location
from jikimi.lib.clock import SEOUL
from jikimi.rules.provision_grounds import GroundRefused, check_ground
from jikimi.vault import keyring
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.queries import MAX_WINDOW, device_coverage

# At most this many (site or device, window) lines on one case: a letter asking for more is split.
MAX_FOOTAGE_LINES = 20
# The holds last until the case ends (end_holds_for_case); this end date is only the backstop of a case
# forgotten open — a year, well past any investigation's 보존 요청 renewal.
HOLD_BACKSTOP_DAYS = 365
LONGEST_TEXT = 2000


class ProvisionError(RequestError):
    """A provision step refused as asked; nothing was saved. `field` names the form field at fault."""


def checked(value: str, field: str, label: str, longest: int, *, required: bool) -> str:
    """errors.checked_text, raising ProvisionError."""
    try:
        return checked_text(value, field, label, longest, required=required)
    except RequestError as error:
        raise ProvisionError(str(error), error.field) from None


FootageLine = tuple[Device | Location, datetime, datetime]


@dataclass(frozen=True)
class WantedFootage:
    """One checked footage line: the device, its window, and how much of it is recorded."""

    device: Device
    start: datetime
    end: datetime
    footage_seconds: float


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(SEOUL):%Y-%m-%d %H:%M}"


def _devices_of(item: Device | Location, institution: Institution) -> list[Device]:
    if isinstance(item, Location):
        if item.device_group.institution_id != institution.pk:
            raise ProvisionError("영상: 선택한 설치장소가 이 기관의 설치장소 목록에 없습니다", "footage")
        return list(
            Device.objects.filter(location=item).select_related("device_group").order_by("name", "pk")
        )
    if item.device_group.institution_id != institution.pk:
        raise ProvisionError("영상: 선택한 기기가 이 기관의 기기 대장에 없습니다", "footage")
    return [item]


def check_footage(institution: Institution, footage: Sequence[FootageLine]) -> list[WantedFootage]:
    """Each line's devices and window, checked against the vault: a line with nothing recorded is refused."""
    if not footage:
        raise ProvisionError("영상: 요청하는 영상(설치장소와 기간)을 하나 이상 입력하세요", "footage")
    if len(footage) > MAX_FOOTAGE_LINES:
        raise ProvisionError(
            f"영상: 한 요청에 {MAX_FOOTAGE_LINES}건까지 받습니다 (지금 {len(footage)}건). 나누어 접수하세요",
            "footage",
        )
    moment = now()
    wanted: list[WantedFootage] = []
    for item, start, end in footage:
        name = item.name
        if start is None or end is None:
            raise ProvisionError(f"영상: {name}의 기간(시작·끝)을 입력하세요", "footage")
        if end <= start:
            raise ProvisionError(f"영상: {name}의 기간 끝이 시작보다 늦어야 합니다", "footage")
        if start >= moment:
            raise ProvisionError(
                f"영상: {name}의 기간 시작({_local(start)})이 아직 오지 않았습니다", "footage"
            )
        if end - start > MAX_WINDOW:
            raise ProvisionError(
                f"영상: {name}의 기간은 {MAX_WINDOW.days}일 이하여야 합니다 (지금 {_local(start)}~{_local(end)})",
                "footage",
            )
        devices = _devices_of(item, institution)
        if not devices:
            raise ProvisionError(f"영상: 설치장소 {name}에 등록된 기기가 없습니다", "footage")
        found = [(d, device_coverage(d, start, end).footage_seconds) for d in devices]
        recorded = [(d, seconds) for d, seconds in found if seconds > 0]
        if not recorded:
            raise ProvisionError(
                f"영상: {name}의 {_local(start)}~{_local(end)} 영상이 보관되어 있지 않습니다 "
                "(촬영하지 않았거나 보관기간이 지나 파기되었습니다). 기간을 확인하세요",
                "footage",
            )
        wanted.extend(WantedFootage(d, start, end, seconds) for d, seconds in recorded)
    return wanted


def _check_channel(
    actor: Actor,
    institution: Institution,
    body: RequestingBody,
    channel: str,
    applicant: ExternalRequester | None,
) -> None:
    """Who files: online, the body's own officer for his own body (his account is the actor); on paper,
    an officer who handles provisions in the institution (R36)."""
    if body is None or body.institution_id != institution.pk or not body.active:
        raise ProvisionError("요청 기관: 이 기관에 등록된 요청 기관을 고르세요", "body")
    if channel == ProvisionCase.Channel.ONLINE:
        if applicant is None or applicant.body_id != body.pk:
            raise ProvisionError("요청 기관: 신청하는 담당자의 소속 기관이 아닙니다", "body")
        if actor.user is None or applicant.user_id != actor.user.pk:
            raise ProvisionError("온라인 신청은 요청 기관 담당자 본인의 계정으로만 할 수 있습니다")
    elif channel == ProvisionCase.Channel.PAPER:
        if not institutions_for(actor.user, Permission.HANDLE_PROVISIONS).filter(pk=institution.pk).exists():
            raise ProvisionError("이 기관의 제3자 제공 요청을 접수할 권한이 없습니다")
    else:
        raise ProvisionError("접수 경로가 올바르지 않습니다", "channel")


def _check_paper_scope(actor: Actor, wanted: list[WantedFootage]) -> None:
    """On paper the officer names footage he handles: another department's cameras are its officers' (R36)."""
    mine = device_groups_for(actor.user, Permission.HANDLE_PROVISIONS)
    for line in wanted:
        if not mine.filter(pk=line.device.device_group_id).exists():
            raise ProvisionError(
                f"영상: {line.device.name}은(는) 제3자 제공 요청을 처리할 권한이 없는 기기입니다 "
                "(소관 부서 담당자가 접수합니다)",
                "footage",
            )


def _check_letter_date(letter_date: date | None) -> date:
    if letter_date is None:
        raise ProvisionError("공문 일자를 입력하세요", "letter_date")
    if letter_date > now().astimezone(SEOUL).date():
        raise ProvisionError(f"공문 일자({letter_date:%Y-%m-%d})가 오늘보다 늦습니다", "letter_date")
    return letter_date


def _check_letter(letter: Upload | None) -> CheckedFile:
    if letter is None:
        raise ProvisionError("요청 공문: 스캔한 공문(PDF 또는 JPG·PNG)을 첨부하세요", "letter")
    try:
        return stored_files.check_upload("letter", "요청 공문", ProvisionAttachment.Kind.LETTER, letter)
    except AttachmentRefused as refused:
        raise ProvisionError(str(refused), refused.field) from None


def _check_ground(item: str, body: RequestingBody) -> str:
    item = (item or "").strip()
    if not item:
        raise ProvisionError("제공 근거: 개인정보 보호법 제18조제2항의 근거를 고르세요", "legal_ground")
    try:
        return check_ground(item, requester_is_public_body=body.is_public_body).item
    except GroundRefused as refused:
        raise ProvisionError(f"제공 근거: {refused}", "legal_ground") from None


def case_number(institution: Institution, year: int) -> str:
    """The next 사건번호 of the year ("2026-P0007"); the caller holds the institution's row lock."""
    prefix = f"{year}-P"
    taken = ProvisionCase.objects.filter(institution=institution, case_number__startswith=prefix).values_list(
        "case_number", flat=True
    )
    serial = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0) + 1
    return f"{prefix}{serial:04d}"


def _place_holds(actor: Actor, case: ProvisionCase, wanted: list[WantedFootage], held: list[str]) -> int:
    """R18: hold each device's window (widened by the request margin) until the case ends."""
    margin = timedelta(minutes=int(settings.JIKIMI_REQUEST_HOLD_MARGIN_MINUTES))
    ends_on = case.received_at.astimezone(SEOUL).date() + timedelta(days=HOLD_BACKSTOP_DAYS)
    for line in wanted:
        hold = place_hold(
            actor,
            line.device,
            line.start - margin,
            line.end + margin,
            basis=f"제3자 제공 요청 (사건번호 {case.case_number}, 공문 {case.letter_number})",
            requester=case.body.name,
            ends_on=ends_on,
            case_reference=case.hold_reference,
        )
        held.extend(hold.copies.values_list("object_name", flat=True))
    return len(wanted)


def _delete_held(names: list[str]) -> None:
    store = keyring.hold_store()
    for name in names:
        with contextlib.suppress(FootageError):
            store.delete(name)


def file_provision(
    actor: Actor,
    institution: Institution,
    body: RequestingBody,
    *,
    channel: str,
    requester_name: str,
    letter_number: str,
    letter_date: date | None,
    legal_ground: str,
    purpose: str,
    footage: Sequence[FootageLine],
    letter: Upload | None,
    requester_department: str = "",
    requester_position: str = "",
    requester_phone: str = "",
    ground_detail: str = "",
    urgent: bool = False,
    mask_third_parties: bool = True,
    original_requested: bool = False,
    original_reason: str = "",
    applicant: ExternalRequester | None = None,
) -> ProvisionCase:
    """File a provision request: checked whole, then the case, its footage, letter, holds and audit entry."""
    _check_channel(actor, institution, body, channel, applicant)
    ground = _check_ground(legal_ground, body)
    texts = {
        "requester_name": checked(requester_name, "requester_name", "요청자 성명", 60, required=True),
        "requester_department": checked(
            requester_department, "requester_department", "요청자 소속", 100, required=False
        ),
        "requester_position": checked(
            requester_position, "requester_position", "요청자 직급", 60, required=False
        ),
        "requester_phone": checked(requester_phone, "requester_phone", "요청자 연락처", 40, required=False),
        "letter_number": checked(letter_number, "letter_number", "공문번호", 100, required=True),
        "ground_detail": checked(ground_detail, "ground_detail", "근거 법령·조문", 200, required=False),
        "purpose": checked(purpose, "purpose", "요청 목적", LONGEST_TEXT, required=True),
        # R49: the original (unmasked) footage only with the reason it is needed.
        "original_reason": checked(
            original_reason,
            "original_reason",
            "원본이 필요한 사유",
            LONGEST_TEXT,
            required=original_requested,
        ),
    }
    if not original_requested:
        texts["original_reason"] = ""
    checked_date = _check_letter_date(letter_date)
    checked_letter = _check_letter(letter)
    wanted = check_footage(institution, footage)
    if channel == ProvisionCase.Channel.PAPER:
        _check_paper_scope(actor, wanted)

    stored: list[str] = []
    held: list[str] = []
    try:
        with transaction.atomic():
            # Serialises case numbers of one institution (SQLite serialises writers anyway).
            Institution.objects.select_for_update().get(pk=institution.pk)
            received_at = now()
            case = ProvisionCase.objects.create(
                institution=institution,
                case_number=case_number(institution, received_at.astimezone(SEOUL).year),
                body=body,
                channel=channel,
                applicant=applicant,
                letter_date=checked_date,
                legal_ground=ground,
                urgent=urgent,
                mask_third_parties=mask_third_parties,
                original_requested=original_requested,
                received_at=received_at,
                received_by=actor.user if channel == ProvisionCase.Channel.PAPER else None,
                **texts,
            )
            ProvisionFootage.objects.bulk_create(
                ProvisionFootage(case=case, device=line.device, start=line.start, end=line.end)
                for line in wanted
            )
            attachment = stored_files.store_provision_attachment(case, checked_letter, actor.user)
            stored.append(attachment.object_name)
            holds = _place_holds(actor, case, wanted, held)
            record(
                actor,
                AuditEvent.DISCLOSURE_FILE_PROVISION,
                case,
                reason=f"{case.get_channel_display()}: {body.name} 공문 {case.letter_number}",
                details={
                    "case_number": case.case_number,
                    "requesting_body": body.name,
                    "channel": case.channel,
                    "legal_ground": case.legal_ground,
                    "urgent": case.urgent,
                    "original_requested": case.original_requested,
                    "devices": [line.device.name for line in wanted],
                    "holds": holds,
                },
            )
    except BaseException:
        stored_files.delete_objects(stored)
        _delete_held(held)
        raise
    return case
