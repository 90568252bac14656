"""The figures of the yearly self-inspection (R8), counted from jikimi's own records of one institution's
year (Asia/Seoul): the register and its signs, the policy, the retention sweeps and destructions, the
requests and provisions, the monthly access-log reviews, the control room's visits, training and
contracts. Each auto-filled item of jikimi.rules.self_inspection gets its figures here, with notes that
name what a figure counts, and a link to the page where the evidence is.

"At the year's end" means the last day of the year, or today while the year runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from jikimi.accounts.models import Contract, ContractorInspection, RoleGrant
from jikimi.accounts.permissions import footage_roles
from jikimi.accounts.training import people_of, statuses
from jikimi.audit.models import AuditReview
from jikimi.control.models import SelfInspection, Visit
from jikimi.disclosure.models import Decision, ProvisionCase, SubjectRequest
from jikimi.inventory.checks import institution_problems
from jikimi.inventory.models import Device, DeviceGroup, Institution
from jikimi.lib.clock import SEOUL
from jikimi.publishing.queries import current_version
from jikimi.publishing.signs import sign_for
from jikimi.rules.people_duties import missing_clauses
from jikimi.rules.self_inspection import CHECKLIST, Source
from jikimi.vault.models import Destruction, RetentionSweep

NOTES_SHOWN = 20  # names listed under an item; the count says how many there are


@dataclass
class Counted:
    figures: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if len(self.notes) < NOTES_SHOWN:
            self.notes.append(text)


@dataclass(frozen=True)
class Year:
    institution: Institution
    year: int
    start: datetime  # aware, Seoul midnight of 1 January
    end: datetime  # aware, Seoul midnight of the next 1 January
    as_of: date  # the year's last day, or today while it runs
    today: date


def year_of(institution: Institution, year: int, today: date) -> Year:
    return Year(
        institution,
        year,
        datetime.combine(date(year, 1, 1), time.min, tzinfo=SEOUL),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=SEOUL),
        min(date(year, 12, 31), today),
        today,
    )


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment, SEOUL).date()


def _operating_groups(y: Year) -> list[DeviceGroup]:
    return list(
        DeviceGroup.objects.filter(institution=y.institution, status=DeviceGroup.Status.OPERATING)
        .select_related("institution", "department")
        .prefetch_related("locations", "managers", "staff", "contractors")
        .order_by("position", "pk")
    )


def register(y: Year) -> Counted:
    groups = _operating_groups(y)
    errors = [p for p in institution_problems(y.institution) if p.is_error]
    counted = Counted(
        {
            "groups": len(groups),
            "devices": Device.objects.filter(device_group__institution=y.institution).count(),
            "register_errors": len(errors),
        }
    )
    for problem in errors:
        counted.note(f"[{problem.rule}] {problem.entry or problem.location}: {problem.message}")
    return counted


def signs(y: Year) -> Counted:
    groups = [g for g in _operating_groups(y) if g.kind == DeviceGroup.Kind.FIXED]
    counted = Counted({"groups": len(groups), "without_notice": 0, "incomplete_signs": 0})
    for group in groups:
        if not group.notice_method.strip():
            counted.figures["without_notice"] += 1
            counted.note(f"{group.name}: 촬영사실 고지 방법(안내판) 미기록")
        missing = sign_for(group).missing
        if missing:
            counted.figures["incomplete_signs"] += 1
            counted.note(f"{group.name}: 안내판에 없는 항목 — {', '.join(missing)}")
    return counted


def policy(y: Year) -> Counted:
    version = current_version(y.institution, y.as_of)
    published = y.institution.policy_versions.filter(
        published_at__gte=y.start, published_at__lt=y.end
    ).count()
    counted = Counted(
        {
            "versions_in_force": 1 if version else 0,
            "published_in_year": published,
            "missing": 0 if version else 1,
        }
    )
    if version is not None:
        counted.note(f"제{version.number}판 (시행 {version.effective_on:%Y-%m-%d})")
    return counted


def retention(y: Year) -> Counted:
    # The sweep runs for the whole installation (one vault): its runs are the institution's too.
    sweeps = RetentionSweep.objects.filter(ran_at__gte=y.start, ran_at__lt=y.end)
    destructions = Destruction.objects.filter(
        device__device_group__institution=y.institution, destroyed_at__gte=y.start, destroyed_at__lt=y.end
    ).exclude(kind=Destruction.Kind.HOLD, segments=0)
    counted = Counted(
        {
            "sweeps": sweeps.filter(completed=True).count(),
            "sweeps_refused": sweeps.filter(completed=False).count(),
            "destructions": destructions.count(),
            "overdue": destructions.filter(overdue=True).count(),
        }
    )
    for sweep in sweeps.filter(completed=False).order_by("ran_at"):
        counted.note(f"{timezone.localtime(sweep.ran_at, SEOUL):%Y-%m-%d %H:%M} 점검 거부: {sweep.refused}")
    for destruction in destructions.filter(overdue=True).select_related("device").order_by("destroyed_at"):
        counted.note(
            f"{destruction.device.name} {destruction.key_id}: 기한 {destruction.deadline} → "
            f"{_local_day(destruction.destroyed_at)} 파기"
        )
    return counted


def requests(y: Year) -> Counted:
    received = SubjectRequest.objects.filter(
        institution=y.institution, received_at__gte=y.start, received_at__lt=y.end
    )
    first: dict[int, Decision] = {}
    for decision in Decision.objects.filter(request__in=received).order_by("request_id", "number"):
        first.setdefault(decision.request_id, decision)
    counted = Counted({"received": 0, "on_time": 0, "late": 0, "open_overdue": 0})
    for request in received.order_by("received_at", "pk"):
        counted.figures["received"] += 1
        found = first.get(request.pk)
        if found is not None:
            # 법 제35조③: the due date already carries a postponement with reasons (R22).
            decided_on = _local_day(found.decided_at)
            if decided_on <= request.due_on:
                counted.figures["on_time"] += 1
            else:
                counted.figures["late"] += 1
                counted.note(f"청구 {request.receipt_number}: 기한 {request.due_on}, 결정 {decided_on}")
        elif request.state != SubjectRequest.State.WITHDRAWN and request.due_on < y.as_of:
            counted.figures["open_overdue"] += 1
            counted.note(f"청구 {request.receipt_number}: 기한 {request.due_on}, 결정 없음")
    return counted


def provisions(y: Year) -> Counted:
    cases = ProvisionCase.objects.filter(
        institution=y.institution, received_at__gte=y.start, received_at__lt=y.end
    ).order_by("received_at", "pk")
    counted = Counted({"received": 0, "provided": 0, "publication_late": 0, "destruction_unconfirmed": 0})
    for case in cases:
        counted.figures["received"] += 1
        if case.provided_at is not None:
            counted.figures["provided"] += 1
        # 법 제18조④ (R31): published within 30 days; the case carries its own deadline (none: exempt).
        if case.publish_by is not None and (
            (case.published_at is None and case.publish_by < y.as_of)
            or (case.published_at is not None and _local_day(case.published_at) > case.publish_by)
        ):
            counted.figures["publication_late"] += 1
            counted.note(f"제공 {case.case_number}: 공개 기한 {case.publish_by} 경과")
        if (
            case.destroy_by is not None
            and case.destroy_by < y.as_of
            and case.destruction_reported_at is None
            and case.destroyed_on is None
        ):
            counted.figures["destruction_unconfirmed"] += 1
            counted.note(f"제공 {case.case_number}: 파기 기한 {case.destroy_by}, 파기 통보 없음")
    return counted


def months_to_review(y: Year) -> list[date]:
    """The months of the year that have ended by today (a running month is reviewed after it ends)."""
    months = [date(y.year, m, 1) for m in range(1, 13)]
    return [
        m
        for m in months
        if (date(m.year + 1, 1, 1) if m.month == 12 else date(m.year, m.month + 1, 1)) <= y.today
    ]


def access_reviews(y: Year) -> Counted:
    months = months_to_review(y)
    # The institution's own review (안전성 확보조치 기준 제8조②): signed for the whole institution.
    reviewed = set(
        AuditReview.objects.filter(
            scope_institution=y.institution.pk,
            scope_department__isnull=True,
            month__gte=date(y.year, 1, 1),
            month__lte=date(y.year, 12, 1),
        ).values_list("month", flat=True)
    )
    done = [m for m in months if m in reviewed]
    counted = Counted({"months": len(months), "reviewed": len(done), "missing": len(months) - len(done)})
    for month in months:
        if month not in reviewed:
            counted.note(f"{month:%Y년 %m월}: 점검 확인 없음")
    return counted


def control_room(y: Year) -> Counted:
    visits = Visit.objects.filter(
        institution=y.institution, visit_on__gte=date(y.year, 1, 1), visit_on__lte=date(y.year, 12, 31)
    )
    entered = visits.filter(entered_at__isnull=False)
    # A visit of the day still running is not missing its exit yet.
    without_exit = entered.filter(left_at__isnull=True, visit_on__lt=y.as_of)
    unapproved = entered.filter(decided_at__isnull=True)
    counted = Counted(
        {
            "visits": visits.count(),
            "entered": entered.count(),
            "without_exit": without_exit.count(),
            "entered_unapproved": unapproved.count(),
        }
    )
    for visit in without_exit.order_by("visit_on"):
        counted.note(f"{visit.visit_on} {visit.visitor_name}({visit.organisation}): 퇴실 기록 없음")
    for visit in unapproved.order_by("visit_on"):
        counted.note(f"{visit.visit_on} {visit.visitor_name}({visit.organisation}): 사전 승인 없이 입실")
    return counted


def training(y: Year) -> Counted:
    roles = footage_roles()
    counted = Counted({"footage_accounts": 0, "trained": 0, "untrained": 0})
    holders = set(
        RoleGrant.objects.filter(
            institution=y.institution, revoked_at__isnull=True, role__in=list(roles)
        ).values_list("user_id", flat=True)
    )
    for user in people_of([y.institution.pk]).filter(pk__in=holders):
        counted.figures["footage_accounts"] += 1
        person = statuses(user, y.as_of)
        if person and all(status.counts for status in person):
            counted.figures["trained"] += 1
            continue
        counted.figures["untrained"] += 1
        why = (
            ", ".join(status.describe() for status in person if not status.counts)
            if person
            else "필수 교육 과정이 정해져 있지 않음"
        )
        counted.note(f"{user.name} ({user.username}): {why}")
    return counted


def contracts(y: Year) -> Counted:
    found = Contract.objects.filter(
        institution=y.institution, period_start__lte=date(y.year, 12, 31), period_end__gte=date(y.year, 1, 1)
    ).order_by("period_start", "pk")
    inspected = set(
        ContractorInspection.objects.filter(
            contract__in=found, inspected_on__gte=date(y.year, 1, 1), inspected_on__lte=date(y.year, 12, 31)
        ).values_list("contract_id", flat=True)
    )
    counted = Counted({"contracts": 0, "missing_clauses": 0, "not_inspected": 0})
    for contract in found:
        counted.figures["contracts"] += 1
        missing = missing_clauses(contract.clause_where())
        if missing:
            counted.figures["missing_clauses"] += 1
            counted.note(f"{contract.contractor_name}: 빠진 조항 — {', '.join(c.label for c in missing)}")
        if contract.pk not in inspected:
            counted.figures["not_inspected"] += 1
            counted.note(f"{contract.contractor_name}: {y.year}년 수탁자 점검 기록 없음")
    return counted


GATHER: dict[str, Callable[[Year], Counted]] = {
    "register": register,
    "signs": signs,
    "policy": policy,
    "retention": retention,
    "requests": requests,
    "provisions": provisions,
    "access_reviews": access_reviews,
    "control_room": control_room,
    "training": training,
    "contracts": contracts,
}
assert set(GATHER) == {item.code for item in CHECKLIST if item.source is Source.AUTO}


def gather(institution: Institution, year: int, today: date) -> dict[str, Counted]:
    """Every auto-filled item's figures for the institution's year."""
    y = year_of(institution, year, today)
    return {code: count(y) for code, count in GATHER.items()}


# Where an officer (or the auditor) reads the evidence of an item: the page of the records counted.
EVIDENCE: dict[str, tuple[str, Callable[[Institution, int], str]]] = {
    "register": ("설치·운영 현황", lambda i, year: reverse("inventory:register_home", args=[i.pk])),
    "signs": ("안내판", lambda i, year: reverse("publishing:signs", args=[i.slug])),
    "policy": ("운영·관리방침", lambda i, year: reverse("publishing:policy", args=[i.slug])),
    "retention": ("파기 기록", lambda i, year: reverse("vault:destruction_list")),
    "requests": ("연간 처리 현황", lambda i, year: f"{reverse('ledger:figures')}?year={year}"),
    "provisions": ("연간 처리 현황", lambda i, year: f"{reverse('ledger:figures')}?year={year}"),
    "access_reviews": ("접속기록 월간 점검", lambda i, year: reverse("audit:review")),
    "control_room": ("출입자 현황", lambda i, year: reverse("control:visitors", args=[i.slug])),
    "training": ("교육 이수", lambda i, year: reverse("accounts:training")),
    "contracts": ("위탁 계약", lambda i, year: reverse("accounts:contract_list")),
}


def evidence_link(code: str, institution: Institution, year: int) -> tuple[str, str] | None:
    found = EVIDENCE.get(code)
    if found is None:
        return None
    label, url = found
    return label, url(institution, year)


def inspections_of(institution: Institution) -> list[SelfInspection]:
    return list(SelfInspection.objects.filter(institution=institution).order_by("-year"))
