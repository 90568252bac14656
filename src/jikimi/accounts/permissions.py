"""What each role may do, and where (안전성 확보조치 기준 제5조①: least privilege, differentiated by role — R36).

A permission is held through an active `RoleGrant`. The grant's scope decides where:

- no departments and no device groups: the whole institution;
- departments: every device group of those departments (and the departments themselves);
- device groups: exactly those groups.

`has_permission(user, perm, …)` answers for the most specific thing it is given:

- `device_group=g`: a grant of g's institution covers g (whole institution, g's department, or g itself);
  a group whose department is not published (null, issue 16) has no department grant: only the whole
  institution or g itself;
- `department=d`: a grant covers d (whole institution or d listed) — a grant of a few groups of d does not;
- `institution=i` only: a grant covers the whole of i (institution-wide questions: publishing, the audit log);
- nothing: the user holds the permission somewhere (e.g. to show a menu item).

Superusers (`createsuperuser`, or `jikimi create_admin` without an institution) are not a back door:
they count as administrators of every institution for MANAGE_ACCOUNTS only. Everything else — the
register, footage, the audit log — needs a grant like anybody else's, given through the account pages
and so recorded (R36).

The register's models are reached through jikimi.accounts.register, never imported: accounts sits below
inventory in the layers.

To add a permission (e.g. the footage ones): add a member to `Permission` and put it in the sets of
the roles in `ROLE_PERMISSIONS` that hold it. Nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jikimi.accounts import register
from jikimi.accounts.contracts import contract_refusal
from jikimi.accounts.models import Role, RoleGrant
from jikimi.accounts.training import footage_refusal
from jikimi.audit.scope import NOTHING, ReadableScope
from jikimi.lib.clock import today


class Permission(StrEnum):
    VIEW_REGISTER = "view_register"  # 설치·운영 현황 보기
    EDIT_REGISTER = "edit_register"  # 설치·운영 현황 등록·수정
    PUBLISH_POLICY = "publish_policy"  # 운영·관리방침 공개
    MANAGE_ACCOUNTS = "manage_accounts"  # 계정·권한 관리
    READ_AUDIT = "read_audit"  # 감사 기록 열람·검증
    VIEW_FOOTAGE = "view_footage"  # 영상 존재확인·열람 (R41)
    MANAGE_DEVICES = "manage_devices"  # 기기 등록, 영상 파일 등록
    PLACE_HOLD = "place_hold"  # 분리 보관(법적 보존) 설정·해제 (R18)
    DESTROY_FOOTAGE = "destroy_footage"  # 영상 파기 실행·파기 기록 열람 (R17, R19)
    HANDLE_REQUESTS = "handle_requests"  # 열람 등 청구 접수·본인 확인·검토·마스킹 (R20–R26)
    DECIDE_REQUESTS = "decide_requests"  # 열람 등 청구 결정·공개본 승인 (R22–R25)
    HANDLE_PROVISIONS = "handle_provisions"  # 제3자 제공 요청 접수·검토·제공·파기 확인 (R29–R32, R49)
    APPROVE_PROVISIONS = "approve_provisions"  # 제3자 제공 승인·거부 (총괄책임관; R29, 오산시 지침 제32조②)
    # 오산시 지침 제32조③: the head of the control centre approves the urgent public-interest case (item 8).
    APPROVE_URGENT_PROVISIONS = "approve_urgent_provisions"
    APPLY_FOR_PROVISION = "apply_for_provision"  # 수사기관 등의 온라인 제공 요청 (own body's cases only)
    VIEW_LEDGER = "view_ledger"  # 관리대장·연간 현황 열람, 관리대장 결재 (R26, R30)
    MANAGE_TRAINING = "manage_training"  # 교육 과정·이수 기록 (오산시 지침 제28조, R48)
    MANAGE_CONTRACTS = "manage_contracts"  # 위탁 계약·수탁자 직원·수탁자 점검 (시행령 제26조, R33–R35)
    # The control centre's people and room (오산시 지침 제21조, 제22조, 제24조, 제31조①; R41).
    VIEW_CONTROL_CENTRE = "view_control_centre"  # 근무 현황·근무표·인계 보기
    WORK_CONTROL_ROOM = "work_control_room"  # 근무 인계, 방문 신청 접수, 입·퇴실, 보안검색 기록
    MANAGE_CONTROL_ROOM = "manage_control_room"  # 근무표 편성, 방문 승인, 출입통제기록 가져오기
    VIEW_VISITORS = "view_visitors"  # 출입자 현황 열람
    MANAGE_COMMITTEE = "manage_committee"  # 운영위원회 위원·회의·의결 기록
    # 오산시 지침 제12조①, 제19조①: 실시간 관제 — the live wall, every view audited (R41)
    WATCH_LIVE = "watch_live"
    # The control centre (오산시 지침 제21조③, 제27조, 제31조④)
    LOG_INCIDENTS = "log_incidents"  # 관제 중 발견한 사건 기록 (관제요원)
    REPORT_INCIDENTS = "report_incidents"  # 사건 통보 수신, 112·재난상황실 통보 기록, 후속 조치·종결
    VIEW_HEALTH = "view_health"  # 카메라·녹화기 상태, 유지보수, 정상작동 점검 기록 보기
    MANAGE_TICKETS = "manage_tickets"  # 유지보수 처리 기록, 정상작동 점검 입력
    # 표준 개인정보 보호지침 제52조, 오산시 지침 제26조 (R8): the yearly self-inspection is the privacy
    # officer's (총괄책임관, 오산시 지침 제9조②); the centre's head and the auditor read it.
    RUN_SELF_INSPECTION = "run_self_inspection"  # 자체 점검 시작·판정·지적 사항·완료
    VIEW_SELF_INSPECTION = "view_self_inspection"  # 자체 점검 결과 열람·보고서 내려받기
    # R14 (오산시 지침 제18조①, 제29조①): turning and zooming a camera — to an approved preset, or by
    # hand with a stated reason, every move audited. Held by the operators who watch (WATCH_LIVE), not by
    # the seconded police officer, who watches 방범 cameras (R47) and asks the operator to move one.
    OPERATE_PTZ = "operate_ptz"


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW_REGISTER: "설치·운영 현황 보기",
    Permission.EDIT_REGISTER: "설치·운영 현황 등록·수정",
    Permission.PUBLISH_POLICY: "운영·관리방침 공개",
    Permission.MANAGE_ACCOUNTS: "계정·권한 관리",
    Permission.READ_AUDIT: "감사 기록 열람·검증",
    Permission.VIEW_FOOTAGE: "영상 존재확인·열람",
    Permission.MANAGE_DEVICES: "기기 등록·영상 파일 등록",
    Permission.PLACE_HOLD: "분리 보관 설정·해제",
    Permission.DESTROY_FOOTAGE: "영상 파기·파기 기록",
    Permission.HANDLE_REQUESTS: "열람 등 청구 처리",
    Permission.DECIDE_REQUESTS: "열람 등 청구 결정·공개 승인",
    Permission.HANDLE_PROVISIONS: "제3자 제공 요청 처리",
    Permission.APPROVE_PROVISIONS: "제3자 제공 승인",
    Permission.APPROVE_URGENT_PROVISIONS: "긴급 제3자 제공 승인(통합관제센터장)",
    Permission.APPLY_FOR_PROVISION: "영상 제공 요청(외부 기관)",
    Permission.VIEW_LEDGER: "관리대장·연간 현황",
    Permission.MANAGE_TRAINING: "교육 이수 관리",
    Permission.MANAGE_CONTRACTS: "위탁 계약·수탁자 관리",
    Permission.VIEW_CONTROL_CENTRE: "통합관제센터 근무 현황 보기",
    Permission.WORK_CONTROL_ROOM: "관제센터 근무·출입 기록",
    Permission.MANAGE_CONTROL_ROOM: "관제센터 근무표 편성·방문 승인",
    Permission.VIEW_VISITORS: "관제센터 출입자 현황 열람",
    Permission.MANAGE_COMMITTEE: "운영위원회 기록",
    Permission.WATCH_LIVE: "실시간 관제(영상 관제 화면)",
    Permission.OPERATE_PTZ: "PTZ 카메라 조작(회전·확대)",
    Permission.LOG_INCIDENTS: "관제 사건 기록",
    Permission.REPORT_INCIDENTS: "사건 통보 수신·112 등 통보 기록",
    Permission.VIEW_HEALTH: "카메라 상태·정상작동 점검 보기",
    Permission.MANAGE_TICKETS: "유지보수·정상작동 점검 기록",
    Permission.RUN_SELF_INSPECTION: "자체 점검 실시",
    Permission.VIEW_SELF_INSPECTION: "자체 점검 결과 열람",
}

# DESIGN.md "Who uses it". The auditor reads and verifies, and changes nothing.
ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(Permission) - {Permission.APPLY_FOR_PROVISION},
    # The 개인정보 보호책임자 answers for who may reach personal data (안전성 확보조치 기준 제5조: 접근
    # 권한의 관리): he manages his institution's accounts and grants.
    Role.PRIVACY_OFFICER: frozenset(
        {
            Permission.MANAGE_ACCOUNTS,
            Permission.VIEW_REGISTER,
            Permission.EDIT_REGISTER,
            Permission.PUBLISH_POLICY,
            Permission.READ_AUDIT,
            Permission.VIEW_FOOTAGE,
            Permission.PLACE_HOLD,
            Permission.DESTROY_FOOTAGE,
            Permission.HANDLE_REQUESTS,
            Permission.DECIDE_REQUESTS,
            Permission.HANDLE_PROVISIONS,
            Permission.APPROVE_PROVISIONS,
            Permission.APPROVE_URGENT_PROVISIONS,
            Permission.VIEW_LEDGER,
            Permission.MANAGE_TRAINING,
            Permission.MANAGE_CONTRACTS,
            # He answers for the room's protection (R41) and sits the committee's reviews of provisions
            # (오산시 지침 제24조②4호); approving visits is the centre head's (제22조②).
            Permission.VIEW_CONTROL_CENTRE,
            Permission.VIEW_VISITORS,
            Permission.MANAGE_COMMITTEE,
            Permission.VIEW_HEALTH,
            Permission.RUN_SELF_INSPECTION,
            Permission.VIEW_SELF_INSPECTION,
        }
    ),
    # Footage within their scope (R36, R41); the operator watches live only, the auditor sees no footage.
    Role.OPERATING_HEAD: frozenset(
        {
            Permission.VIEW_REGISTER,
            Permission.EDIT_REGISTER,
            Permission.VIEW_FOOTAGE,
            Permission.MANAGE_DEVICES,
            Permission.PLACE_HOLD,
            Permission.DESTROY_FOOTAGE,
            Permission.HANDLE_REQUESTS,
            Permission.DECIDE_REQUESTS,
            Permission.HANDLE_PROVISIONS,
            Permission.VIEW_LEDGER,
            Permission.VIEW_HEALTH,
            Permission.MANAGE_TICKETS,
        }
    ),
    Role.OFFICER: frozenset(
        {
            Permission.VIEW_REGISTER,
            Permission.EDIT_REGISTER,
            Permission.VIEW_FOOTAGE,
            Permission.MANAGE_DEVICES,
            Permission.PLACE_HOLD,
            Permission.HANDLE_REQUESTS,
            Permission.HANDLE_PROVISIONS,
            Permission.VIEW_HEALTH,
            Permission.MANAGE_TICKETS,
        }
    ),
    # 오산시 지침 제21조, 제22조③: operators hand over at each change and record visits and checks.
    # 관제요원 and the centre's head watch live (오산시 지침 제19조, 제21조①); a seconded police officer
    # too, but only 방범 cameras (R47, 제16조③: jikimi.control.live_queries narrows his grants).
    # 제21조③: the operator logs what he sees; the seconded police officer receives it and passes it on
    # (112, 재난상황실); the operator watches the cameras' health all day.
    Role.OPERATOR: frozenset(
        {
            Permission.VIEW_REGISTER,
            Permission.VIEW_CONTROL_CENTRE,
            Permission.WORK_CONTROL_ROOM,
            Permission.WATCH_LIVE,
            Permission.OPERATE_PTZ,
            Permission.LOG_INCIDENTS,
            Permission.VIEW_HEALTH,
        }
    ),
    Role.SECONDED_POLICE: frozenset(
        {
            Permission.VIEW_REGISTER,
            Permission.WATCH_LIVE,
            Permission.LOG_INCIDENTS,
            Permission.REPORT_INCIDENTS,
        }
    ),
    # The head of the centre trains its people and supervises its contractors (오산시 지침 제25조③, 제28조);
    # 제22조②: he approves visits in advance (for the 시장) and keeps the roster.
    Role.CONTROL_HEAD: frozenset(
        {
            Permission.VIEW_REGISTER,
            Permission.APPROVE_URGENT_PROVISIONS,
            Permission.MANAGE_TRAINING,
            Permission.MANAGE_CONTRACTS,
            Permission.VIEW_CONTROL_CENTRE,
            Permission.WORK_CONTROL_ROOM,
            Permission.MANAGE_CONTROL_ROOM,
            Permission.VIEW_VISITORS,
            Permission.MANAGE_COMMITTEE,
            Permission.WATCH_LIVE,
            Permission.OPERATE_PTZ,
            Permission.LOG_INCIDENTS,
            Permission.REPORT_INCIDENTS,
            Permission.VIEW_HEALTH,
            Permission.MANAGE_TICKETS,
            Permission.VIEW_SELF_INSPECTION,
        }
    ),
    # R41: the auditor reads who entered the room and the cameras' health; changes nothing.
    Role.AUDITOR: frozenset(
        {
            Permission.VIEW_REGISTER,
            Permission.READ_AUDIT,
            Permission.VIEW_LEDGER,
            Permission.VIEW_CONTROL_CENTRE,
            Permission.VIEW_VISITORS,
            Permission.VIEW_HEALTH,
            Permission.VIEW_SELF_INSPECTION,
        }
    ),
    # 오산시 지침 제27조: maintenance may be a contractor's (전문 민간업체): he records the repairs.
    Role.CONTRACTOR: frozenset({Permission.VIEW_REGISTER, Permission.VIEW_HEALTH, Permission.MANAGE_TICKETS}),
    # Only his own body's cases (jikimi.disclosure.provision_scope); logs in with a second factor.
    Role.REQUESTING_OFFICER: frozenset({Permission.APPLY_FOR_PROVISION}),
}


def roles_with(permission: Permission) -> list[str]:
    return [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]


# 오산시 지침 제28조, 제25조④ (R48): the permissions that show footage, recorded or live, are held only
# by the trained (jikimi.accounts.training).
FOOTAGE_PERMISSIONS: frozenset[Permission] = frozenset({Permission.VIEW_FOOTAGE, Permission.WATCH_LIVE})


def footage_roles() -> frozenset[str]:
    """The roles that see footage: their holders need their required training."""
    return frozenset(role for role, held in ROLE_PERMISSIONS.items() if held & FOOTAGE_PERMISSIONS)


def refusal(user: Any, permission: Permission) -> str:
    """Why `user`'s grants do not count for `permission` today, whatever their scope ('' when they do).

    - a contractor's account without a contract in force that records the five clauses of 시행령
      제26조① holds nothing (R33; jikimi.accounts.contracts);
    - a footage permission waits for the holder's required training (R48; jikimi.accounts.training).
    """
    day = today()
    reason = contract_refusal(user, day)
    if not reason and permission in FOOTAGE_PERMISSIONS:
        reason = footage_refusal(user, footage_roles(), day)
    return reason


# 안전성 확보조치 기준 제6조 (R38) and DESIGN.md ("two-factor login for privileged roles"): whoever sees
# footage or personal data, or decides who may, logs in with a second factor. VIEW_REGISTER alone does
# not: the register shows what the published policy shows.
# The cameras' health (up/down, tickets, inspections) shows no footage and no person either.
PERMISSIONS_REQUIRING_SECOND_FACTOR: frozenset[Permission] = frozenset(Permission) - {
    Permission.VIEW_REGISTER,
    Permission.VIEW_HEALTH,
    Permission.MANAGE_TICKETS,
}


def roles_requiring_second_factor() -> list[str]:
    return [role for role, held in ROLE_PERMISSIONS.items() if held & PERMISSIONS_REQUIRING_SECOND_FACTOR]


def role_requires_second_factor(user: Any) -> bool:
    """Whether `user`'s own rights call for a second factor, wherever they log in from.

    Superusers and Django admin staff do; so does anybody holding, in any scope, a role with one of
    PERMISSIONS_REQUIRING_SECOND_FACTOR. (From outside the institution's networks everybody does:
    jikimi.accounts.middleware.)
    """
    if not _is_person(user):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return RoleGrant.objects.filter(
        user=user, revoked_at__isnull=True, role__in=roles_requiring_second_factor()
    ).exists()


def is_external_officer(user: Any) -> bool:
    """Whether `user` is an investigating body's officer (Role.REQUESTING_OFFICER, jikimi.disclosure's
    portal): such an account holds that role only (jikimi.accounts.actions.grant_role refuses mixing it
    with a staff role), reaches the portal from outside the institution's networks, and nothing else."""
    if not _is_person(user):
        return False
    return RoleGrant.objects.filter(user=user, revoked_at__isnull=True, role=Role.REQUESTING_OFFICER).exists()


