"""Who is acting and from where: built once from a request or a command, passed to every action."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any | None  # jikimi.accounts.models.User, or None for the system itself
    label: str
    client_address: str

    @classmethod
    def from_request(cls, request: Any) -> Actor:
        user = request.user if request.user.is_authenticated else None
        label = str(user) if user else "익명"
        return cls(user=user, label=label, client_address=client_address(request))

    @classmethod
    def for_user(cls, user: Any, client_address: str) -> Actor:
        return cls(user=user, label=str(user), client_address=client_address)

    @classmethod
    def command(cls, name: str, user: Any | None = None) -> Actor:
        """A management command run on the server's console."""
        import getpass
        import socket

        where = f"console:{getpass.getuser()}@{socket.gethostname()}"
        return cls(user=user, label=str(user) if user else f"명령 {name}", client_address=where)

    @classmethod
    def system(cls, job: str) -> Actor:
        """A scheduled job (e.g. the retention sweep)."""
        return cls(user=None, label=f"시스템 작업 {job}", client_address="system")


def forwarding_header_key(header: str) -> str:
    """'X-Forwarded-For' or 'HTTP_X_FORWARDED_FOR' → the request.META key 'HTTP_X_FORWARDED_FOR'."""
    header = header.strip()
    if not header:
        return ""
    key = header.upper().replace("-", "_")
    return key if key.startswith("HTTP_") else f"HTTP_{key}"


def client_address(request: Any) -> str:
    """The client's address, as the audit log records it (R39 "origin") and the network rules judge it.

    REMOTE_ADDR, unless it is one of settings.JIKIMI_TRUSTED_PROXIES and JIKIMI_TRUSTED_PROXY_HEADER is
    set: then the proxy's header (X-Forwarded-For) is read from the right, skipping our own proxies, and
    the first address not of a trusted proxy is the client's. Everything left of it was written by the
    client and may be a lie; a client that reaches the server directly cannot choose its address at all.
    """
    from django.conf import settings

    from jikimi.lib.networks import address_in, parse_address

    remote = str(request.META.get("REMOTE_ADDR", ""))
    key = forwarding_header_key(getattr(settings, "JIKIMI_TRUSTED_PROXY_HEADER", "") or "")
    proxies = getattr(settings, "JIKIMI_TRUSTED_PROXIES", ())
    if not key or not proxies or not address_in(remote, proxies):
        return remote
    hops = [hop.strip() for hop in str(request.META.get(key, "")).split(",") if hop.strip()]
    for hop in reversed(hops):
        if address_in(hop, proxies):
            continue
        parsed = parse_address(hop)
        # Our proxy appends what it saw, so the right-most untrusted hop is an address; if it is not,
        # the header is broken and says nothing trustworthy.
        return str(parsed) if parsed is not None else f"invalid:{hop[:80]}"
    return str(parse_address(hops[0])) if hops and parse_address(hops[0]) else remote
