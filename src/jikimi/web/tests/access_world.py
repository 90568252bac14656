"""The world the access matrix runs in: two institutions, each with two departments, device groups,
devices with footage, legal holds, a viewing, a published policy and the house personas (R36).

Every object that a wrong person must never see carries a unique ASCII marker in its name (ASCII, so
that it reads the same in HTML, escaped JSON and URLs); the matrix looks for the markers in every
response body. A persona is declared with the grants it holds, so that the expectations are computed
from this declaration and `jikimi.accounts.permissions.ROLE_PERMISSIONS` (the policy), never from
the permission checks under test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group
from django.utils import timezone

from jikimi.accounts.actions import assign_staff, record_contract
from jikimi.accounts.models import Role, RoleGrant, User
from jikimi.accounts.permissions import ROLE_PERMISSIONS, Permission
from jikimi.accounts.testing import make_department, make_group, make_institution, make_user
from jikimi.audit.context import Actor
from jikimi.audit.models import AuditEntry
from jikimi.engine.synthetic import write_clip
from jikimi.inventory.models import (
    Contractor,
    DeclaredTotal,
    Department,
    Device,
    DeviceGroup,
    Institution,
    Location,
    Officer,
    PolicyDocument,
    PolicyRevision,
    RequestFee,
)
from jikimi.publishing.actions import publish_policy
from jikimi.publishing.models import PolicyVersion
from jikimi.rules.people_duties import CONTRACT_CLAUSES
from jikimi.vault.actions.devices import add_device
from jikimi.vault.actions.holds import place_hold
from jikimi.vault.actions.ingest import ingest
from jikimi.vault.actions.playback import open_viewing
from jikimi.vault.models import (
    Destruction,
    HeldSegment,
    LegalHold,
    RecordingTrigger,
    Segment,
    VaultAlert,
    Viewing,
)

SETUP = Actor(user=None, label="행렬 준비", client_address="test")

# The two institutions; the same department names and group keys in both, as real registers have them.
INSTITUTIONS = {"incheon": "인천광역시", "gwangyang": "광양시"}
DEPARTMENT_NAMES = {"a": "교통행정과", "b": "총무과"}
GROUP_KEYS = {"a": "bus-lane", "b": "city-hall"}
BUILDING = "본관"


def marker(slug: str, what: str) -> str:
    """A unique token; the closing "-qz" keeps one marker from being the prefix of another."""
    return f"zq-{slug}-{what}-qz"


class Kind(Enum):
    REGISTER = "register"  # published with the policy: public pages may show it, staff pages only in scope
    PERSONAL = "personal"  # personal or case data: only to the people whose scope it is in
    SECRET = "secret"  # shown to nobody, ever (camera credentials)


@dataclass(frozen=True)
class Marker:
    text: str
    kind: Kind
    institution: str
    department: str | None = None  # "a" / "b": the department whose scope it is in
    group: str | None = None  # "a" / "b": the device group whose scope it is in
    about: str = ""  # what it marks: "group", "device", "password", "requester", "purpose", "clerk"


def markers_of(slug: str) -> list[Marker]:
    found = []
    for part in ("a", "b"):
        found += [
            Marker(marker(slug, f"group-{part}"), Kind.REGISTER, slug, part, part, "group"),
            Marker(marker(slug, f"device-{part}"), Kind.REGISTER, slug, part, part, "device"),
            Marker(marker(slug, f"password-{part}"), Kind.SECRET, slug, part, part, "password"),
            Marker(marker(slug, f"requester-{part}"), Kind.PERSONAL, slug, part, part, "requester"),
        ]
    found += [
        Marker(marker(slug, "purpose-a"), Kind.PERSONAL, slug, "a", "a", "purpose"),
        # A data subject's request naming site a: its requester's name (issue 13).
        Marker(marker(slug, "subject-a"), Kind.PERSONAL, slug, "a", "a", "subject"),
        # A provision case on device a: the requesting officer's name (issue 14).
        Marker(marker(slug, "provision-a"), Kind.PERSONAL, slug, "a", "a", "provision"),
        Marker(marker(slug, "clerk"), Kind.PERSONAL, slug, None, None, "clerk"),
        Marker(marker(slug, "clerk-phone"), Kind.PERSONAL, slug, None, None, "clerk"),
    ]
    return found


MARKERS = [m for slug in INSTITUTIONS for m in markers_of(slug)]


# ---- personas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Where a grant holds: the whole institution, one department, or one device group ("a"/"b")."""

    department: str | None = None
    group: str | None = None


