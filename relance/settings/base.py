"""Django's settings and its libraries', driven by the environment (the plan's own are in
``plan.py``; ``relance.settings`` is both).

Every variable has a working local default, except in production
(``RELANCE_ENV=production``), where a missing secret stops start-up with a
message that names it. See ``.env.example`` for the full list.
"""

import datetime as dt
import os
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

RELANCE_ENV = env.str("RELANCE_ENV", default="development")
if RELANCE_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"RELANCE_ENV must be 'development' or 'production', not {RELANCE_ENV!r}."
    )
PRODUCTION = RELANCE_ENV == "production"


def _required_in_production(name: str, development_default: str) -> str:
    # Read as it is: django-environ would take a secret that starts with "$" for a
    # reference to another variable.
    value = os.environ.get(name, "")
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"Set the environment variable {name}: it is required when RELANCE_ENV=production."
        )
    return development_default


DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = _required_in_production(
    "SECRET_KEY", "django-insecure-development-only-0f3c9a7e5d1b4c2a8e6f"
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"],
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the environment variable ALLOWED_HOSTS: it is required when RELANCE_ENV=production."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so that its management commands (flush) take precedence over Django's.
    "relance",
    "projects",
    "milestones",
    "finance",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_bootstrap5",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI's files, served from our own static files (/api/docs/): no CDN.
    "drf_spectacular_sidecar",
    # Sign-in security: lockout after repeated failures, TOTP second factor, recovery codes.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Cache-Control: private, no-store on all but public data (relance/middleware.py).
    "relance.middleware.PrivateCacheMiddleware",
    # A body declared larger than RELANCE_UPLOAD_MAX_BYTES is refused before it is read.
    "relance.middleware.RequestSizeLimitMiddleware",
    # 400 for a NUL in a parameter or an empty _to_field, which would otherwise give 500.
    "relance.middleware.BadParameterMiddleware",
    # The Content-Security-Policy (CONTENT_SECURITY_POLICY below) on every response.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # request.user.is_verified(): signed in with a second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    # Coordinators and admins pass the second factor before anything else (production).
    "projects.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: refuses a locked-out sign-in before it is tried.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Serves the collected static files; runserver serves them in development.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "relance.urls"
WSGI_APPLICATION = "relance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "projects.context_processors.roles",
            ],
        },
    },
]

# SQLite is the embedded default; production and CI set DATABASE_URL
# (postgres://user@host:5432/name, served by psycopg 3).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # The pages' queries are short: PostgreSQL's JIT compiler, which starts on a query it
    # estimates costly, spent 0.7 s compiling the round summary's 0.3 s query at 10x.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves a small team: writers queue instead of failing with
    # "database is locked". WAL lets readers go on while one writes; every transaction takes
    # the write lock when it begins (IMMEDIATE), so two never deadlock upgrading a read lock;
    # a writer waits up to SQLITE_BUSY_TIMEOUT seconds for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "projects.User"
# Django's ModelBackend with django-axes' lockout (AXES_* below) in front, as one backend.
AUTHENTICATION_BACKENDS = ["projects.accounts.backends.LockoutModelBackend"]
# Argon2id first, as Django's documentation advises (memory-hard, and a third less CPU per
# sign-in than PBKDF2's million rounds: 0.34 s against 0.54 s on a core here). The others
# only check the hashes stored before; Django rehashes those with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # The similarity above is a ratio over the whole password: a name repeated or padded
    # ("lezerlezer" for lezer) passes it. This one refuses any password holding the name.
    {"NAME": "projects.accounts.validators.UserAttributeContainedValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Each role starts where its work is (relance.views.start).
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Dutch first, English complete. Source strings are Dutch (the users' language);
# locale/en holds the English catalogue.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
# One way to write a date and a number per language, shown and typed (projects/inputs.py).
FORMAT_MODULE_PATH = ["relance.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
# Uploaded files (the workbooks waiting for their confirmation): outside the tracked tree by
# default, in var/ (ignored by git); in production a volume every web process shares.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
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

# Redis carries Celery's messages; the web application works on without it.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 12 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Artefacts (the report PDF, the report package: relance/artefacts) are built by a worker
# when one is expected (production, or wherever REDIS_URL is set); without one, as in the
# embedded default of `make run`, the request builds them itself, with the same code.
RELANCE_TASKS_IN_PROCESS = env.bool(
    "RELANCE_TASKS_IN_PROCESS", default=not (PRODUCTION or os.environ.get("REDIS_URL"))
)
# The Celery queue the artefact tasks go to (None: Celery's default queue).
RELANCE_ARTEFACT_QUEUE: str | None = None
# The Chromium that prints the PDFs (relance/reporting/pdf.py): Debian's chromium package,
# never a browser Playwright downloads. The system check relance.E001 looks for it.
RELANCE_CHROMIUM = env.str("RELANCE_CHROMIUM", default="/usr/bin/chromium")
# Chromium's sandbox, on unless the process runs as root; off only where the host gives no
# user namespaces (some containers), where Chromium cannot start with it.
RELANCE_CHROMIUM_SANDBOX = env.bool("RELANCE_CHROMIUM_SANDBOX", default=True)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Keeps Redis warm and proves the beat is alive; the reminder scan joins here.
    "relance-heartbeat": {
        "task": "relance.tasks.heartbeat",
        "schedule": crontab(minute="*/15"),
    },
    # The reminder digests (milestones/reminders.py), before the working day; 07:00 in
    # CELERY_TIMEZONE, Brussels time. A missed run is caught up by the next (see below).
    "milestones-send-reminders": {
        "task": "milestones.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}

# Mail: the console in development, anything Django supports through the environment.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "sent-mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Relance <relance@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; its failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Content-Security-Policy (django-csp): nothing runs or styles the page but our own static
# files. No inline script or style anywhere (templates/ has neither; charts are fed by
# json_script and drawn by static/js/dashboard.js); images may be data: URIs (Bootstrap's
# icons in its CSS). Nothing may frame the application.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# The shared cache of lockouts and rate limits: Redis in production or wherever REDIS_URL is
# set (every process counts together, a restart forgets nothing), its keys prefixed apart
# from Celery's; local memory only in development without REDIS_URL.
if PRODUCTION or os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("RELANCE_CACHE_PREFIX", default="relance-cache"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django-axes warns that a local-memory cache is one process's: so is runserver.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

# Lockout (django-axes, README "Signing in"): per user name and per client address, the
# address as RELANCE_PROXIES says (X-Forwarded-For ignored without a proxy). A success does
# not reset the count: one valid account must not reopen an address's guesses.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.int("RELANCE_LOGIN_FAILURES", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("RELANCE_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "projects.accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "projects.accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ADMIN = False

# Second factor (django-otp) for coordinators and admins: on in production, off by default
# in development so that the demo logins work at once.
RELANCE_REQUIRE_TWO_FACTOR = env.bool("RELANCE_REQUIRE_TWO_FACTOR", default=PRODUCTION)
OTP_TOTP_ISSUER = "Relance"
RELANCE_RECOVERY_CODES = 10

# The password reset's limits per client address and per e-mail address, known or not.
RELANCE_RESET_RATE_ADDRESS = env.str("RELANCE_RESET_RATE_ADDRESS", default="5/hour")
RELANCE_RESET_RATE_ACCOUNT = env.str("RELANCE_RESET_RATE_ACCOUNT", default="3/hour")
