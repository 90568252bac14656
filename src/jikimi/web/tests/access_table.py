"""Who may reach each URL of jikimi: the declared expectations of the access matrix (R36).

Every URL pattern of the URL conf (jikimi's pages, the JSON API, the Django admin with every
registered model) has one row here, keyed by its name ("vault:device_detail") or, when it has none,
by its route ("admin/(?P<url>.*)$"). test_R36_access_matrix fails for a URL without a row, so a
URL added later cannot escape the matrix. A row says:

- `who`: the rule deciding which persona may reach it (`public`, `logged_in`, `permission(P, where)`,
  `superuser(...)`, `nobody`, …), written from the law's roles (ROLE_PERMISSIONS), not from the code;
- `method`: GET; or POST/JSON for views that only accept POST (sent with a valid CSRF token);
- `kwargs`/`path`/`query`/`data`: built from the fixture objects of the target institution. The target
  objects live in department "a" (group a, its device, hold and a viewing of officer_a): officer_b,
  auditor_b and the contractor of group b are the same-institution people who must be refused.

Cells that fail for a reason an open issue names are in KNOWN_FAILURES at the end of this file,
and only there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from django.contrib.contenttypes.models import ContentType

from jikimi.accounts.permissions import Permission
from jikimi.lib.clock import SEOUL
from jikimi.web.tests.access_world import BUILDING, GROUP_KEYS, INSTITUTIONS, Persona, Site, World


class Verdict(Enum):
    ALLOWED = "allowed"  # 2xx, 400/409/422 (past the door), or a redirect that is not to the login page
    REFUSED = "refused"  # 401, 403, 404, 405, or a redirect to the login page
    EITHER = "either"  # not decided here: only "no 500, no marker it may not see" is checked


@dataclass(frozen=True)
class Rule:
    name: str
    decide: Callable[[Persona, str | None], Verdict]
    public: bool = False  # a public page may show the register (published with the policy)

    def __call__(self, persona: Persona, institution: str | None) -> Verdict:
        return self.decide(persona, institution)


def _yes(allowed: bool) -> Verdict:
    return Verdict.ALLOWED if allowed else Verdict.REFUSED


public = Rule("public", lambda p, i: Verdict.ALLOWED, public=True)
anyone = Rule("anyone (any answer but 500)", lambda p, i: Verdict.EITHER)
logged_in = Rule("any logged-in account", lambda p, i: _yes(p.effective))
nobody = Rule("nobody", lambda p, i: Verdict.REFUSED)


def permission(*permissions: Permission, where: str = "anywhere") -> Rule:
    """Any of `permissions`, held `where`: "anywhere" (some scope), "institution" (the target institution
    as a whole), or "group" (target group a: the whole institution, department a, or group a)."""

    def decide(persona: Persona, institution: str | None) -> Verdict:
        for wanted in permissions:
            if where == "anywhere" and persona.holds(wanted):
                return Verdict.ALLOWED
            if where == "institution" and persona.holds(wanted, institution, whole=True):
                return Verdict.ALLOWED
            if where == "group" and persona.holds(wanted, institution, group="a"):
                return Verdict.ALLOWED
        return Verdict.REFUSED

    return Rule(f"{' or '.join(permissions)} on {where}", decide)


def in_institution(permission: Permission) -> Rule:
    """`permission` in some scope of the target institution (a department, a group, or the whole)."""
    return Rule(
        f"{permission} in the target institution",
        lambda p, i: _yes(any(p.holds(permission, i, group=g) for g in GROUP_KEYS)),
    )


def _viewing_owner(persona: Persona, institution: str | None) -> Verdict:
    # A viewing is its opener's, while open (R41): nobody else plays it, not even a privacy officer.
    return _yes(persona.key == "officer_a" and persona.institution == institution and persona.effective)


viewing_owner = Rule("the viewing's opener", _viewing_owner)


def _live_viewing_owner(persona: Persona, institution: str | None) -> Verdict:
    # A live viewing is its opener's (the operator of department a), while open (R41).
    return _yes(persona.key == "operator" and persona.institution == institution and persona.effective)


live_viewing_owner = Rule("the live viewing's opener", _live_viewing_owner)
# The stream of a live viewing: refused to all but its opener; the opener gets the recorder's window, or
# 404 when the camera is not published live now (no recorder runs in the matrix).
live_stream_owner = Rule(
    "the live viewing's opener (404 without a recorder), nobody else",
    lambda p, i: Verdict.EITHER if _live_viewing_owner(p, i) is Verdict.ALLOWED else Verdict.REFUSED,
)


def superuser(verdict: Verdict) -> Rule:
    """The Django admin: for superusers (system administrators) only; everybody else is refused."""
    return Rule(
        f"superuser ({verdict.value}), nobody else",
        lambda p, i: verdict if (p.superuser and p.effective) else Verdict.REFUSED,
    )


def _own_body_case(persona: Persona, institution: str | None) -> Verdict:
    # The portal (issue 14): a case is its requesting body's — the officer of police station "a" of the
    # target institution; no other body's officer, and no staff member (they work inside, not here).
    return _yes(
        persona.key == "requesting_officer" and persona.institution == institution and persona.effective
    )


own_body_case = Rule("the case's own requesting body's officer", _own_body_case)
# The application form lists the institution's sites by device group: the register, published with the
# policy, which a requesting officer may read like anybody.
portal_applicant = Rule(
    "apply_for_provision anywhere (shows the published register)",
    lambda p, i: _yes(p.holds(Permission.APPLY_FOR_PROVISION)),
    public=True,
)

Builder = Callable[[World, Site], Mapping[str, Any]]


@dataclass(frozen=True)
class Row:
    who: Rule
    method: str = "GET"  # GET, POST (form) or JSON (POST with a JSON body)
    kwargs: Builder | None = None  # reverse() arguments from the target's objects
    path: Callable[[World, Site], str] | None = None  # for unnamed patterns
    query: Builder | None = None
    data: Builder | None = None
    targeted: bool | None = None  # names an object of an institution (default: has kwargs/path/query)
    variants: tuple[str, ...] = ()  # values of the one kwarg `variant_kwarg` (admin:app_list)
    variant_kwarg: str = ""

    @property
    def is_targeted(self) -> bool:
        if self.targeted is not None:
            return self.targeted
        return self.kwargs is not None or self.path is not None or self.query is not None


def _pk(name: str) -> Builder:
    return lambda world, site: {"pk": site.objects[name].pk}


def _device(world: World, site: Site) -> dict[str, Any]:
    return {"pk": site.devices["a"].pk}


def _hold(world: World, site: Site) -> dict[str, Any]:
    return {"pk": site.holds["a"].pk}


def _masking_job(world: World, site: Site) -> Any:
    """A masking job (ready for review, no derivative) of the world's request on site a's location a.

    Made inside the test's transaction (rolled back after each cell), when first asked for.
    """
    from jikimi.disclosure.models import MaskingJob

    request = site.objects["subject_request"]
    job = MaskingJob.objects.filter(request=request).first()
    if job is not None:
        return job
    return MaskingJob.objects.create(
        request=request,
        device=site.devices["a"],
        start=request.period_start,
        end=request.period_end,
        state=MaskingJob.State.READY,
        created_by=next(iter(world.users.values())),
    )


def _ledger_entry(world: World, site: Site) -> dict[str, Any]:
    """The 관리대장 row the world's viewing (officer_a, device a) wrote: the institution's own 이용."""
    from jikimi.disclosure.models import LedgerEntry

    return {"pk": LedgerEntry.objects.get(audit_entry__details__viewing=site.objects["viewing"].pk).pk}


def _ledger_signer(persona: Persona, institution: str | None) -> Verdict:
    reads = persona.holds(Permission.VIEW_LEDGER, institution, group="a")
    decides = any(
        persona.holds(wanted, institution, group=g)
        for wanted in (Permission.DECIDE_REQUESTS, Permission.APPROVE_PROVISIONS)
        for g in GROUP_KEYS
    )
    return _yes(reads and decides and persona.key != "officer_a")


ledger_signer = Rule("VIEW_LEDGER on group a, and a decider (결재)", _ledger_signer)


def _job(world: World, site: Site) -> dict[str, Any]:
    return {"pk": _masking_job(world, site).pk}


def _job_request(world: World, site: Site) -> dict[str, Any]:
    return {"pk": _masking_job(world, site).request_id}


def _provision_case(world: World, site: Site) -> dict[str, Any]:
    """An approved provision of site a's camera to a police station (the handover pages), made inside
    the test's transaction when first asked for."""
    from django.utils import timezone

    from jikimi.disclosure.models import ProvisionCase, ProvisionFootage, RequestingBody

    found = ProvisionCase.objects.filter(institution=site.institution, case_number="2026-P9001").first()
    if found is None:
        body, _ = RequestingBody.objects.get_or_create(
            institution=site.institution, name="매트릭스경찰서", defaults={"kind": RequestingBody.Kind.POLICE}
        )
        now = timezone.now()
        found = ProvisionCase.objects.create(
            institution=site.institution,
            case_number="2026-P9001",
            body=body,
            channel=ProvisionCase.Channel.PAPER,
            state=ProvisionCase.State.APPROVED,
            requester_name="수사관",
            letter_number="수사-1",
            letter_date=timezone.localdate(),
            legal_ground="7",
            purpose="범죄 수사",
            received_at=now,
        )
        ProvisionFootage.objects.create(
            case=found, device=site.devices["a"], start=now - timedelta(hours=2), end=now - timedelta(hours=1)
        )
    return {"pk": found.pk}


