"""The yearly self-inspection (표준 개인정보 보호지침 제52조, 오산시 지침 제26조·제34조; R8): start the
year's inspection (the auto-filled figures snapshotted), answer an item, record a finding and its
follow-up, complete it (locked), export the report. Each in one transaction with its audit entry."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jikimi.accounts.models import User
from jikimi.accounts.permissions import Permission
from jikimi.audit.actions import record
from jikimi.audit.context import Actor
from jikimi.audit.events import AuditEvent
from jikimi.control.actions.room import RoomError, ensure, text
from jikimi.control.models import SelfInspection, SelfInspectionFinding, SelfInspectionItem
from jikimi.control.self_inspection_queries import Counted, gather
from jikimi.inventory.models import Institution
from jikimi.lib.clock import today
from jikimi.lib.input_limits import check_day
from jikimi.rules.self_inspection import (
    BY_CODE,
    CHECKLIST,
    Answer,
    completion_problems,
    needs_remark,
    verdict,
)

FIRST_YEAR = 2000
FOLLOW_UP_AHEAD = timedelta(days=2 * 366)


def _title(item: SelfInspectionItem) -> str:
    return BY_CODE[item.code].title


def _auto_remark(code: str, counted: Counted) -> str:
    """What the figures say, in words: the faults above 0, or why the item does not apply."""
    item = BY_CODE[code]
    labels = {figure.key: figure.label for figure in item.figures}
    faults = [f"{labels[key]} {counted.figures[key]}" for key in item.faults if counted.figures[key] > 0]
    if item.applies and counted.figures[item.applies] == 0:
        return f"시스템 기록상 {labels[item.applies]}이(가) 없음"
    return "; ".join(faults)


def start_inspection(actor: Actor, institution: Institution, year: int) -> SelfInspection:
    """The year's inspection with every item of the checklist; the auto-filled ones counted now."""
    user = ensure(actor.user, Permission.RUN_SELF_INSPECTION, institution, whole=True)
    day = today()
    if not FIRST_YEAR <= year <= day.year:
        raise RoomError(f"점검 연도: {FIRST_YEAR}년부터 올해({day.year}년)까지 고르세요", "year")
    counted = gather(institution, year, day)
    now = timezone.now()
    try:
        with transaction.atomic():
            inspection = SelfInspection.objects.create(
                institution=institution, year=year, started_at=now, started_by=user
            )
            flagged = []
            for position, item in enumerate(CHECKLIST, start=1):
                found = counted.get(item.code)
                proposed = verdict(item, found.figures) if found else None
                if proposed is Answer.NONCONFORMING:
                    flagged.append(item.title)
                SelfInspectionItem.objects.create(
                    inspection=inspection,
                    code=item.code,
                    position=position,
                    source=item.source.value,
                    figures=found.figures if found else {},
                    notes=found.notes if found else [],
                    proposed=proposed.value if proposed else "",
                    # The proposal stands as the answer until the officer answers otherwise.
                    answer=proposed.value if proposed else "",
                    remark=_auto_remark(item.code, found) if found else "",
                )
            record(
                actor,
                AuditEvent.CONTROL_START_SELF_INSPECTION,
                inspection,
                details={
                    "inspection_year": year,
                    "auto_items": len(counted),
                    "nonconforming_items": flagged,
                },
            )
    except IntegrityError:
        raise RoomError(f"{year}년 자체 점검은 이미 시작되었습니다", "year") from None
    return inspection


def _open(actor: Actor, inspection: SelfInspection) -> User:
    """The acting officer, once the inspection is locked for this change and found still open."""
    user = ensure(actor.user, Permission.RUN_SELF_INSPECTION, inspection.institution, whole=True)
    if SelfInspection.objects.select_for_update().get(pk=inspection.pk).locked:
        raise RoomError(f"{inspection.year}년 자체 점검은 완료되어 바꿀 수 없습니다")
    return user


