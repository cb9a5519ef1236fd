"""Settings for the advisory app, read from the environment.

With no configuration the app runs on SQLite and a file-system Celery broker; DATABASE_URL
and CELERY_BROKER_URL switch to PostgreSQL and Redis. HTTPS=1 turns on the production
transport security (secure cookies, HSTS, redirect to HTTPS).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from celery.schedules import crontab

from advisory.env import EnvError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if HTTPS:
        raise EnvError("SECRET_KEY must be set when HTTPS=1 (production)")
    # A local install keeps one generated key, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "advisory.views.errors.csrf_failure"
# Links in emails point here. By default, the address `make run` serves (bin/serve, PORT).
PORT = env_int("PORT", 8000, minimum=1)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, for operators (staff accounts) only: advisory/admin_site.py.
    "advisory.admin_apps.AdvisoryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "advisory",
    "assessments",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "advisory.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After OTPMiddleware: a session that owes a second factor reaches only the page for it.
    "advisory.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "advisory.urls"
WSGI_APPLICATION = "advisory.wsgi.application"

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
                "advisory.context_processors.firm",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default, so the web server and the worker can both write.
_env = environ.Env()
if env_str("DATABASE_URL"):
    DATABASES = {"default": _env.db_url("DATABASE_URL")}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DB_CONN_MAX_AGE", 60, minimum=0))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory, so tests run in the same WAL mode as the app, with several
            # connections (live server, worker threads) writing at once.
            "TEST": {"NAME": str(VAR_DIR / "test-db.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "advisory.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "advisory.backends.FirmModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling: five failures for one email from one address locks it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form posts the email in a field named "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Memo PDFs live here; they are served only through views that check access.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Memo PDFs and firm logos are read and written only through Django's storage API, so on
# several hosts they can live in S3-compatible object storage instead of MEDIA_ROOT: set
# S3_BUCKET (and install the `s3` extra, django-storages). See docs/operations.md.
S3_BUCKET = env_str("S3_BUCKET")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX"),
            # Files are private: only the app's views (which check access) serve them.
            "default_acl": "private",
            "querystring_auth": True,
            # A version's file name is fixed; writing it again replaces it.
            "file_overwrite": True,
        },
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Cache: Redis when configured (shared by every process, so rate limits hold across
# workers), otherwise the database cache table, which is shared too.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
    # Every advisor page reads the session: from Redis, with the database behind it (a
    # session written to both, and read from the database when Redis has lost it).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_table",
        }
    }
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# Per address, on top of the per-account lockout: slows one address guessing across accounts.
SIGN_IN_RATE = env_str("SIGN_IN_RATE", "30/m")
PASSWORD_RESET_RATE = env_str("PASSWORD_RESET_RATE", "5/m")
# The one-time set-password links (per address) and two-factor codes (per address and per
# account), on top of django-otp's own doubling wait after each wrong code.
ACCOUNT_LINK_RATE = env_str("ACCOUNT_LINK_RATE", "30/m")
TWO_FACTOR_RATE = env_str("TWO_FACTOR_RATE", "10/m")
RATELIMIT_VIEW = "advisory.views.errors.rate_limited"
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Email: printed to the console unless an SMTP host is configured.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "AI Leadership Memos <memos@localhost>")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
# The outbox (advisory/outbox.py): a message the mail server could not take is tried again
# after EMAIL_RETRY_SECONDS, then twice as long each time, up to EMAIL_MAX_ATTEMPTS tries; one
# whose task was lost is published again by the sweep after EMAIL_REQUEUE_AFTER_SECONDS.
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 30, minimum=0)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8, minimum=1)
EMAIL_REQUEUE_AFTER_SECONDS = env_int("EMAIL_REQUEUE_AFTER_SECONDS", 120, minimum=10)

# A worker child warms the memo renderer when it starts; give it time on a slow machine.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 30

# Celery: a file-system broker needs no server; CELERY_BROKER_URL switches to Redis.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # The visibility timeout must outlast the hard time limit of any task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_IGNORE_RESULT = True
# The worker logs through the same redacting handler as the web server (LOGGING below),
# instead of Celery replacing the root logger's handlers with its own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A render that takes longer than the soft limit is failed with a plain reason; the hard
# limit kills a render that ignores it. Both are set on the render task itself.
MEMO_RENDER_SOFT_TIME_LIMIT = env_int("MEMO_RENDER_SOFT_TIME_LIMIT", 120, minimum=5)
MEMO_RENDER_TIME_LIMIT = env_int(
    "MEMO_RENDER_TIME_LIMIT", MEMO_RENDER_SOFT_TIME_LIMIT + 60, minimum=MEMO_RENDER_SOFT_TIME_LIMIT
)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_MAX_MEMORY_KB", 400_000, minimum=50_000)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "requeue-stranded-memos": {"task": "reports.tasks.memo_sweep", "schedule": 30.0},
    "requeue-stranded-emails": {"task": "advisory.tasks.outbox_sweep", "schedule": 60.0},
    # Every hour of the working day (TIME_ZONE): a worker down at 8 sends them at 9.
    "reminders-before-board-meetings": {
        "task": "reports.tasks.send_reminders",
        "schedule": crontab(minute=5, hour="8-18"),
    },
}

# Two-factor codes: after each wrong code the next try waits twice as long (1 s, 2 s, 4 s…).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Links sent to respondents and board members: the defaults of a new firm, whose owners can
# then set their own (Firm.ceo_link_days, Firm.board_link_days).
INVITATION_TTL_DAYS = env_int("INVITATION_TTL_DAYS", 30, minimum=1)
DOWNLOAD_TTL_DAYS = env_int("DOWNLOAD_TTL_DAYS", 14, minimum=1)

# Transport security for production (behind TLS).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind a proxy every request comes from the proxy's address; rate limits and sign-in
    # throttling must key on the client's, which the proxy puts in X-Real-IP.
    RATELIMIT_IP_META_KEY = "advisory.proxy.client_ip"
    AXES_CLIENT_IP_CALLABLE = "advisory.proxy.client_ip"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "advisory.redaction.RedactTokens"}},
    "formatters": {"plain": {"format": "[{asctime}] {levelname} {name}: {message}", "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_tokens"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's defaults give these loggers handlers of their own, which would print
        # request paths (and the tokens in them) unredacted: everything goes through ours.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": ["console"], "propagate": False},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},
    },
}

# --- Memos ---
# The Django template a memo is rendered from (tests point it at a broken one).
MEMO_TEMPLATE = env_str("MEMO_TEMPLATE", "reports/pdf/memo.html")
# A version queued this long with no worker picking it up is published again by the sweep.
MEMO_REQUEUE_AFTER_SECONDS = env_int("MEMO_REQUEUE_AFTER_SECONDS", 60, minimum=5)
# After this many attempts a version that keeps getting stranded is marked failed.
MEMO_MAX_ATTEMPTS = env_int("MEMO_MAX_ATTEMPTS", 6, minimum=1)
# Downloads by link: per client address, so a leaked link cannot be hammered.
MEMO_DOWNLOAD_RATE = env_str("MEMO_DOWNLOAD_RATE", "30/m")

# --- Questionnaire ---
# Limits on the CEO's link pages, per client address and per link. Each answer is saved as it
# is given, so a CEO clicking briskly through the scales makes a request every second or two.
QUESTIONNAIRE_RATE_PER_IP = env_str("QUESTIONNAIRE_RATE_PER_IP", "120/m")
QUESTIONNAIRE_RATE_PER_LINK = env_str("QUESTIONNAIRE_RATE_PER_LINK", "120/m")