def _delivered_case(world: World, site: Site) -> dict[str, Any]:
    """Station a's case, provided as an encrypted package still open for download (the portal's
    download): made inside the test's transaction when first asked for."""
    import tempfile
    from pathlib import Path

    from django.utils import timezone

    from jikimi.disclosure.masked_files import seal_file
    from jikimi.disclosure.models import ProvisionCase, ProvisionDelivery

    case = site.objects["provision_case"]
    if not ProvisionDelivery.objects.filter(case=case).exists():
        with tempfile.TemporaryDirectory() as folder:
            archive = Path(folder) / "package.zip"
            archive.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty ZIP: the door is what is tested
            sealed = seal_file(archive, f"provision-{case.pk}")
        now = timezone.now()
        ProvisionDelivery.objects.create(
            case=case,
            kind=ProvisionDelivery.Kind.PACKAGE,
            object_name=sealed.object_name,
            key_id=sealed.key_id,
            wrapped_key=sealed.wrapped_key,
            file_name=f"{case.case_number}.zip",
            sha256=sealed.sha256,
            size=sealed.size,
            expires_at=now + timedelta(days=7),
            handed_over_at=now,
            created_by=world.users[f"{site.institution.slug}.privacy_officer"],
        )
        ProvisionCase.objects.filter(pk=case.pk).update(
            state=ProvisionCase.State.PROVIDED, delivery=ProvisionCase.Delivery.PACKAGE, provided_at=now
        )
    return {"pk": case.pk}


def _status_link(world: World, site: Site) -> dict[str, Any]:
    # No status token is ever stored (only its hash): a link that is not the requester's finds nothing.
    return {"token": "x" * 43, "pk": 1}


def _group(world: World, site: Site) -> dict[str, Any]:
    return {"pk": site.groups["a"].pk}


def _location(world: World, site: Site) -> dict[str, Any]:
    return {"pk": site.locations["a"].pk}


def _ptz_preset(world: World, site: Site) -> dict[str, Any]:
    """An approved preset of site a's location (R14), made when first asked for."""
    from jikimi.inventory.models import PtzPreset

    location = site.locations["a"]
    PtzPreset.objects.get_or_create(
        location=location, key="gate", defaults={"name": "정문", "pan": 0.1, "tilt": -0.2, "zoom": 0.0}
    )
    return {"pk": location.pk, "key": "gate"}


def _privacy_zone(world: World, site: Site) -> dict[str, Any]:
    """A privacy zone of site a's location (R14), with the preset it needs, made when first asked for."""
    from jikimi.inventory.models import PrivacyZone

    _ptz_preset(world, site)
    location = site.locations["a"]
    PrivacyZone.objects.get_or_create(
        location=location,
        key="windows",
        defaults={"name": "창문", "pan_min": 0.4, "pan_max": 0.7, "tilt_min": 0.0, "tilt_max": 0.5},
    )
    return {"pk": location.pk, "key": "windows"}


def _contract(world: World, site: Site) -> dict[str, Any]:
    return {"contract_id": site.objects["accounts.contract"].pk}


def _clerk(world: World, site: Site) -> dict[str, Any]:
    return {"user_id": site.objects["clerk"].pk}


def _institution_pk(world: World, site: Site) -> dict[str, Any]:
    return {"pk": site.institution.pk}


def _slug(world: World, site: Site) -> dict[str, Any]:
    return {"slug": site.institution.slug}


