"""Settings shared by every environment.

Safe for production on its own: nothing is switched on for convenience here, and every
secret, host and service comes from the environment. ``dev``, ``test`` and
``production`` only say what differs.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cms.storage.config import storages_from_env

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "pages",
    "cms.api",
    "cms.translation",
    "cms.delivery",
    "cms.review",
    "cms.ops",
    "cms.backup",
    "cms.security",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, before host checks, redirects and the request log.
    "cms.ops.probes.ProbeMiddleware",
    # One JSON line and one metric per request, with its X-Request-ID.
    "cms.ops.request_log.RequestLogMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cms.api.middleware.ApiVersionMiddleware",
    "cms.api.middleware.ProblemMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, cached API reads included (cms.security.csp).
    "cms.security.csp.PathPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except that API 404s are not redirected to /<lang>/api/….
    "cms.api.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Repeat anonymous API reads, from the response cache, without the middleware below.
    "cms.api.middleware.CachedReadMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Admin uploads: one transaction, and a storage that is down said plainly (cms.storage.errors).
    "cms.storage.errors.StorageFailureMiddleware",
    # Turns a locked-out sign-in into the lockout page (cms.security.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Admin sign-in lockout (django-axes; cms.security.lockout) -----------------------------

# Axes checks the lockout before Django's own backend checks the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Counted per username and client address together: a wrong password from one place
# never locks the account out everywhere. No account, demo or not, is exempt.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("ADMIN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("ADMIN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.security.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "cms.security.lockout.lockout_response"

# Content-Security-Policy of everything but the admin and the API docs, which have their
# own (cms.security.csp): the API's JSON loads nothing, runs nothing and is never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Data -------------------------------------------------------------------------------

# The embedded default is a SQLite file beside the project, so a fresh machine needs no
# database server; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A connection broken by a database restart is replaced before use, not failed on.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two processes writing at once (a cron job and the server) queue for the write lock
    # instead of failing with "database is locked": each transaction takes it when it
    # begins (IMMEDIATE) rather than when it first writes, and waits up to 20 s.
    # WAL lets readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the API's few-row queries for longer than they run
    # (over 100 ms measured for one page lookup); short OLTP queries never gain from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "cms.api.cache_backend.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cms"),
            # A slow or unreachable Redis must not hold a read up: the API serves
            # uncached instead (cms.api.caching).
            "OPTIONS": {
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.25")),
            },
        }
    }
else:
    # Rendered pages, responses and one token per tag: room for a few thousand pages.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("LOCAL_CACHE_MAX_ENTRIES", "20000"))},
        },
        # Wagtail caches renditions in "default" and forgets them only in the process
        # that deleted them; each process's own memory would keep a replaced file's
        # renditions. The API keeps what it reads until the image changes (cms.api.images).
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }

# --- Languages --------------------------------------------------------------------------

# Every language the product knows how to name; CMS_LOCALES picks the ones a deployment
# serves, the first being the default (source) locale.
KNOWN_LANGUAGES = {
    "en": _("English"),
    "fr": _("French"),
    "de": _("German"),
    "es": _("Spanish"),
    "it": _("Italian"),
    "nl": _("Dutch"),
    "pt": _("Portuguese"),
    "pl": _("Polish"),
    "fr-ca": _("French (Canada)"),
    "es-mx": _("Spanish (Mexico)"),
    "de-ch": _("German (Switzerland)"),
    "en-gb": _("English (United Kingdom)"),
}
CMS_LOCALES = env_list("CMS_LOCALES", "en,fr,de,es")
_unknown = [code for code in CMS_LOCALES if code not in KNOWN_LANGUAGES]
if _unknown:
    raise ImproperlyConfigured(
        f"CMS_LOCALES names unknown locale(s) {', '.join(_unknown)}; known: {', '.join(sorted(KNOWN_LANGUAGES))}"
    )
LANGUAGE_CODE = CMS_LOCALES[0]
LANGUAGES = [(code, KNOWN_LANGUAGES[code]) for code in CMS_LOCALES]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

# Where a locale's own translation is missing, the API walks this chain. The format is
# "fr-ca:fr,de-ch:de>fr": each locale, a colon, then the locales to try in order (">"
# between them). Every chain ends at the default locale, which need not be named.
CMS_LOCALE_FALLBACKS = {
    code: [step.strip() for step in chain.split(">") if step.strip()]
    for code, chain in (item.split(":", 1) for item in env_list("CMS_LOCALE_FALLBACKS") if ":" in item)
}

# --- Static and media -------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media, export bundles and pending translator uploads: local folders, or S3-compatible
# object storage when AWS_STORAGE_BUCKET_NAME is set (cms.storage.config).
STORAGES = storages_from_env(
    os.environ,
    media_root=MEDIA_ROOT,
    media_url=MEDIA_URL,
    package_dir=os.environ.get("TRANSLATION_PACKAGE_UPLOAD_DIR") or None,
)
# Documents go through Django, which checks their collection's privacy, rather than by a
# redirect to the file's public address.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Wagtail ----------------------------------------------------------------------------

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Clinic content hub")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars are uploaded or left blank: the admin asks no other host (Gravatar) about its users.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Machine translation in the translation editor: DeepL (with the glossary) when DEEPL_API_KEY is set, none
# otherwise. dev/test offer the offline placeholder instead (OFFLINE_MACHINE_TRANSLATOR).
DEEPL_API_KEY = os.environ.get("DEEPL_API_KEY", "")
OFFLINE_MACHINE_TRANSLATOR = {"CLASS": "cms.translation.machine.OfflinePlaceholderTranslator", "OPTIONS": {}}
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = (
    {
        "CLASS": "cms.translation.machine.GlossaryDeepLTranslator",
        "OPTIONS": {"AUTH_KEY": DEEPL_API_KEY, "API_URL": os.environ.get("DEEPL_API_URL", "")},
    }
    if DEEPL_API_KEY
    else None
)
# An approved medical review publishes the page itself (cms.review.finish).
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.review.finish.publish_approved"

# --- Translator packages (cms.translation.packages) ---------------------------------------

# Largest XLIFF/PO package an import accepts, in bytes.
TRANSLATION_PACKAGE_MAX_BYTES = int(os.environ.get("TRANSLATION_PACKAGE_MAX_BYTES", 10 * 1024 * 1024))
# An upload waits between its dry run and "Apply" in the "translation_packages" storage
# (STORAGES above): TRANSLATION_PACKAGE_UPLOAD_DIR on the local disk, or the private bucket.
# Groups (by name or name prefix) whose members may use the packages screen.
TRANSLATION_PACKAGE_GROUPS = env_list("TRANSLATION_PACKAGE_GROUPS", "Translators")

# --- API plumbing -----------------------------------------------------------------------

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "EXCEPTION_HANDLER": "cms.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clinic content hub API",
    # Also the API-Version header of every response: raise it when the document changes.
    "VERSION": "1.3.0",
    # 3.1: a nullable reference is oneOf [$ref, {type: null}], which strict tools read as meant.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "DESCRIPTION": (
        "Published clinic content as typed JSON. Pages are identified by a translation key, the same in every "
        "locale; ?locale= (or Accept-Language) picks the locale, with fallback along each locale's chain. "
        "Errors are application/problem+json. Drafts need an API key (Authorization: Api-Key <key>) with the "
        "preview scope."
    ),
    "PREPROCESSING_HOOKS": ["cms.api.schema_filters.only_delivery_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cms.api.schema_filters.api_version_header",
    ],
    # Paths are absolute from the host serving the document.
    "SERVERS": [{"url": "/", "description": "The server that serves this document"}],
    "ENUM_NAME_OVERRIDES": {
        "PageTypeEnum": "cms.api.types.page_type_codes",
        "ComparisonChoiceCodeEnum": "cms.api.serializers.comparison_choice_codes",
        # meta.medical_review.status and the translation status's review: one set, one name.
        "StatusEnum": "cms.review.models.ReviewStatus.values",
        # Who performs a procedure and who operates a device (a clinic's devices): one set.
        "PerformedByEnum": "pages.choices.Practitioner.choices",
    },
    # Swagger UI and Redoc from drf-spectacular-sidecar's pinned copies, served as static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Delivery API (cms.api): caching headers, pagination, anonymous rate limit, response cache.
API_CACHE_CONTROL = os.environ.get(
    "API_CACHE_CONTROL", "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
)
# How often a serving process reads the invalidation log when nothing told it sooner
# (cms.api.invalidation): a change committed by any process is served by all within it.
API_CHANGE_POLL_SECONDS = float(os.environ.get("API_CHANGE_POLL_SECONDS", "0.2"))
API_DEFAULT_PAGE_SIZE = int(os.environ.get("API_DEFAULT_PAGE_SIZE", "20"))
API_MAX_PAGE_SIZE = int(os.environ.get("API_MAX_PAGE_SIZE", "100"))
API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "600/minute")
# Default rates of API keys without a rate of their own (cms.api.throttling).
API_KEY_THROTTLE_RATE = os.environ.get("API_KEY_THROTTLE_RATE", "3000/minute")
API_DELIVERY_KEY_THROTTLE_RATE = os.environ.get("API_DELIVERY_KEY_THROTTLE_RATE", "6000/minute")
# Which peers may say who the client is in X-Forwarded-For (cms.api.clients): none by default.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)
TRUSTED_PROXY_NETWORKS = env_list("TRUSTED_PROXY_NETWORKS")
API_CACHE_TIMEOUT = int(os.environ.get("API_CACHE_TIMEOUT", "3600"))
API_CACHE_ENABLED = env_bool("API_CACHE_ENABLED", True)
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Content-Language", "Retry-After", "API-Version"]

# --- Operations: logs, error reports, metrics, probes (cms.ops) -----------------------------

from cms.ops.logs import logging_config  # noqa: E402
from cms.ops.sentry import init_from_env as init_sentry  # noqa: E402

# JSON lines on stderr; a line per request from the logger cms.requests.
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    fmt=os.environ.get("LOG_FORMAT", "json"),
    request_level=os.environ.get("REQUEST_LOG_LEVEL", "INFO"),
)
init_sentry(os.environ)
# /metrics answers only "Authorization: Bearer <METRICS_TOKEN>"; unset, it is off.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# Each check of /readyz must answer within this many seconds.
READINESS_TIMEOUT_SECONDS = float(os.environ.get("READINESS_TIMEOUT_SECONDS", "2"))

# --- Delivery: background tasks, webhooks, CDN purge --------------------------------------

from cms.delivery.cdn_settings import frontend_cache_from_env  # noqa: E402

# Without TASKS, django-tasks runs every task in-process (the embedded default).
# TASKS_BACKEND=rq sends them to Redis for `manage.py rqworker default --job-class django_tasks_rq.Job`.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
elif TASKS_BACKEND != "immediate":
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r} is not supported; use immediate or rq.")

WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "5"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
# Internal receivers webhooks may call on purpose: host names, addresses or networks
# (cms.delivery.webhooks.guard); everything else must be a public address.
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS")
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
# The sync feed's promise (cms.delivery.retention): a cursor used within this many days
# is always honoured; `manage.py prune` refuses to remove changes younger than this.
SYNC_CURSOR_MIN_DAYS = int(os.environ.get("SYNC_CURSOR_MIN_DAYS", "30"))

WAGTAILFRONTENDCACHE = frontend_cache_from_env(os.environ)
# Purges name each locale's exact URLs (cms.delivery.cdn); Wagtail must not rewrite
# them into every language.
WAGTAILFRONTENDCACHE_LANGUAGES = []
# Scheme and host the CDN serves, for purge URLs; defaults to the default Site's.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

# --- Markets and medical sign-off (cms.review) ---------------------------------------------
# A market is a locale with its own rules and reviewers: "code:locale", e.g. fr-FR:fr.
# Markets named here are created (once) by the review setup; the admin edits them after.
CMS_MARKETS = env_list("CMS_MARKETS", "en-GB:en,fr-FR:fr,de-DE:de,es-ES:es")
# A new translation starts as a draft (wagtail-localize would publish it when its source is
# live): it goes live with its market's approval.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