WHOLE = Scope()


@dataclass(frozen=True)
class Persona:
    key: str  # e.g. "officer_a"; with the institution: "incheon.officer_a"
    institution: str | None  # None: anonymous, or a superuser of no institution
    grants: tuple[tuple[str, Scope], ...] = ()
    logged_in: bool = True
    active: bool = True
    superuser: bool = False
    staff: bool = False
    must_change_password: bool = False

    @property
    def id(self) -> str:
        return f"{self.institution}.{self.key}" if self.institution else self.key

    @property
    def effective(self) -> bool:
        """Logged in as an active account (an inactive one is anonymous to Django)."""
        return self.logged_in and self.active

    def holds(
        self,
        permission: Permission,
        institution: str | None = None,
        *,
        department: str | None = None,
        group: str | None = None,
        whole: bool = False,
    ) -> bool:
        """Whether the declared grants give `permission` there (the spec of accounts.permissions)."""
        if not self.effective:
            return False
        if self.superuser and permission == Permission.MANAGE_ACCOUNTS:
            return True
        for role, scope in self.grants:
            if permission not in ROLE_PERMISSIONS[role]:
                continue
            if institution is None:
                return True
            if self.institution != institution:
                continue
            if scope == WHOLE:
                return True
            if whole:
                continue
            if group is not None and (scope.group == group or scope.department == group):
                # Group "a" belongs to department "a": a department grant covers its groups.
                return True
            if department is not None and group is None and scope.department == department:
                return True
        return False

    def covers_group(self, institution: str, group: str) -> bool:
        """Holds any role on the group (every role reads the register of its scope)."""
        return self.holds(Permission.VIEW_REGISTER, institution, group=group)


def personas_of(slug: str) -> list[Persona]:
    a, b = Scope(department="a"), Scope(department="b")
    return [
        Persona("officer_a", slug, ((Role.OFFICER, a),)),
        Persona("officer_b", slug, ((Role.OFFICER, b),)),
        Persona("privacy_officer", slug, ((Role.PRIVACY_OFFICER, WHOLE),)),
        Persona("operating_head", slug, ((Role.OPERATING_HEAD, Scope(group="a")),)),
        # `jikimi create_admin --institution` makes the administrator is_staff.
        Persona("administrator", slug, ((Role.ADMINISTRATOR, WHOLE),), staff=True),
        Persona("auditor", slug, ((Role.AUDITOR, WHOLE),)),
        Persona("auditor_b", slug, ((Role.AUDITOR, b),)),
        Persona("operator", slug, ((Role.OPERATOR, a),)),
        Persona("contractor", slug, ((Role.CONTRACTOR, Scope(group="b")),)),
        Persona("no_grant", slug),
        Persona("deactivated", slug, ((Role.OFFICER, a),), active=False),
        Persona("must_change", slug, ((Role.OFFICER, a),), must_change_password=True),
        # Investigating bodies' officers (the portal, issue 14): of police station "a", whose case the
        # world holds, and of police station "b" (same institution), who must never see it.
        Persona("requesting_officer", slug, ((Role.REQUESTING_OFFICER, WHOLE),)),
        Persona("requesting_officer_b", slug, ((Role.REQUESTING_OFFICER, WHOLE),)),
    ]


PERSONAS: list[Persona] = [
    Persona("anonymous", None, logged_in=False),
    *[p for slug in INSTITUTIONS for p in personas_of(slug)],
    Persona("superuser", None, superuser=True, staff=True),
]


# ---- the objects ------------------------------------------------------------------------------


@dataclass
class Site:
    """One institution's objects, by the names the expectations table uses."""

    institution: Institution
    departments: dict[str, Department] = field(default_factory=dict)
    groups: dict[str, DeviceGroup] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)
    holds: dict[str, LegalHold] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)  # one object per admin model label, and more


@dataclass
class World:
    sites: dict[str, Site]
    users: dict[str, User]  # by Persona.id
    start: datetime  # the footage's start (aware)

    def user(self, persona: Persona) -> User | None:
        return self.users.get(persona.id)


