"""The 관리대장 is written from the audit log (R26, R30; 오산시 지침 제32조④, 별지 제2호서식; 시행령 제15조).

`write_ledger_entries` listens to jikimi.audit.signals.entries_recorded (connected in
DisclosureConfig.ready): it runs inside the transaction of the action that was audited, after its audit
entries are written, so the ledger holds exactly the 이용, 제공, 열람 and 파기 that were audited — an
action that rolls back takes its ledger rows with it. It is the only writer of LedgerEntry rows.

Numbers run per institution in order of entry. They are drawn here, while the transaction holds the
audit chain's head row (record_many locks it before sending the signal): every row is numbered under
that one lock, so two actions can never draw the same number, on SQLite or PostgreSQL.

Which audited events make which rows (one table, `MAPPING`):

| audit event                         | 구분 | source       | row                                                    |
| ----------------------------------- | ---- | ------------ | ------------------------------------------------------ |
| DISCLOSURE_DECIDE                   | 열람 | request      | every decision on a 열람등 요구, granted or refused    |
|                                     |      |              | (R26: 거부 사유, 사본 제공 여부); requester as party   |
|   … outcome 삭제                    | 파기 | request      | + one per device-part destroyed (Destruction SEGMENTS) |
| DISCLOSURE_DOWNLOAD_COPY            | 열람 | request      | the requester downloads the masked copy                |
| DISCLOSURE_VIEW_ONLINE              | 열람 | request      | the requester opens the online viewing                 |
| DISCLOSURE_PROVIDE_FOOTAGE          | 제공 | provision    | body, 법 제18조② item, form, period, items, limits     |
|                                     |      |              | (R30, 시행령 제15조); 결재 = the provision's approver    |
| DISCLOSURE_REPORT_DESTRUCTION       | 파기 | provision    | the recipient destroyed what it was given (제35조③)    |
| VAULT_DESTROY_DAY_KEY               | 파기 | vault        | retention expiry: a device's day (법 제21조, R17, R19)  |
| VAULT_RELEASE_HOLD, VAULT_END_HOLD_ | 파기 | vault        | the copies a legal hold kept, destroyed with its key   |
|   AT_END_DATE, VAULT_END_HOLD_FOR_  |      |              | (only when it kept copies)                             |
|   CASE                              |      |              |                                                        |
| VAULT_VIEW_FOOTAGE                  | 이용 | vault        | the institution's own viewing, with its purpose (R41)  |
| DISCLOSURE_CORRECT_LEDGER_ENTRY     | (as  | ledger       | the correcting entry: a copy of the old with the      |
|                                     | old) |              | changes, citing it (`corrects`) with the reason        |

Not rows: VAULT_DESTROY_SEGMENTS (segment destruction is only ever a deletion request's: its row is
written with the DISCLOSURE_DECIDE that ordered it, which names the request and the destructions),
VAULT_RECORD_DESTROYED_FILES (the file list of a destruction already entered), VAULT_EXPORT_FOOTAGE and
masking previews (preparing a copy is not giving it), refusals and approvals of provisions (nothing left
the institution; the figures read them from the cases).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone

from jikimi.audit.events import AuditEvent
from jikimi.audit.models import AuditEntry
from jikimi.disclosure.models import (
    CopyDelivery,
    Decision,
    LedgerEntry,
    ProvisionCase,
    SubjectRequest,
)
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.rules.provision_grounds import GroundRefused, ground
from jikimi.vault.models import Destruction, LegalHold, Viewing

Kind = LedgerEntry.Kind
LAW = "개인정보 보호법"
# 법 제19조 and the 인수증's pledge (별지 제3호): what every recipient is asked, whatever the case adds.
STANDING_LIMITS = "목적 외 이용 및 제3자 재제공 금지(법 제19조), 목적 달성 즉시 파기 및 통보"
# Fields a correction may change (everything the 별지 shows; not the number, kind, links or 결재).
CORRECTABLE = (
    "occurred_at",
    "file_description",
    "officer_name",
    "purpose",
    "party",
    "legal_basis",
    "form",
    "period",
    "items",
    "limits",
)


@dataclass
class Draft:
    """A row to write, before it has its number."""

    institution_id: int
    kind: str
    occurred_at: datetime
    file_description: str
    officer_name: str
    purpose: str
    audit_entry: AuditEntry
    officer_id: int | None = None
    party: str = ""
    legal_basis: str = ""
    form: str = ""
    period: str = ""
    items: str = ""
    limits: str = ""
    approved_by_id: int | None = None
    approved_by_name: str = ""
    approved_at: datetime | None = None
    subject_request_id: int | None = None
    provision_id: int | None = None
    destruction_id: int | None = None
    body_name: str = ""
    corrects_id: int | None = None
    correction_reason: str = ""
    devices: list[Device] = field(default_factory=list)


def when(moment: datetime | None) -> str:
    return "" if moment is None else f"{timezone.localtime(moment, SEOUL):%Y-%m-%d %H:%M}"


def window(start: datetime, end: datetime) -> str:
    """A time range as the 별지 shows it (Asia/Seoul): the end's date only when it differs."""
    first, last = timezone.localtime(start, SEOUL), timezone.localtime(end, SEOUL)
    tail = f"{last:%H:%M}" if first.date() == last.date() else f"{last:%Y-%m-%d %H:%M}"
    return f"{first:%Y-%m-%d %H:%M} ~ {tail}"


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _target(entry: AuditEntry, label: str) -> int | None:
    return _int(entry.target_id) if entry.target_type == label else None


