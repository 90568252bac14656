"""The one settings file. Everything that differs between machines comes from the environment.

JIKIMI_DATA_DIR      where the SQLite database, the secret key, the master key and footage live (./var)
DATABASE_URL         sqlite:///… (default: SQLite inside the data dir) or postgres://…
JIKIMI_STORAGE_URL   where footage is stored (default: a directory inside the data dir)
JIKIMI_SECRET_KEY    Django's secret key; *_FILE variants read the value from a file.
                     When unset, one is generated into the data dir on first run.
JIKIMI_DEBUG         "1" turns debug on; it is off unless asked for.
JIKIMI_ALLOWED_HOSTS comma-separated host names (default: localhost names only)

Security (issue 11; README "Deploying for real" lists the production values):
JIKIMI_INTERNAL_NETWORKS      the institution's networks, CIDR list (default: loopback only)
JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS  "1": staff may log in from outside them, always with a second factor
JIKIMI_TRUSTED_PROXIES        reverse proxies (CIDR list) whose forwarding header is believed
JIKIMI_TRUSTED_PROXY_HEADER   that header (e.g. X-Forwarded-For); JIKIMI_PROXY_SSL_HEADER (X-Forwarded-Proto)
JIKIMI_SSL_REDIRECT, JIKIMI_HSTS_SECONDS, JIKIMI_SECURE_COOKIES   HTTPS only, and say so to browsers
JIKIMI_MAX_FOOTAGE_UPLOAD_MB, JIKIMI_MAX_REQUEST_BODY_KB, JIKIMI_UPLOAD_DIR  request body limits (below)
JIKIMI_REQUEST_*       citizens' requests: attachment limits and store, rate limits, window, hold (below)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from jikimi.lib.networks import parse_networks
from jikimi.lib.secret_files import create_once

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
        # Workers and the web server may start together on a new data dir: the first one's key wins.
        create_once(key_file, secrets.token_urlsafe(50).encode("ascii"))
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
# The control centre's live wall (issue 17): the recorder's rolling live window per camera, on the
# recorder node's own disk (a tmpfs is best), never the vault (R41); served only by the audited wall.
# JIKIMI_LIVE_DIR="" turns live publishing off (the wall then shows no camera).
_LIVE_DIR = _env("JIKIMI_LIVE_DIR", str(DATA_DIR / "live"))
LIVE_DIR: Path | None = Path(_LIVE_DIR) if _LIVE_DIR else None
LIVE_PART_SECONDS = float(_env("JIKIMI_LIVE_PART_SECONDS", "0.5") or "0.5")
LIVE_WINDOW_SECONDS = float(_env("JIKIMI_LIVE_WINDOW_SECONDS", "180") or "180")
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jikimi.web",
    "jikimi.lib",
    "jikimi.audit",
    "jikimi.accounts",
    "jikimi.inventory",
    "jikimi.publishing",
    "jikimi.vault",
    "jikimi.disclosure",
    "jikimi.control",
    "huey.contrib.djhuey",
    # The API docs from django-ninja's own static files: its CDN page has an inline script (CSP) and
    # needs the internet, which an institution's internal network may not reach.
    "ninja",
]

MIDDLEWARE = [
    # First: a forwarded scheme is believed only from a trusted proxy (see client_address).
    "jikimi.accounts.middleware.UntrustedForwardingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Live parts with a playlist's short-lived token, before the session and auth stack (issue 17).
    "jikimi.control.stream_tokens.StreamTokenMiddleware",
    # Before anything reads the body (CSRF reads POST): a body over its route's limit is refused (413).
    "jikimi.web.request_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # R38: a signed-in session's idle clock restarts with activity (its expiry written once a minute).
    "jikimi.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # R38, in this order: outside the institution's networks only public pages answer; then a
    # session that needs a second factor passes it before anything else; then the password change.
    "jikimi.accounts.middleware.InternalNetworkMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jikimi.accounts.middleware.SecondFactorRequiredMiddleware",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # the dashboard of what needs doing (web.dashboard)
LOGOUT_REDIRECT_URL = "accounts:login"

# 안전성 확보조치 기준 제5조⑥ (R37): lock an account after repeated failed logins. [R] configurable.
JIKIMI_LOGIN_FAILURE_LIMIT = int(_env("JIKIMI_LOGIN_FAILURE_LIMIT", "5") or 5)
JIKIMI_LOCKOUT_MINUTES = int(_env("JIKIMI_LOCKOUT_MINUTES", "30") or 30)
# The same per client address, whichever accounts are tried (one password against many accounts):
# this many failures (passwords or second-factor codes) within the window refuse the address for a while.
JIKIMI_ADDRESS_FAILURE_LIMIT = int(_env("JIKIMI_ADDRESS_FAILURE_LIMIT", "10") or 10)
JIKIMI_ADDRESS_FAILURE_WINDOW_MINUTES = int(_env("JIKIMI_ADDRESS_FAILURE_WINDOW_MINUTES", "15") or 15)
JIKIMI_ADDRESS_LOCKOUT_MINUTES = int(_env("JIKIMI_ADDRESS_LOCKOUT_MINUTES", "30") or 30)


def _flag(name: str, default: str = "0") -> bool:
    return (_env(name, default) or "0").strip().lower() in {"1", "true", "yes", "on"}


def _networks_setting(name: str, default: str) -> list[str]:
    try:
        return [str(network) for network in parse_networks(_env(name, default) or "", name)]
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from error


# 안전성 확보조치 기준 제6조① (R38): the institution's own networks. Loopback only by default, so that a
# deployment that names none treats every other address as outside: private ranges are not the
# institution's (a cloud load balancer, a café's Wi-Fi and a VPN pool all use them), and guessing
# wrong would open staff pages to the internet. Name the 행정망 ranges here (e.g. 10.20.0.0/16).
JIKIMI_INTERNAL_NETWORKS = _networks_setting("JIKIMI_INTERNAL_NETWORKS", "127.0.0.0/8,::1/128")
# Outside those networks only the public pages answer. "1" lets staff in from outside as well, and then
# every account, whatever its role, passes a second factor (제6조①: 인증서·보안토큰·일회용 비밀번호).
JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS = _flag("JIKIMI_ALLOW_OUTSIDE_STAFF_ACCESS")
# R39 "origin": behind a reverse proxy REMOTE_ADDR is the proxy. Its header is believed only when the
# request comes from one of these addresses (jikimi.audit.context.client_address).
JIKIMI_TRUSTED_PROXIES = _networks_setting("JIKIMI_TRUSTED_PROXIES", "")
JIKIMI_TRUSTED_PROXY_HEADER = _env("JIKIMI_TRUSTED_PROXY_HEADER", "X-Forwarded-For") or ""
# The proxy that terminates TLS says so in this header; believed only from a trusted proxy.
JIKIMI_PROXY_SSL_HEADER = _env("JIKIMI_PROXY_SSL_HEADER", "X-Forwarded-Proto") or ""
if JIKIMI_TRUSTED_PROXIES and JIKIMI_PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + JIKIMI_PROXY_SSL_HEADER.upper().replace("-", "_").removeprefix("HTTP_"),
        "https",
    )

# HTTPS (제6조, 제7조: personal data is encrypted in transit). Off by default for `make run` on loopback.
SECURE_SSL_REDIRECT = _flag("JIKIMI_SSL_REDIRECT")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe speaks plain HTTP on the inside
SECURE_HSTS_SECONDS = int(_env("JIKIMI_HSTS_SECONDS", "0") or 0)
# HSTS covers the host's subdomains and carries the preload directive unless told otherwise; submitting
# the domain to the browsers' preload list stays the domain owner's decision.
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("JIKIMI_HSTS_INCLUDE_SUBDOMAINS", "1")
SECURE_HSTS_PRELOAD = _flag("JIKIMI_HSTS_PRELOAD", "1")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Second factor (django-otp). The issuer is what the authenticator app shows beside the code.
OTP_TOTP_ISSUER = _env("JIKIMI_OTP_ISSUER", "지킴이") or "지킴이"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Recovery codes given at enrolment (django-otp static tokens), each good once.
JIKIMI_RECOVERY_CODE_COUNT = 10

# Content-Security-Policy on every page: scripts only from our own static files, never inline, so
# that an injected script tag does nothing. hls.js plays through blob: media and a blob: worker.
# Inline style attributes stay allowed (the timeline positions its spans with them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "media-src": [SELF, "blob:"],
        "worker-src": [SELF, "blob:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# 제6조④ (R38): idle sessions end (accounts.middleware.IdleSessionMiddleware restarts the clock).
SESSION_COOKIE_AGE = int(_env("JIKIMI_SESSION_IDLE_SECONDS", str(30 * 60)) or 1800)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _flag("JIKIMI_SECURE_COOKIES")
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
    # The queue's name (its Redis keys): consumers of one deployment share it; another deployment (or a
    # test) on the same Redis gives its own (JIKIMI_HUEY_NAME).
    "name": _env("JIKIMI_HUEY_NAME", "jikimi") or "jikimi",
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

# The vault's clock and liveness guards (R17, R41). A retention sweep destroys nothing while the clock
# is ahead of the vault's newest trace of time (heartbeat, sweep, segment) by more than this; keep it
# above the sweep's interval (daily).
JIKIMI_RETENTION_CLOCK_BOUND_HOURS = float(_env("JIKIMI_RETENTION_CLOCK_BOUND_HOURS", "48") or 48)
# A recorder whose heartbeat (every 5 s) is older than this is down: its devices read "녹화기 중지".
JIKIMI_RECORDER_STALE_SECONDS = float(_env("JIKIMI_RECORDER_STALE_SECONDS", "30") or 30)
# A recorder node holds each of its cameras by a lease it renews with every beat; a lease not renewed for
# this long is free for another node to take (vault.actions.leases; issue 18: takeover within 30 s).
JIKIMI_RECORDER_LEASE_SECONDS = float(_env("JIKIMI_RECORDER_LEASE_SECONDS", "15") or 15)
# The control centre (jikimi.control). 오산시 지침 제21조③: an incident holds its camera's footage from
# BEFORE seconds before the bookmark to AFTER seconds after it, for DAYS days (or until closed).
JIKIMI_INCIDENT_HOLD_BEFORE_SECONDS = float(_env("JIKIMI_INCIDENT_HOLD_BEFORE_SECONDS", "600") or 600)
JIKIMI_INCIDENT_HOLD_AFTER_SECONDS = float(_env("JIKIMI_INCIDENT_HOLD_AFTER_SECONDS", "600") or 600)
JIKIMI_INCIDENT_HOLD_DAYS = int(_env("JIKIMI_INCIDENT_HOLD_DAYS", "30") or 30)
# 제27조: a camera down or reconnecting this long opens a maintenance ticket, mailed to these addresses.
JIKIMI_CAMERA_FAULT_SECONDS = float(_env("JIKIMI_CAMERA_FAULT_SECONDS", "300") or 300)
JIKIMI_MAINTENANCE_EMAILS = [
    a.strip() for a in (_env("JIKIMI_MAINTENANCE_EMAILS", "") or "").split(",") if a.strip()
]
# Temporary files of interrupted writes younger than this may belong to a running ingest: kept.
JIKIMI_TEMPORARY_FILE_MINIMUM_AGE_SECONDS = float(
    _env("JIKIMI_TEMPORARY_FILE_MINIMUM_AGE_SECONDS", "3600") or 3600
)

# Citizens' requests (열람 등 청구, issue 13): the 청구서's attachments and the limits that keep the
# public form from being abused. Attachments are stored encrypted under JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL
# (by default a directory of the data dir, never under static or media).
JIKIMI_REQUEST_ATTACHMENT_MAX_BYTES = int(_env("JIKIMI_REQUEST_ATTACHMENT_MAX_MB", "10") or 10) * 1024 * 1024
JIKIMI_REQUEST_ATTACHMENT_MAX_COUNT = int(_env("JIKIMI_REQUEST_ATTACHMENT_MAX_COUNT", "6") or 6)
# The 청구서's body: every attachment at its limit, and the form's fields.
JIKIMI_REQUEST_FORM_MAX_BYTES = (
    JIKIMI_REQUEST_ATTACHMENT_MAX_BYTES * JIKIMI_REQUEST_ATTACHMENT_MAX_COUNT + 256 * 1024
)
JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL = _env(
    "JIKIMI_REQUEST_ATTACHMENT_STORAGE_URL", f"file://{DATA_DIR / 'request-attachments'}"
)
# Requests filed online from one client address per hour, and open requests per e-mail or phone.
JIKIMI_REQUESTS_PER_ADDRESS_PER_HOUR = int(_env("JIKIMI_REQUESTS_PER_ADDRESS_PER_HOUR", "5") or 5)
JIKIMI_OPEN_REQUESTS_PER_CONTACT = int(_env("JIKIMI_OPEN_REQUESTS_PER_CONTACT", "3") or 3)
# Letters (decision, postponement) read through status links from one client address per hour.
JIKIMI_REQUEST_LETTER_READS_PER_ADDRESS_PER_HOUR = int(
    _env("JIKIMI_REQUEST_LETTER_READS_PER_ADDRESS_PER_HOUR", "20") or 20
)
# The window a request may name: at most this long, and starting no longer ago than this (a hold may
# keep footage past its retention, so the register's retention is not the bound).
JIKIMI_REQUEST_MAX_WINDOW_HOURS = int(_env("JIKIMI_REQUEST_MAX_WINDOW_HOURS", "72") or 72)
JIKIMI_REQUEST_MAX_AGE_DAYS = int(_env("JIKIMI_REQUEST_MAX_AGE_DAYS", "365") or 365)
# The legal hold placed at intake (R18): the window widened by this margin on each side, kept until
# this many days after the answer's due date unless the request closes first.
JIKIMI_REQUEST_HOLD_MARGIN_MINUTES = int(_env("JIKIMI_REQUEST_HOLD_MARGIN_MINUTES", "30") or 30)
JIKIMI_REQUEST_HOLD_DAYS_AFTER_DUE = int(_env("JIKIMI_REQUEST_HOLD_DAYS_AFTER_DUE", "180") or 180)
# The masked copy (R25, R42): the masking mode of request copies (thorough leaks nothing in the masking
# bench; fast spends less CPU), how long the citizen's download and online-viewing links live, and after
# how many minutes without progress a job counts as left by a dead worker (an officer may restart it).
DISCLOSURE_MASKING_MODE = _env("JIKIMI_DISCLOSURE_MASKING_MODE", "thorough") or "thorough"
if DISCLOSURE_MASKING_MODE not in ("fast", "thorough"):
    raise ValueError(f"JIKIMI_DISCLOSURE_MASKING_MODE={DISCLOSURE_MASKING_MODE!r}: fast 또는 thorough")
DISCLOSURE_COPY_LINK_DAYS = int(_env("JIKIMI_DISCLOSURE_COPY_LINK_DAYS", "7") or 7)
DISCLOSURE_MASKING_STALE_MINUTES = int(_env("JIKIMI_DISCLOSURE_MASKING_STALE_MINUTES", "30") or 30)
# Masking jobs on many workers (issue 18; disclosure.actions.job_leases): a worker holds the job it renders
# by a lease it renews every third of this; a lease not renewed for this long (the worker was killed, its
# machine lost) is recovered by the minute's sweep and the job queued again, for at most MAX_ATTEMPTS
# claims in all — then it fails with the reason. Keep the lease well above a database hiccup (default 60 s).
DISCLOSURE_MASKING_LEASE_SECONDS = float(_env("JIKIMI_DISCLOSURE_MASKING_LEASE_SECONDS", "60") or 60)
DISCLOSURE_MASKING_MAX_ATTEMPTS = int(_env("JIKIMI_DISCLOSURE_MASKING_MAX_ATTEMPTS", "3") or 3)
# The same lease and attempts hold for package builds (PackageJob). A job queued and not taken by any worker
# for DISCLOSURE_JOB_REQUEUE_SECONDS lost its task (Redis flushed or restarted): the sweep queues it again
# (a task merely waiting behind others is queued twice, harmlessly: a job is claimed once).
DISCLOSURE_JOB_REQUEUE_SECONDS = float(_env("JIKIMI_DISCLOSURE_JOB_REQUEUE_SECONDS", "600") or 600)
if DISCLOSURE_JOB_REQUEUE_SECONDS < 60:
    raise ValueError("JIKIMI_DISCLOSURE_JOB_REQUEUE_SECONDS: 60초 이상이어야 합니다")
if DISCLOSURE_MASKING_LEASE_SECONDS < 3 or DISCLOSURE_MASKING_MAX_ATTEMPTS < 1:
    raise ValueError(
        "JIKIMI_DISCLOSURE_MASKING_LEASE_SECONDS: 3초 이상, JIKIMI_DISCLOSURE_MASKING_MAX_ATTEMPTS: 1회 이상이어야 합니다"
    )

# Mail (Django's SMTP backend): the vault's alerts to the institution's privacy officers and operating
# heads, the audit log's signed checkpoints to the auditors.
EMAIL_HOST = _env("JIKIMI_EMAIL_HOST", "localhost") or "localhost"
EMAIL_PORT = int(_env("JIKIMI_EMAIL_PORT", "25") or 25)
EMAIL_HOST_USER = _env("JIKIMI_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = _env("JIKIMI_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = _env("JIKIMI_EMAIL_STARTTLS", "0") == "1"
EMAIL_USE_SSL = _env("JIKIMI_EMAIL_SSL", "0") == "1"
EMAIL_TIMEOUT = int(_env("JIKIMI_EMAIL_TIMEOUT_SECONDS", "10") or 10)
DEFAULT_FROM_EMAIL = _env("JIKIMI_EMAIL_FROM", "jikimi@localhost") or "jikimi@localhost"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"jikimi": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# The audit log's anchor outside the database (R40; jikimi.audit.anchoring). Checkpoints of the hash
# chain are signed with the institution's audit key (Ed25519) and appended to a file, to an S3
# bucket with Object Lock, and mailed to the auditors; `jikimi verify_audit` checks the log against them.
JIKIMI_AUDIT_INSTITUTION = _env("JIKIMI_AUDIT_INSTITUTION", "") or ""
JIKIMI_AUDIT_SIGNING_KEY = _env("JIKIMI_AUDIT_SIGNING_KEY", "") or ""
JIKIMI_AUDIT_SIGNING_KEY_PATH = Path(
    _env("JIKIMI_AUDIT_SIGNING_KEY_PATH", str(DATA_DIR / "audit_signing.key")) or ""
)
# The auditors' copy of the public key; when unset, the signing key's own public half is used.
JIKIMI_AUDIT_PUBLIC_KEY = _env("JIKIMI_AUDIT_PUBLIC_KEY", "") or ""
JIKIMI_AUDIT_ANCHOR_PATH = _env("JIKIMI_AUDIT_ANCHOR_PATH", str(DATA_DIR / "audit_anchor.jsonl")) or ""
JIKIMI_AUDIT_ANCHOR_S3_URL = _env("JIKIMI_AUDIT_ANCHOR_S3_URL", "") or ""
# Object Lock retention of each checkpoint: the longest retention of what it vouches for (3 years, R36).
JIKIMI_AUDIT_ANCHOR_S3_RETENTION_DAYS = int(_env("JIKIMI_AUDIT_ANCHOR_S3_RETENTION_DAYS", "1100") or 1100)
JIKIMI_AUDIT_ANCHOR_EMAILS = [
    a.strip() for a in (_env("JIKIMI_AUDIT_ANCHOR_EMAILS", "") or "").split(",") if a.strip()
]
JIKIMI_AUDIT_ANCHOR_INTERVAL_MINUTES = int(_env("JIKIMI_AUDIT_ANCHOR_INTERVAL_MINUTES", "60") or 60)
JIKIMI_AUDIT_ANCHOR_EVERY_ENTRIES = int(_env("JIKIMI_AUDIT_ANCHOR_EVERY_ENTRIES", "1000") or 1000)
JIKIMI_AUDIT_ARCHIVE_DIR = Path(_env("JIKIMI_AUDIT_ARCHIVE_DIR", str(DATA_DIR / "audit_archive")) or "")
# Archiving needs a checkpoint at most this old that covers everything it removes.
JIKIMI_AUDIT_ARCHIVE_CHECKPOINT_MAX_AGE_HOURS = int(
    _env("JIKIMI_AUDIT_ARCHIVE_CHECKPOINT_MAX_AGE_HOURS", "24") or 24
)

# Camera health (오산시 지침 제27조, 제31조④; control.actions.health, control.health_queries).
# A camera "recording" whose last segment ended longer ago than this has no footage.
JIKIMI_NO_FOOTAGE_SECONDS = float(_env("JIKIMI_NO_FOOTAGE_SECONDS", "180") or 180)
# A camera down or reconnecting this long is a fault: a maintenance ticket opens and is mailed.
JIKIMI_CAMERA_FAULT_SECONDS = float(_env("JIKIMI_CAMERA_FAULT_SECONDS", "300") or 300)
# Who repairs the cameras (the institution's team or its contractor): new tickets are mailed here.
JIKIMI_MAINTENANCE_EMAILS = [
    a.strip() for a in (_env("JIKIMI_MAINTENANCE_EMAILS", "") or "").split(",") if a.strip()
]
# A camera's stream is at fault when its clock has drifted more than this from the recorder's over a
# connection, or its frame rate / bitrate fell below this share of its own recent baseline.
JIKIMI_CLOCK_DRIFT_SECONDS = float(_env("JIKIMI_CLOCK_DRIFT_SECONDS", "2") or 2)
# A camera's own clock (what it burns into the picture, told by its RTCP sender reports) is at fault
# when it is more than this ahead of or behind the recorder's (NTP-synchronized) clock.
JIKIMI_CAMERA_CLOCK_OFFSET_SECONDS = float(_env("JIKIMI_CAMERA_CLOCK_OFFSET_SECONDS", "2") or 2)
JIKIMI_FRAME_RATE_DROP_RATIO = float(_env("JIKIMI_FRAME_RATE_DROP_RATIO", "0.5") or 0.5)
JIKIMI_BITRATE_DROP_RATIO = float(_env("JIKIMI_BITRATE_DROP_RATIO", "0.25") or 0.25)
# A recorder node is at fault past this CPU (% of one core), this many segments waiting to be stored,
# or with less free space than this above the store's reserve.
JIKIMI_RECORDER_CPU_PERCENT = float(_env("JIKIMI_RECORDER_CPU_PERCENT", "85") or 85)
JIKIMI_RECORDER_BACKLOG = int(_env("JIKIMI_RECORDER_BACKLOG", "10") or 10)
JIKIMI_STORE_HEADROOM_GB = float(_env("JIKIMI_STORE_HEADROOM_GB", "5") or 5)
