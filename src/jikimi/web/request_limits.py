"""Inputs have limits: a request body is capped per route before anything reads it.

Each route may receive at most its limit (BODY_LIMITS, by URL name; every other route the small
default, settings.JIKIMI_MAX_REQUEST_BODY_BYTES). The check runs in three places, so that an oversize
body is never stored, whatever the client says about its length:

- RequestBodyLimitMiddleware (WSGI and ASGI): a declared Content-Length above the route's limit is
  answered 413 before the body is read (Django's WSGI request never reads past Content-Length, so a
  body longer than it says is cut there); it also installs the upload handlers of the route.
- BodyCapUploadHandler: counts the bytes of the uploaded files while they stream in and stops the
  upload past the limit (a Content-Length that lies low, or none at all); the request is then answered
  413 and the partial file is deleted. The footage route streams to one file on disk, in
  FILE_UPLOAD_TEMP_DIR, which the view hands to the ingest as it is (written once, not copied).
- capped_asgi: under ASGI, Django reads the whole body into a temporary file before any middleware
  runs; this wrapper answers 413 from the declared length and stops a chunked body at the limit.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

MIB = 1024 * 1024


@dataclass(frozen=True)
class BodyLimit:
    """The most a route reads, and how the refusal names what was sent."""

    setting: str  # the Django setting holding the limit in bytes
    what: str  # Korean: what the body is, for the refusal message
    to_disk: bool = False  # stream uploaded files straight to one file on disk (large files)

    @property
    def bytes(self) -> int:
        return int(getattr(settings, self.setting))


# Routes that take more than a form's worth, by URL name. Everything else: DEFAULT_LIMIT.
BODY_LIMITS: dict[str, BodyLimit] = {
    "vault:upload": BodyLimit("JIKIMI_MAX_FOOTAGE_UPLOAD_BYTES", "영상 파일", to_disk=True),
    # The 청구서 with its attachments (신분증, 위임장, 약도, 사진): each file is checked again by the form.
    "requests:new": BodyLimit("JIKIMI_REQUEST_FORM_MAX_BYTES", "청구서와 첨부서류"),
    "disclosure:counter_new": BodyLimit("JIKIMI_REQUEST_FORM_MAX_BYTES", "청구서와 첨부서류"),
}
DEFAULT_LIMIT = BodyLimit("JIKIMI_MAX_REQUEST_BODY_BYTES", "요청 본문")


def body_limit(path: str) -> BodyLimit:
    """The limit of the route at `path` (the default for a path no route answers)."""
    try:
        match = resolve(path)
    except Resolver404:
        return DEFAULT_LIMIT
    return BODY_LIMITS.get(match.view_name, DEFAULT_LIMIT)


def _size(count: int) -> str:
    if count >= MIB:
        return f"{count / MIB:,.1f}MB"
    return f"{count:,}바이트"


def refusal_message(limit: BodyLimit, sent: int | None) -> str:
    told = f" (보낸 크기 {_size(sent)})" if sent is not None else ""
    return (
        f"{limit.what}이(가) 너무 큽니다{told}: 이 주소는 최대 {_size(limit.bytes)}까지 받습니다. "
        "받은 내용은 저장하지 않았습니다"
    )


def _refusal(path: str, message: str, status: int = 413) -> HttpResponse:
    if path.startswith("/api/"):
        response = HttpResponse(
            json.dumps({"error": message}, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    # The client may still be sending the body it was refused: the length tells it where the answer ends.
    response["Content-Length"] = str(len(response.content))
    return response


class BodyTooLarge:
    """Marks a request whose upload was stopped at the limit (set by the handler, read by the middleware)."""

    attribute = "_jikimi_body_too_large"


class BodyCapUploadHandler(FileUploadHandler):
    """First in the chain: counts the bytes of every uploaded file and stops the upload past the limit."""

    def __init__(self, request: HttpRequest, limit: BodyLimit) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit.bytes:
            setattr(self.request, BodyTooLarge.attribute, self.received)
            # The parser closes (and so deletes) the partial file and reads nothing more.
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def upload_handlers(request: HttpRequest, limit: BodyLimit) -> list[FileUploadHandler]:
    cap = BodyCapUploadHandler(request, limit)
    if limit.to_disk:
        # A large file goes to one temporary file (FILE_UPLOAD_TEMP_DIR) and is ingested from there.
        return [cap, TemporaryFileUploadHandler(request)]
    return [cap, MemoryFileUploadHandler(request), TemporaryFileUploadHandler(request)]


def declared_length(meta: MutableMapping[str, Any]) -> int | None:
    """The body's declared length; None when there is none; ValueError when it is not a number."""
    raw = str(meta.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError(raw)
    return int(raw)


class RequestBodyLimitMiddleware:
    """Refuses a body larger than its route takes before it is read (413), and caps streamed uploads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path_info)
        try:
            length = declared_length(request.META)
        except ValueError:
            return _refusal(request.path_info, "요청의 Content-Length가 숫자가 아닙니다", status=400)
        if length is not None and length > limit.bytes:
            return _refusal(request.path_info, refusal_message(limit, length))
        request.upload_handlers = upload_handlers(request, limit)
        response = self.get_response(request)
        stopped = getattr(request, BodyTooLarge.attribute, None)
        if stopped is not None:
            # The view saw no file (the upload was stopped): whatever it answered, the answer is 413.
            return _refusal(request.path_info, refusal_message(limit, None))
        return response


# -- ASGI ---------------------------------------------------------------------------------------------

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def capped_asgi(app: AsgiApp) -> AsgiApp:
    """Django's ASGI handler spools the whole body to a temporary file before any middleware runs:
    refuse a declared length over the route's limit at once, and stop a chunked body at the limit."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path = scope.get("path", "")
        limit = body_limit(path)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        try:
            length = declared_length({"CONTENT_LENGTH": headers.get("content-length", "")})
        except ValueError:
            await _send_refusal(send, path, "요청의 Content-Length가 숫자가 아닙니다", 400)
            return
        if length is not None and length > limit.bytes:
            await _send_refusal(send, path, refusal_message(limit, length), 413)
            return
        received = 0
        stopped = False

        async def counted() -> Message:
            nonlocal received, stopped
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.bytes:
                    stopped = True
                    # Django drops the body it spooled and answers nothing; the refusal is sent below.
                    return {"type": "http.disconnect"}
            return message

        await app(scope, counted, send)
        if stopped:
            await _send_refusal(send, path, refusal_message(limit, None), 413)

    return application


async def _send_refusal(send: Send, path: str, message: str, status: int) -> None:
    response = _refusal(path, message, status)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", response["Content-Type"].encode("latin-1"))],
        }
    )
    await send({"type": "http.response.body", "body": response.content})