def _officer(entry: AuditEntry) -> tuple[int | None, str]:
    """담당자: the person by name (the audit label adds the account), or the system job as labelled."""
    if entry.actor_id is None or entry.actor is None:
        return None, entry.actor_label
    return entry.actor_id, str(getattr(entry.actor, "name", "") or entry.actor_label)


# --- requests (열람등 요구: 법 제35조, 제36조) -------------------------------------------------------


def _request_rows(entry: AuditEntry) -> list[Draft]:
    pk = _target(entry, "disclosure.SubjectRequest")
    request = SubjectRequest.objects.filter(pk=pk).first() if pk else None
    if request is None:
        return []
    if entry.action == AuditEvent.DISCLOSURE_DECIDE:
        return _decision_rows(entry, request)
    return _copy_rows(entry, request)


def _requester(request: SubjectRequest) -> str:
    contact = request.requester_phone or request.requester_email
    who = f"{request.requester_name} ({contact})" if contact else request.requester_name
    if not request.subject_is_requester:
        who += f" — 정보주체 {request.subject_name}" + (
            f"의 {request.relationship}" if request.relationship else ""
        )
    return who


def _request_devices(request: SubjectRequest) -> list[Device]:
    return list(
        Device.objects.filter(location__in=request.locations.all())
        .select_related("device_group")
        .order_by("pk")
    )


def _request_files(request: SubjectRequest, devices: list[Device]) -> str:
    places = ", ".join(d.name for d in devices) or request.place_text or "설치장소 미특정"
    return f"{places} 영상 ({window(request.period_start, request.period_end)})"


def _decision_rows(entry: AuditEntry, request: SubjectRequest) -> list[Draft]:
    decision = Decision.objects.filter(
        request=request, number=_int(entry.details.get("decision")) or 0
    ).first()
    if decision is None:
        return []
    devices = _request_devices(request)
    basis = f"{LAW} 제36조" if request.kind == SubjectRequest.Kind.DELETION else f"{LAW} 제35조"
    form = decision.get_outcome_display()
    if decision.grounds:
        form += " — 근거: " + ", ".join(entry.details.get("grounds") or decision.grounds)
    if decision.limited:
        form += f" — 제한: {decision.limited}"
    officer_id, officer_name = _officer(entry)
    common: dict[str, Any] = {
        "institution_id": request.institution_id,
        "occurred_at": decision.decided_at,
        "officer_id": officer_id,
        "officer_name": officer_name,
        "audit_entry": entry,
        "subject_request_id": request.pk,
        "party": _requester(request),
        "legal_basis": basis,
        "period": window(request.period_start, request.period_end),
    }
    rows = [
        Draft(
            kind=Kind.VIEWING,
            file_description=_request_files(request, devices),
            purpose=f"{request.get_kind_display()} 청구({request.receipt_number}): {request.purpose}",
            form=f"청구 결정: {form}",
            devices=devices,
            **common,
        )
    ]
    destroyed = Destruction.objects.filter(
        pk__in=[p for p in entry.details.get("destructions") or [] if isinstance(p, int)],
        kind=Destruction.Kind.SEGMENTS,
    ).select_related("device")
    for destruction in destroyed.order_by("pk"):
        rows.append(
            Draft(
                kind=Kind.DESTRUCTION,
                file_description=f"{destruction.device.name} 영상 {destruction.segments}개 조각",
                purpose=f"삭제 청구({request.receipt_number})에 따른 삭제",
                form=destruction.method,
                destruction_id=destruction.pk,
                devices=[destruction.device],
                **{
                    **common,
                    "occurred_at": destruction.destroyed_at,
                    "period": window(destruction.covers_start, destruction.covers_end),
                },
            )
        )
    return rows


