"""Benchmark settings: the production-like app plus Wagtail's own APIs (v2, v3) and a
trivial JSON view, mounted only here so that they are measured side by side.

Never used outside ``bench/``.
"""

import os

from cms.settings.base import *  # noqa: F403
from cms.settings.base import INSTALLED_APPS

SECRET_KEY = os.environ.get("SECRET_KEY", "benchmark-only-insecure-key")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "wagtail.api.v3"]
ROOT_URLCONF = "bench.urls"
# wrk sends every request from one address; throttling would measure the 429 path.
API_ANON_THROTTLE_RATE = None
API_KEY_THROTTLE_RATE = None
API_DELIVERY_KEY_THROTTLE_RATE = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "bench" / "results" / "media"  # noqa: F405
WAGTAILAPI_BASE_URL = "http://127.0.0.1"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
