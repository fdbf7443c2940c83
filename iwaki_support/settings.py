"""Settings for the Iwaki livelihood-support records site.

Everything that differs between a laptop and production is read from the environment:
DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS and the rest listed in README.md, "Settings".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see README).")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before django.contrib.admin, whose registration/ templates ours replace.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    # Ours, from the bottom layer up (docs/architecture.md); accounts is listed first above.
    "core",
    "audit",
    "councils",
    "coordinators",
    "needs_survey",
    "activities",
    "directory",
    "journal",
    "reports",
    "synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware: static files are answered before sessions or the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iwaki_support.middleware.SessionIdleRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "iwaki_support.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "iwaki_support.urls"

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
                "accounts.context_processors.drafts",
            ],
        },
    },
]

# The most options a select lists: beyond, district, area and group choices become a search
# (core.forms.SearchableModelChoiceField). Iwaki's 7 districts and 13 areas stay selects.
SELECT_OPTIONS_LIMIT = 100

WSGI_APPLICATION = "iwaki_support.wsgi.application"

# Each gunicorn worker is one thread and keeps its connection for CONN_MAX_AGE seconds
# (health-checked before reuse), so a request does not pay for a new PostgreSQL connection.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high, and these pages' queries
    # estimate high (a correlated subquery per group) while running in milliseconds: at a
    # hundred times Iwaki's size the status table's group query spent 577 of its 647 ms
    # compiling. JIT pays off only for long analytical queries, which this app does not run.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The model a coordinator's login is linked to (accounts.roles.coordinator_model).
COORDINATOR_MODEL = "coordinators.Coordinator"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語")]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Production serves what `collectstatic` wrote to STATIC_ROOT: hashed names (cached for a year by
# browsers), gzip-compressed, through whitenoise. With STATIC_MANIFEST off (DEBUG, and the test
# suite, which runs without a collectstatic) templates name the plain files and whitenoise finds
# them in the apps' static directories.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

# Sessions end when the browser closes and after 8 idle hours: one working day. The idle
# timeout restarts at most once a minute (iwaki_support.middleware.SessionIdleRefreshMiddleware),
# not with a write of the session on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Behind TLS in production; a developer's http://127.0.0.1:8000/ keeps working with DEBUG on.
SECURE = not DEBUG and env_bool("SECURE", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Everything the pages load comes from this site; no inline script or style, no plugins, no
# framing, forms post only here. Small scripts go in static files (docs/security.md,
# "Headers and pages").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Behind a reverse proxy that sets X-Forwarded-Proto and appends to X-Forwarded-For; without it
# both headers come from the client and are ignored (audit.records reads REMOTE_ADDR).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failures a username is locked
# from that address only, for the cool-off; the city hall's many users share one address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
# The login log (accounts.signals) records sign-ins; axes keeps its own attempts table.
AXES_VERBOSE = False

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"  # ours: templates/django_tables2/table.html

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every attempt at INFO; accounts.signals already logs sign-ins once.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Spreadsheet uploads (core/spreadsheets.py): the file size, the rows read, and the
# unpacked size an xlsx may declare (checked before it is opened: zip bombs).
SPREADSHEET_MAX_BYTES = int(os.environ.get("SPREADSHEET_MAX_BYTES", str(5 * 1024 * 1024)))
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", "20000"))
SPREADSHEET_MAX_UNPACKED_BYTES = int(
    os.environ.get("SPREADSHEET_MAX_UNPACKED_BYTES", str(50 * 1024 * 1024))
)