def _copy_rows(entry: AuditEntry, request: SubjectRequest) -> list[Draft]:
    delivery = (
        CopyDelivery.objects.filter(pk=_int(entry.details.get("delivery")) or 0)
        .select_related("job__device", "created_by")
        .first()
    )
    if delivery is None:
        return []
    job = delivery.job
    officer = delivery.created_by  # who prepared what the requester opens (the actor is the requester)
    form = (
        "사본 내려받기 (마스킹한 암호화 파일)"
        if entry.action == AuditEvent.DISCLOSURE_DOWNLOAD_COPY
        else "온라인 열람 (마스킹한 영상)"
    )
    return [
        Draft(
            institution_id=request.institution_id,
            kind=Kind.VIEWING,
            occurred_at=entry.at,
            file_description=f"{job.device.name} 영상 ({window(job.start, job.end)}), SHA-256 {delivery.sha256[:12]}",
            officer_id=officer.pk,
            officer_name=getattr(officer, "name", "") or officer.get_username(),
            purpose=f"{request.get_kind_display()} 청구({request.receipt_number}): {request.purpose}",
            party=_requester(request),
            legal_basis=f"{LAW} 제35조",
            form=form,
            period=window(job.start, job.end),
            audit_entry=entry,
            subject_request_id=request.pk,
            devices=[job.device],
        )
    ]


# --- provisions (제3자 제공: 법 제18조②, 시행령 제15조) ---------------------------------------------


def _case(entry: AuditEntry) -> ProvisionCase | None:
    pk = _target(entry, "disclosure.ProvisionCase")
    if pk is None:
        return None
    return ProvisionCase.objects.filter(pk=pk).select_related("body", "decided_by").first()


def citation(case: ProvisionCase) -> str:
    try:
        text = ground(case.legal_ground).citation
    except GroundRefused:
        text = f"{LAW} 제18조제2항 (근거 불명: {case.legal_ground})"
    return f"{text} ({case.ground_detail})" if case.ground_detail else text


def _recipient(case: ProvisionCase) -> str:
    person = " ".join(
        p for p in (case.requester_department, case.requester_position, case.requester_name) if p
    )
    receiver = " ".join(
        p for p in (case.receiver_department, case.receiver_position, case.receiver_name) if p
    )
    named = f"{case.body.name} {person}".strip()
    # 별지 제3호의 인수자, when somebody else of the body took the footage
    if receiver and case.receiver_name != case.requester_name:
        return f"{named} (인수자 {receiver})"
    return named


def _footage(case: ProvisionCase) -> tuple[list[Device], str, str]:
    parts = list(case.footage.select_related("device").order_by("start", "pk"))
    devices = list({part.device_id: part.device for part in parts}.values())
    files = ", ".join(f"{part.device.name} {window(part.start, part.end)}" for part in parts)
    period = window(min(p.start for p in parts), max(p.end for p in parts)) if parts else ""
    return devices, files or "대상 영상 미기재", period


def _provision_rows(entry: AuditEntry) -> list[Draft]:
    case = _case(entry)
    if case is None:
        return []
    devices, files, period = _footage(case)
    officer_id, officer_name = _officer(entry)
    common: dict[str, Any] = {
        "institution_id": case.institution_id,
        "officer_id": officer_id,
        "officer_name": officer_name,
        "audit_entry": entry,
        "provision_id": case.pk,
        "party": _recipient(case),
        "legal_basis": citation(case),
        "body_name": case.body.name,
        "devices": devices,
    }
    if entry.action == AuditEvent.DISCLOSURE_REPORT_DESTRUCTION:
        method = str(case.destruction_method or entry.details.get("destruction_method") or "파기 통보")
        if entry.details.get("destroyed_on"):
            method += f" (파기일 {entry.details['destroyed_on']})"
        return [
            Draft(
                kind=Kind.DESTRUCTION,
                occurred_at=case.destruction_reported_at or entry.at,
                file_description=f"제공한 영상 ({case.case_number}): {files}",
                purpose=f"제공받은 자의 목적 달성 후 파기 통보 ({case.case_number})",
                form=method,
                period=period,
                **common,
            )
        ]
    # The case is saved before its audit entry; "delivery_kind" is what the delivery step records.
    delivery = str(case.delivery or entry.details.get("delivery_kind") or "")
    form = dict(ProvisionCase.Delivery.choices).get(delivery, delivery or "제공")
    original = case.original_approved or bool(entry.details.get("original"))
    form += " — 원본(승인: " + case.original_reason + ")" if original else " — 제3자 마스킹"
    limits = "; ".join(
        p
        for p in (
            f"이용 기간: {case.use_period}" if case.use_period else "",
            f"이용 방법·범위: {case.use_method}" if case.use_method else "",
            f"안전성 확보 조치: {case.safety_measures}" if case.safety_measures else "",
            STANDING_LIMITS,
        )
        if p
    )
    approver = case.decided_by
    return [
        Draft(
            kind=Kind.PROVISION,
            occurred_at=case.provided_at or entry.at,
            file_description=f"{files} ({case.case_number})",
            purpose=case.purpose,
            form=form,
            period=f"{period}; 이용 기간 {case.use_period}" if case.use_period else period,
            items=f"영상정보: {files}",
            limits=limits,
            # 결재 of a provision is its approval (오산시 지침 제32조②③), by the approver, never the preparer.
            approved_by_id=approver.pk if approver else None,
            approved_by_name=(getattr(approver, "name", "") or approver.get_username()) if approver else "",
            approved_at=case.decided_at if approver else None,
            **common,
        )
    ]


