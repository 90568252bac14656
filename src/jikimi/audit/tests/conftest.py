"""Real places for the audit checkpoints: a moto S3 server and an aiosmtpd mail server on 127.0.0.1."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

S3_CREDENTIALS = ("testing-key", "testing-secret")


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
