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


def client_address(request: Any) -> str:
    """The client's address. Behind a reverse proxy, JIKIMI_TRUSTED_PROXY_HEADER names the header it sets."""
    from django.conf import settings

    header = getattr(settings, "JIKIMI_TRUSTED_PROXY_HEADER", "")
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return str(forwarded).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))