def _window(world: World, site: Site) -> dict[str, Any]:
    start = world.start.astimezone(SEOUL)
    return {
        "device": site.devices["a"].pk,
        "start": (start - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "end": (start + timedelta(minutes=15)).strftime("%Y-%m-%dT%H:%M"),
    }


def _viewing(part: str) -> Builder:
    def build(world: World, site: Site) -> dict[str, Any]:
        kwargs = {"pk": site.objects["viewing"].pk}
        if part == "segment":
            kwargs["segment"] = site.segments["a"].pk
        if part == "held":
            kwargs["segment"] = site.objects["held_copy"].pk
        return kwargs

    return build


def _live_viewing(part: str) -> Builder:
    """A live viewing of device a by the target institution's operator (made in the cell's transaction)."""

    def build(world: World, site: Site) -> dict[str, Any]:
        from django.utils import timezone

        from jikimi.control.models import LiveViewing

        user = world.users[f"{site.institution.slug}.operator"]
        viewing = LiveViewing.objects.filter(user=user).first()
        if viewing is None:
            viewing = LiveViewing.objects.create(
                user=user, size=4, expires_at=timezone.now() + timedelta(hours=1)
            )
            viewing.devices.set([site.devices["a"]])
        kwargs: dict[str, Any] = {"pk": viewing.pk}
        if part:
            kwargs["device"] = site.devices["a"].pk
        if part == "init":
            kwargs["name"] = "init-1.mp4"
        if part in ("part", "segment"):
            kwargs["msn"] = 0
        if part == "part":
            kwargs["part"] = 0
        return kwargs

    return build


def _certificate_period(world: World, site: Site) -> dict[str, Any]:
    today = world.start.astimezone(SEOUL).date()
    return {"since": (today - timedelta(days=30)).isoformat(), "until": today.isoformat()}


def _trigger(world: World, site: Site) -> dict[str, Any]:
    # The group's name (the key "bus-lane" is the same in both institutions: the caller's own is meant).
    return {"group": site.groups["a"].name, "reason": ""}


def _subject_request(world: World, site: Site) -> dict[str, Any]:
    return {"pk": site.objects["subject_request"].pk}


def _status_token(world: World, site: Site) -> dict[str, Any]:
    return {"token": site.objects["status_token"]}


def _attachment(world: World, site: Site) -> dict[str, Any]:
    """An attachment of the world's request, stored when first asked for in a test's transaction (the
    attachment store is the test's own)."""
    from jikimi.disclosure.attachments import CheckedFile, store_attachment

    request = site.objects["subject_request"]
    attachment = request.attachments.first()
    if attachment is None:
        jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 32 + b"\xff\xd9"
        attachment = store_attachment(
            request, CheckedFile("id_card", "id_card", "id.jpg", "image/jpeg", jpeg)
        )
    return {"pk": attachment.pk}


def _provision_case(world: World, site: Site) -> dict[str, Any]:
    return {"pk": site.objects["provision_case"].pk}


def _provision_letter(world: World, site: Site) -> dict[str, Any]:
    """The case's letter, stored when first asked for in a test's transaction (the store is the test's)."""
    from jikimi.disclosure.attachments import CheckedFile, store_provision_attachment

    case = site.objects["provision_case"]
    letter = case.attachments.first()
    if letter is None:
        pdf = b"%PDF-1.4\n%%EOF\n"
        letter = store_provision_attachment(
            case, CheckedFile("letter", "letter", "letter.pdf", "application/pdf", pdf), None
        )
    return {"pk": letter.pk}


def _provision_reader(persona: Persona, institution: str | None) -> Verdict:
    # Its handlers (HANDLE_PROVISIONS over device a's group) and the 총괄책임관 of the institution; the
    # control centre's head only for urgent cases (this one is not).
    return _yes(
        persona.holds(Permission.HANDLE_PROVISIONS, institution, group="a")
        or persona.holds(Permission.APPROVE_PROVISIONS, institution, whole=True)
    )


provision_reader = Rule("HANDLE_PROVISIONS on group or APPROVE_PROVISIONS on institution", _provision_reader)
PROVISION_STAFF = (
    Permission.HANDLE_PROVISIONS,
    Permission.APPROVE_PROVISIONS,
    Permission.APPROVE_URGENT_PROVISIONS,
)


def _own_body_officer(persona: Persona, institution: str | None) -> Verdict:
    # The recipient's destruction report (issue 14): only the officer of the case's own body (station
    # a, persona requesting_officer) — not station b's, not staff.
    own = persona.key == "requesting_officer" and persona.institution == institution
    return _yes(own and persona.holds(Permission.APPLY_FOR_PROVISION, institution))


own_body_officer = Rule("APPLY_FOR_PROVISION, own body's case only", _own_body_officer)


def _incident(world: World, site: Site) -> dict[str, Any]:
    """An incident on site a's camera (오산시 지침 제21조③), made when first asked for (no hold: the
    matrix asks who may reach it, not what logging does)."""
    from jikimi.control.models import Incident

    device = site.devices["a"]
    incident = Incident.objects.filter(device=device).first()
    if incident is None:
        incident = Incident.objects.create(
            institution=site.institution,
            number="2026-0001",
            kind=Incident.Kind.CRIME,
            device=device,
            seen_at=world.start,
            description="몸싸움",
            logged_by=next(iter(world.users.values())),
            logged_at=world.start,
        )
    return {"pk": incident.pk}


# The menu's entry leads to an institution whose inspection the user reads whole (R8 is an institution's):
# a department's auditor holds the permission but has no institution to be led to.
self_inspection_reader = Rule(
    "view_self_inspection for a whole institution",
    lambda p, i: _yes(
        any(p.holds(Permission.VIEW_SELF_INSPECTION, slug, whole=True) for slug in INSTITUTIONS)
    ),
)


def _self_inspection(world: World, site: Site) -> dict[str, Any]:
    """Site a's 2026 self-inspection (R8) with its first item, made when first asked for (the matrix asks
    who may reach it, not what starting one counts)."""
    from jikimi.control.models import SelfInspection, SelfInspectionItem

    inspection, created = SelfInspection.objects.get_or_create(
        institution=site.institution,
        year=2026,
        defaults={"started_at": world.start, "started_by": next(iter(world.users.values()))},
    )
    if created:
        SelfInspectionItem.objects.create(
            inspection=inspection, code="opinions", position=1, source="officer"
        )
    return {"slug": site.institution.slug, "year": 2026}


def _self_inspection_item(world: World, site: Site) -> dict[str, Any]:
    from jikimi.control.models import SelfInspectionItem

    kwargs = _self_inspection(world, site)
    item = SelfInspectionItem.objects.get(
        inspection__institution=site.institution, inspection__year=2026, position=1
    )
    return {**kwargs, "item": item.pk}


def _ticket(world: World, site: Site) -> dict[str, Any]:
    """A maintenance ticket of site a's camera (제27조), made when first asked for."""
    from jikimi.control.models import MaintenanceTicket

    device = site.devices["a"]
    ticket = MaintenanceTicket.objects.filter(device=device).first()
    if ticket is None:
        ticket = MaintenanceTicket.objects.create(
            institution=site.institution,
            fault=MaintenanceTicket.Fault.CAMERA_DOWN,
            device=device,
            fault_since=world.start,
            opened_at=world.start,
            description="영상 끊김",
        )
    return {"pk": ticket.pk}


def _ptz_camera(world: World, site: Site) -> dict[str, Any]:
    """Site a's camera as a PTZ camera (R14), made when first asked for; its address answers nothing
    (the matrix posts no valid move: nothing reaches a camera)."""
    from jikimi.inventory.models import PtzCamera

    device = site.devices["a"]
    PtzCamera.objects.get_or_create(
        device=device, defaults={"onvif_address": "http://127.0.0.1:9/onvif/device_service"}
    )
    return {"device": device.pk}


def _ptz_alert(world: World, site: Site) -> dict[str, Any]:
    """A move of site a's PTZ camera that left the approved presets (R14), made when first asked for."""
    from jikimi.control.models import PtzMove

    _ptz_camera(world, site)
    device = site.devices["a"]
    move = PtzMove.objects.filter(device=device).first()
    if move is None:
        move = PtzMove.objects.create(
            device=device,
            user=world.users[f"{site.institution.slug}.operator"],
            at=world.start,
            kind=PtzMove.Kind.POSITION,
            reason="추적",
            alert="승인된 프리셋을 벗어났습니다",
        )
    return {"move": move.pk}


INCIDENT_READERS = (Permission.LOG_INCIDENTS, Permission.REPORT_INCIDENTS)

SLUG = _slug


def _visitors_reader(persona: Persona, institution: str | None) -> Verdict:
    # The head's page of who came in (R41): the centre's staff (any scope) or VIEW_VISITORS on the whole.
    works = any(persona.holds(Permission.WORK_CONTROL_ROOM, institution, group=g) for g in GROUP_KEYS)
    return _yes(works or persona.holds(Permission.VIEW_VISITORS, institution, whole=True))


visitors_reader = Rule("work_control_room in the institution or view_visitors on it", _visitors_reader)
VAULT_PERMISSIONS = (Permission.VIEW_FOOTAGE, Permission.MANAGE_DEVICES, Permission.PLACE_HOLD)

PAGES: dict[str, Row] = {
    "home": Row(public),
    "healthz": Row(public),
    # accounts
    "accounts:login": Row(public),
    "accounts:logout": Row(anyone, method="POST"),
    "accounts:password_change": Row(logged_in),
    "accounts:user_list": Row(permission(Permission.MANAGE_ACCOUNTS)),
    # Training (오산시 지침 제28조, R48) and outsourcing contracts (시행령 제26조, R33–R35).
    "accounts:training": Row(permission(Permission.MANAGE_TRAINING)),
    "accounts:course_create": Row(permission(Permission.MANAGE_TRAINING), method="POST"),
    "accounts:training_record": Row(permission(Permission.MANAGE_TRAINING), method="POST"),
    "accounts:contract_list": Row(permission(Permission.MANAGE_CONTRACTS)),
    "accounts:contract_create": Row(permission(Permission.MANAGE_CONTRACTS), method="POST"),
    "accounts:contract_detail": Row(in_institution(Permission.MANAGE_CONTRACTS), kwargs=_contract),
    "accounts:contract_update": Row(
        in_institution(Permission.MANAGE_CONTRACTS), method="POST", kwargs=_contract
    ),
    "accounts:contract_staff_add": Row(
        in_institution(Permission.MANAGE_CONTRACTS), method="POST", kwargs=_contract
    ),
    "accounts:contract_staff_release": Row(
        in_institution(Permission.MANAGE_CONTRACTS),
        method="POST",
        kwargs=lambda world, site: {
            **_contract(world, site),
            "staff_id": site.objects["accounts.contractstaff"].pk,
        },
    ),
    "accounts:contract_inspect": Row(
        in_institution(Permission.MANAGE_CONTRACTS), method="POST", kwargs=_contract
    ),
    "accounts:user_create": Row(permission(Permission.MANAGE_ACCOUNTS)),
    "accounts:grant_history": Row(permission(Permission.MANAGE_ACCOUNTS)),
    "accounts:user_detail": Row(permission(Permission.MANAGE_ACCOUNTS, where="institution"), kwargs=_clerk),
    "accounts:user_grant": Row(
        permission(Permission.MANAGE_ACCOUNTS, where="institution"), method="POST", kwargs=_clerk
    ),
    "accounts:grant_revoke": Row(
        permission(Permission.MANAGE_ACCOUNTS, where="institution"),
        method="POST",
        kwargs=lambda world, site: {**_clerk(world, site), "grant_id": site.objects["accounts.rolegrant"].pk},
    ),
    "accounts:user_reset_password": Row(
        permission(Permission.MANAGE_ACCOUNTS, where="institution"), method="POST", kwargs=_clerk
    ),
    "accounts:user_unlock": Row(
        permission(Permission.MANAGE_ACCOUNTS, where="institution"), method="POST", kwargs=_clerk
    ),
    # The login's second step: answers a logged-in session (sends on one that passed it already).
    "accounts:second_factor": Row(logged_in),
    "accounts:second_factor_enrol": Row(logged_in),
    "accounts:user_reset_second_factor": Row(
        permission(Permission.MANAGE_ACCOUNTS, where="institution"), method="POST", kwargs=_clerk
    ),
    "accounts:user_deactivate": Row(
        permission(Permission.MANAGE_ACCOUNTS, where="institution"), method="POST", kwargs=_clerk
    ),
    # the register
    "inventory:group_list": Row(permission(Permission.VIEW_REGISTER)),
    "inventory:reconciliation": Row(permission(Permission.VIEW_REGISTER)),
    "inventory:group_detail": Row(permission(Permission.VIEW_REGISTER, where="group"), kwargs=_group),
    "inventory:group_edit": Row(permission(Permission.EDIT_REGISTER, where="group"), kwargs=_group),
    # R14: a location's approved PTZ presets and privacy zones, edited as its group's register entry.
    "inventory:ptz_views": Row(permission(Permission.EDIT_REGISTER, where="group"), kwargs=_location),
    "inventory:ptz_preset_add": Row(permission(Permission.EDIT_REGISTER, where="group"), kwargs=_location),
    "inventory:ptz_preset_edit": Row(permission(Permission.EDIT_REGISTER, where="group"), kwargs=_ptz_preset),
    "inventory:privacy_zone_add": Row(permission(Permission.EDIT_REGISTER, where="group"), kwargs=_location),
    "inventory:privacy_zone_edit": Row(
        permission(Permission.EDIT_REGISTER, where="group"), kwargs=_privacy_zone
    ),
    # The whole register in the browser: the overview for anyone who edits some of it in the institution;
    # the institution's own entries (officers, institution info) for a grant over the whole institution.
    "inventory:register_home": Row(in_institution(Permission.EDIT_REGISTER), kwargs=_institution_pk),
    # Sites' coordinates (issue 17): every site of the institution, so a grant over the whole of it.
    "inventory:site_coordinates": Row(
        permission(Permission.EDIT_REGISTER, where="institution"), kwargs=_institution_pk
    ),
    "inventory:entry_add": Row(
        permission(Permission.EDIT_REGISTER, where="institution"),
        kwargs=lambda world, site: {**_institution_pk(world, site), "section": "officers"},
    ),
    "inventory:entry_edit": Row(
        permission(Permission.EDIT_REGISTER, where="institution"),
        kwargs=lambda world, site: {**_institution_pk(world, site), "section": "institution", "key": "-"},
    ),
    # the audit log
    "audit:entry_list": Row(permission(Permission.READ_AUDIT)),
    "audit:verify": Row(permission(Permission.READ_AUDIT), method="POST"),
    # an export of the log is a download of personal data (R40): the readers of the log only
    "audit:export": Row(permission(Permission.READ_AUDIT), method="POST"),
    "audit:review": Row(permission(Permission.READ_AUDIT)),
    "audit:review_sign": Row(permission(Permission.READ_AUDIT), method="POST"),
    # the 관리대장 and the yearly figures (R26, R30): readers of the ledger; an entry about group a's
    # device (the world's viewing) for a reader over group a; 결재 and correction for such a reader who
    # also decides (operating head, 총괄책임관), never the auditor
    "ledger:index": Row(permission(Permission.VIEW_LEDGER)),
    "ledger:export_xlsx": Row(permission(Permission.VIEW_LEDGER)),
    "ledger:export_pdf": Row(permission(Permission.VIEW_LEDGER)),
    "ledger:figures": Row(permission(Permission.VIEW_LEDGER)),
    "ledger:figures_xlsx": Row(permission(Permission.VIEW_LEDGER)),
    "ledger:entry": Row(permission(Permission.VIEW_LEDGER, where="group"), kwargs=_ledger_entry),
    "ledger:approve": Row(ledger_signer, method="POST", kwargs=_ledger_entry),
    "ledger:correct": Row(ledger_signer, method="POST", kwargs=_ledger_entry),
    # the vault
    # requests: decisions on a request naming site a (the permission on every group it names)
    "disclosure:decisions": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), kwargs=_subject_request
    ),
    "disclosure:decide": Row(
        permission(Permission.DECIDE_REQUESTS, where="group"), method="POST", kwargs=_subject_request
    ),
    "disclosure:letter": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"),
        kwargs=lambda w, s: {"pk": s.objects["subject_request"].pk, "number": 1},
    ),
    "disclosure:decision_fee": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_pk("decision")
    ),
    # the requester's letter: whoever holds the status link (an unguessable token)
    "requests:letter": Row(public, kwargs=lambda w, s: {"token": s.objects["status_token"], "number": 1}),
    # postponement letters: the same rules as the decision letters
    "disclosure:postponement_letter": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"),
        kwargs=lambda w, s: {"pk": s.objects["subject_request"].pk, "number": 1},
    ),
    "requests:postponement_letter": Row(
        public, kwargs=lambda w, s: {"token": s.objects["status_token"], "number": 1}
    ),
    # the requesting bodies' portal (issue 14): their own body's cases only
    "portal:login": Row(public),
    "portal:logout": Row(anyone, method="POST"),
    "portal:index": Row(permission(Permission.APPLY_FOR_PROVISION)),
    "portal:apply": Row(portal_applicant),
    "portal:case": Row(own_body_case, kwargs=_pk("provision_case")),
    "portal:package": Row(own_body_case, kwargs=_delivered_case),
    # their accounts, made by the account managers (inside)
    "external_accounts:officer_list": Row(permission(Permission.MANAGE_ACCOUNTS)),
    "external_accounts:officer_create": Row(permission(Permission.MANAGE_ACCOUNTS)),
    "vault:index": Row(permission(*VAULT_PERMISSIONS, Permission.DESTROY_FOOTAGE)),
    "vault:device_add": Row(permission(Permission.MANAGE_DEVICES)),
    # Anyone logged in opens the list; it shows only the alerts of their groups (vault.actions.alerts).
    "vault:alerts": Row(logged_in),
    "vault:alert_acknowledge": Row(
        permission(Permission.VIEW_FOOTAGE, Permission.MANAGE_DEVICES, where="group"),
        method="POST",
        kwargs=_pk("vault.alert"),
    ),
    "vault:device_detail": Row(permission(*VAULT_PERMISSIONS, where="group"), kwargs=_device),
    "vault:device_move": Row(
        permission(Permission.MANAGE_DEVICES, where="group"), method="POST", kwargs=_device
    ),
    "vault:upload": Row(permission(Permission.MANAGE_DEVICES, where="group"), kwargs=_device),
    "vault:recording_start": Row(
        permission(Permission.MANAGE_DEVICES, where="group"), method="POST", kwargs=_device
    ),
    "vault:recording_stop": Row(
        permission(Permission.MANAGE_DEVICES, where="group"), method="POST", kwargs=_device
    ),
    "vault:hold_new": Row(permission(Permission.PLACE_HOLD, where="group"), kwargs=_device),
    "vault:hold_release": Row(permission(Permission.PLACE_HOLD, where="group"), method="POST", kwargs=_hold),
    "vault:hold_extend": Row(permission(Permission.PLACE_HOLD, where="group"), method="POST", kwargs=_hold),
    "vault:playback_new": Row(permission(Permission.VIEW_FOOTAGE, where="group"), kwargs=_device),
    "vault:viewing": Row(viewing_owner, kwargs=_viewing("")),
    "vault:viewing_playlist": Row(viewing_owner, kwargs=_viewing("")),
    "vault:viewing_init": Row(viewing_owner, kwargs=_viewing("segment")),
    "vault:viewing_media": Row(viewing_owner, kwargs=_viewing("segment")),
    "vault:viewing_held_init": Row(viewing_owner, kwargs=_viewing("held")),
    "vault:viewing_held_media": Row(viewing_owner, kwargs=_viewing("held")),
    "vault:coverage": Row(permission(Permission.VIEW_FOOTAGE, where="group"), query=_window),
    # the live wall (issue 17; 오산시 지침 제19조; R41): WATCH_LIVE, each live viewing its opener's
    "control:wall": Row(permission(Permission.WATCH_LIVE)),
    "control:wall_save": Row(permission(Permission.WATCH_LIVE), method="POST", data=lambda w, s: {"size": 4}),
    "control:wall_live": Row(live_viewing_owner, kwargs=_live_viewing("")),
    "control:wall_camera": Row(live_viewing_owner, method="POST", kwargs=_live_viewing("device")),
    "control:live_playlist": Row(live_stream_owner, kwargs=_live_viewing("device")),
    "control:live_init": Row(live_stream_owner, kwargs=_live_viewing("init")),
    "control:live_part": Row(live_stream_owner, kwargs=_live_viewing("part")),
    "control:live_segment": Row(live_stream_owner, kwargs=_live_viewing("segment")),
    "vault:destruction_list": Row(permission(Permission.DESTROY_FOOTAGE)),
    "vault:destruction_certificate": Row(
        permission(Permission.DESTROY_FOOTAGE), query=_certificate_period, targeted=False
    ),
    # requests (열람 등 청구): the list for any handler; a request for those whose scope names its site
    "disclosure:index": Row(permission(Permission.HANDLE_REQUESTS)),
    "disclosure:request": Row(permission(Permission.HANDLE_REQUESTS, where="group"), kwargs=_subject_request),
    "disclosure:verify_identity": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_subject_request
    ),
    "disclosure:postpone": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_subject_request
    ),
    "disclosure:close": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_subject_request
    ),
    "disclosure:withdraw": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_subject_request
    ),
    "disclosure:resolve_place": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_subject_request
    ),
    # the masked copy of a request (R25): reached through the job's device group
    "disclosure:masking": Row(permission(Permission.HANDLE_REQUESTS, where="group"), kwargs=_job_request),
    "disclosure:masking_start": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_job_request
    ),
    "disclosure:masking_review": Row(permission(Permission.HANDLE_REQUESTS, where="group"), kwargs=_job),
    "disclosure:masking_progress": Row(permission(Permission.HANDLE_REQUESTS, where="group"), kwargs=_job),
    # The preview and its tracks: only to a session that opened the review page (audited) — none here.
    "disclosure:masking_video": Row(nobody, kwargs=_job),
    "disclosure:masking_tracks": Row(nobody, kwargs=_job),
    "disclosure:masking_change": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_job
    ),
    "disclosure:masking_rerender": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_job
    ),
    "disclosure:masking_restart": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_job
    ),
    "disclosure:masking_approve": Row(
        permission(Permission.DECIDE_REQUESTS, where="group"), method="POST", kwargs=_job
    ),
    "disclosure:masking_copy": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_job
    ),
    "disclosure:masking_copy_status": Row(permission(Permission.HANDLE_REQUESTS, where="group"), kwargs=_job),
    # 제공 파일 회수: as ordering the copy (the same people may take it back).
    "disclosure:masking_copy_withdraw": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_job
    ),
    "disclosure:masking_online": Row(
        permission(Permission.HANDLE_REQUESTS, where="group"), method="POST", kwargs=_job
    ),
    # A provision's handover (R25, R32, R49; 별지 제3호 인수증): whoever handles provisions over the case's
    # camera (its group, department or the whole institution).
    "provisions:handover": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), kwargs=_provision_case
    ),
    "provisions:masking_start": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "provisions:package": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "provisions:package_status": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), kwargs=_provision_case
    ),
    "provisions:package_withdraw": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "provisions:provide": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "provisions:receipt": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), kwargs=_provision_case
    ),
    "provisions:sign": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "provisions:receipt_scan": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    # The citizen's copy: only through the request's own status link (none is known here).
    "requests:download_copy": Row(nobody, kwargs=_status_link, targeted=False),
    "requests:view_online": Row(nobody, kwargs=_status_link, targeted=False),
    "requests:online_video": Row(nobody, kwargs=_status_link, targeted=False),
    # the JSON API
    "api:api-root": Row(nobody),
    "api:openapi-json": Row(logged_in),
    "api:openapi-view": Row(logged_in),
    "api:reconciliation": Row(permission(Permission.VIEW_REGISTER)),
    "api:group_reconciliation": Row(
        permission(Permission.VIEW_REGISTER, where="group"),
        kwargs=lambda world, site: {"group_id": site.groups["a"].pk},
    ),
    "api:coverage": Row(permission(Permission.VIEW_FOOTAGE, where="group"), query=_window),
    "api:recording_start": Row(
        permission(Permission.MANAGE_DEVICES, where="group"), method="JSON", data=_trigger, targeted=True
    ),
    "api:recording_stop": Row(
        permission(Permission.MANAGE_DEVICES, where="group"), method="JSON", data=_trigger, targeted=True
    ),
    # disclosure: the citizen's 청구서 and status link are public (법 제35조, R28); the counter and the
    # attachments are for those who handle the institution's requests.
    # What follows a provision (issue 14): the duties, the overdue list, the public page (법 제18조④).
    "provisions:overdue": Row(permission(Permission.HANDLE_PROVISIONS)),
    "provisions:after": Row(permission(Permission.HANDLE_PROVISIONS, where="group"), kwargs=_provision_case),
    "provisions:after_destruction": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "provisions:after_notice": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "provisions:after_publish": Row(
        permission(Permission.HANDLE_PROVISIONS, where="group"), method="POST", kwargs=_provision_case
    ),
    "portal:destruction": Row(own_body_officer, kwargs=_provision_case),
    "requests:provisions": Row(public, kwargs=SLUG),
    "requests:index": Row(public),
    "requests:signing_key": Row(public),
    "requests:new": Row(public, kwargs=SLUG),
    "requests:status": Row(public, kwargs=_status_token),
    "disclosure:counter_new": Row(permission(Permission.HANDLE_REQUESTS, where="institution"), kwargs=SLUG),
    "disclosure:attachment": Row(
        permission(Permission.HANDLE_REQUESTS, where="institution"), kwargs=_attachment
    ),
    # provisions (제3자 제공, issue 14): the staff who handle or decide them, each case in its scope.
    "provisions:index": Row(permission(*PROVISION_STAFF)),
    "provisions:case": Row(provision_reader, kwargs=_provision_case),
    "provisions:review": Row(permission(Permission.HANDLE_PROVISIONS, where="group"), kwargs=_provision_case),
    "provisions:decide": Row(provision_reader, kwargs=_provision_case),
    "provisions:attachment": Row(provision_reader, kwargs=_provision_letter),
    "provisions:new": Row(in_institution(Permission.HANDLE_PROVISIONS), kwargs=SLUG),
    "provisions:bodies": Row(in_institution(Permission.HANDLE_PROVISIONS), kwargs=SLUG),
    # the control centre's people and room (오산시 지침 제21조, 제22조, 제24조, 제31조①; R41)
    "control:centre_index": Row(permission(Permission.VIEW_CONTROL_CENTRE)),
    # The menu's entry lists the duties a person may reach: any of them opens it.
    "control:index": Row(
        permission(
            Permission.VIEW_CONTROL_CENTRE,
            Permission.WATCH_LIVE,
            *INCIDENT_READERS,
            Permission.VIEW_HEALTH,
            Permission.OPERATE_PTZ,
            Permission.MANAGE_TRAINING,
            Permission.MANAGE_CONTRACTS,
        )
    ),
    "control:centre": Row(in_institution(Permission.VIEW_CONTROL_CENTRE), kwargs=SLUG),
    "control:shift_plan": Row(
        permission(Permission.MANAGE_CONTROL_ROOM, where="institution"), method="POST", kwargs=SLUG
    ),
    "control:handover": Row(in_institution(Permission.WORK_CONTROL_ROOM), method="POST", kwargs=SLUG),
    "control:shift_check": Row(in_institution(Permission.WORK_CONTROL_ROOM), method="POST", kwargs=SLUG),
    "control:visitors": Row(visitors_reader, kwargs=SLUG),
    "control:visit_request": Row(in_institution(Permission.WORK_CONTROL_ROOM), method="POST", kwargs=SLUG),
    "control:visit_decide": Row(
        permission(Permission.MANAGE_CONTROL_ROOM, where="institution"), method="POST", kwargs=SLUG
    ),
    "control:visit_entry": Row(in_institution(Permission.WORK_CONTROL_ROOM), method="POST", kwargs=SLUG),
    "control:visit_exit": Row(in_institution(Permission.WORK_CONTROL_ROOM), method="POST", kwargs=SLUG),
    "control:door_log": Row(
        permission(Permission.MANAGE_CONTROL_ROOM, where="institution"), method="POST", kwargs=SLUG
    ),
    "control:committee": Row(permission(Permission.MANAGE_COMMITTEE, where="institution"), kwargs=SLUG),
    **{
        f"control:committee_{part}": Row(
            permission(Permission.MANAGE_COMMITTEE, where="institution"), method="POST", kwargs=SLUG
        )
        for part in ("member", "term", "meeting", "agenda", "decision")
    },
    # the control centre: incidents (오산시 지침 제21조③) — the operators who log them and the seconded
    # police who receive and report them, each incident within the scope of its camera's group
    "control:incidents": Row(permission(*INCIDENT_READERS)),
    "control:incident_new": Row(permission(Permission.LOG_INCIDENTS)),
    "control:incident": Row(permission(*INCIDENT_READERS, where="group"), kwargs=_incident),
    "control:incident_report": Row(
        permission(Permission.REPORT_INCIDENTS, where="group"), method="POST", kwargs=_incident
    ),
    "control:incident_follow_up": Row(
        permission(*INCIDENT_READERS, where="group"), method="POST", kwargs=_incident
    ),
    "control:incident_close": Row(
        permission(Permission.REPORT_INCIDENTS, where="group"), method="POST", kwargs=_incident
    ),
    # camera health, maintenance and the check of normal operation (제27조, 제31조④)
    "control:health": Row(permission(Permission.VIEW_HEALTH)),
    "control:tickets": Row(permission(Permission.VIEW_HEALTH)),
    "control:ticket": Row(permission(Permission.VIEW_HEALTH, where="group"), kwargs=_ticket),
    "control:ticket_repair": Row(
        permission(Permission.MANAGE_TICKETS, where="group"), method="POST", kwargs=_ticket
    ),
    "control:inspections": Row(permission(Permission.VIEW_HEALTH)),
    "control:inspection_add": Row(permission(Permission.MANAGE_TICKETS), method="POST"),
    # the export is a download (R40: audited), of no personal data
    "control:inspections_xlsx": Row(permission(Permission.VIEW_HEALTH)),
    "control:inspections_pdf": Row(permission(Permission.VIEW_HEALTH)),
    # the yearly self-inspection (R8): run by the privacy officer for the whole institution; the centre's
    # head and the auditor read it and download the report
    "control:self_inspection_index": Row(self_inspection_reader),
    "control:self_inspections": Row(
        permission(Permission.VIEW_SELF_INSPECTION, where="institution"), kwargs=SLUG
    ),
    "control:self_inspection_start": Row(
        permission(Permission.RUN_SELF_INSPECTION, where="institution"), method="POST", kwargs=SLUG
    ),
    "control:self_inspection": Row(
        permission(Permission.VIEW_SELF_INSPECTION, where="institution"), kwargs=_self_inspection
    ),
    "control:self_inspection_answer": Row(
        permission(Permission.RUN_SELF_INSPECTION, where="institution"),
        method="POST",
        kwargs=_self_inspection_item,
    ),
    **{
        f"control:self_inspection_{part}": Row(
            permission(Permission.RUN_SELF_INSPECTION, where="institution"),
            method="POST",
            kwargs=_self_inspection,
        )
        for part in ("finding", "complete")
    },
    **{
        f"control:self_inspection_{part}": Row(
            permission(Permission.VIEW_SELF_INSPECTION, where="institution"), kwargs=_self_inspection
        )
        for part in ("pdf", "xlsx")
    },
    # pan/tilt/zoom (R14): OPERATE_PTZ over the camera's group (with the live wall's scope, R47); an
    # alert is closed by MANAGE_TICKETS over it
    "control:ptz": Row(permission(Permission.OPERATE_PTZ)),
    "control:ptz_camera": Row(permission(Permission.OPERATE_PTZ, where="group"), kwargs=_ptz_camera),
    "control:ptz_move": Row(
        permission(Permission.OPERATE_PTZ, where="group"), method="POST", kwargs=_ptz_camera
    ),
    "control:ptz_close_alert": Row(
        permission(Permission.MANAGE_TICKETS, where="group"), method="POST", kwargs=_ptz_alert
    ),
    # publishing: the policy and signs are public (영 제25조②, R5, R10)
    "publishing:policy": Row(public, kwargs=SLUG),
    "publishing:policy_pdf": Row(public, kwargs=SLUG),
    "publishing:version": Row(public, kwargs=lambda w, s: {**_slug(w, s), "number": 1}),
    "publishing:version_pdf": Row(public, kwargs=lambda w, s: {**_slug(w, s), "number": 1}),
    "publishing:compare": Row(public, kwargs=lambda w, s: {**_slug(w, s), "a": 1, "b": 2}),
    "publishing:compare_pdf": Row(public, kwargs=lambda w, s: {**_slug(w, s), "a": 1, "b": 2}),
    "publishing:signs": Row(public, kwargs=SLUG),
    "publishing:sign_pdf": Row(public, kwargs=lambda w, s: {**_slug(w, s), "group_key": GROUP_KEYS["a"]}),
    "publishing:building_sign_pdf": Row(public, kwargs=_slug, query=lambda w, s: {"building": BUILDING}),
    "publishing:location_sign_pdf": Row(
        public,
        kwargs=lambda w, s: {
            **_slug(w, s),
            "group_key": GROUP_KEYS["a"],
            "location_key": s.locations["a"].key,
        },
    ),
    "publishing:staff_index": Row(logged_in),
    "publishing:staff_institution": Row(
        permission(Permission.PUBLISH_POLICY, where="institution"), kwargs=SLUG
    ),
    "publishing:publish": Row(
        permission(Permission.PUBLISH_POLICY, where="institution"), method="POST", kwargs=SLUG
    ),
    "publishing:withdraw": Row(
        permission(Permission.PUBLISH_POLICY, where="institution"),
        method="POST",
        kwargs=lambda w, s: {**_slug(w, s), "number": 2},
    ),
    "publishing:adopt": Row(
        permission(Permission.PUBLISH_POLICY, where="institution"),
        method="POST",
        kwargs=lambda w, s: {**_slug(w, s), "item": 7},
    ),
    "publishing:check_dates": Row(permission(Permission.PUBLISH_POLICY, where="institution"), kwargs=SLUG),
    "publishing:compare_draft": Row(permission(Permission.PUBLISH_POLICY, where="institution"), kwargs=SLUG),
    "publishing:installation_pdf": Row(
        permission(Permission.PUBLISH_POLICY, where="institution"), kwargs=SLUG
    ),
    "publishing:installation_xlsx": Row(
        permission(Permission.PUBLISH_POLICY, where="institution"), kwargs=SLUG
    ),
}

