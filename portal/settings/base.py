"""Settings for Innovatieloket, read from the environment (12-factor).

Without any environment this is the embedded default: SQLite, local media folders, Celery
tasks run in-process (or, under ``make run``, by a worker beside the web process) and e-mail
printed to the console. ``DATABASE_URL``, ``REDIS_URL`` and the ``EMAIL_*`` variables switch
to the real services. A ``.env`` file fills in what the environment leaves unset.
"""

import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from portal.envfile import read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent.parent
read_env_file()


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Only the embedded development default may fall back to this key; production.py refuses it.
INSECURE_DEV_SECRET_KEY = "django-insecure-innovatieloket-development-only"
SECRET_KEY = env("SECRET_KEY", INSECURE_DEV_SECRET_KEY)
DEBUG: bool = env_bool("DEBUG", True)
# The embedded default also answers Django's test client ("testserver"), so that a quick
# `Client().get("/")` in `manage.py shell` works on a fresh clone; production sets its own.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The port `make run` serves on (it sets RUN_PORT to its PORT for every process it starts,
# the demo load included): the defaults of SITE_URL and of the local TenderNed stand-in's
# address follow it.
RUN_PORT = int(env("RUN_PORT", "8000"))
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{RUN_PORT}")
# Open data (OCDS): every ocid starts with this prefix. The default is a placeholder; a real
# publisher registers its own prefix ("ocds-" and six characters) with the Open Contracting
# Partnership and sets it here before publishing.
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", "ocds-innovatieloket")
# Who publishes the open data (each package's "publisher"): a name, and optionally the
# organisation's identifier (scheme and uid, e.g. NL-OIN and the OIN) and web address
# (default: the portal's own address).
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", "Innovatieloket")
OCDS_PUBLISHER_SCHEME = env("OCDS_PUBLISHER_SCHEME", "")
OCDS_PUBLISHER_UID = env("OCDS_PUBLISHER_UID", "")
OCDS_PUBLISHER_URI = env("OCDS_PUBLISHER_URI", "")

