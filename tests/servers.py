"""Real servers on 127.0.0.1 for the tests that need them, shared by every app's tests.

- `s3_endpoint`: a moto S3 server (server mode), for the whole session;
- `smtp_inbox`: an aiosmtpd SMTP server that Django's SMTP backend delivers to, per test;
- `run_apart`: runs a coroutine (an ASGI call) on an event loop of its own thread.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Coroutine, Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest


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
    """What the SMTP server received: each envelope as aiosmtpd gives it."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 — aiosmtpd's name
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def received(self) -> list[tuple[list[str], Message]]:
        """(recipients, parsed message) of each mail, in order."""
        return [(list(e.rcpt_tos), message_from_bytes(e.content)) for e in self.messages]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that Django's SMTP backend delivers to."""
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is not installed")
    inbox = Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    try:
        yield inbox
    finally:
        controller.stop()


def run_apart(coroutine: Coroutine[Any, Any, Any]) -> None:
    """asyncio.run in a thread of its own: another test (Playwright's) may leave a loop in this one."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test's thread
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