def _user(persona: Persona, site: Site | None) -> User:
    username = persona.id.replace(".", "-")
    institution = site.institution if site else None
    user = make_user(
        username,
        institution=institution or make_institution("incheon", INSTITUTIONS["incheon"]),
        name=f"{persona.key} 담당",
        is_staff=persona.staff,
        is_superuser=persona.superuser,
        must_change_password=persona.must_change_password,
    )
    if institution is None:
        user.institution = None
        user.save(update_fields=["institution"])
    for role, scope in persona.grants:
        assert site is not None
        from jikimi.accounts.actions import grant_role

        grant_role(
            SETUP,
            user,
            role=role,
            institution=site.institution,
            departments=[site.departments[scope.department]] if scope.department else [],
            device_groups=[site.groups[scope.group]] if scope.group else [],
            reason="행렬 준비",
        )
    if not persona.active:
        # Deactivated (by the HR system, say) with its grants unrevoked: is_active alone must shut every
        # door, also for a session opened before (the matrix logs in first, then deactivates).
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user


def _register(slug: str) -> Site:
    institution = make_institution(slug, INSTITUTIONS[slug])
    site = Site(institution)
    for part, name in DEPARTMENT_NAMES.items():
        site.departments[part] = make_department(name, institution)
    for part, key in GROUP_KEYS.items():
        group = make_group(
            site.departments[part],
            key,
            institution,
            name=f"{DEPARTMENT_NAMES[part]} CCTV {marker(slug, f'group-{part}')}",
            retention="30일",
            recording_hours="24시간",
        )
        site.groups[part] = group
        site.locations[part] = Location.objects.create(
            device_group=group, key=f"gate-{part}", name=f"{part} 정문", count=1, building=BUILDING
        )
    officer = Officer.objects.create(
        institution=institution, key="head-a", department=site.departments["a"], position="교통행정과장"
    )
    site.objects["inventory.officer"] = officer
    site.objects["inventory.contractor"] = Contractor.objects.create(
        institution=institution,
        key="keeper",
        task="CCTV 유지보수",
        company="㈜지킴",
        supervising_department=site.departments["a"],
    )
    site.objects["inventory.declaredtotal"] = DeclaredTotal.objects.create(
        institution=institution, key="all", label="전체", count=2
    )
    site.objects["inventory.policydocument"] = PolicyDocument.objects.create(
        institution=institution, privacy_officer=officer, privacy_department=site.departments["a"]
    )
    site.objects["inventory.policyrevision"] = PolicyRevision.objects.create(
        institution=institution, key="first", label="최초 제정", valid_from=date(2020, 1, 1)
    )
    site.objects["inventory.requestfee"] = RequestFee.objects.create(
        institution=institution, key="viewing", item="열람", amount=None, basis="시험 조례"
    )
    return site


def _vault(site: Site, slug: str, clip: Path, start: datetime, officer_a: User) -> None:
    for part in ("a", "b"):
        device = add_device(
            SETUP,
            site.groups[part],
            f"{part}번 카메라 {marker(slug, f'device-{part}')}",
            location=site.locations[part],
            source_url=f"rtsp://viewer:{marker(slug, f'password-{part}')}@10.0.0.{ord(part)}:554/stream",
        )
        site.devices[part] = device
        ingest(SETUP, device, clip, start, source_label="matrix.mp4")
        site.segments[part] = Segment.objects.filter(device=device).order_by("start").first()  # type: ignore[assignment]
        site.holds[part] = place_hold(
            SETUP,
            device,
            start - timedelta(minutes=1),
            start + timedelta(minutes=10),
            basis="수사기관 보존 요청 제2026-1호",
            requester=f"경찰서 {marker(slug, f'requester-{part}')}",
            ends_on=timezone.localdate() + timedelta(days=30),
        )
    viewing = open_viewing(
        Actor(user=officer_a, label=str(officer_a), client_address="127.0.0.1"),
        site.devices["a"],
        start - timedelta(minutes=1),
        start + timedelta(minutes=10),
        f"교통사고 경위 확인 {marker(slug, 'purpose-a')}",
    )
    site.objects["viewing"] = viewing
    site.objects["held_copy"] = HeldSegment.objects.filter(hold=site.holds["a"]).order_by("start").first()
    site.objects["inventory.device"] = site.devices["a"]
    site.objects["vault.legalhold"] = site.holds["a"]
    now = timezone.now()
    # A destruction record and an event-driven recording window, only for their pages.
    site.objects["vault.destruction"] = Destruction.objects.create(
        kind=Destruction.Kind.DAY_KEY,
        device=site.devices["a"],
        key_id=f"matrix-{slug}-day",
        covers_start=start - timedelta(days=40),
        covers_end=start - timedelta(days=39),
        method="데이터 키 파기 (암호 삭제)",
        destroyed_at=now - timedelta(days=1),
        actor_label="보관기간 만료",
    )
    site.objects["vault.recordingtrigger"] = RecordingTrigger.objects.create(
        device_group=site.groups["a"],
        start=now - timedelta(hours=1),
        end=now - timedelta(minutes=30),
        start_reason="강우",
        started_by="우량계",
    )
    # An open alert about device a (its name is a register marker: only its group's officers see it).
    site.objects["vault.alert"] = VaultAlert.objects.create(
        kind=VaultAlert.Kind.RECORDER_DOWN,
        institution=site.institution,
        device_group=site.groups["a"],
        device=site.devices["a"],
        message=f"{site.devices['a'].name}: 녹화기 중지",
        raised_at=now - timedelta(minutes=5),
    )


