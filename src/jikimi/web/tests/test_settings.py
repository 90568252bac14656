"""The one settings file: defaults are safe, secrets are generated privately."""

import os
import stat
import subprocess
import sys
from pathlib import Path


def _settings_in(data_dir: Path, **env: str) -> dict[str, str]:
    code = (
        "from jikimi.web import settings as s;"
        "print(s.DEBUG); print(s.DATABASES['default']['ENGINE']); print(s.DATA_DIR); print(len(s.SECRET_KEY))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("JIKIMI_", "DATABASE_URL"))}
    environment.update({"JIKIMI_DATA_DIR": str(data_dir), **env})
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    debug, engine, directory, key_length = out.stdout.split()
    return {"debug": debug, "engine": engine, "data_dir": directory, "key_length": key_length}


def test_debug_is_off_unless_asked_for(tmp_path):
    assert _settings_in(tmp_path)["debug"] == "False"
    assert _settings_in(tmp_path, JIKIMI_DEBUG="1")["debug"] == "True"


def test_it_defaults_to_sqlite_inside_the_data_dir(tmp_path):
    result = _settings_in(tmp_path)
    assert result["engine"] == "django.db.backends.sqlite3"
    assert result["data_dir"] == str(tmp_path.resolve())


def test_it_reads_postgresql_from_database_url(tmp_path):
    result = _settings_in(tmp_path, DATABASE_URL="postgres://someone@127.0.0.1:5432/somewhere")
    assert result["engine"] == "django.db.backends.postgresql"


def test_the_generated_secret_key_is_readable_by_the_owner_only(tmp_path):
    _settings_in(tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = key_file.read_text()
    _settings_in(tmp_path)
    assert key_file.read_text() == first, "the key must be generated once, then kept"


def test_a_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "given"
    secret.write_text("x" * 60)
    result = _settings_in(tmp_path, JIKIMI_SECRET_KEY_FILE=str(secret))
    assert result["key_length"] == "60"
    assert not (tmp_path / "secret_key").exists()


def _queue_round_trip(data_dir: Path, **env: str) -> list[str]:
    """Enqueue and dequeue one message through the configured Huey storage, in a fresh process."""
    code = (
        "import django; django.setup();"
        "from huey.contrib.djhuey import HUEY;"
        "HUEY.storage.flush_queue(); HUEY.storage.enqueue(b'ping');"
        "print(type(HUEY).__name__); print(HUEY.storage.dequeue().decode())"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("JIKIMI_", "DATABASE_URL"))}
    environment.update(
        {"JIKIMI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "jikimi.web.settings", **env}
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_background_jobs_queue_in_sqlite_by_default(tmp_path):
    assert _queue_round_trip(tmp_path) == ["SqliteHuey", "ping"]
    assert (tmp_path / "huey.sqlite3").exists()


def test_background_jobs_queue_in_redis_when_scaled_out(tmp_path):
    # Redis runs on the machine (make test starts it when it is down); database 15 is the tests' own.
    assert _queue_round_trip(tmp_path, JIKIMI_HUEY_URL="redis://127.0.0.1:6379/15") == ["RedisHuey", "ping"]
