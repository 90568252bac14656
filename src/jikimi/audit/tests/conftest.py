"""Real places for the audit checkpoints: a moto S3 server and an aiosmtpd mail server on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

S3_CREDENTIALS = ("testing-key", "testing-secret")


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real moto S3 server on a free loopback port, for the whole session."""
    server_module = pytest.importorskip(
        "moto.server", reason="moto[server] is not installed (pip install -e '.[dev]')"
    )
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 — aiosmtpd's name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that Django's SMTP backend delivers to."""
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    inbox = Inbox()
    port = _free_port()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield inbox
    finally:
        controller.stop()


def run_command(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out, stderr=out)
    return out.getvalue()


def command_failure(name: str, *args: str) -> CommandError:
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(name, *args, stdout=out, stderr=out)
    assert caught.value.returncode == 1, out.getvalue()
    return caught.value
