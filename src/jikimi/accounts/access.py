"""Where a request comes from, which pages answer there, and when a session needs its second factor.

안전성 확보조치 기준 제6조 (R38): staff reach jikimi from the institution's own networks
(settings.JIKIMI_INTERNAL_NETWORKS). From anywhere else only the public pages answer — the published
policy, its versions and comparison tables, the signs and the pages their QR codes lead to — and the
citizens' request pages; staff pages do only when settings.JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS allows it,
and then every account passes a second factor. Inside, a second factor is required of the roles that
see footage or personal data (jikimi.accounts.permissions.role_requires_second_factor) and of anybody
who has registered one.

Pages are named by their URL names (strings), not imported: accounts sits below the apps that own them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import Resolver404, resolve

from jikimi.accounts.permissions import is_external_officer, role_requires_second_factor
from jikimi.accounts.queries import has_second_factor
from jikimi.audit.context import client_address, forwarding_header_key
from jikimi.lib.networks import address_in

# 법 제25조⑦, 시행령 제25조② (R5): the policy is public, and so are the signs and their QR targets.
PUBLIC_VIEW_NAMES: frozenset[str] = frozenset(
    {
        "home",  # the list of institutions and their published policies
        "healthz",  # the load balancer's probe: says "ok" and nothing else
        "publishing:policy",
        "publishing:policy_pdf",
        "publishing:version",
        "publishing:version_pdf",
        "publishing:compare",
        "publishing:compare_pdf",
        "publishing:signs",
        "publishing:sign_pdf",
        "publishing:building_sign_pdf",
        "publishing:location_sign_pdf",  # the sign at one location (법 제25조④)
    }
)

# The citizens' request pages (열람·존재확인·삭제 청구, 법 제35조; DESIGN.md "Disclosure") answer from
# anywhere, like the public pages: every view of the "requests" namespace (jikimi.disclosure.public_urls:
# the 청구서 and the private status link with what hangs from it). Staff pages live under "disclosure".
CITIZEN_REQUEST_NAMESPACE = "requests"
CITIZEN_REQUEST_VIEW_NAMES: frozenset[str] = frozenset()

# The steps of logging in, reachable by a session that has not passed its second factor yet.
LOGIN_STEP_VIEW_NAMES: frozenset[str] = frozenset(
    {"accounts:login", "accounts:logout", "accounts:second_factor", "accounts:second_factor_enrol"}
)

# The requesting bodies' portal (수사기관 등, jikimi.disclosure.portal_urls; 성동구·남해군 style): its
# pages answer from outside the institution's networks — a police station is outside them — with the
# login rules of staff (a second factor always, outside: second_factor_required). Its own login page logs
# in investigating bodies' officers only (attempt_login(external_only=True)); the account steps after it
# (second factor, enrolment, password change, logout) answer outside to an officer's session only, so a
# staff account learns nothing more from outside than before. Staff pages stay inside.
PORTAL_NAMESPACE = "portal"
PORTAL_LOGIN_VIEW_NAME = "portal:login"
PORTAL_ACCOUNT_STEP_VIEW_NAMES: frozenset[str] = LOGIN_STEP_VIEW_NAMES | {"accounts:password_change"}


def view_name(request: HttpRequest) -> str:
    """The URL name of the view the request is for ('' when nothing matches)."""
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def is_open_to_everyone(request: HttpRequest) -> bool:
    name = view_name(request)
    return (
        name in PUBLIC_VIEW_NAMES
        or name in CITIZEN_REQUEST_VIEW_NAMES
        or name.startswith(f"{CITIZEN_REQUEST_NAMESPACE}:")
    )


def is_open_from_outside(request: HttpRequest) -> bool:
    """Whether the page answers outside the institution's networks: the public and citizens' pages,
    the portal, and the account steps of a portal officer's session."""
    if is_open_to_everyone(request):
        return True
    name = view_name(request)
    if name.startswith(f"{PORTAL_NAMESPACE}:"):
        return True
    return name in PORTAL_ACCOUNT_STEP_VIEW_NAMES and is_external_officer(request.user)


def may_enrol_from_outside(user: Any) -> bool:
    """An investigating body's officer enrols his authenticator app from outside (he never comes inside)
    — at his first login only, with the one-time password the account manager gave him (must still be
    changed): a password he chose, if stolen, cannot register a thief's phone. After a second-factor
    reset the account manager also resets his password (jikimi.accounts.actions.reset_password)."""
    return bool(getattr(user, "must_change_password", False)) and is_external_officer(user)


def is_internal(request: HttpRequest) -> bool:
    """Whether the client's address (behind a trusted proxy: the one it forwards) is inside the
    institution's networks. An address that cannot be read is outside.

    A request that carries a forwarding header but does not come from a trusted proxy is outside too:
    either a client is trying its luck, or a reverse proxy on this host was not named in
    JIKIMI_TRUSTED_PROXIES — and then every visitor from the internet would arrive from 127.0.0.1,
    inside. Failing closed makes that mistake show at once.
    """
    header = forwarding_header_key(settings.JIKIMI_TRUSTED_PROXY_HEADER or "X-Forwarded-For")
    if request.META.get(header) and not address_in(
        str(request.META.get("REMOTE_ADDR", "")), settings.JIKIMI_TRUSTED_PROXIES
    ):
        return False
    return address_in(client_address(request), settings.JIKIMI_INTERNAL_NETWORKS)


def second_factor_required(request: HttpRequest) -> bool:
    """Whether this request's logged-in user must have passed a second factor in this session."""
    user: Any = request.user
    if not user.is_authenticated:
        return False
    return not is_internal(request) or role_requires_second_factor(user) or has_second_factor(user)


def second_factor_passed(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified is not None and is_verified())
