"""Base settings. Every value comes from the environment; defaults give the embedded demo.

The embedded default is SQLite, in-process background work and no extra services, so that
`make demo` runs on a bare machine. Production reads the same variables (see production.py).
"""

from pathlib import Path

import environ

SOURCE_DIR = Path(__file__).resolve().parents[2]
PROJECT_ROOT = SOURCE_DIR.parent
PACKAGE_DIR = Path(__file__).resolve().parents[1]

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# Only the embedded demo may fall back to a built-in key; production refuses it.
SECRET_KEY = env.str("SECRET_KEY", default="perspectief-demo-only-not-secret")
# Earlier secret keys, comma-separated, while rotating: they still verify signatures and
# decrypt waiting statement uploads (huishoudboekje/wachtrij.py), SECRET_KEY signs/encrypts.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{PROJECT_ROOT / 'var' / 'perspectief.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a background task writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "timeout": 20,
        # IMMEDIATE takes the write lock at the start, so the audit chain head cannot race.
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "perspectief.core",
    "perspectief.audit",
    "perspectief.toegang",
    "perspectief.huishoudens",
    "perspectief.regelingen",
    "perspectief.regelingencheck",
    "perspectief.proactief",
    "perspectief.huishoudboekje",
    "perspectief.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "perspectief.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "perspectief.toegang.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "perspectief.urls"
WSGI_APPLICATION = "perspectief.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perspectief.core.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "toegang.Gebruiker"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "toegang:login"
LOGIN_REDIRECT_URL = "core:start"
LOGOUT_REDIRECT_URL = "toegang:login"

# Sessions: short-lived, expire when idle and when the browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Lockout after repeated failed logins (django-axes), per user name and per IP address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "toegang/geblokkeerd.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Perspectief")
# Resident login methods, in the order shown (see toegang/login_methods.py). DigiD via an
# OIDC broker will register itself as another method.
INWONER_LOGIN_METHODS = env.list("INWONER_LOGIN_METHODS", default=["demo"])

# Content-Security-Policy: only our own scripts and styles, no inline script.
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
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "nl"
# Dutch is the source language of every text. Add a language here only together with its
# translation files, or Django's own messages would appear in that language next to Dutch.
LANGUAGES = [("nl", "Nederlands")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(PROJECT_ROOT / "var" / "static"))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Personal data protection. BSN_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first
# (rotation). BSN_BLIND_INDEX_KEY: HMAC key for lookups. The demo defaults are public.
BSN_ENCRYPTION_KEYS = env.list(
    "BSN_ENCRYPTION_KEYS", default=["ZGVtby1vbmx5LWtleS1ub3Qtc2VjcmV0LTAwMDAwMDA="]
)
BSN_BLIND_INDEX_KEY = env.str("BSN_BLIND_INDEX_KEY", default="demo-only-blind-index-key")

# Background work: in-process (eager) in the embedded default, Redis-backed in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# Huishoudboekje: the daily run plans payments with a term up to this many days ahead.
HUISHOUDBOEKJE_PLANNEN_DAGEN = env.int("HUISHOUDBOEKJE_PLANNEN_DAGEN", default=14)
# Where a large uploaded bank statement waits for the import task, encrypted with a key
# derived from SECRET_KEY (huishoudboekje/wachtrij.py); the task removes it once the import
# ended. Web and worker must share this folder (and SECRET_KEY).
HUISHOUDBOEKJE_UPLOAD_DIR = env.str("HUISHOUDBOEKJE_UPLOAD_DIR", default=str(PROJECT_ROOT / "var" / "bankafschriften"))
# A waiting upload older than this many hours (its task never ran or its worker died) is
# removed by the hourly task wachtrij_opruimen.
HUISHOUDBOEKJE_UPLOAD_MAX_UUR = env.int("HUISHOUDBOEKJE_UPLOAD_MAX_UUR", default=24)

# Audit log: the hourly task audit_anker_task appends the chain's head (last volgnummer and
# its hash, no personal data) to this file, so that deleting the last entries and rewinding
# the head shows up in `manage.py audit_verify --anker`. Put it where the database's admins
# cannot write (another host, a write-once mount); empty = the JSON log line only.
AUDIT_ANKER_BESTAND = env.str("AUDIT_ANKER_BESTAND", default=str(PROJECT_ROOT / "var" / "audit-anker.jsonl"))

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

PAGINATE_BY = 25

# JSON API (perspectief.regelingen.api). Anonymous and public: no authentication, no session.
# Throttling counts requests in the default cache: the per-process locmem default is fine for
# the demo, production needs a shared cache (Redis via CACHE_URL) or each worker counts alone.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_THROTTLE_ANON", default="60/minute")},
    # Client address for the throttle: 0 = REMOTE_ADDR only (X-Forwarded-For cannot be spoofed
    # to dodge the limit); behind N trusted reverse proxies set API_NUM_PROXIES=N.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Perspectief API",
    "DESCRIPTION": "Rekenregels: regelingen, toeslagen en armoedeval voor één huishouden.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "OAS_VERSION": "3.1.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # The request and response schemas are rekenregels' own JSON Schemas (one source of truth).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "perspectief.regelingen.api_schema.engine_schemas_hook",
    ],
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "perspectief.core.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # The request logger would write full paths; our URLs carry no personal data, but
        # 4xx noise is not useful in the JSON log, so keep it at warning.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The audit chain's hourly anchor must reach the log collector whatever LOG_LEVEL is.
        "perspectief.audit.anker": {"level": "INFO"},
    },
}
