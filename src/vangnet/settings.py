"""Vangnet settings: one module, driven by the environment.

Development (the default) is safe and needs nothing: SQLite in the project folder, the
in-memory channel layer, a fixed development secret. Production (`VANGNET_ENV=production`)
refuses to start unless every setting that protects people is given explicitly. See
docs/operations.md for the full list of variables.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import overload

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value if value else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env("VANGNET_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("VANGNET_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"


def required(name: str) -> str:
    """A setting that production must be given; development gets no default from here."""
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"{name} is not set. Production mode (VANGNET_ENV=production) refuses to start "
            f"without it; see docs/operations.md."
        )
    return value


# --- Core ------------------------------------------------------------------------------

if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        required("ALLOWED_HOSTS")
    DEBUG = False
else:
    SECRET_KEY = env("SECRET_KEY", "development-only-secret-key-never-use-in-production-0123456789")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    DEBUG = env_bool("DEBUG", False)

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "django_tasks_db",
    "vangnet.core",
    "vangnet.regions",
    "vangnet.accounts",
    "vangnet.audit",
    "vangnet.contacts",
    "vangnet.chat",
    "vangnet.reports",
    "vangnet.workspace",
    "vangnet.api",
    "vangnet.meldcode",
    "vangnet.insights",
    "vangnet.rights",
    "vangnet.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vangnet.core.middleware.ReplaceNavigationMiddleware",
    "vangnet.accounts.middleware.SessionMiddleware",
    "vangnet.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "vangnet.accounts.middleware.IdleTimeoutMiddleware",
    "vangnet.accounts.middleware.LoginRequiredByDefaultMiddleware",
    "vangnet.workspace.middleware.ActiveRegionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "vangnet.core.middleware.NoStoreMiddleware",
    # Axes last: it turns a lockout into our own friendly page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vangnet.urls"
ASGI_APPLICATION = "vangnet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vangnet.core.context_processors.site",
                "vangnet.workspace.context_processors.workspace",
            ],
        },
    },
]

# --- Database, channel layer, cache, tasks ---------------------------------------------

DATABASE_URL = required("DATABASE_URL") if PRODUCTION else env("DATABASE_URL")
# A connection pool per process (psycopg's, through Django; ADR 0030) is the production
# default on PostgreSQL: every process holds at most DATABASE_POOL_MAX_SIZE connections
# however many request threads it runs, and a request that finds them all busy waits up to
# DATABASE_POOL_TIMEOUT seconds for one instead of failing. DATABASE_POOL=false leaves
# pooling to an external pooler (PgBouncer), with DATABASE_CONN_MAX_AGE as before;
# DATABASE_POOL=true pools in development too.
DATABASE_POOL = env_bool("DATABASE_POOL", PRODUCTION)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL:
    if env_int("DATABASE_CONN_MAX_AGE", 0):
        raise ImproperlyConfigured(
            "DATABASE_CONN_MAX_AGE keeps a connection per thread, the pool shares a few per "
            "process: set DATABASE_POOL=false to use it (with an external pooler), or drop it."
        )
    from psycopg_pool import ConnectionPool

    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # the pool checks a connection itself
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
        # Seconds a request waits for a free connection before it fails.
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 30),
        # A connection broken by a database restart is replaced, not handed out.
        "check": ConnectionPool.check_connection,
    }
if PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    # Only PostgreSQL has the trigger that keeps the access log append-only (ADR 0003).
    raise ImproperlyConfigured(
        "DATABASE_URL must point to PostgreSQL (postgres://...) in production: only there "
        "does a trigger keep the access log append-only. SQLite is for development."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The chat sockets' database thread closes an expired connection around every call: at
    # 0 it opened the file and ran the PRAGMAs below on every message, and that alone took
    # the embedded process from half a core to all of it at 1,000 conversations (ADR 0037).
    # A connection to a local file costs nothing to keep. A request's own thread (ASGI) closes
    # its connection when the request ends (`core.connections`).
    if env("DATABASE_CONN_MAX_AGE") is None:
        DATABASES["default"]["CONN_MAX_AGE"] = 60
    # WAL lets the web process and the task worker read while one of them writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The insights' covering index (`Tally`) carries its sums only on PostgreSQL; SQLite keeps a
# plain index, which is all the embedded default needs, and need not say so at every start.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env("REDIS_URL")
# Which of channels_redis' layers carries the events between processes (ADR 0037): "pubsub"
# (Redis publish/subscribe: a process subscribes once per group it has members in and gets
# every event pushed) or "core" (a sorted set per channel, popped one message per round trip
# per process: at 1,000 conversations that serial pop was where the messages waited).
CHANNEL_LAYER_KINDS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
CHANNEL_LAYER_KIND = env("CHANNEL_LAYER_KIND", "pubsub")
if CHANNEL_LAYER_KIND not in CHANNEL_LAYER_KINDS:
    raise ImproperlyConfigured("CHANNEL_LAYER_KIND must be 'pubsub' or 'core'.")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": CHANNEL_LAYER_KINDS[CHANNEL_LAYER_KIND],
            "CONFIG": {
                # redis-py 8 reads with a 5 s socket timeout by default, the same 5 s that
                # the core layer blocks on BZPOPMIN: an idle socket's receive would time out
                # and kill its consumer. Give the read room beyond the blocking pop.
                # redis-py 8 caps a pool at 100 connections and then raises at once
                # ("Too many connections"); every concurrent group_send of the core layer
                # holds one, so a busy web process needs more.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 30,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000),
                    }
                ],
                "prefix": env("CHANNEL_LAYER_PREFIX", "vangnet"),
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "vangnet"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "vangnet.core.channel_layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Authentication and sessions -------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session expires this many minutes after the last request.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False  # IdleTimeoutMiddleware refreshes the expiry itself.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Vangnet")

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
# Lock the combination of account and address: a stranger cannot lock someone out, and one
# person's typos do not lock the office behind the same address (issue 12). An address that
# tries many accounts is throttled on its own, at a higher limit (accounts/lockout.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "vangnet.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# --- Security headers ------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send `Origin: null` on form posts,
# which Django's CSRF check must refuse. Other sites still never learn where a visitor came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The public side loads nothing from another origin and runs no inline script (DESIGN.md).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Language and time -----------------------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(PROJECT_DIR / "staticfiles")) or "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATICFILES_DIRS = [BASE_DIR / "static"]  # vangnet/ itself is not an app, so no app finder
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- REST API --------------------------------------------------------------------------


def api_rate(name: str, default: str) -> str:
    """A rate such as "120/minute"; a malformed one stops the start, not the 100th request."""
    rate = env(name, default) or default
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", rate):
        raise ImproperlyConfigured(f"{name} must look like 120/minute, not {rate!r}.")
    return rate


# Per partner API key (vangnet.api.throttling): every request, and those that change something.
API_PARTNER_RATE = api_rate("API_PARTNER_RATE", "120/minute")
API_PARTNER_WRITE_RATE = api_rate("API_PARTNER_WRITE_RATE", "20/minute")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # Deny by default: an endpoint that is public says so itself.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {"anon": env("API_ANON_RATE", "120/minute")},
    "DEFAULT_THROTTLE_CLASSES": [
        "vangnet.api.throttling.PartnerKeyRateThrottle",
        "vangnet.api.throttling.PartnerKeyWriteRateThrottle",
    ],
    "EXCEPTION_HANDLER": "vangnet.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Vangnet API",
    "DESCRIPTION": (
        "REST API of Vangnet for partner systems of the Veilig Thuis organisations. "
        "All endpoints are versioned under /api/v1/."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Two APIs have a "status" enum; each gets its own name in the document.
    "ENUM_NAME_OVERRIDES": {
        "HandoverStatusEnum": "vangnet.chat.models.HandoverStatus.values",
        "TransferStatusEnum": "vangnet.reports.api.TRANSFER_STATUSES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "vangnet.api.schema.document_retry_after",
    ],
}

# --- Audit -----------------------------------------------------------------------------

# The key that seals the access log's hash chain. It must stay the same for the life of the
# log (changing it makes every older entry fail verification); keep it apart from the database.
AUDIT_LOG_KEY = required("AUDIT_LOG_KEY") if PRODUCTION else env("AUDIT_LOG_KEY", SECRET_KEY)

# --- Field encryption ------------------------------------------------------------------

# Fernet keys for personal data encrypted at rest (the reporter's identity, citizen service
# numbers). The first key encrypts; every key decrypts, so a new key goes in front and the old
# one stays until `manage.py rotate_field_keys` has re-encrypted everything (docs/operations.md).
# The development default is public and protects nothing; production refuses to start without.
_DEVELOPMENT_FIELD_KEY = "dmFuZ25ldC1kZXZlbG9wbWVudC1vbmx5LWtleS0wMDA="
FIELD_ENCRYPTION_KEYS = (
    env_list("FIELD_ENCRYPTION_KEYS") or [required("FIELD_ENCRYPTION_KEYS")]
    if PRODUCTION
    else env_list("FIELD_ENCRYPTION_KEYS", [_DEVELOPMENT_FIELD_KEY])
)
if PRODUCTION and _DEVELOPMENT_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must not hold the development key.")
# The key of the searchable hash (HMAC-SHA256) of citizen service numbers. It cannot rotate
# without recomputing every hash; keep it apart from the database and the encryption keys.
FIELD_HASH_KEY = (
    required("FIELD_HASH_KEY")
    if PRODUCTION
    else env("FIELD_HASH_KEY", "development-only-field-hash-key")
)

# --- Logging: never personal data ------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# --- Vangnet ---------------------------------------------------------------------------

VANGNET_PHONE_NUMBER = "0800-2000"

# --- Chat ------------------------------------------------------------------------------

# DOMAIN.md: working days 9:00-17:00. "always" keeps the chat open day and night.
CHAT_OPENING_HOURS = env("CHAT_OPENING_HOURS", "09:00-17:00")
# How long transcripts are kept after the chat closed; the outcome registration stays.
CHAT_TRANSCRIPT_RETENTION_DAYS = env_int("CHAT_TRANSCRIPT_RETENTION_DAYS", 30)
CHAT_MESSAGE_MAX_LENGTH = 2000
# An employee counts as available only while their queue page is connected.
CHAT_PRESENCE_SECONDS = 90
# The chat page warns an idle visitor this long before the session (SESSION_COOKIE_AGE) ends.
CHAT_IDLE_WARNING_SECONDS = env_int("CHAT_IDLE_WARNING_SECONDS", 120)
# A waiting visitor whose connection has been gone this long has left the queue.
CHAT_WAITING_VISITOR_GONE_SECONDS = env_int("CHAT_WAITING_VISITOR_GONE_SECONDS", 300)
# How often the task worker sweeps such chats (chat/tasks.py; no cron line, no browser).
CHAT_SWEEP_SECONDS = env_int("CHAT_SWEEP_SECONDS", 60)
# Open chat windows per visitor's browser session: the newest wins, the oldest is closed.
CHAT_VISITOR_MAX_SOCKETS = env_int("CHAT_VISITOR_MAX_SOCKETS", 3)
# Overload (ADR 0036, chat/load.py): a process this many seconds behind (its database
# thread's queue or its event loop) is busy: its visitors see a calm notice and the intake
# starts no new chat (wait or call); calm again below a third of it, at the earliest after
# CHAT_BUSY_HOLD_SECONDS. And at most this many conversations with an open visitor socket
# per process start new chats (the goal is 1,000 a process; room for the ones arriving).
CHAT_BUSY_SECONDS = float(env("CHAT_BUSY_SECONDS", "1.0"))
CHAT_BUSY_HOLD_SECONDS = float(env("CHAT_BUSY_HOLD_SECONDS", "10"))
CHAT_MAX_CONVERSATIONS = env_int("CHAT_MAX_CONVERSATIONS", 1200)
# The full intake asks a visitor who chose to wait to try again after this many seconds.
CHAT_FULL_RETRY_SECONDS = env_int("CHAT_FULL_RETRY_SECONDS", 20)
# For the wait estimate while there are too few chats to learn from (DOMAIN.md: 15-20 min).
CHAT_TYPICAL_DURATION_MINUTES = 15
# How long a continuity code leads back to the same employee (seed 000: "days later").
CHAT_CONTINUITY_CODE_DAYS = env_int("CHAT_CONTINUITY_CODE_DAYS", 90)
# Quick exit: where the public pages send a visitor who must leave at once.
VANGNET_NEUTRAL_EXIT_URL = env("NEUTRAL_EXIT_URL", "https://www.knmi.nl/nederland-nu/weer")

# --- E-mail ----------------------------------------------------------------------------

# Development keeps mail in files (core/mail.py: never in the server's log, which would show a
# reporter's address and status link); production sends through the SMTP host it is given.
DEVELOPMENT_MAIL_DIR = env("DEVELOPMENT_MAIL_DIR", str(BASE_DIR.parent.parent / "var" / "mail"))
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env("EMAIL_HOST_USER", ""),
                "password": env("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                # A mail server that hangs must not hold a worker (or a page) for long.
                "timeout": env_int("EMAIL_TIMEOUT", 10),
            },
        }
        if PRODUCTION or env("EMAIL_HOST")
        else {
            "BACKEND": "vangnet.core.mail.DevelopmentMailBackend",
            "OPTIONS": {"file_path": DEVELOPMENT_MAIL_DIR},
        }
    )
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Veilig Thuis <noreply@vangnet.example>")
# Links in e-mails (the reporter's status link) start with this address.
PUBLIC_BASE_URL = (
    required("PUBLIC_BASE_URL") if PRODUCTION else env("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
)

# --- Reports (meldingen) ---------------------------------------------------------------

# The status link's secret opens the status page for this many minutes in that browser; the
# address without the secret is what stays in the address bar and the history (ADR 0023).
REPORT_STATUS_SESSION_MINUTES = env_int("REPORT_STATUS_SESSION_MINUTES", 15)

# Handelingsprotocol (DOMAIN.md): an acute report is acted on within 24 hours; the safety
# assessment including triage is done within 5 working days of receipt; an investigation takes
# at most 10 weeks.
REPORT_URGENCY_HOURS = env_int("REPORT_URGENCY_HOURS", 24)
REPORT_ASSESSMENT_WORKING_DAYS = env_int("REPORT_ASSESSMENT_WORKING_DAYS", 5)
REPORT_INVESTIGATION_WEEKS = env_int("REPORT_INVESTIGATION_WEEKS", 10)
# Reminders go to the owner and the team lead this many working days before a deadline.
REPORT_REMINDER_WORKING_DAYS = env_int("REPORT_REMINDER_WORKING_DAYS", 1)
# DOMAIN.md: monitoring moments are not fixed by a public source; default 3, 6 and 12 months
# after transfer, editable per case.
REPORT_MONITORING_MONTHS = [int(m) for m in env_list("REPORT_MONITORING_MONTHS", ["3", "6", "12"])]
# Feedback mail to the reporter goes through the task worker: this many tries, the wait
# doubling from REPORT_FEEDBACK_RETRY_MINUTES; the report page shows whether it went out.
REPORT_FEEDBACK_MAIL_ATTEMPTS = env_int("REPORT_FEEDBACK_MAIL_ATTEMPTS", 5)
REPORT_FEEDBACK_RETRY_MINUTES = env_int("REPORT_FEEDBACK_RETRY_MINUTES", 2)
# DOMAIN.md: report files are kept 20 years (configurable).
REPORT_RETENTION_YEARS = env_int("REPORT_RETENTION_YEARS", 20)

# --- Retention (rights app: runs daily by itself in the task worker, ADR 0031) --------------

# DOMAIN.md: advice records (dossiers and contacts) are kept 2 years (configurable).
ADVICE_RETENTION_YEARS = env_int("ADVICE_RETENTION_YEARS", 2)
# Meldcode records are part of the professional's client file and keep that file's term: 20
# years under the WGBO and the Jeugdwet. An organisation may set its own (rights admin).
MELDCODE_RECORD_RETENTION_YEARS = env_int("MELDCODE_RECORD_RETENTION_YEARS", 20)
# Access-log entries older than this go, behind a signed checkpoint (NEN 7513 asks 5 years).
ACCESS_LOG_RETENTION_YEARS = env_int("ACCESS_LOG_RETENTION_YEARS", 5)
# When the daily run starts (Dutch time, HH:MM), and how far ahead the team lead looks.
RETENTION_RUN_AT = env("RETENTION_RUN_AT", "02:30")
RETENTION_PREVIEW_DAYS = env_int("RETENTION_PREVIEW_DAYS", 30)
# Requests of the people involved: decided within 4 weeks, extendable (issue 17).
RIGHTS_REQUEST_WEEKS = env_int("RIGHTS_REQUEST_WEEKS", 4)
RIGHTS_REQUEST_EXTENSION_WEEKS = env_int("RIGHTS_REQUEST_EXTENSION_WEEKS", 8)
# Four eyes on triage: the behavioural scientist approves (DOMAIN.md: configurable per region).
# Regions listed here (by code) take triage decisions without the second approval.
REPORT_TRIAGE_FOUR_EYES_EXEMPT_REGIONS = env_list("REPORT_TRIAGE_FOUR_EYES_EXEMPT_REGIONS")

# --- Insights (figures) ----------------------------------------------------------------

# Field norms (DOMAIN.md): 90 % of safety assessments with triage within 5 working days,
# 80 % of investigations within 10 weeks.
INSIGHTS_ASSESSMENT_NORM_PERCENT = env_int("INSIGHTS_ASSESSMENT_NORM_PERCENT", 90)
INSIGHTS_INVESTIGATION_NORM_PERCENT = env_int("INSIGHTS_INVESTIGATION_NORM_PERCENT", 80)
# A transfer waiting longer than this many days for acceptance is flagged (the page may ask less).
INSIGHTS_TRANSFER_WAIT_DAYS = env_int("INSIGHTS_TRANSFER_WAIT_DAYS", 5)
# Wmo 2015 art. 4.1.1: the reporter hears back after the safety assessment; "on time" is
# within this many working days of the triage decision (configurable).
INSIGHTS_FEEDBACK_WORKING_DAYS = env_int("INSIGHTS_FEEDBACK_WORKING_DAYS", 5)
# A monitoring moment is "due" from this many days before its date.
INSIGHTS_MONITORING_DUE_DAYS = env_int("INSIGHTS_MONITORING_DUE_DAYS", 14)
# The rollup re-aggregates this many recent days on each run, and runs this often (minutes).
INSIGHTS_ROLLUP_RECENT_DAYS = env_int("INSIGHTS_ROLLUP_RECENT_DAYS", 2)
INSIGHTS_ROLLUP_INTERVAL_MINUTES = env_int("INSIGHTS_ROLLUP_INTERVAL_MINUTES", 15)
# Statistics export: cells below this are suppressed (small-cell protection).
INSIGHTS_SUPPRESSION_THRESHOLD = env_int("INSIGHTS_SUPPRESSION_THRESHOLD", 5)
# The staffing forecast learns from this many past weeks.
INSIGHTS_FORECAST_WEEKS = env_int("INSIGHTS_FORECAST_WEEKS", 8)
