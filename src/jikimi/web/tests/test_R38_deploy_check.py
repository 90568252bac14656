"""`jikimi check --deploy` reports no issue with the production environment the README gives (R38:
HTTPS only, HSTS, secure cookies, no debug), run as the real command in a fresh process."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[4] / "README.md"


def readme_production_environment() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Deploying for real") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "README: the production environment block is missing"
    pairs = (line.strip().split("=", 1) for line in block[1].splitlines() if "=" in line)
    return {name: value for name, value in pairs}


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_readme_production_settings(tmp_path: Path) -> None:
    production = readme_production_environment()
    assert production["JIKIMI_SSL_REDIRECT"] == "1" and int(production["JIKIMI_HSTS_SECONDS"]) > 0
    secret_key = tmp_path / "secret_key"
    secret_key.write_text(secrets.token_urlsafe(50))
    master_key = tmp_path / "master_key"
    master_key.write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    production["JIKIMI_SECRET_KEY_FILE"] = str(secret_key)
    production["JIKIMI_MASTER_KEY_FILE"] = str(master_key)
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("JIKIMI_", "DJANGO_")) and name != "DATABASE_URL"
    }
    environment.update(production, JIKIMI_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "jikimi.web.manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
