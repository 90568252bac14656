"""The staff home page: what needs doing, for the person who can do it (R36: within their scope).

Each section is a provider: a function of (user, today) that returns a Section, or None when the
person holds none of the permissions it needs. A section's items carry a count and a link to the page
where the work is done (filtered where that page has a filter), and up to MAX_ROWS of the things
counted, each with its own link.

Extension point: `SECTIONS` is the list of providers, in the order shown. The disclosure work (subject
requests with their 10-day clock, 시행령 제41조⑤; provisions and their destruction reports due) adds
its providers to it when those apps exist — a function in this package calling that app's queries
(web sits above every app, so the apps never import this module).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from jikimi.accounts.permissions import Permission, has_permission, institutions_for
from jikimi.control import health_queries, incident_queries
from jikimi.control.duties import duties as control_duties
from jikimi.disclosure import after_queries
from jikimi.disclosure import queries as requests_queries
from jikimi.inventory.models import Device
from jikimi.lib.clock import SEOUL
from jikimi.publishing.models import PolicyVersion
from jikimi.vault import attention, queries
from jikimi.vault.actions.alerts import alerts_for

MAX_ROWS = 10  # things listed under an item; the count and the page say the rest


@dataclass(frozen=True)
class Row:
    text: str
    url: str


@dataclass(frozen=True)
class Item:
    key: str  # stable name, for tests and the page's anchors
    label: str
    count: int
    url: str
    unit: str = "건"
    hint: str = ""  # what the count means / what to do
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    items: list[Item]


Provider = Callable[[Any, date], Section | None]


def _devices(user: Any, *permissions: Permission) -> QuerySet[Device]:
    """The devices of the groups where `user` holds any of `permissions` (R36)."""
    scope = Device.objects.none()
    for permission in permissions:
        scope = scope | queries.devices_for(user, permission)
    return Device.objects.filter(pk__in=scope.values("pk"))


def _device_url(device: Device) -> str:
    return reverse("vault:device_detail", args=[device.pk])


def recording(user: Any, today: date) -> Section | None:
    """Cameras down or never recorded (R41), and the vault's open alerts."""
    permissions = (Permission.VIEW_FOOTAGE, Permission.MANAGE_DEVICES)
    if not any(has_permission(user, p) for p in permissions):
        return None
    down = attention.not_recording(_devices(user, *permissions))
    alerts = alerts_for(user).filter(acknowledged_at__isnull=True)
    return Section(
        "recording",
        "녹화·경보",
        [
            Item(
                "not_recording",
                "녹화 안 됨",
                len(down),
                reverse("vault:index") + "?state=down",
                unit="대",
                hint="장애·녹화기 중지이거나 한 번도 영상이 저장되지 않은 기기",
                rows=[Row(f"{r.device.name} — {r.why}", _device_url(r.device)) for r in down[:MAX_ROWS]],
            ),
            Item(
                "open_alerts",
                "확인하지 않은 경보",
                alerts.count(),
                reverse("vault:alerts"),
                hint="확인하고 조치한 내용을 적으세요",
                rows=[
                    Row(
                        f"{a.get_kind_display()} — {a.device.name if a.device else a.institution.name}",
                        reverse("vault:alerts"),
                    )
                    for a in alerts[:MAX_ROWS]
                ],
            ),
        ],
    )