# Procurement notices (eForms). NOTICE_PUBLISHER "local" sends them to the local stand-in
# (python -m reporting.publishing_service) at NOTICE_PUBLISHER_URL; "tenderned" to TenderNed's
# eSender endpoint with the account below. TENDERNED_AUTHORITY_ID is used for an authority
# without its own TenderNed identifier (organisation field). EU thresholds for services in euro
# (central government and other contracting authorities); above them a call's notices must go
# to TenderNed and TED.
NOTICE_PUBLISHER = env("NOTICE_PUBLISHER", "local")
# The stand-in listens on make run's port + 99 (8099 beside the default 8000).
NOTICE_PUBLISHER_URL = env("NOTICE_PUBLISHER_URL", f"http://127.0.0.1:{RUN_PORT + 99}/notices")
TENDERNED_URL = env("TENDERNED_URL", "")
TENDERNED_USERNAME = env("TENDERNED_USERNAME", "")
TENDERNED_PASSWORD = env("TENDERNED_PASSWORD", "")
TENDERNED_AUTHORITY_ID = env("TENDERNED_AUTHORITY_ID", "")
# The eForms SDK's Schematron business rules (run when saxonche is installed) find what TED
# would refuse. While the portal does not yet hold every value they ask for (see the README),
# their findings are shown to the officer but do not stop sending; set this to true to make
# every finding block the notice like an XSD error does.
NOTICE_RULES_BLOCK = env("NOTICE_RULES_BLOCK", "false").lower() in ("1", "true", "yes")
# Compiling those rules takes a Celery worker process 5-10 s the first time it checks a notice;
# with this on, each worker process compiles them as it starts (in the background), so the
# first officer's check does not wait. On in production (portal.settings.production).
EFORMS_SCHEMATRON_WARM_UP = env_bool("EFORMS_SCHEMATRON_WARM_UP", False)
EU_THRESHOLD_CENTRAL = Decimal(env("EU_THRESHOLD_CENTRAL", "140000"))
EU_THRESHOLD_SUBCENTRAL = Decimal(env("EU_THRESHOLD_SUBCENTRAL", "216000"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "auditlog",
    "rules",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # eHerkenning (SAML) through django-digid-eherkenning, with its configuration models.
    "privates",
    "simple_certmanager",
    "solo",
    "digid_eherkenning",
    "portal",
    "calls",
    "proposals",
    "funding",
    "reporting",
    # After the apps: its header entries (company team, companies to verify) come last.
    "portal.identity",
    # Last, so that it sees every FileField: a replaced or deleted file leaves storage once
    # the transaction commits (never before, so a rollback keeps the old file).
    "django_cleanup.apps.CleanupConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every error under /api/ is JSON (code, detail), also those from outside DRF.
    "portal.badinput.ApiErrorsAsJsonMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.locale.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Absolute links in feeds and e-mails point to where the request came from.
    "portal.origin.RequestOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.TwoFactorRequiredMiddleware",
    "portal.identity.middleware.EmailConfirmationRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL character in the path, query, a form field or JSON: 400 before any view.
    "portal.badinput.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so that it sees the response of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "portal.forms.base.PortalFormRenderer"
# Static files come from WhiteNoise whatever DEBUG is: the collected, hashed files with a
# year's cache when DEBUG is off (production), straight from the source folders when it is on.
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default keeps its database in var/, which a fresh clone does not have.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Under `make run` the web process and the worker write to it at once: wait for the
    # other's write lock rather than fail after SQLite's default 5 s.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Identity -------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Officials through their organisation's identity provider (OpenID Connect).
    "portal.identity.oidc.OrganisationOIDCBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

OTP_TOTP_ISSUER = "Innovatieloket"
OTP_TOTP_TOLERANCE = 1

AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "0.5"))  # hours
# Failures count per username whatever the address they come from (password spraying from
# many machines), and per address whatever the usernames tried (one machine guessing many).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Behind a reverse proxy REMOTE_ADDR is the proxy; see TRUSTED_PROXY_COUNT below.
AXES_CLIENT_IP_CALLABLE = "portal.identity.network.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
# How dates read per language (one place: "6 december 2026", "6 December 2026").
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # NL Design System component CSS and front-end libraries, installed by npm.
    ("vendor/utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# An operator's own static files, e.g. the token stylesheet of another house style.
if env("EXTRA_STATIC_DIR"):
    STATICFILES_DIRS.insert(0, Path(env("EXTRA_STATIC_DIR")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Uploaded proposal documents live outside MEDIA_ROOT and are only served through a view
# that checks permissions.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Proposal documents: largest accepted upload, and the ClamAV daemon that scans each one.
UPLOAD_MAX_SIZE = int(env("UPLOAD_MAX_SIZE_MB", "20")) * 1024 * 1024
CLAMD_SOCKET = env("CLAMD_SOCKET")
CLAMD_HOST = env("CLAMD_HOST")
CLAMD_PORT = int(env("CLAMD_PORT", "3310"))
CLAMD_TIMEOUT = float(env("CLAMD_TIMEOUT", "30"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Whole request bodies with files may be larger than the form fields' limit above.
FILE_UPLOAD_PERMISSIONS = 0o640

# The look: NL Design System component CSS plus one theme file with our design tokens.
# An operator entitled to another house style points THEME_STYLESHEET at its token file
# (a static path, e.g. from EXTRA_STATIC_DIR) and THEME_CLASS at the class that file defines.
THEME_STYLESHEET = env("THEME_STYLESHEET", "css/theme.css")
THEME_CLASS = env("THEME_CLASS", "innovatieloket-theme")

# --- E-mail -------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Innovatieloket <noreply@innovatieloket.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
# `make run` starts a Celery worker and beat beside the web process and sets EMBEDDED_WORKER
# for all three (portal/management/commands/run_portal.py). Without Redis tasks then queue
# as files in EMBEDDED_WORKER_DIR (kombu's filesystem transport, no server needed), so a
# report is made by the worker while its page shows the progress. Every other process without
# Redis (manage.py on its own, the tests) runs tasks in-process, so that no task ever waits
# in a queue that no worker reads.
EMBEDDED_WORKER = not REDIS_URL and env_bool("EMBEDDED_WORKER")
EMBEDDED_WORKER_DIR = Path(env("EMBEDDED_WORKER_DIR", str(BASE_DIR / "var" / "celery")))
CELERY_TASK_SOFT_TIME_LIMIT = int(env("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(env("CELERY_TASK_TIME_LIMIT", "360"))
# Reports and exports have limits of their own: a large report spends minutes in WeasyPrint.
REPORT_SOFT_TIME_LIMIT = int(env("REPORT_SOFT_TIME_LIMIT", "1500"))
REPORT_TIME_LIMIT = int(env("REPORT_TIME_LIMIT", "1560"))
# Redis hands an unacknowledged task to another worker after this many seconds. Above the
# longest task's time limit, so a task that is still running is never started a second
# time; a worker that died is noticed sooner, by its job's heartbeat (JOB_HEARTBEAT_SECONDS).
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": max(CELERY_TASK_TIME_LIMIT, REPORT_TIME_LIMIT) + 600
}
# A broker that is down must not hold up a page: give up publishing within a second or two.
# What a page asks for after its commit is in the outbox (portal/services/outbox.py), which the
# periodic job sends again, so nothing is lost by failing fast.
BROKER_CONNECT_TIMEOUT = float(env("BROKER_CONNECT_TIMEOUT", "2"))
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_CONNECT_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
OUTBOX_PUBLISH_RETRY_POLICY = CELERY_TASK_PUBLISH_RETRY_POLICY
OUTBOX_MAX_BACKOFF_SECONDS = int(env("OUTBOX_MAX_BACKOFF_SECONDS", "300"))
OUTBOX_KEEP_DAYS = int(env("OUTBOX_KEEP_DAYS", "7"))
# Only the status page's ping waits for a result (portal.ping keeps its own); storing and
# listening for the others' results would only make every publish depend on the result store.
CELERY_TASK_IGNORE_RESULT = True
if REDIS_URL:
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = BROKER_CONNECT_TIMEOUT
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_CONNECT_TIMEOUT
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
        "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
    }
elif EMBEDDED_WORKER:
    for folder in ("queue", "processed", "control", "results"):
        (EMBEDDED_WORKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(EMBEDDED_WORKER_DIR / "queue"),
        "data_folder_out": str(EMBEDDED_WORKER_DIR / "queue"),
        # Beside the queue, so that taking a message is a rename, never a copy.
        "processed_folder": str(EMBEDDED_WORKER_DIR / "processed"),
        "control_folder": str(EMBEDDED_WORKER_DIR / "control"),
        # Look for new files five times a second (default once), so that the status page's
        # one-second ping gets the worker's answer in time.
        "polling_interval": 0.2,
    }
    CELERY_RESULT_BACKEND = f"file://{EMBEDDED_WORKER_DIR / 'results'}"
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or EMBEDDED_WORKER)
CELERY_TASK_EAGER_PROPAGATES = True
# Lose no task: acknowledge only after the work is done, requeue when a worker dies, and
# take one message at a time so a crash never strands prefetched work.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process that made PDFs keeps WeasyPrint's memory (hundreds of MB after a report):
# it is replaced by a fresh one after its task once it holds more than this many kilobytes,
# and after this many tasks in any case. The task that crosses the line still finishes.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = int(env("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", "300000"))
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(env("CELERY_WORKER_MAX_TASKS_PER_CHILD", "100"))
# A worker making a report or export writes a sign of life on its record this often; after
# four missed beats the page says the worker was lost and offers to try again.
JOB_HEARTBEAT_SECONDS = float(env("JOB_HEARTBEAT_SECONDS", "15"))
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "innovatieloket")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_SEND_TASK_EVENTS = True
CELERY_BEAT_SCHEDULE = {
    # Calls close by themselves within this many seconds after their deadline.
    "close-expired-calls": {
        "task": "calls.close_expired_calls",
        "schedule": float(env("CLOSE_EXPIRED_CALLS_SECONDS", "60")),
    },
    # EZK co-financing whose call was not published by its round's date goes back to the fund.
    "lapse-unpublished-cofinancing": {
        "task": "funding.lapse_unpublished_cofinancing",
        "schedule": crontab(minute=15, hour=1),
    },
    # A phase's proposals open (with their opening record) within a minute of its deadline.
    "open-due-phases": {
        "task": "proposals.open_due_phases",
        "schedule": float(env("OPEN_DUE_PHASES_SECONDS", "60")),
    },
    # Intended decisions whose standstill passed without an open objection become final
    # (an award gets its contract) within this many seconds after midnight.
    "finalise-decisions": {
        "task": "proposals.finalise_decisions",
        "schedule": float(env("FINALISE_DECISIONS_SECONDS", "300")),
    },
    # The progress report for parliament over the quarter that just ended, at 06:00 on the
    # first day of each quarter; ministry staff get an e-mail when it is ready.
    # What the broker could not take right after a commit (see OUTBOX_*), sent again.
    "outbox-dispatch": {
        "task": "portal.outbox_dispatch",
        "schedule": float(env("OUTBOX_DISPATCH_SECONDS", "60")),
    },
    # The open data's bulk files: a year whose releases changed is rebuilt within this many
    # seconds, and every year once a night.
    "ocds-bulk-files": {
        "task": "reporting.build_ocds_bulk_files",
        "schedule": float(env("OCDS_BULK_SECONDS", "600")),
    },
    "ocds-bulk-files-nightly": {
        "task": "reporting.build_ocds_bulk_files",
        "schedule": crontab(minute=30, hour=2),
        "kwargs": {"force": True},
    },
    "quarterly-parliament-report": {
        "task": "reporting.quarterly_report",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
    },
}
# Who signs the progress report's cover letter unless the request names someone else.
REPORT_SIGNATORY_NAME = env("REPORT_SIGNATORY_NAME", "")
REPORT_SIGNATORY_TITLE = env("REPORT_SIGNATORY_TITLE", "")
# Exports up to this many rows are built while the person waits; larger ones in Celery.
EXPORT_INLINE_MAX_ROWS = int(env("EXPORT_INLINE_MAX_ROWS", "5000"))

# --- Caches ---------------------------------------------------------------------------------
if REDIS_URL:
    # django-redis, so that a Redis outage degrades instead of failing the request: a read
    # misses, a write is dropped, the error is logged (API throttling then lets requests
    # through until Redis is back).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "innovatieloket",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": BROKER_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": BROKER_CONNECT_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that a request without credentials gets 401 with WWW-Authenticate.
        "portal.identity.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PageNumbers",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "portal.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "60/minute"),
        "user": env("API_THROTTLE_USER", "600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "portal.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Innovatieloket API",
    "DESCRIPTION": "Calls, proposals, assessment and co-financing of SBIR and "
    "Innovation Partnership trajectories. Every error is JSON with a stable `code` and a "
    "readable `detail` (a refused field's messages under its own name beside them). No text "
    "may contain a NUL character (\\u0000): such a request is refused with 400 "
    "`nul_character`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.empty_filter_values",
        "portal.api.schema.translated_description",
    ],
    # Several apps have a "status" or "kind": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "CallInstrumentEnum": "calls.models.Call.Instrument",
        "CallStatusEnum": "calls.models.Call.Status",
        "ExclusionGroundKindEnum": "calls.models.ExclusionGround.Kind",
        "SelectionCriterionCategoryEnum": "calls.models.SelectionCriterion.Category",
        "PhaseKindEnum": "calls.models.Phase.Kind",
        "ProposalStatusEnum": "proposals.models.Proposal.Status",
        "DecisionKindEnum": "proposals.models.Decision.Kind",
        "IntendedDecisionStatusEnum": "proposals.models.Decision.Status",
        "ObjectionStatusEnum": "proposals.models.Objection.Status",
        "NutsRegionEnum": "portal.nuts.NUTS_CHOICES",
        "FindingPlaceEnum": "reporting.selectors.findings.PLACES",
    },
}

# --- Security headers (tightened further in production.py) ---------------------------------
# No inline scripts or styles anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses are switched off for it and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

from .identity import *  # noqa: E402, F403  (eHerkenning, single sign-on, API tokens, proxies)
