"""Where encrypted segments live: one small interface, a directory backend and an S3 backend.

The store only ever sees ciphertext (envelope format, see `envelope`); it knows nothing of keys,
devices or retention. Its one promise beyond bytes in, bytes out is atomicity: after `put` returns,
the object is durable and complete; before, no reader can see any part of it. The vault inserts a
segment's index row only after `put` returned (R41: stored files are protected and accounted for).

Object names are relative, slash-separated, ASCII: letters, digits, ".", "_", "-", "/"; no empty,
"." or ".." component and no component starting with "." (the directory backend's temporary files
start with "."). At most 512 characters.

Storage URLs (the settings variable JIKIMI_STORAGE_URL feeds `store_from_url`):

    file:///var/lib/jikimi/footage?reserve=2GiB      a local directory; refuse writes that would leave
                                                     less than `reserve` free (default 1 GiB)
    s3://bucket/some/prefix?endpoint=http://127.0.0.1:9000&region=ap-northeast-2
                                                     S3 or an S3-compatible store; credentials from the
                                                     `credentials` argument or boto3's usual chain
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from jikimi.engine.footage.errors import StorageConfigError
from jikimi.engine.footage.storage.base import FootageStore, StoredObject, check_object_name
from jikimi.engine.footage.storage.directory import DEFAULT_RESERVE_BYTES, DirectoryStore

__all__ = [
    "DEFAULT_RESERVE_BYTES",
    "DirectoryStore",
    "FootageStore",
    "StoredObject",
    "check_object_name",
    "parse_size",
    "store_from_url",
]

_SIZE = re.compile(r"^\s*(\d+)\s*([KMGT]i?B|B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12}
_UNITS.update({"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40})


def parse_size(text: str) -> int:
    """ "2GiB", "500MB", "1048576" → bytes."""
    match = _SIZE.match(text)
    if not match:
        raise StorageConfigError(f"not a size: {text!r} (e.g. 1048576, 500MB, 2GiB)")
    return int(match.group(1)) * _UNITS[(match.group(2) or "").lower()]


def store_from_url(url: str, *, credentials: tuple[str, str] | None = None) -> FootageStore:
    """A store for a ``file://`` or ``s3://`` URL (see the module docstring)."""
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise StorageConfigError(f"{url}: a file URL names a local path: file:///absolute/path")
        unknown = set(query) - {"reserve"}
        if unknown:
            raise StorageConfigError(
                f"{url}: unknown option(s) {', '.join(sorted(unknown))} (known: reserve)"
            )
        path = unquote(parts.path)
        if not path.startswith("/"):
            raise StorageConfigError(f"{url}: the directory must be an absolute path")
        reserve = parse_size(query["reserve"]) if "reserve" in query else DEFAULT_RESERVE_BYTES
        return DirectoryStore(path, reserve_bytes=reserve)
    if parts.scheme == "s3":
        unknown = set(query) - {"endpoint", "region"}
        if unknown:
            raise StorageConfigError(
                f"{url}: unknown option(s) {', '.join(sorted(unknown))} (known: endpoint, region)"
            )
        if not parts.netloc or "@" in parts.netloc:
            raise StorageConfigError(f"{url}: expected s3://bucket/prefix (credentials never go in the URL)")
        from jikimi.engine.footage.storage.s3 import S3Store  # boto3 is only needed for S3

        return S3Store(
            parts.netloc,
            prefix=unquote(parts.path.lstrip("/")),
            endpoint_url=query.get("endpoint") or None,
            region=query.get("region") or None,
            credentials=credentials,
        )
    raise StorageConfigError(f"{url}: unsupported storage URL (use file:///path or s3://bucket/prefix)")