# --- the vault (파기: 법 제21조; 이용: R41) ------------------------------------------------------------


def _vault_destruction_rows(entries: list[AuditEntry]) -> list[Draft]:
    """Destruction rows of a batch (the retention sweep writes up to 500 entries at once): one query."""
    wanted = {_int(e.details.get("destruction")): e for e in entries}
    wanted.pop(None, None)
    found = Destruction.objects.filter(pk__in=list(wanted)).select_related("device__device_group", "hold")
    rows: list[Draft] = []
    for destruction in found:
        entry = wanted[destruction.pk]
        if destruction.kind == Destruction.Kind.HOLD and destruction.segments == 0:
            continue  # a hold that kept no copy destroys nothing
        device = destruction.device
        group = device.device_group
        if destruction.kind == Destruction.Kind.DAY_KEY:
            files = entry.details.get("files") or {}
            described = f"{device.name} {timezone.localtime(destruction.covers_start, SEOUL):%Y-%m-%d} 영상"
            described += f" {files.get('count', destruction.segments)}개 조각 ({files.get('prefix', '')})"
            basis = f"{LAW} 제21조, 시행령 제16조 (보관기간 {destruction.retention} 만료)"
            purpose = entry.reason or "보관기간 만료"
        else:
            hold: LegalHold | None = destruction.hold
            described = f"{device.name} 분리 보관 사본 {destruction.segments}개"
            basis = f"분리 보관 종료 ({hold.basis})" if hold else "분리 보관 종료"
            purpose = entry.reason or "분리 보관 종료"
        rows.append(
            Draft(
                institution_id=group.institution_id,
                kind=Kind.DESTRUCTION,
                occurred_at=destruction.destroyed_at,
                file_description=f"[{group.name}] {described}",
                officer_id=entry.actor_id,
                officer_name=_officer(entry)[1],
                purpose=purpose,
                legal_basis=basis,
                form=destruction.method,
                period=window(destruction.covers_start, destruction.covers_end),
                audit_entry=entry,
                destruction_id=destruction.pk,
                devices=[device],
            )
        )
    return rows


def _viewing_rows(entry: AuditEntry) -> list[Draft]:
    viewing = (
        Viewing.objects.filter(pk=_int(entry.details.get("viewing")) or 0)
        .select_related("device__device_group", "user")
        .first()
    )
    if viewing is None:
        return []
    group = viewing.device.device_group
    return [
        Draft(
            institution_id=group.institution_id,
            kind=Kind.USE,
            occurred_at=entry.at,
            file_description=f"[{group.name}] {viewing.device.name} 영상",
            officer_id=entry.actor_id,
            officer_name=_officer(entry)[1],
            purpose=viewing.purpose,
            party="기관 내부 이용 (" + (getattr(viewing.user, "name", "") or entry.actor_label) + ")",
            legal_basis=f"{LAW} 제25조제1항 (설치 목적 내 이용: {group.purpose or group.name})",
            form="영상 재생(열람)",
            period=window(viewing.start, viewing.end),
            audit_entry=entry,
            devices=[viewing.device],
        )
    ]


# --- corrections (an entry is never edited) -----------------------------------------------------------


