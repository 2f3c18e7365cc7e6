"""Local development: the embedded default (SQLite, local-memory cache, tasks in-process)."""

import os

from .base import *  # noqa: F403
from .base import DEEPL_API_KEY, OFFLINE_MACHINE_TRANSLATOR, env_list, logging_config

DEBUG = True
# A fixed key is fine on a developer's machine and nowhere else; production.py refuses it.
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-deploy")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Media as configured (base); static files straight from the apps, no manifest to build.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Without a DeepL key, the translation editor offers a marked, offline pseudo-translation.
if not DEEPL_API_KEY:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = OFFLINE_MACHINE_TRANSLATOR
# Serve static files straight from the apps while developing; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Readable log lines on a developer's terminal (production writes JSON).
LOGGING = logging_config(
    level=os.environ.get("LOG_LEVEL", "WARNING"),
    fmt=os.environ.get("LOG_FORMAT", "console"),
    request_level=os.environ.get("REQUEST_LOG_LEVEL", "INFO"),
)