def holds(user: Any, today: date) -> Section | None:
    """Legal holds ending within 14 days, and those that ended (R18)."""
    if not has_permission(user, Permission.PLACE_HOLD):
        return None
    devices = _devices(user, Permission.PLACE_HOLD)
    ending = list(attention.holds_ending(devices, today))
    ended = list(attention.holds_ended(devices, today))

    def row(hold: Any) -> Row:
        if hold.released_at is not None:
            when = f"{hold.released_at.astimezone(SEOUL):%Y-%m-%d} 해제"
        else:
            when = f"보존 종료일 {hold.ends_on:%Y-%m-%d}"
        return Row(f"{hold.device.name} — {when} ({hold.basis})", _device_url(hold.device))

    return Section(
        "holds",
        "분리 보관(법적 보존)",
        [
            Item(
                "holds_ending",
                f"{attention.HOLD_HORIZON_DAYS}일 안에 끝나는 보존",
                len(ending),
                "#holds_ending",
                hint="연장이 필요하면 기기 화면에서 연장하세요",
                rows=[row(h) for h in ending[:MAX_ROWS]],
            ),
            Item(
                "holds_ended",
                "끝난 보존",
                len(ended),
                "#holds_ended",
                hint=f"최근 {attention.HOLD_HORIZON_DAYS}일: 영상은 기기의 보관기간에 따라 파기됩니다",
                rows=[row(h) for h in ended[:MAX_ROWS]],
            ),
        ],
    )


def destruction(user: Any, today: date) -> Section | None:
    """Footage past its retention that is not destroyed yet, and past its deadline (R17)."""
    if not has_permission(user, Permission.DESTROY_FOOTAGE):
        return None
    due = attention.destruction_due(_devices(user, Permission.DESTROY_FOOTAGE), today)
    overdue = [d for d in due if d.overdue(today)]

    def row(entry: attention.DestructionDue) -> Row:
        return Row(
            f"{entry.device.name} — {entry.oldest_day:%Y-%m-%d} 영상, 파기 기한 {entry.deadline:%Y-%m-%d}",
            _device_url(entry.device),
        )

    url = reverse("vault:destruction_list")
    return Section(
        "destruction",
        "영상 파기",
        [
            Item(
                "destruction_due",
                "보관기간이 지나 파기할 영상",
                len(due),
                url,
                unit="대",
                hint="매일 새벽 자동 파기가 기한 안에 파기합니다",
                rows=[row(d) for d in due[:MAX_ROWS]],
            ),
            Item(
                "destruction_overdue",
                "파기 기한이 지난 영상",
                len(overdue),
                url,
                unit="대",
                hint="파기가 실행되지 않았습니다: 경보와 파기 기록을 확인하세요",
                rows=[row(d) for d in overdue[:MAX_ROWS]],
            ),
        ],
    )


def policies(user: Any, today: date) -> Section | None:
    """Policy versions announced but not in force yet (R7: 공고 후 시행)."""
    institutions = institutions_for(user, Permission.PUBLISH_POLICY, whole_institution=True)
    if not institutions.exists():
        return None
    versions = list(
        PolicyVersion.objects.filter(
            institution__in=institutions, effective_on__gt=today, withdrawal__isnull=True
        )
        .select_related("institution")
        .order_by("effective_on", "institution__name")
    )
    rows = [
        Row(
            f"{v.institution.name} 제{v.number}판 — 공고 {v.announced_on:%Y-%m-%d}, 시행 {v.effective_on:%Y-%m-%d}",
            reverse("publishing:staff_institution", args=[v.institution.slug]),
        )
        for v in versions[:MAX_ROWS]
    ]
    return Section(
        "policies",
        "운영·관리방침",
        [
            Item(
                "policies_announced",
                "공고 중, 시행 전인 방침",
                len(versions),
                rows[0].url if len(rows) == 1 else reverse("publishing:staff_index"),
                hint="시행일 전에 공고된 변경 내용을 검토하세요",
                rows=rows,
            )
        ],
    )