# ---- the Django admin ------------------------------------------------------------------------
# For superusers only. Read-only everywhere: add and delete are refused to everybody. A superuser with
# no grant (the matrix's) reads accounts and grants only; footage, holds and destructions are not in the
# admin at all. Every page is also checked for markers the reader may not see (camera password, hold
# requester, …). A model registered later needs a line here, or its URLs are unclassified.

ADMIN_MODELS: dict[str, Verdict] = {
    "accounts.user": Verdict.ALLOWED,  # superusers manage accounts (accounts.permissions)
    "accounts.rolegrant": Verdict.ALLOWED,
    "audit.auditentry": Verdict.REFUSED,  # READ_AUDIT only: a superuser is no back door to the log
    # The register: only of institutions where the superuser holds a grant to see it (none here).
    "inventory.institution": Verdict.REFUSED,
    "inventory.department": Verdict.REFUSED,
    "inventory.officer": Verdict.REFUSED,
    "inventory.contractor": Verdict.REFUSED,
    "inventory.devicegroup": Verdict.REFUSED,
    "inventory.location": Verdict.REFUSED,
    "inventory.declaredtotal": Verdict.REFUSED,
    "inventory.policydocument": Verdict.REFUSED,
    "inventory.policyrevision": Verdict.REFUSED,
    "inventory.requestfee": Verdict.REFUSED,
    "inventory.device": Verdict.REFUSED,
    "publishing.policyversion": Verdict.REFUSED,
    # Contracts and the control centre's health records: whole-institution grants only (none here).
    "accounts.contract": Verdict.REFUSED,
    "control.maintenanceticket": Verdict.REFUSED,
    "control.inspectioncheck": Verdict.REFUSED,
}
# An app page with no model the superuser may read is a 404.
ADMIN_APPS: dict[str, Verdict] = {
    "accounts": Verdict.ALLOWED,
    "audit": Verdict.REFUSED,
    "inventory": Verdict.REFUSED,
    "publishing": Verdict.REFUSED,
    "control": Verdict.REFUSED,
}


