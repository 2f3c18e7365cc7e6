"""Production: PostgreSQL, Redis, HTTPS. Fails loudly when a required secret is missing."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

for _required in ("SECRET_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(_required, "").strip():
        raise ImproperlyConfigured(f"{_required} must be set in the environment for production settings.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

SILENCED_SYSTEM_CHECKS = [
    # Wagtail's live preview shows the page in a same-origin frame, so frames stay SAMEORIGIN.
    "security.W019",
    # Joining the browsers' HSTS preload list cannot be undone quickly; SECURE_HSTS_PRELOAD
    # is an explicit decision per deployment.
    "security.W021",
]
