"""Django settings, read from the environment by strict helpers (see steerco.env)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from steerco.core.choices import schema_enum_names
from steerco.env import SettingError, env_bool, env_int, env_list, env_str
from steerco.ops.production import unsafe

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(env_str("STEERCO_VAR_DIR", str(PROJECT_DIR / "var")))
# A programme's own PowerPoint template for its packs: <dir>/<programme code>.pptx.
PACK_TEMPLATE_DIR = Path(env_str("STEERCO_PACK_TEMPLATE_DIR", str(VAR_DIR / "pack-templates")))

DEBUG = env_bool("STEERCO_DEBUG", False)
SECRET_KEY = env_str("STEERCO_SECRET_KEY", "steerco-development-key-not-for-production")
ALLOWED_HOSTS = env_list("STEERCO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])


def _database() -> dict[str, object]:
    default = f"sqlite:///{VAR_DIR / 'steerco.sqlite3'}"
    url = env_str("STEERCO_DATABASE_URL", default)
    if not url.startswith(("sqlite:", "postgres:", "postgresql:")):
        raise SettingError(
            f"STEERCO_DATABASE_URL={url!r}: only sqlite:/// and postgresql:// URLs are supported"
        )
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"timeout": 20}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "steerco.core",
    "steerco.organisations",
    "steerco.milestones",
    "steerco.raid",
    "steerco.changes",
    "steerco.reports",
    "steerco.finance",
    "steerco.qualification",
    "steerco.trackers",
    "steerco.rules",
    "steerco.transfers",
    "steerco.ops",
    "steerco.jobs",
    "django_tasks",
    "django_tasks_db",
    "steerco.planning",
    "steerco.accounts",
    "steerco.io",
    "steerco.web",
    "steerco.pack",
    "steerco.portal",
    "steerco.reminders",
    "steerco.calendars",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "steerco.api",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "steerco.ops.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "steerco.web.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "steerco.urls"
WSGI_APPLICATION = "steerco.wsgi.application"

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
                "steerco.web.context.access",
            ],
        },
    },
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Checked wherever a person chooses a password (change, reset, the admin, createsuperuser and
# changepassword); the demo accounts' generated passwords are checked against them too.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes, steerco.accounts.lockout): after STEERCO_LOGIN_FAILURE_LIMIT
# wrong passwords for one username, on the sign-in page or the admin's, that username is
# refused, even with the right password, until STEERCO_LOGIN_COOLOFF_MINUTES pass without an
# attempt. Attempts are kept in the database, so every server counts the same ones.
AUTHENTICATION_BACKENDS = [
    "steerco.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("STEERCO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("STEERCO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns when the address is not counted; here that is deliberate (steerco.accounts.lockout
# says why), and the username alone cannot be dodged by changing browser or cookies.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "steerco.accounts.lockout.locked_out"
# No log of every sign-in (addresses and browsers of everyone): only failed attempts are
# kept, and only until the cool-off has passed or the person signs in.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Serve the admin's static files straight from the installed apps: no collectstatic step.
WHITENOISE_USE_FINDERS = True
# Files a browser asks for at the site's root (/favicon.ico), served as they are.
WHITENOISE_ROOT = BASE_DIR / "web" / "public"
# The default SQLite database and collected static files live under var/.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Meeting papers (steerco.core.models.Paper). Never served from here: a view checks each
# reader may see the paper first. Backups include it (steerco.ops.backup).
MEDIA_ROOT = Path(env_str("STEERCO_MEDIA_DIR", str(VAR_DIR / "media")))
# The largest paper the upload page takes: a larger one is refused while it is being
# received (steerco.web.uploads), before it is held in memory or on disk.
PAPER_MAX_BYTES = env_int("STEERCO_PAPER_MAX_BYTES", 25 * 1024 * 1024, minimum=1)

# Late-return reminders (steerco.portal) and password-reset links go through Django's mail
# framework: the console backend prints them unless a real backend (and its EMAIL_* settings)
# is configured.
EMAIL_BACKEND = env_str("STEERCO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("STEERCO_FROM_EMAIL", "steerco@localhost")


def _base_url() -> str:
    """Where steerco is reached, for links in e-mails sent outside a request (`steerco
    remind`)."""
    url = env_str("STEERCO_BASE_URL", "http://localhost:8000").rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SettingError(f"STEERCO_BASE_URL={url!r} is not an http:// or https:// address")
    return url


BASE_URL = _base_url()

SESSION_COOKIE_AGE = 8 * 60 * 60
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from this origin only, no inline script,
# no third-party content. Inline style attributes are allowed for the badges' colours and
# the SVG charts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Every change keeps its before/after; the reason is asked for by the loader, CLI and API.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Long work (pack builds, plan runs, large imports) is queued in the database and run by
# `steerco db_worker`; STEERCO_TASKS_IMMEDIATE=true runs it inside the request instead (tests,
# a one-person demo).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("STEERCO_TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# An import page upload larger than this is previewed, and once confirmed imported, by the
# worker as a background job (a large RAID log takes longer than a web worker may wait);
# smaller ones inside the request.
IMPORT_INLINE_BYTES = env_int("STEERCO_IMPORT_INLINE_BYTES", 1024 * 1024, minimum=0)

# Nothing is kept in process memory that another server would need: sessions live in the
# database (Django's default engine) and there is no in-process cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "steerco.ops.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "steerco.ops.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["stderr"], "level": env_str("STEERCO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "steerco.requests": {
            "handlers": ["stderr"],
            "level": env_str("STEERCO_REQUEST_LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        # The development server's access log: its 4xx warnings repeat django.request's
        # (which carry the request id), so only its errors are kept.
        "django.server": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}

# The JSON API (steerco.api): bearer tokens for other systems, the session for the browser
# (with its CSRF check); JSON in and out; the access module decides everything else.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "steerco.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "steerco API",
    "DESCRIPTION": "Every register, now or as of a meeting; edits with optimistic concurrency.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "PREPROCESSING_HOOKS": ["steerco.api.schema.expand_registers"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Deep links put a link inside each operation's toggle button (a nested control that
    # screen readers cannot reach: WCAG 4.1.2).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # One name per choice set that several fields share: every enumeration in core.choices,
    # and these nested in models (named by path, as models cannot be imported here).
    "ENUM_NAME_OVERRIDES": schema_enum_names(
        ApplicationState="steerco.qualification.models.Application.State",
        CriterionKind="steerco.milestones.models.GateCriterion.Kind",
    ),
}

# Production mode: secure cookies and headers, and a refusal to start on unsafe settings.
PRODUCTION = env_bool("STEERCO_PRODUCTION", False)
if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("STEERCO_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("STEERCO_SSL_REDIRECT", True)
    if env_bool("STEERCO_BEHIND_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    _problems = unsafe(
        {
            "DEBUG": DEBUG,
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": ALLOWED_HOSTS,
            "DATABASE_ENGINE": DATABASES["default"]["ENGINE"],
        },
        os.environ,
    )
    if _problems:
        raise SettingError(
            "STEERCO_PRODUCTION is on but steerco refuses to start:\n- " + "\n- ".join(_problems)
        )
