"""One env-driven settings module (see README, "Environment variables").

SQLite under var/ by default; PostgreSQL when DATABASE_URL is set. Production hardening switches on
when SCIWEEK_DEBUG is off.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SCIWEEK_VAR_DIR", BASE_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("SCIWEEK_DEBUG", False)
# Under pytest: fast hashing, jobs run inline, plain HTTP for the test client.
TESTING = env_bool("SCIWEEK_TESTING") or "pytest" in sys.modules
DEMO_MODE = env_bool("SCIWEEK_DEMO", False)


def _secret_key() -> str:
    # Never a default key: take it from the environment, or generate one once into var/.
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "ninja",  # self-hosted Swagger UI for /api/v1/docs (otherwise it loads from a CDN)
    "axes",
    "django_otp",  # second factor for organizers (accounts/otp.py)
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "sciweek.core",
    "sciweek.orgs",
    "sciweek.accounts",
    "sciweek.campaigns",
    "sciweek.reminders",
    "sciweek.reports",
    "sciweek.events",
    "sciweek.materials",
    "sciweek.selections",
    "sciweek.judging",
    "sciweek.contests",
    "sciweek.innovation",
    "sciweek.notices",
    "sciweek.summary",
    "sciweek.demo",
    "sciweek.portal",
    "sciweek.api",
]

MIDDLEWARE = [
    "sciweek.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sciweek.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sciweek.core.locale.ChosenLanguageMiddleware",  # Chinese unless English was chosen; no Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sciweek.accounts.middleware.ActiveUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sciweek.core.csp.ContentSecurityPolicyMiddleware",  # django-csp; a constant policy for JSON
    "axes.middleware.AxesMiddleware",
    "sciweek.campaigns.lifecycle.ClosedMiddleware",  # a write the campaign's status forbids: 409, never 500
]

ROOT_URLCONF = "sciweek.urls"
WSGI_APPLICATION = "sciweek.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sciweek.orgs.context.site",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'sciweek.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids lock-upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The public vote's fixed statements are prepared once per PostgreSQL connection (selections/services/
# voting.py). Behind PgBouncer in transaction mode older than 1.21 (no max_prepared_statements): 0.
SCIWEEK_PG_PREPARE = env_bool("SCIWEEK_PG_PREPARE", True)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sciweek.accounts.validators.MixedCharactersValidator"},
    {"NAME": "sciweek.accounts.validators.StrengthValidator"},  # zxcvbn: refuses sxqxj12345
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = int(os.environ.get("SCIWEEK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SCIWEEK_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if bucket := os.environ.get("SCIWEEK_S3_BUCKET"):
    # S3-compatible object storage (needs `pip install django-storages[s3]`).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": os.environ.get("SCIWEEK_S3_ENDPOINT")},
    }
# Uploads over 2.5 MB go to a temp file, never held whole in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# A county's statistics tables arrive by e-mail and are imported in one upload (reports exchange).
DATA_UPLOAD_MAX_NUMBER_FILES = 1000
SCIWEEK_MAX_UPLOAD_MB = int(os.environ.get("SCIWEEK_MAX_UPLOAD_MB", "200"))

# Background jobs: Celery with Redis when CELERY_BROKER_URL is set; otherwise jobs run in a
# thread of the web process (see sciweek/core/jobs.py), so the default install needs no server.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE
# With `celery -A sciweek worker -B`: texts whose job was lost are sent within five minutes.
CELERY_BEAT_SCHEDULE = {
    "sweep-texts": {"task": "sciweek.sweep_texts", "schedule": 300.0},
    # Reminders, campaign status moves and the morning digest (sciweek/reminders/scheduler.py).
    "reminders-tick": {"task": "sciweek.reminders_tick", "schedule": 60.0},
}
# Without a broker a thread of each web process runs the reminders' minute: auto | thread | off.
SCIWEEK_SCHEDULER = os.environ.get("SCIWEEK_SCHEDULER", "auto")

# Public registrations / walk-in check-ins allowed per client address: "<count>/<seconds>".
# 五.4: an event expecting this many people or more is a large event (safety plan and permit before approval).
SCIWEEK_LARGE_EVENT_SCALE = int(os.environ.get("SCIWEEK_LARGE_EVENT_SCALE", "1000"))
SCIWEEK_REGISTRATION_RATE = os.environ.get("SCIWEEK_REGISTRATION_RATE", "20/600")
SCIWEEK_WALKIN_RATE = os.environ.get("SCIWEEK_WALKIN_RATE", "30/600")
# The 最美 public vote (selections/services/voting.py): codes per number and per address a day, vote
# requests per address a minute (a school or office network votes from one address), objections.
SCIWEEK_VOTE_CODE_PHONE_RATE = os.environ.get("SCIWEEK_VOTE_CODE_PHONE_RATE", "5/86400")
SCIWEEK_VOTE_CODE_IP_RATE = os.environ.get("SCIWEEK_VOTE_CODE_IP_RATE", "30/86400")
SCIWEEK_VOTE_RATE = os.environ.get("SCIWEEK_VOTE_RATE", "600/60")
SCIWEEK_VOTE_CAPTCHA_AFTER = os.environ.get(
    "SCIWEEK_VOTE_CAPTCHA_AFTER", "5/3600"
)  # codes per address before the picture check
SCIWEEK_OBJECTION_RATE = os.environ.get("SCIWEEK_OBJECTION_RATE", "10/3600")
SCIWEEK_MAX_PUBLIC_VOTE_WEIGHT = os.environ.get("SCIWEEK_MAX_PUBLIC_VOTE_WEIGHT", "0.30")
SCIWEEK_WORKDAYS_FILE = os.environ.get("SCIWEEK_WORKDAYS_FILE", "")

# Shared cache (fragment cache generation, rate limits): Redis when configured, else this process's memory.
_redis = os.environ.get("SCIWEEK_REDIS_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis}
    if _redis
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sciweek"}
}


EMAIL_BACKEND = os.environ.get(
    "SCIWEEK_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sciweek@localhost")

# Content Security Policy: everything self-hosted; inline scripts only with the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # csp.constants.NONCE: the literal "nonce" is not a nonce
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING and not env_bool("SCIWEEK_INSECURE_HTTP"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SCIWEEK_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SCIWEEK_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SCIWEEK_LOG_LEVEL", "WARNING")},
    # Refusals (4xx) are counted by status in /metrics, not written line by line: in a public vote the
    # rules answer 409 to every fifth request, and a line each cost CPU on the busiest path. 5xx still log.
    "loggers": {"django.request": {"level": os.environ.get("SCIWEEK_REQUEST_LOG_LEVEL", "ERROR")}},
}

# ---- Security and operations (issue 11; README "运维：备份、健康检查、指标、扩展") ---------------------
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated, e.g.
# "127.0.0.1,10.0.0.0/8"); from anyone else the header is ignored and REMOTE_ADDR is the client.
SCIWEEK_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("SCIWEEK_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# django-axes locks (username, real client address) only: a wrong password from one address never
# locks the account for everyone else. accounts/throttle.py adds an address-wide limit and a
# progressive delay per username (at most SCIWEEK_LOGIN_DELAY_MAX seconds, never a lock).
AXES_CLIENT_IP_CALLABLE = "sciweek.core.middleware.axes_client_ip"
SCIWEEK_LOGIN_IP_LIMIT = int(os.environ.get("SCIWEEK_LOGIN_IP_LIMIT", "30"))  # failures per address …
SCIWEEK_LOGIN_IP_WINDOW = int(os.environ.get("SCIWEEK_LOGIN_IP_WINDOW", "900"))  # … in this many seconds
SCIWEEK_LOGIN_DELAY_AFTER = int(os.environ.get("SCIWEEK_LOGIN_DELAY_AFTER", "10"))  # failures of a username
SCIWEEK_LOGIN_DELAY_MAX = int(os.environ.get("SCIWEEK_LOGIN_DELAY_MAX", "300"))  # seconds
# API tokens expire this many days after creation (and are revoked on any password reset or change).
SCIWEEK_API_TOKEN_DAYS = int(os.environ.get("SCIWEEK_API_TOKEN_DAYS", "90"))
# A working day on a shared office PC; the session also ends when the browser closes if set to 0.
SESSION_COOKIE_AGE = int(float(os.environ.get("SCIWEEK_SESSION_HOURS", "9")) * 3600) or 9 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = os.environ.get("SCIWEEK_SESSION_HOURS", "") == "0"
# Django's admin: off unless a path is given (e.g. SCIWEEK_ADMIN_PATH=ops-7f3k/), never a guessable default.
SCIWEEK_ADMIN_PATH = os.environ.get("SCIWEEK_ADMIN_PATH", "").strip("/")
# Background jobs' result files are deleted this many days after they finish.
SCIWEEK_JOB_RESULT_DAYS = int(os.environ.get("SCIWEEK_JOB_RESULT_DAYS", "7"))
# Import previews not yet committed: at most this many megabytes per user.
SCIWEEK_IMPORT_PENDING_MB = int(os.environ.get("SCIWEEK_IMPORT_PENDING_MB", "200"))
# Second factor (TOTP): required for organizers and co-organizers when on.
SCIWEEK_OTP_REQUIRED = env_bool("SCIWEEK_OTP_REQUIRED", False)
OTP_TOTP_ISSUER = "科技活动周"
# /metrics (Prometheus text format): on by default; SCIWEEK_METRICS_TOKEN makes it ask for a bearer token.
SCIWEEK_METRICS = env_bool("SCIWEEK_METRICS", True)
SCIWEEK_METRICS_TOKEN = os.environ.get("SCIWEEK_METRICS_TOKEN", "")
# One JSON object per log line (for a log collector) instead of plain text.
SCIWEEK_LOG_JSON = env_bool("SCIWEEK_LOG_JSON", False)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
if SCIWEEK_LOG_JSON:
    LOGGING["formatters"] = {"json": {"()": "sciweek.core.logjson.JsonFormatter"}}
    LOGGING["handlers"] = {"console": {"class": "logging.StreamHandler", "formatter": "json"}}

# Close of business for deadlines written as "下午下班前" (overridable per campaign).
SCIWEEK_CLOSE_OF_BUSINESS = os.environ.get("SCIWEEK_CLOSE_OF_BUSINESS", "17:30")

# Text messages to registrants (sciweek/core/sms.py): "log" keeps them in the database and the log
# (no gateway: intranets); "http" posts each to SCIWEEK_SMS_URL with SCIWEEK_SMS_KEY; or a dotted path.
SCIWEEK_SMS_URL = os.environ.get("SCIWEEK_SMS_URL", "")
SCIWEEK_SMS_KEY = os.environ.get("SCIWEEK_SMS_KEY", "")
SCIWEEK_SMS_BACKEND = os.environ.get("SCIWEEK_SMS_BACKEND", "http" if SCIWEEK_SMS_URL else "log")
SCIWEEK_SMS_TIMEOUT = float(os.environ.get("SCIWEEK_SMS_TIMEOUT", "10"))
SCIWEEK_SMS_SIGNATURE = os.environ.get("SCIWEEK_SMS_SIGNATURE", "科技活动周")
# The address the public reaches sciweek at, for links in text messages (e.g. https://kjz.example.gov.cn).
SCIWEEK_PUBLIC_URL = os.environ.get("SCIWEEK_PUBLIC_URL", "").rstrip("/")

SCIWEEK_JOBS_SYNC = TESTING and not env_bool("SCIWEEK_JOBS_THREADED")
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MEDIA_ROOT = Path(os.environ.get("SCIWEEK_TEST_MEDIA", VAR_DIR / "test-media"))
