"""Settings for Dân vận, read from the environment (and from `.env` when present).

Every variable is documented in `.env.example`.
"""

import datetime
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already set in the process environment win over the file.
env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# "production" turns on HTTPS-only cookies, HSTS and the redirect to HTTPS (behind a proxy
# that terminates TLS); `manage.py check --deploy` passes with it.
PRODUCTION = env.str("DJANGO_ENV", default="development") == "production"
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when DJANGO_ENV=production.")

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            "(only a DEBUG=true development setup may run without one)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-used-with-debug-off"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "core",
    "wards",
    "teams",
    "meetings",
    "registry",
    "workreports",
    "reminders",
    "awards",
    "people",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "danvan.middleware.LanguageMiddleware",
    "danvan.middleware.BoundedRequestMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "danvan.middleware.IdleSessionMiddleware",
    "danvan.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.urls"
WSGI_APPLICATION = "danvan.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a write is in progress; IMMEDIATE transactions and a
    # busy timeout make concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# Indexes that cover columns (INCLUDE) serve counts from the index alone on PostgreSQL;
# SQLite, the embedded default, builds them without those columns, as it may.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "wards.User"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Passwords are stored with Argon2id (memory-hard; 29 ms a sign-in with OWASP's parameters,
# `danvan.hashers`, where PBKDF2's million rounds took 0.46 s, a third of a core for every
# sign-in of a busy morning). A password stored with PBKDF2, or with Django's Argon2
# parameters, still signs in, and is stored again with these.
PASSWORD_HASHERS = [
    "danvan.hashers.Argon2idHasher",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after SESSION_IDLE_MINUTES without a request (the expiry moves with each one,
# `middleware.IdleSessionMiddleware`).
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair waits AXES_COOLOFF_MINUTES; never a permanent lock-out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "wards.security.attempted_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list(
    "AXES_IP_HEADERS", default=["REMOTE_ADDR"]
)  # behind a proxy: HTTP_X_FORWARDED_FOR first

SIMPLE_HISTORY_REVERT_DISABLED = True  # a revert could move a record out of its ward

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
# Day-first dates (dd/mm/yyyy) in every language: see danvan/formats/.
FORMAT_MODULE_PATH = ["danvan.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (imports waiting for their confirmation and their worker): a folder every
# machine reaches (a shared volume), or another storage backend in production.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# E-mail (deadline reminders, `manage.py send_reminders`): printed to the console unless
# EMAIL_URL names an SMTP server.
globals().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Dân vận <danvan@localhost>")
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=3)
# The hour (local time) the background worker sends them each day.
REMINDER_HOUR = env.int("REMINDER_HOUR", default=7)
# Evidence files of “Dân vận khéo” models: the largest accepted, in MB. They are kept under
# MEDIA_ROOT (never served: read back through the page that checks who may see them).
EVIDENCE_MAX_MB = env.int("EVIDENCE_MAX_MB", default=10)
# Days a citizen's feedback may wait for its next step (to be forwarded, or answered by the
# body it was forwarded to) before the ward home and the dashboards show it as overdue.
FEEDBACK_ANSWER_DAYS = env.int("FEEDBACK_ANSWER_DAYS", default=15)
# The site's address as users reach it, for the links of e-mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
MEDIA_URL = "media/"  # never served: uploads are read by the application only
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
# A release serves the files `collectstatic` gathered, with hashed names; a development or
# demo site (DEBUG on or off) serves them from the project's folders, no collectstatic asked.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Background work (large imports): django-tasks, by default with its database backend, which
# needs no other service (`manage.py db_worker` runs the work; `make run` starts one). For a
# real queue on several machines, name another backend, e.g. django-tasks' RQ backend.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# django-import-export: one transaction per import, so a failing row leaves nothing behind;
# importing and exporting need their own permissions ("import_ward", "export_member", …).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"

# Security headers on every response. Scripts and styles only from this site; no inline
# scripts. Inline style attributes are allowed: the Django admin uses them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Sign-ins are in the security log; django-axes need only say what goes wrong. WeasyPrint
    # reports each step of every PDF at INFO, and a refused URL as a warning; fontTools each
    # table of every font it subsets for it (some 160 lines a document).
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