def _is_person(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _superuser_may(user: Any, permission: Permission) -> bool:
    # Documented above: account management only.
    return bool(user.is_superuser and permission == Permission.MANAGE_ACCOUNTS)


def active_grants(user: Any, permission: Permission) -> QuerySet[RoleGrant]:
    """The user's unrevoked grants of a role that holds `permission` — none while `refusal` says why."""
    if not _is_person(user) or refusal(user, permission):
        return RoleGrant.objects.none()
    return RoleGrant.objects.filter(user=user, revoked_at__isnull=True, role__in=roles_with(permission))


def _whole_institution(grants: QuerySet[RoleGrant]) -> QuerySet[RoleGrant]:
    return grants.filter(departments__isnull=True, device_groups__isnull=True)


def has_permission(
    user: Any,
    permission: Permission,
    *,
    institution: Any = None,
    department: Any = None,
    device_group: Any = None,
) -> bool:
    """Whether `user` holds `permission` for the most specific of the things given (see the module doc)."""
    if not _is_person(user):
        return False
    if _superuser_may(user, permission):
        return True
    grants = active_grants(user, permission)
    if device_group is not None:
        grants = grants.filter(institution_id=device_group.institution_id)
        # Not `departments=None` for a group without a department: Django reads that as "a grant of no
        # department", which a grant of a few other groups is — R36 would leak.
        return (
            _whole_institution(grants).exists()
            or (
                device_group.department_id is not None
                and grants.filter(departments=device_group.department_id).exists()
            )
            or grants.filter(device_groups=device_group).exists()
        )
    if department is not None:
        grants = grants.filter(institution_id=department.institution_id)
        return _whole_institution(grants).exists() or grants.filter(departments=department).exists()
    if institution is not None:
        return _whole_institution(grants.filter(institution=institution)).exists()
    return grants.exists()


def device_groups_for(user: Any, permission: Permission) -> QuerySet[Any]:
    """Every device group (jikimi.inventory.models.DeviceGroup) on which `user` holds `permission`."""
    if not _is_person(user):
        return register.device_groups().none()
    grants = active_grants(user, permission)
    whole = _whole_institution(grants).values("institution_id")
    # Departments and groups of a grant belong to its institution (checked when granted).
    by_department = grants.filter(departments__isnull=False).values("departments__id")
    by_group = grants.filter(device_groups__isnull=False).values("device_groups__id")
    return (
        register.device_groups()
        .filter(Q(institution_id__in=whole) | Q(department_id__in=by_department) | Q(id__in=by_group))
        .distinct()
    )


def departments_for(user: Any, permission: Permission) -> QuerySet[Any]:
    """Departments `user` holds `permission` for as a whole (institution-wide grants cover all of them)."""
    if not _is_person(user):
        return register.departments().none()
    grants = active_grants(user, permission)
    whole = _whole_institution(grants).values("institution_id")
    listed = grants.filter(departments__isnull=False).values("departments__id")
    return register.departments().filter(Q(institution_id__in=whole) | Q(id__in=listed)).distinct()


def institutions_for(user: Any, permission: Permission, *, whole_institution: bool = False) -> QuerySet[Any]:
    """Institutions where `user` holds `permission` in some scope (or, with whole_institution, everywhere in it)."""
    if not _is_person(user):
        return register.institutions().none()
    if _superuser_may(user, permission):
        return register.institutions()
    grants = active_grants(user, permission)
    if whole_institution:
        grants = _whole_institution(grants)
    return register.institutions().filter(id__in=grants.values("institution_id")).distinct()


def readable_audit_scope(user: Any) -> ReadableScope:
    """The audit entries `user` may read: those of the scopes of their READ_AUDIT grants (R36).

    The log is scoped as the footage and register it describes: an institution-wide grant reads the
    whole institution (entries without a department included, and the system's own entries, which
    belong to no institution); a grant of departments reads those departments' entries; a grant of
    device groups those groups'. A superuser holds no READ_AUDIT without a grant. Registered with
    jikimi.audit.access in AccountsConfig.ready.
    """
    if not _is_person(user):
        return NOTHING
    grants = active_grants(user, Permission.READ_AUDIT)
    whole = frozenset(_whole_institution(grants).values_list("institution_id", flat=True))
    departments = frozenset(
        grants.filter(departments__isnull=False).values_list("departments__id", flat=True)
    )
    groups = frozenset(grants.filter(device_groups__isnull=False).values_list("device_groups__id", flat=True))
    return ReadableScope(whole, departments, groups, system=bool(whole))


def ensure_permission(user: Any, permission: Permission, **scope: Any) -> None:
    """Raise PermissionDenied (403) unless `has_permission(user, permission, **scope)`."""
    if not has_permission(user, permission, **scope):
        reason = refusal(user, permission) if _is_person(user) else ""
        raise PermissionDenied(reason or f"{PERMISSION_LABELS[permission]} 권한이 없습니다")


View = TypeVar("View", bound=Callable[..., HttpResponse])


def login_required(view: View) -> View:
    """Like Django's, and a user who must change the password is sent to the change page first."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "must_change_password", False):
            return redirect("accounts:password_change")
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def permission_required(permission: Permission) -> Callable[[View], View]:
    """A view decorator: log in first, then 403 unless the user holds `permission` somewhere.

    Object-level checks (this device group, this department) belong in the view, with
    `ensure_permission(request.user, permission, device_group=group)`.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            ensure_permission(request.user, permission)
            return view(request, *args, **kwargs)

        return login_required(cast(View, wrapper))

    return decorate
