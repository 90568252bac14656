"""The one settings file. Everything that differs between machines comes from the environment.

JIKIMI_DATA_DIR      where the SQLite database, the secret key, the master key and footage live (./var)
DATABASE_URL         sqlite:///… (default: SQLite inside the data dir) or postgres://…
JIKIMI_STORAGE_URL   where footage is stored (default: a directory inside the data dir)
JIKIMI_SECRET_KEY    Django's secret key; *_FILE variants read the value from a file.
                     When unset, one is generated into the data dir on first run.
JIKIMI_DEBUG         "1" turns debug on; it is off unless asked for.
JIKIMI_ALLOWED_HOSTS comma-separated host names (default: localhost names only)
JIKIMI_MAX_FOOTAGE_UPLOAD_MB, JIKIMI_MAX_REQUEST_BODY_KB, JIKIMI_UPLOAD_DIR  request body limits (below)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext

# Lets the generic classes that strict typing names (forms.ModelForm[DeviceGroup]) be subscripted at run time.
django_stubs_ext.monkeypatch()


def _env(name: str, default: str | None = None) -> str | None:
    """A setting from the environment; NAME_FILE names a file holding it (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DATA_DIR = Path(_env("JIKIMI_DATA_DIR", "var") or "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    configured = _env("JIKIMI_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Created with 0600 so that only the service account can read it.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env("JIKIMI_DEBUG", "0") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in (_env("JIKIMI_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver") or "").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in (_env("JIKIMI_CSRF_TRUSTED_ORIGINS", "") or "").split(",") if o.strip()
]

# The public base URL, printed on signs as a QR code to the policy page.
PUBLIC_BASE_URL = (_env("JIKIMI_PUBLIC_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

STORAGE_URL = _env("JIKIMI_STORAGE_URL", f"file://{DATA_DIR / 'footage'}")
# 법 제21조③ (R18): footage under a legal hold is kept apart; empty = a holds/ prefix of the main store.
HOLD_STORAGE_URL = _env("JIKIMI_HOLD_STORAGE_URL", "") or ""
MASTER_KEY_FILE = Path(_env("JIKIMI_MASTER_KEY_PATH", str(DATA_DIR / "master.key")) or "")
# The master key itself (base64 of 32 bytes) from the environment or a secrets manager
# (JIKIMI_MASTER_KEY_FILE): when set, no key file is read or created.
MASTER_KEY_TEXT = _env("JIKIMI_MASTER_KEY", "") or ""

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "jikimi.web",
    "jikimi.lib",
    "jikimi.audit",
    "jikimi.accounts",
    "jikimi.inventory",
    "jikimi.publishing",
    "jikimi.vault",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the body (CSRF reads POST): a body over its route's limit is refused (413).
    "jikimi.web.request_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jikimi.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Inputs have limits (jikimi.web.request_limits): every request body is capped per route before it is
# read — footage files at JIKIMI_MAX_FOOTAGE_UPLOAD_MB, any other request at JIKIMI_MAX_REQUEST_BODY_KB
# (forms, the JSON API) — and an uploaded footage file is written once, into JIKIMI_UPLOAD_DIR.
JIKIMI_MAX_FOOTAGE_UPLOAD_BYTES = int(_env("JIKIMI_MAX_FOOTAGE_UPLOAD_MB", "4096") or 4096) * 1024 * 1024
JIKIMI_MAX_REQUEST_BODY_BYTES = int(_env("JIKIMI_MAX_REQUEST_BODY_KB", "2560") or 2560) * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = JIKIMI_MAX_REQUEST_BODY_BYTES
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # one footage file per upload
FILE_UPLOAD_TEMP_DIR = str(Path(_env("JIKIMI_UPLOAD_DIR", str(DATA_DIR / "uploads")) or "").resolve())
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_PERMISSIONS = 0o600

ROOT_URLCONF = "jikimi.web.urls"
WSGI_APPLICATION = "jikimi.web.wsgi.application"
ASGI_APPLICATION = "jikimi.web.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        _env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'jikimi.sqlite3'}") or "",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a background job writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# 안전성 확보조치 기준 제7조①: passwords are stored one-way hashed (R42). Argon2 first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "inventory:group_list"
LOGOUT_REDIRECT_URL = "accounts:login"

# 안전성 확보조치 기준 제5조⑥ (R37): lock an account after repeated failed logins. [R] configurable.
JIKIMI_LOGIN_FAILURE_LIMIT = int(_env("JIKIMI_LOGIN_FAILURE_LIMIT", "5") or 5)
JIKIMI_LOCKOUT_MINUTES = int(_env("JIKIMI_LOCKOUT_MINUTES", "30") or 30)
# 제6조④ (R38): idle sessions end.
SESSION_COOKIE_AGE = int(_env("JIKIMI_SESSION_IDLE_SECONDS", str(30 * 60)) or 1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env("JIKIMI_SECURE_COOKIES", "0") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from finders too; the folder must exist
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Background jobs (huey; `jikimi run_huey` is the consumer): the daily retention sweep (R17).
# JIKIMI_HUEY_URL=redis://… uses Redis; by default the queue is a SQLite file in the data dir.
_HUEY_URL = _env("JIKIMI_HUEY_URL", "") or ""
_HUEY_COMMON = {
    "name": "jikimi",
    "immediate": False,
    "utc": True,
    "consumer": {"workers": 1, "worker_type": "thread"},
}
if _HUEY_URL.startswith(("redis://", "rediss://", "unix://")):
    HUEY = {**_HUEY_COMMON, "huey_class": "huey.RedisHuey", "url": _HUEY_URL}
elif _HUEY_URL:
    raise ValueError(
        f"JIKIMI_HUEY_URL={_HUEY_URL!r}: only redis://… is supported (leave it unset for SQLite)"
    )
else:
    HUEY = {**_HUEY_COMMON, "huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"jikimi": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
