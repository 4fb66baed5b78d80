"""Django settings, read from environment variables (see docs/deployment.md).

GONGKAI_DATABASE_URL  database URL; default: SQLite file in the data dir
GONGKAI_DATA_DIR      where the SQLite file, uploads and the generated secret live
GONGKAI_SECRET_KEY    secret key; default: generated once and kept in the data dir
GONGKAI_DEBUG         1/true for development
GONGKAI_ALLOWED_HOSTS comma-separated host names
GONGKAI_SITE_NAME     the name shown in the portal header
GONGKAI_SITE_URL      https://… the public address (absolute links in feeds, sitemap, webhooks)
GONGKAI_SECURE        1 when served over HTTPS (secure cookies, HSTS)
GONGKAI_REDIS_URL     redis://… to use Redis as the cache (production)
GONGKAI_IMPORT_MAX_BYTES / _MAX_CELLS / _MAX_CELL_CHARS   catalog import limits
GONGKAI_ATTACHMENT_MAX_MB size limit of a record's attachment (default 20)
GONGKAI_SENSITIVE_WORDS   extra words for the privacy screen, comma-separated
GONGKAI_PG_OPTIONS    PostgreSQL session options (libpq syntax); default "-c jit=off"
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR") or (Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("GONGKAI_SECRET_KEY")
    if key:
        return key
    # Generated once per data dir so sessions survive restarts without a hard-coded key.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("GONGKAI_DEBUG")
ALLOWED_HOSTS = env_list("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("GONGKAI_CSRF_TRUSTED_ORIGINS")
SITE_NAME = os.environ.get("GONGKAI_SITE_NAME", "示范经济开发区管委会")
# Behind a proxy, or for webhooks (no request to take the host from): the public address.
GONGKAI_SITE_URL = os.environ.get("GONGKAI_SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "gongkai.admin_site.GongkaiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "simple_history",
    "axes",
    "csp",
    "gongkai.core",
    "gongkai.org",
    "gongkai.catalog",
    "gongkai.disclosure",
    "gongkai.search",
    "gongkai.channels",
    "gongkai.privacy",
    "gongkai.portal",
    "gongkai.api",
    "gongkai.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.core.middleware.nul_guard",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongkai.urls"
WSGI_APPLICATION = "gongkai.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.portal.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("GONGKAI_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}",
        conn_max_age=int(os.environ.get("GONGKAI_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the portal read while an import writes; the timeout avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # Server-side prepared statements can pick a bad generic plan for short LIKE queries.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["prepare_threshold"] = None
    # JIT compiles the search's GIN queries (estimated costly) for 5–35 ms each time and
    # gains nothing on queries this short; GONGKAI_PG_OPTIONS overrides (libpq syntax).
    options["options"] = os.environ.get("GONGKAI_PG_OPTIONS", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: lock a username+IP pair after 5 failures for one hour.
AXES_FAILURE_LIMIT = int(os.environ.get("GONGKAI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # No manifest: pages never fail because collectstatic has not run yet.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps when collectstatic has not run

# Security defaults: HTTPS-only cookies once GONGKAI_SECURE is set; strict CSP always.
SECURE = env_bool("GONGKAI_SECURE")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE:
    SECURE_SSL_REDIRECT = env_bool("GONGKAI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REDIS_URL = os.environ.get("GONGKAI_REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}

LOGIN_URL = "/admin/login/"
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
NINJA_PAGINATION_MAX_LIMIT = 100
PORTAL_PAGE_SIZE = 20

# Catalog import limits (bad input gets a clear message, never exhausts the server).
GONGKAI_IMPORT_MAX_BYTES = int(os.environ.get("GONGKAI_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
GONGKAI_IMPORT_MAX_CELLS = int(os.environ.get("GONGKAI_IMPORT_MAX_CELLS", 3_000_000))
GONGKAI_IMPORT_MAX_CELL_CHARS = int(os.environ.get("GONGKAI_IMPORT_MAX_CELL_CHARS", 20_000))

# Privacy screen: extra sensitive words on top of the back-office list (comma-separated).
GONGKAI_SENSITIVE_WORDS = env_list("GONGKAI_SENSITIVE_WORDS")

# Disclosure records: the largest attachment accepted, in MB.
GONGKAI_ATTACHMENT_MAX_MB = int(os.environ.get("GONGKAI_ATTACHMENT_MAX_MB", 20))