def requests(user: Any, today: date) -> Section | None:
    """Data subjects' requests in the person's scope, and their 10-day clock (법 제35조③, R22)."""
    if not has_permission(user, Permission.HANDLE_REQUESTS):
        return None
    load = requests_queries.workload(user, today)

    def row(request: Any) -> Row:
        left = (request.due_on - today).days
        when = f"{left}일 남음" if left > 0 else ("오늘까지" if left == 0 else f"{-left}일 지남")
        return Row(
            f"{request.receipt_number} {request.get_kind_display()} — 기한 {request.due_on:%Y-%m-%d} ({when})",
            reverse("disclosure:request", args=[request.pk]),
        )

    url = reverse("disclosure:index")
    return Section(
        "requests",
        "열람 등 청구",
        [
            Item(
                "requests_open",
                "처리 중",
                len(load.open),
                url,
                hint="접수부터 종결까지: 본인 확인, 존재확인, 결정·통지",
            ),
            Item(
                "requests_due_soon",
                "기한 임박",
                len(load.due_soon),
                url,
                hint=f"{requests_queries.REMIND_WORKING_DAYS}근무일 안에 처리 기한이 오는 청구",
                rows=[row(r) for r in load.due_soon[:MAX_ROWS]],
            ),
            Item(
                "requests_overdue",
                "기한 지남",
                len(load.overdue),
                url + "?state=open&overdue=on",
                hint="결정하지 못한 채 10일이 지났습니다: 개인정보 보호책임자에게 보고됩니다",
                rows=[row(r) for r in load.overdue[:MAX_ROWS]],
            ),
        ],
    )


def provision_duties(user: Any, today: date) -> Section | None:
    """What follows a provision: the recipients' destruction reports due or overdue (군산시 제4조, 오산시
    지침 제35조③), publication within 30 days (법 제18조④, R31), the notice to the data subject (제35조②)."""
    if not has_permission(user, Permission.HANDLE_PROVISIONS):
        return None
    load = after_queries.duties(user, today)

    def row(case: Any, due: date | None, what: str) -> Row:
        left = (due - today).days if due else 0
        when = f"{left}일 남음" if left > 0 else ("오늘까지" if left == 0 else f"{-left}일 지남")
        due_text = f" — {what} {due:%Y-%m-%d} ({when})" if due else ""
        return Row(
            f"{case.case_number} {case.body.name}{due_text}", reverse("provisions:after", args=[case.pk])
        )

    overdue_url = reverse("provisions:overdue")

    def first_or(rows: list[Row]) -> str:
        return rows[0].url if len(rows) == 1 else overdue_url

    destruction_late = [row(c, c.destroy_by, "파기 통보 기한") for c in load.destruction_overdue[:MAX_ROWS]]
    destruction_soon = [row(c, c.destroy_by, "파기 통보 기한") for c in load.destruction_due_soon[:MAX_ROWS]]
    publication_late = [row(c, c.publish_by, "공개 기한") for c in load.publication_overdue[:MAX_ROWS]]
    publication_soon = [row(c, c.publish_by, "공개 기한") for c in load.publication_due_soon[:MAX_ROWS]]
    notices = [row(c, None, "") for c in load.notice_pending[:MAX_ROWS]]
    return Section(
        "provision_duties",
        "제3자 제공 후속 조치",
        [
            Item(
                "provision_destruction_overdue",
                "파기 통보 기한 지남",
                len(load.destruction_overdue),
                overdue_url,
                hint="제공받은 기관에 파기와 통보를 요구하세요 (매일 알림 메일이 갑니다)",
                rows=destruction_late,
            ),
            Item(
                "provision_destruction_due_soon",
                "파기 통보 기한 임박",
                len(load.destruction_due_soon),
                first_or(destruction_soon),
                hint="7일 안에 제공받은 기관의 파기 통보 기한이 오는 제공",
                rows=destruction_soon,
            ),
            Item(
                "provision_publication_overdue",
                "공개 기한 지남",
                len(load.publication_overdue),
                overdue_url,
                hint="제공한 날부터 30일이 지났습니다: 지금 공개하세요 (개인정보 보호법 제18조④)",
                rows=publication_late,
            ),
            Item(
                "provision_publication_due_soon",
                "공개 기한 임박",
                len(load.publication_due_soon),
                first_or(publication_soon),
                hint="7일 안에 30일 공개 기한이 오는 제공",
                rows=publication_soon,
            ),
            Item(
                "provision_notice_pending",
                "정보주체 통지 기록 필요",
                len(load.notice_pending),
                first_or(notices),
                hint="수사·재판 자료로 제공한 영상: 통지했거나 통지할 수 없는 사유를 기록하세요 (오산시 지침 제35조②)",
                rows=notices,
            ),
        ],
    )