def _admin_object(label: str) -> Builder:
    return lambda world, site: {"object_id": site.objects[label].pk}


def _admin_redirect(label: str) -> Callable[[World, Site], str]:
    app, model = label.split(".")
    return lambda world, site: f"/admin/{app}/{model}/{site.objects[label].pk}/"


def _view_on_site(world: World, site: Site) -> dict[str, Any]:
    device = site.devices["a"]
    return {"content_type_id": ContentType.objects.get_for_model(device).pk, "object_id": device.pk}


def admin_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {
        "admin:index": Row(superuser(Verdict.ALLOWED)),
        "admin:login": Row(nobody),  # jikimi's own login page instead (accounts.admin)
        "admin:logout": Row(
            anyone
        ),  # POST only (a GET is sent to the admin's index); accounts:logout is the one of record
        # The password of record is changed on accounts:password_change (audited, R37): the admin's
        # own pages only send a superuser there (a redirect to the password page, judged "password").
        "admin:password_change": Row(superuser(Verdict.EITHER)),
        "admin:password_change_done": Row(superuser(Verdict.EITHER)),
        "admin:autocomplete": Row(nobody),  # without a field to complete: refused to all
        "admin:jsi18n": Row(superuser(Verdict.ALLOWED)),
        "admin:view_on_site": Row(nobody, kwargs=_view_on_site),  # no model has a public page
        "admin:app_list": Row(
            superuser(Verdict.ALLOWED), variants=tuple(ADMIN_APPS), variant_kwarg="app_label"
        ),
        "admin/(?P<url>.*)$": Row(nobody, path=lambda world, site: "/admin/no-such-page/", targeted=False),
    }
    for label, verdict in ADMIN_MODELS.items():
        app, model = label.split(".")
        reader = nobody if verdict is Verdict.REFUSED else superuser(verdict)
        prefix = f"admin:{app}_{model}"
        rows[f"{prefix}_changelist"] = Row(reader)
        rows[f"{prefix}_add"] = Row(nobody)
        # A model the superuser may not read: its history page sends them back to the admin's index.
        history = superuser(Verdict.EITHER) if verdict is Verdict.REFUSED else reader
        rows[f"{prefix}_history"] = Row(history, kwargs=_admin_object(label))
        rows[f"{prefix}_delete"] = Row(nobody, kwargs=_admin_object(label))
        rows[f"{prefix}_change"] = Row(reader, kwargs=_admin_object(label))
        # Only a redirect to the change page (which decides): a superuser may be sent on.
        redirect = superuser(Verdict.EITHER) if verdict is Verdict.REFUSED else reader
        rows[f"admin/{app}/{model}/<path:object_id>/"] = Row(redirect, path=_admin_redirect(label))
    return rows


