"""The requester's private status link: /requests/s/<token>/ (DESIGN: citizens reach only their own
request, through an unguessable link).

The token is 32 bytes from `secrets` (256 bits, URL-safe text), handed to the requester once — on the
receipt page and in the receipt mail — and never stored: the request keeps only its SHA-256, so a copy
of the database opens no status page. A token that matches nothing is simply not found.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django.urls import reverse

from jikimi.disclosure.models import SubjectRequest

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters of [A-Za-z0-9_-]; anything else cannot be a token.
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store in SubjectRequest.status_token_hash."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def request_for_token(token: str) -> SubjectRequest | None:
    """The one request this token opens, or None (a malformed or unknown token alike)."""
    if not _TOKEN.match(token):
        return None
    return (
        SubjectRequest.objects.select_related("institution")
        .filter(status_token_hash=token_hash(token))
        .first()
    )


def status_path(token: str) -> str:
    return reverse("requests:status", kwargs={"token": token})