def control(user: Any, today: date) -> Section | None:
    """The control room (오산시 지침 제21조③, 제27조): the seconded police officer's unread incident
    notices — reported to him "at once" — the open incidents, and the open maintenance tickets."""
    reads = any(has_permission(user, p) for p in incident_queries.READERS)
    health = has_permission(user, Permission.VIEW_HEALTH)
    if not reads and not health:
        return None
    items = []
    if reads:
        unread = list(incident_queries.unread_notices(user)[:MAX_ROWS])
        open_incidents = incident_queries.visible_incidents(user).exclude(state="closed")
        items += [
            Item(
                "incident_notices",
                "확인하지 않은 사건 통보",
                incident_queries.unread_notices(user).count(),
                reverse("control:incidents"),
                hint="관제요원이 보고한 사건: 112지령실·재난상황실 등에 통보하고 기록하세요",
                rows=[
                    Row(
                        f"{n.incident.number} {n.incident.get_kind_display()} — {n.incident.device.name}",
                        reverse("control:incident", args=[n.incident_id]),
                    )
                    for n in unread
                ],
            ),
            Item(
                "incidents_open", "진행 중인 관제 사건", open_incidents.count(), reverse("control:incidents")
            ),
        ]
    if health:
        tickets = health_queries.visible_tickets(user).filter(closed_at__isnull=True)
        items.append(
            Item(
                "tickets_open",
                "처리 중인 유지보수",
                tickets.count(),
                reverse("control:tickets"),
                hint="끊긴 카메라·영상 이상·멈추거나 과부하인 녹화기 (복구되면 자동 종결)",
                rows=[
                    Row(
                        f"{t.get_fault_display()} — {t.device.name if t.device else '녹화기 ' + t.recorder[:8]}"
                        f" ({t.opened_at.astimezone(SEOUL):%m-%d %H:%M} 접수)",
                        reverse("control:ticket", args=[t.pk]),
                    )
                    for t in tickets.order_by("-opened_at")[:MAX_ROWS]
                ],
            )
        )
    return Section("control", "통합관제센터", items)


# In the order shown. Provisions (제3자 제공) add their provider here when they exist.
SECTIONS: list[Provider] = [requests, provision_duties, control, recording, holds, destruction, policies]


@dataclass(frozen=True)
class Shortcut:
    label: str
    url: str


def shortcuts(user: Any) -> list[Shortcut]:
    """The pages the person may open, so that the home page is also a way to each of them."""
    links = []
    if has_permission(user, Permission.VIEW_REGISTER):
        links.append(Shortcut("설치·운영 현황", reverse("inventory:group_list")))
    if any(
        has_permission(user, p)
        for p in (
            Permission.VIEW_FOOTAGE,
            Permission.MANAGE_DEVICES,
            Permission.PLACE_HOLD,
            Permission.DESTROY_FOOTAGE,
        )
    ):
        links.append(Shortcut("영상 보관", reverse("vault:index")))
    if has_permission(user, Permission.VIEW_FOOTAGE):
        links.append(Shortcut("존재확인", reverse("vault:coverage")))
    if has_permission(user, Permission.HANDLE_REQUESTS):
        links.append(Shortcut("열람 등 청구", reverse("disclosure:index")))
    if has_permission(user, Permission.PUBLISH_POLICY):
        links.append(Shortcut("방침 공개", reverse("publishing:staff_index")))
    # The control centre's duties, each its own shortcut (the menu has one entry for them all).
    links += [Shortcut(duty.label, duty.url) for duty in control_duties(user)]
    if has_permission(user, Permission.READ_AUDIT):
        links.append(Shortcut("감사 기록", reverse("audit:entry_list")))
    if has_permission(user, Permission.MANAGE_ACCOUNTS):
        links.append(Shortcut("계정·권한", reverse("accounts:user_list")))
    return links


def sections(user: Any, today: date) -> list[Section]:
    return [section for provider in SECTIONS if (section := provider(user, today)) is not None]