def app_list_verdict(app_label: str, persona: Persona) -> Verdict:
    verdict = ADMIN_APPS[app_label]
    return verdict if (persona.superuser and persona.effective) else Verdict.REFUSED


ROWS: dict[str, Row] = {**PAGES, **admin_rows()}

# The URLs a user who must change the password may still reach (accounts.middleware).
OPEN_WHILE_PASSWORD_CHANGE_IS_DUE = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    # Enrolment comes before the change (a session past it is sent on to the code page, which sends
    # it on to the change).
    "accounts:second_factor_enrol",
    "healthz",
}

TARGETS = tuple(INSTITUTIONS)


# ---- known failures of today's code -----------------------------------------------------------
# Cells that fail on today's code for a finding of issue 11, marked xfail(strict=True) by the test
# module. Remove a line once the fix is merged (a strict xfail that passes fails the run).


@dataclass(frozen=True)
class Known:
    reason: str
    urls: frozenset[str]  # url keys; admin:app_list as "admin:app_list[accounts]"
    personas: frozenset[str]  # persona keys of the target institution ("auditor_b"), "other:KEY" for the
    # other institution's, or a full id ("anonymous", "superuser", "incheon.deactivated")


# Cells that fail for a reason an open issue names: each a Known(reason, urls, personas), marked strict
# xfail so that the fix shows (the cell then passes and fails the run until its line is removed).
# Issue 11's findings were fixed; none is known now.
KNOWN_FAILURES: list[Known] = []


def known_failure(url: str, target: str | None, persona: Persona, variant: str = "") -> str | None:
    key = f"{url}[{variant}]" if variant else url
    relation = persona.key if (target is None or persona.institution == target) else f"other:{persona.key}"
    for known in KNOWN_FAILURES:
        if key in known.urls and (persona.id in known.personas or relation in known.personas):
            return known.reason
    return None
