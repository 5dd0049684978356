"""Settings shared by every environment. Values come from the environment (django-environ).

Every setting of the portal's own (PORTAL_*) is declared here, once, with what it does; code reads it
as `settings.PORTAL_X`, never with a default of its own and never from the environment
(tests/test_architecture.py checks both).
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

# ------------------------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ------------------------------------------------------------------------------------------------
# Database: SQLite by default; DATABASE_URL selects PostgreSQL.
# ------------------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer rather than failing at once when two requests save together, and take the
    # write lock when a transaction starts, so that a reader never has to upgrade to a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# ------------------------------------------------------------------------------------------------
# Applications
# ------------------------------------------------------------------------------------------------
# The portal's apps, lowest layer first (the allowed imports are in .importlinter).
LOCAL_APPS = [
    "core",
    "accounts",
    "programs",
    "targets",
    "activities",
    "reporting",
    "incidents",
    "dashboards",
    "documents",
    "home",
    "api",
    "ministry",
    "demo",
]
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the portal (no CDN)
    *LOCAL_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "reporting.middleware.UploadGuardMiddleware",  # before CSRF, which parses the upload
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

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
                "accounts.context_processors.role",
                "programs.context_processors.portal",
            ],
        },
    }
]

# ------------------------------------------------------------------------------------------------
# Authentication
# ------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username and address first
    "accounts.backends.PortalBackend",  # Django's ModelBackend, loading user, agency and role in one query
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in lockout (django-axes): 5 failures lock that username from that address for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind PORTAL_PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For
# (accounts.security.client_ip, which the lockout and the security log both use).
PORTAL_PROXY_COUNT = env.int("PORTAL_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"

# Sessions: 30 minutes idle and 12 hours in all (accounts.middleware.SessionLimitsMiddleware).
PORTAL_SESSION_IDLE_SECONDS = env.int("PORTAL_SESSION_IDLE_SECONDS", default=30 * 60)
PORTAL_SESSION_MAX_SECONDS = env.int("PORTAL_SESSION_MAX_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_AGE = PORTAL_SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# Content security policy (django-csp): no inline script or style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its icons as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Uploaded files (the agency workbook): at most 5 MB, held in memory up to 2,5 MB. PORTAL_UPLOAD_MAX_BYTES is
# the largest workbook an agency may upload (reporting.middleware refuses a larger request before reading it).
PORTAL_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# ------------------------------------------------------------------------------------------------
# Internationalisation: Vietnamese first, English second.
# ------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # numbers are grouped explicitly (core.formatting), never years
FORMAT_MODULE_PATH = ["config.formats"]

# ------------------------------------------------------------------------------------------------
# Static and uploaded files
# ------------------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"  # never served directly: files go through views that check access
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ------------------------------------------------------------------------------------------------
# Forms
# ------------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ------------------------------------------------------------------------------------------------
# Celery: CELERY_BROKER_URL selects Redis; without it tasks run eagerly in the web process.
# ------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How often (seconds) compiles asked for while the broker was down are handed over (documents.tasks.dispatch).
PORTAL_DISPATCH_SECONDS = env.float("PORTAL_DISPATCH_SECONDS", default=60.0)
# With Redis as broker (production), a task whose worker died is redelivered after this many seconds
# (tasks are acknowledged late). A compile lost with its worker is handed over sooner by the every-minute
# dispatch, once its heartbeat is older than PORTAL_COMPILE_LEASE: within two minutes in all.
PORTAL_CELERY_VISIBILITY_TIMEOUT = env.int("PORTAL_CELERY_VISIBILITY_TIMEOUT", default=120)
# The daily jobs; what they do comes from the data, so a missed day is caught up. documents.tasks.daily
# runs at night: it compiles each provincial report on the night after its agencies' deadline, and again
# after a report is accepted later than its last compile; reporting.tasks.deadlines_daily marks late
# drafts and e-mails the reminders before an agency's deadline in the morning.
CELERY_BEAT_SCHEDULE = {
    "documents-daily": {"task": "documents.tasks.daily", "schedule": crontab(hour=0, minute=30)},
    "reporting-deadlines": {"task": "reporting.tasks.deadlines_daily", "schedule": crontab(hour=6, minute=0)},
    # Compiles asked for while the broker was down are handed over once it is back.
    "documents-dispatch": {
        "task": "documents.tasks.dispatch",
        "schedule": PORTAL_DISPATCH_SECONDS,
    },
}

# ------------------------------------------------------------------------------------------------
# E-mail
# ------------------------------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Cổng BVCSTE An Giang <noreply@localhost>")

# ------------------------------------------------------------------------------------------------
# The portal
# ------------------------------------------------------------------------------------------------
# The program year the portal opens on (home page, navigation, incidents).
PORTAL_DEFAULT_YEAR = env.int("PORTAL_DEFAULT_YEAR", default=2018)
# The province whose program users without an agency (viewers, administrators) see: An Giang is 89.
PORTAL_PROVINCE_CODE = env("PORTAL_PROVINCE_CODE", default="89")
PROGRAM_DATA_FILE = BASE_DIR / "programs" / "data" / "program_2018.yaml"
# The portal's public address, for links in e-mails (reminders, incident notices).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# The signer printed under DOLISA's provincial reports: the name (empty: a dotted line, written in by hand)
# and the signing authority, one line each ("KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC" when a deputy signs for the
# head; write "\n" between lines in the environment). An issued report keeps the signer it was issued with.
PORTAL_REPORT_SIGNER_NAME = env("PORTAL_REPORT_SIGNER_NAME", default="")
PORTAL_REPORT_SIGNER_TITLE = env("PORTAL_REPORT_SIGNER_TITLE", default="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC").replace(
    "\\n", "\n"
)
# The certificate issued reports are signed with (PAdES, documents.signing): a PKCS#12 file and its password.
# Without a file, issued reports are not signed digitally (the signature block is left for a hand signature).
PORTAL_SIGNING_P12 = env("PORTAL_SIGNING_P12", default="")
PORTAL_SIGNING_P12_PASSWORD = env("PORTAL_SIGNING_P12_PASSWORD", default="")
# Ad hoc incident reports are e-mailed to DOLISA's officers and, when set, to this shared address.
PORTAL_DOLISA_EMAIL = env("PORTAL_DOLISA_EMAIL", default="")
# A compile running without a heartbeat for longer than this (seconds) is thought lost: the every-minute
# dispatch hands it over again and the next run takes it over (documents.services). A compile beats at each
# step; no step takes this long.
PORTAL_COMPILE_LEASE = env.float("PORTAL_COMPILE_LEASE", default=45.0)
# Test-only: seconds to wait after each compile step, heartbeat kept, so that a test can kill a worker
# mid-compile (tests/documents/test_celery_worker.py). 0 everywhere else.
PORTAL_COMPILE_STEP_DELAY = env.float("PORTAL_COMPILE_STEP_DELAY", default=0.0)
# A built program structure is kept at most this long (seconds) in a process (programs.structure), even
# if the structure version has not moved.
PORTAL_STRUCTURE_CACHE_SECONDS = env.int("PORTAL_STRUCTURE_CACHE_SECONDS", default=3600)

# ------------------------------------------------------------------------------------------------
# The web API (/api/v1/, the api app): per-user tokens or the session, rate limits per token
# ------------------------------------------------------------------------------------------------
# How many calls one token (or, without a token, one signed-in user or address) may make: "N/second",
# "N/minute", "N/hour" or "N/day" (api.throttling). Counted in the shared cache.
PORTAL_API_RATE = env("PORTAL_API_RATE", default="120/minute")
# How many live API tokens a user may hold at once (api.services).
PORTAL_API_MAX_TOKENS = env.int("PORTAL_API_MAX_TOKENS", default=10)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Cổng báo cáo Bảo vệ, chăm sóc trẻ em tỉnh An Giang — An Giang child-protection portal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None, "persistAuthorization": False},
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "SubmissionStatusEnum": "reporting.models.Submission.Status",
        "StandingEnum": "dashboards.figures.Standing",
        "IncidentStatusEnum": "incidents.models.Incident.Status",
        "VersionStatusEnum": "documents.models.ReportVersion.Status",
    },
    # The API's own path converters (api.urls): bounded numbers and codes.
    "PATH_CONVERTER_OVERRIDES": {
        "year": {"type": "integer", "minimum": 1000, "maximum": 9999},
        "quarter": {"type": "integer", "minimum": 1, "maximum": 9},
        "number": {"type": "integer", "minimum": 1, "maximum": 999999999},
        "code": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,40}$"},
        "kind": {"type": "string"},  # its values are named where the path is (api.views)
        "fileformat": {"type": "string"},
    },
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    # The description and the tags, in Vietnamese with English beside them, are api.schema's.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.describe"],
}

# The log: the portal's own lines (its apps' loggers and portal.*: security events, compiles, daily jobs) from
# DJANGO_LOG_LEVEL (INFO); the libraries' only from WARNING (the INFO lines of fontTools' font subsetting,
# WeasyPrint, django-axes or kombu say nothing an operator acts on). Those are named at WARNING as well, so that a
# Celery worker started with --loglevel=INFO (which lowers the root logger) keeps them quiet too.
_LOG_LEVEL = env("DJANGO_LOG_LEVEL", default="INFO")
_QUIET_LIBRARIES = (
    "fontTools",
    "weasyprint",
    "pyhanko",
    "PIL",
    "axes",
    "kombu",
    "django.utils.autoreload",
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        **{app: {"level": _LOG_LEVEL} for app in ("portal", "config", *LOCAL_APPS)},
        **{library: {"level": "WARNING"} for library in _QUIET_LIBRARIES},
        # A page answered 4xx (runserver's line per request, django.request's "Not Found" or a forbidden page's
        # traceback) is the user's doing, told in the security log where it matters; a 5xx still is an ERROR.
        "django.server": {"level": "ERROR"},
        "django.request": {"level": "ERROR"},
        # Security events (accounts.security): sign-ins, failures, lockouts, denied access, role changes,
        # report downloads.
        "portal.security": {"level": "INFO"},
    },
}

# The demo shifts the portal's clock to this day of the program year (a date, YYYY-MM-DD; programs.calendar).
# None: the real clock. Never set in production.
PORTAL_CLOCK_TODAY = env("PORTAL_CLOCK_TODAY", default="") or None
