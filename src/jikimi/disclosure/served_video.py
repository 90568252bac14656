"""Serving a sealed file (the masked derivative, an archive) to the browser, decrypted on the fly.

A <video> element seeks with HTTP Range requests: a single range "bytes=a-b" is answered 206 with
only the authenticated chunks it touches (jikimi.engine.footage.EnvelopeReader); anything else gets the
whole file. Nothing is cached by the browser or a proxy (personal video).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from jikimi.engine.footage import EnvelopeReader

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Each response carries at most this much: the player asks again for the rest.
MAX_RANGE = 4 * 1024 * 1024


def _range(header: str, length: int) -> tuple[int, int] | None:
    """[start, end) of a single satisfiable range, else None (then the whole file is sent)."""
    match = _RANGE.match(header.strip())
    if not match or length == 0:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # the final `last` bytes
        start = max(0, length - int(last))
        end = length
    else:
        start = int(first)
        end = min(length, int(last) + 1) if last else length
    if start >= length or end <= start:
        return None
    return start, min(end, start + MAX_RANGE)


def _chunks(reader: EnvelopeReader, start: int, end: int) -> Iterator[bytes]:
    step = 1024 * 1024
    for offset in range(start, end, step):
        yield reader.read(offset, min(end, offset + step))


def sealed_response(
    request: HttpRequest, reader: EnvelopeReader, content_type: str, *, download_name: str = ""
) -> HttpResponse | StreamingHttpResponse:
    length = reader.plaintext_length
    wanted = _range(request.headers.get("Range", ""), length)
    if wanted is None:
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            _chunks(reader, 0, length), content_type=content_type
        )
        response["Content-Length"] = str(length)
    else:
        start, end = wanted
        response = HttpResponse(reader.read(start, end), content_type=content_type, status=206)
        response["Content-Range"] = f"bytes {start}-{end - 1}/{length}"
        response["Content-Length"] = str(end - start)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "no-store"
    if download_name:
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(download_name)}"
    return response