def _disclosure(site: Site, slug: str, start: datetime, checker: User) -> None:
    """A request on site a with its identity checked, one postponement and one decision, for the
    decision pages and the letters."""
    import hashlib

    from jikimi.disclosure.models import Decision, IdentityCheck, Postponement, SubjectRequest

    token = f"matrix-status-{slug}".ljust(43, "x")  # the shape of a real token (status_links)
    request = SubjectRequest.objects.create(
        institution=site.institution,
        receipt_number="2026-00001",
        status_token_hash=hashlib.sha256(token.encode()).hexdigest(),
        kind=SubjectRequest.Kind.VIEWING,
        channel=SubjectRequest.Channel.COUNTER,
        requester_name=marker(slug, "subject-a"),  # a personal marker: shown only where it may be
        period_start=start,
        period_end=start + timedelta(minutes=5),
        purpose="본인 영상 열람",
        received_at=timezone.now(),
        due_on=timezone.localdate() + timedelta(days=10),
        state=SubjectRequest.State.DECIDED,
    )
    request.locations.add(site.locations["a"])
    IdentityCheck.objects.create(
        request=request,
        method="id_card",
        document="주민등록증",
        checked_by=checker,
        checked_at=timezone.now(),
    )
    site.objects["subject_request"] = request
    site.objects["status_token"] = token
    Postponement.objects.create(
        request=request,
        number=1,
        previous_due_on=request.due_on - timedelta(days=7),
        new_due_on=request.due_on,
        reason="제3자 마스킹",
        postponed_by=checker,
        postponed_by_label=str(checker),
        postponed_at=timezone.now(),
        letter_pdf=b"%PDF-1.7 matrix",
        letter_sha256="0" * 64,
        letter_template="disclosure/letters/postponement.html",
    )
    site.objects["decision"] = Decision.objects.create(
        request=request,
        number=1,
        outcome=Decision.Outcome.VIEWING_ONLINE,
        decided_at=timezone.now(),
        decided_by=checker,
        decided_by_label=str(checker),
        letter_pdf=b"%PDF-1.7 matrix",
        letter_sha256="0" * 64,
        letter_template="disclosure/letters/decision.html",
    )


def _provision(site: Site, slug: str, start: datetime, users: dict[str, User]) -> None:
    """A provision case (received on paper, not urgent) of police station a asking for device a's footage,
    for the provision pages; the two stations' officers' accounts for the portal (station b's officer
    must never see station a's case)."""
    from jikimi.disclosure.models import ExternalRequester, ProvisionCase, ProvisionFootage, RequestingBody

    handler = users[f"{slug}.privacy_officer"]
    bodies = {}
    for part, key, name in (
        ("a", "requesting_officer", "인천남동경찰서"),
        ("b", "requesting_officer_b", "인천중부경찰서"),
    ):
        bodies[part] = RequestingBody.objects.create(
            institution=site.institution, name=name, kind=RequestingBody.Kind.POLICE
        )
        ExternalRequester.objects.create(
            user=users[f"{slug}.{key}"], body=bodies[part], department="형사과", created_by=handler
        )
    case = ProvisionCase.objects.create(
        institution=site.institution,
        case_number="2026-P0001",
        body=bodies["a"],
        channel=ProvisionCase.Channel.PAPER,
        requester_name=marker(slug, "provision-a"),  # a personal marker: shown only where it may be
        letter_number="형사과-1",
        letter_date=timezone.localdate(),
        legal_ground="7",
        purpose="절도 사건 수사",
        received_at=timezone.now(),
    )
    ProvisionFootage.objects.create(
        case=case, device=site.devices["a"], start=start, end=start + timedelta(minutes=5)
    )
    site.objects["provision_case"] = case
    site.objects["requesting_body"] = bodies["a"]