def answer_item(actor: Actor, item: SelfInspectionItem, *, answer: str, remark: str) -> SelfInspectionItem:
    """The officer's 적합/부적합/해당없음 and remark (부적합·해당없음 need one)."""
    if answer not in Answer.__members__.values():
        raise RoomError("판정: 적합, 부적합, 해당없음 중에서 고르세요", "answer")
    chosen = Answer(answer)
    remark = text(remark, "remark", "비고", 1000, required=False)
    if needs_remark(chosen) and not remark:
        raise RoomError("비고: 부적합이나 해당없음이면 그 사유를 적으세요", "remark")
    with transaction.atomic():
        _open(actor, item.inspection)
        item.answer = chosen.value
        item.remark = remark
        item.answered_by = actor.user
        item.answered_at = timezone.now()
        item.save(update_fields=["answer", "remark", "answered_by", "answered_at"])
        record(
            actor,
            AuditEvent.CONTROL_ANSWER_SELF_INSPECTION,
            item,
            details={
                "inspection_year": item.inspection.year,
                "check_item": _title(item),
                "verdict": chosen.value,
                "proposed_verdict": item.proposed,
                "verdict_remark": remark,
            },
        )
    return item


def record_finding(
    actor: Actor,
    inspection: SelfInspection,
    *,
    item: SelfInspectionItem | None,
    finding: str,
    action: str,
    due_on: date | None = None,
) -> SelfInspectionFinding:
    """지적 사항 and the 후속 조치 decided for it (with a date if there is one)."""
    finding = text(finding, "finding", "지적 사항", 1000)
    action = text(action, "action", "후속 조치", 1000)
    if item is not None and item.inspection_id != inspection.pk:
        raise RoomError("점검 항목: 이 점검의 항목을 고르세요", "item")
    if due_on is not None:
        try:
            check_day(due_on, "조치 기한", ahead=FOLLOW_UP_AHEAD)
        except ValueError as error:
            raise RoomError(str(error), "due_on") from None
    with transaction.atomic():
        user = _open(actor, inspection)
        row = SelfInspectionFinding.objects.create(
            inspection=inspection,
            item=item,
            finding=finding,
            action=action,
            due_on=due_on,
            recorded_by=user,
            recorded_at=timezone.now(),
        )
        record(
            actor,
            AuditEvent.CONTROL_RECORD_SELF_INSPECTION_FINDING,
            row,
            details={
                "inspection_year": inspection.year,
                "check_item": _title(item) if item else "점검 전반",
                "finding": finding,
                "follow_up": action,
                "follow_up_due": due_on,
            },
        )
    return row


def complete_inspection(actor: Actor, inspection: SelfInspection, *, summary: str) -> SelfInspection:
    """Lock the inspection once every item is answered and every 부적합 has its follow-up."""
    summary = text(summary, "summary", "종합 의견", 2000)
    with transaction.atomic():
        _open(actor, inspection)
        items = list(inspection.items.all())
        answers = {i.code: Answer(i.answer) if i.answer else None for i in items}
        remarks = {i.code: i.remark for i in items}
        findings: dict[str, int] = {}
        for row in inspection.findings.select_related("item"):
            if row.item is not None:
                findings[row.item.code] = findings.get(row.item.code, 0) + 1
        problems = completion_problems(answers, remarks, findings)
        if problems:
            raise RoomError("완료할 수 없습니다: " + " / ".join(problems))
        inspection.summary = summary
        inspection.completed_at = timezone.now()
        inspection.completed_by = actor.user
        inspection.save(update_fields=["summary", "completed_at", "completed_by"])
        record(
            actor,
            AuditEvent.CONTROL_COMPLETE_SELF_INSPECTION,
            inspection,
            details={
                "inspection_year": inspection.year,
                "nonconforming_items": [_title(i) for i in items if i.answer == Answer.NONCONFORMING],
                "finding_count": inspection.findings.count(),
                "summary_opinion": summary,
            },
        )
    return inspection


def record_export(actor: Actor, inspection: SelfInspection, *, file_format: str) -> None:
    """The report leaves jikimi (to PIPC, to the 감사 담당): who took it, when, in what form."""
    ensure(actor.user, Permission.VIEW_SELF_INSPECTION, inspection.institution, whole=True)
    with transaction.atomic():
        record(
            actor,
            AuditEvent.CONTROL_EXPORT_SELF_INSPECTION,
            inspection,
            details={"inspection_year": inspection.year, "format": file_format},
        )
