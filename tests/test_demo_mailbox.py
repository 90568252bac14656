"""`make run` keeps the demo's mail as .eml files (tools.demo_mailbox): a real SMTP conversation."""

from __future__ import annotations

import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from tests.servers import free_port


def test_the_demo_mailbox_keeps_each_message_as_a_file(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tools.demo_mailbox", "--port", str(port), "--directory", str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert "메일은" in server.stdout.readline()  # it says where the mail goes
        message = EmailMessage()
        message["From"] = "jikimi@localhost"
        message["To"] = "citizen@example.org"
        message["Subject"] = "청구 접수 (접수번호 2026-00001)"
        message.set_content("접수되었습니다.")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.send_message(message)
        deadline = time.monotonic() + 10
        while not list(tmp_path.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.05)
        (saved,) = tmp_path.glob("*.eml")
        assert "citizen@example.org" in saved.name
        assert (
            "청구 접수" in saved.read_text(encoding="utf-8", errors="replace")
            or b"Subject" in saved.read_bytes()
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