def build_world(clip_folder: Path) -> World:
    """Create everything (a minute or less); the caller rolls it all back afterwards."""
    clip = write_clip(clip_folder / "matrix.mp4", width=64, height=48, fps=10, seconds=4, audio=None)
    # Footage of an hour ago, so that nothing depends on the date the suite runs on.
    start = (timezone.now() - timedelta(hours=1)).replace(second=0, microsecond=0)
    sites = {slug: _register(slug) for slug in INSTITUTIONS}
    auth_group = Group.objects.create(name="matrix")  # Django's own (no longer in the admin)
    users: dict[str, User] = {}
    for persona in PERSONAS:
        if persona.logged_in:
            users[persona.id] = _user(persona, sites.get(persona.institution or ""))
    for slug, site in sites.items():
        clerk = make_user(
            f"{slug}-clerk",
            Role.OFFICER,
            institution=site.institution,
            departments=[site.departments["a"]],
            name=marker(slug, "clerk"),
            phone=marker(slug, "clerk-phone"),
        )
        site.objects["clerk"] = clerk
        site.objects["accounts.user"] = clerk
        site.objects["accounts.rolegrant"] = RoleGrant.objects.get(user=clerk)
        # The contractor persona works under a contract in force with its five clauses (R33): the
        # matrix tests its role's rights; the refusals without one are accounts' own tests.
        contract = record_contract(
            SETUP,
            institution=site.institution,
            contractor_name="㈜지킴",
            task="CCTV 유지보수",
            period_start=date(2000, 1, 1),
            period_end=date(2099, 12, 31),
            clauses={clause.key: f"제{n}조" for n, clause in enumerate(CONTRACT_CLAUSES, start=1)},
        )
        assign_staff(SETUP, contract, users[f"{slug}.contractor"])
        site.objects["accounts.contract"] = contract
        site.objects["accounts.contractstaff"] = contract.staff.get()
        _vault(site, slug, clip, start, users[f"{slug}.officer_a"])
        _control(site, users[f"{slug}.operating_head"], start)
        for number, (announced, effective) in enumerate(
            [(date(2026, 1, 1), date(2026, 1, 8)), (date(2026, 2, 1), date(2026, 2, 8))], start=1
        ):
            # Each version changes something: an identical one is refused ("변경 내용 없음").
            PolicyDocument.objects.filter(institution=site.institution).update(
                preamble=f"제{number}판 머리말"
            )
            publish_policy(
                SETUP, site.institution, announced, effective, f"제{number}판", check_permission=False
            )
        site.objects["publishing.policyversion"] = PolicyVersion.objects.get(
            institution=site.institution, number=1
        )
        site.objects["inventory.institution"] = site.institution
        site.objects["inventory.department"] = site.departments["a"]
        site.objects["inventory.devicegroup"] = site.groups["a"]
        site.objects["inventory.location"] = site.locations["a"]
        site.objects["auth.group"] = auth_group
        site.objects["audit.auditentry"] = AuditEntry.objects.get(
            action="vault.place_hold", target_id=str(site.holds["a"].pk)
        )
        assert Viewing.objects.filter(device=site.devices["a"]).exists()
        _disclosure(site, slug, start, users[f"{slug}.privacy_officer"])
        _provision(site, slug, start, users)
    return World(sites=sites, users=users, start=start)


def _control(site: Site, inspector: User, start: datetime) -> None:
    """A maintenance ticket of device a and a check of normal operation (오산시 지침 제27조, 제31조④).

    The check names who made it (점검자): the log's readers see that name, which is the log's point. The
    checker is the operating head of group a (MANAGE_TICKETS), not the clerk, whose name and phone mark
    leaks of account details (readers of accounts and of the audit log only)."""
    from jikimi.control.models import InspectionCheck, MaintenanceTicket

    site.objects["control.maintenanceticket"] = MaintenanceTicket.objects.create(
        institution=site.institution,
        fault=MaintenanceTicket.Fault.CAMERA_DOWN,
        device=site.devices["a"],
        fault_since=start,
        opened_at=start,
        description="영상 끊김",
    )
    site.objects["control.inspectioncheck"] = InspectionCheck.objects.create(
        institution=site.institution,
        device=site.devices["a"],
        checked_on=start.date(),
        checked_by=inspector,
        items="화각, 초점",
        result=InspectionCheck.Result.NORMAL,
    )