def _correction_rows(entry: AuditEntry) -> list[Draft]:
    pk = _target(entry, "disclosure.LedgerEntry")
    old = LedgerEntry.objects.filter(pk=pk).first() if pk else None
    if old is None:
        return []
    changes = entry.details.get("changes") or {}
    values = {name: getattr(old, name) for name in CORRECTABLE}
    for name, pair in changes.items():  # {field: [before, after]}, as the audit log shows changes
        if name in CORRECTABLE and isinstance(pair, list) and len(pair) == 2:
            values[name] = datetime.fromisoformat(pair[1]) if name == "occurred_at" else str(pair[1])
    return [
        Draft(
            institution_id=old.institution_id,
            kind=old.kind,
            audit_entry=entry,
            officer_id=entry.actor_id if "officer_name" in changes else old.officer_id,
            subject_request_id=old.subject_request_id,
            provision_id=old.provision_id,
            destruction_id=old.destruction_id,
            body_name=old.body_name,
            corrects_id=old.pk,
            correction_reason=entry.reason,
            devices=list(old.devices.all()),
            **values,
        )
    ]


Rows = Callable[[AuditEntry], list[Draft]]

MAPPING: dict[str, Rows] = {
    AuditEvent.DISCLOSURE_DECIDE: _request_rows,
    AuditEvent.DISCLOSURE_DOWNLOAD_COPY: _request_rows,
    AuditEvent.DISCLOSURE_VIEW_ONLINE: _request_rows,
    AuditEvent.DISCLOSURE_PROVIDE_FOOTAGE: _provision_rows,
    AuditEvent.DISCLOSURE_REPORT_DESTRUCTION: _provision_rows,
    AuditEvent.VAULT_VIEW_FOOTAGE: _viewing_rows,
    AuditEvent.DISCLOSURE_CORRECT_LEDGER_ENTRY: _correction_rows,
}
# Written a batch at a time (the retention sweep: thousands a night).
VAULT_DESTRUCTIONS = frozenset(
    {
        AuditEvent.VAULT_DESTROY_DAY_KEY,
        AuditEvent.VAULT_RELEASE_HOLD,
        AuditEvent.VAULT_END_HOLD_AT_END_DATE,
        AuditEvent.VAULT_END_HOLD_FOR_CASE,
    }
)
MAPPED_EVENTS = frozenset(MAPPING) | VAULT_DESTRUCTIONS


def drafts_for(entries: Iterable[AuditEntry]) -> list[Draft]:
    drafts: list[Draft] = []
    destructions: list[AuditEntry] = []
    for entry in entries:
        if entry.action in VAULT_DESTRUCTIONS:
            destructions.append(entry)
        elif entry.action in MAPPING:
            drafts += MAPPING[entry.action](entry)
    if destructions:
        drafts += _vault_destruction_rows(destructions)
    return drafts


def write_ledger_entries(sender: Any, entries: list[AuditEntry], **kwargs: Any) -> None:
    """The receiver of entries_recorded: number and write the rows of the mapped events (see the table)."""
    if not any(entry.action in MAPPED_EVENTS for entry in entries):
        return
    drafts = drafts_for(entries)
    if not drafts:
        return
    by_institution: dict[int, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_institution[draft.institution_id].append(draft)
    rows: list[tuple[LedgerEntry, list[Device]]] = []
    for institution_id, items in by_institution.items():
        # Under the audit chain's head lock (module docstring): the next numbers are ours alone.
        last = LedgerEntry.objects.filter(institution_id=institution_id).aggregate(n=Max("number"))["n"] or 0
        for offset, draft in enumerate(items, start=1):
            rows.append((_row(draft, last + offset), draft.devices))
    created = LedgerEntry.objects.bulk_create([row for row, _ in rows])
    through = LedgerEntry.devices.through
    through.objects.bulk_create(
        [
            through(ledgerentry_id=row.pk, device_id=device.pk)
            for row, (_, devices) in zip(created, rows, strict=True)
            for device in devices
        ]
    )


def _row(draft: Draft, number: int) -> LedgerEntry:
    values = {k: v for k, v in vars(draft).items() if k != "devices"}
    for name, limit in _LIMITS.items():
        if len(values[name]) > limit:
            values[name] = values[name][: limit - 1] + "…"
    return LedgerEntry(number=number, device_ids=[device.pk for device in draft.devices], **values)


# A text longer than its column is cut, never refused: the audited action must not fail for the ledger.
_LIMITS: dict[str, int] = {
    f.name: f.max_length
    for f in LedgerEntry._meta.concrete_fields
    if f.get_internal_type() == "CharField" and f.max_length and f.name in Draft.__dataclass_fields__
}
