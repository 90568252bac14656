"""Inputs have limits: a footage upload is capped before it is read, and an accepted one is written once.

The cap is settings.JIKIMI_MAX_FOOTAGE_UPLOAD_BYTES (JIKIMI_MAX_FOOTAGE_UPLOAD_MB); these tests make it
small. "Written" means a temporary upload file created by Django's upload handlers (spied on below);
an oversize body must create none, whether its Content-Length tells the truth, lies or is absent.
"""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from tests.servers import run_apart

from jikimi.accounts.testing import log_in
from jikimi.vault import views
from jikimi.vault.models import Segment
from jikimi.vault.tests.conftest import new_device, stored_objects
from jikimi.web.asgi import application as asgi_application
from jikimi.web.request_limits import BODY_LIMITS, BodyTooLarge, upload_handlers

pytestmark = [pytest.mark.calendar]

CAP = 64 * 1024


@pytest.fixture
def written(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every temporary upload file Django creates (in a private upload dir), with the footage cap small."""
    settings.JIKIMI_MAX_FOOTAGE_UPLOAD_BYTES = CAP
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    created: list[Path] = []
    original = TemporaryUploadedFile.__init__

    def spy(self: TemporaryUploadedFile, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        created.append(Path(self.temporary_file_path()))

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", spy)
    return created


def _form(name: str, data: bytes) -> dict[str, Any]:
    return {"file": SimpleUploadedFile(name, data), "start": "2026-11-23T09:00"}


@pytest.mark.django_db
def test_an_upload_over_the_cap_is_refused_413_in_korean_before_anything_is_written(
    client: Any, people: dict[str, Any], written: list[Path], seoul_morning: None
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    response = client.post(reverse("vault:upload", args=[device.pk]), _form("big.mp4", b"x" * (3 * CAP)))
    assert response.status_code == 413
    text = response.content.decode()
    assert (
        "영상 파일이(가) 너무 큽니다" in text
        and "최대 65,536바이트" in text
        and "저장하지 않았습니다" in text
    )
    assert written == [] and stored_objects() == [] and not Segment.objects.exists()


@pytest.mark.django_db
def test_an_accepted_upload_is_written_once_and_ingested_where_it_lies(
    client: Any,
    people: dict[str, Any],
    written: list[Path],
    silent_clip: Path,
    seoul_morning: None,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.JIKIMI_MAX_FOOTAGE_UPLOAD_BYTES = 10 * 1024 * 1024
    ingested: list[Path] = []
    real_ingest = views.ingest

    def ingest(actor: Any, device: Any, path: Path, *args: Any, **kwargs: Any) -> Any:
        ingested.append(Path(path))
        return real_ingest(actor, device, path, *args, **kwargs)

    monkeypatch.setattr(views, "ingest", ingest)
    device = new_device()
    log_in(client, people["alice"])
    response = client.post(
        reverse("vault:upload", args=[device.pk]), _form("nvr-export.mp4", silent_clip.read_bytes())
    )
    assert response.status_code == 302
    assert Segment.objects.count() >= 1
    # One file on disk, in the configured upload dir, handed to the ingest as it is; gone afterwards.
    assert len(written) == 1 and ingested == written
    assert written[0].parent == Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert not written[0].exists()


@pytest.mark.django_db
def test_a_body_streamed_past_the_cap_is_stopped_and_its_partial_file_deleted(
    people: dict[str, Any], written: list[Path]
) -> None:
    """The handler counts what streams in, whatever Content-Length said (a chunked body has none)."""
    device = new_device()
    request = RequestFactory().post(
        reverse("vault:upload", args=[device.pk]), _form("big.mp4", b"x" * (3 * CAP))
    )
    request.upload_handlers = upload_handlers(request, BODY_LIMITS["vault:upload"])
    assert "file" not in request.FILES
    assert getattr(request, BodyTooLarge.attribute) > CAP
    assert all(not path.exists() for path in written)


def _raw_post(url: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes]:
    """An HTTP/1.1 POST written by hand: the headers say what the test wants, not what the body is."""
    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as connection:
        head = f"POST {path} HTTP/1.1\r\nHost: {where.hostname}:{where.port}\r\nConnection: close\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        connection.sendall(head.encode("latin-1"))
        # The server may answer and close without reading the rest: that is the point.
        with contextlib.suppress(OSError):
            connection.sendall(body)
        # Read the answer, not the end of the connection (a server may drain the rest of the body).
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := connection.recv(65536)):
            answer += chunk
        head, _, rest = answer.partition(b"\r\n\r\n")
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line)
        length = int(fields.get(b"Content-Length", b"0"))
        while len(rest) < length and (chunk := connection.recv(65536)):
            rest += chunk
    return int(head.split(b" ", 2)[1]), rest


def _multipart(size: int) -> tuple[str, bytes]:
    boundary = "jikimi-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="start"\r\n\r\n2026-11-23T09:00\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        + b"x" * size
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return f"multipart/form-data; boundary={boundary}", body


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "declared",
    [
        pytest.param("1073741824", id="claims 1 GiB"),
        pytest.param(None, id="no Content-Length (chunked)"),
        pytest.param("1000", id="claims less than it sends"),
    ],
)
def test_over_a_real_socket_an_oversize_upload_writes_nothing(
    live_server: Any, client: Any, people: dict[str, Any], written: list[Path], declared: str | None
) -> None:
    device = new_device()
    log_in(client, people["alice"])
    content_type, body = _multipart(4 * CAP)
    headers = {"Content-Type": content_type, "Cookie": f"sessionid={client.cookies['sessionid'].value}"}
    if declared is None:
        headers["Transfer-Encoding"] = "chunked"
        body = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    else:
        headers["Content-Length"] = declared
    status, answer = _raw_post(live_server.url, f"/vault/devices/{device.pk}/upload/", headers, body)
    if declared == "1073741824":
        assert status == 413 and "너무 큽니다" in answer.decode("utf-8", "replace")
    else:
        # Django's WSGI request reads no further than Content-Length (none: nothing): no file arrives.
        assert status in (400, 403, 413)
    assert written == [] and not Segment.objects.exists()


def test_under_asgi_a_chunked_body_is_stopped_at_the_cap_without_being_spooled(
    written: list[Path], settings: Any
) -> None:
    """Django's ASGI handler would spool a whole body to disk before any middleware: the wrapper
    in jikimi.web.asgi answers 413 once the streamed bytes pass the route's cap."""
    sent: list[dict[str, Any]] = []
    handed_out = 0
    chunk = b"x" * 16 * 1024

    async def receive() -> dict[str, Any]:
        nonlocal handed_out
        handed_out += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": handed_out < 100 * CAP}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/vault/devices/1/upload/",
        "raw_path": b"/vault/devices/1/upload/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-type", b"multipart/form-data; boundary=b")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    run_apart(asgi_application(scope, receive, send))
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 413
    assert "너무 큽니다" in sent[1]["body"].decode()
    assert handed_out <= CAP + len(chunk)  # stopped at the cap, not read to the end
    assert written == []
