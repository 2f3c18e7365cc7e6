"""Content-Security-Policy: one policy per kind of response, sent by django-csp.

- Everything by default, the API's JSON above all: settings'
  ``CONTENT_SECURITY_POLICY``. A JSON document loads nothing, may not be framed and
  runs nothing.
- The API's interactive docs (Swagger UI, Redoc): ``DOCS``, set on their views with
  django-csp's ``csp`` decorator (``cms.api.urls``). Their scripts, styles and fonts are
  drf-spectacular-sidecar's copies on this server, so ``'self'`` is enough for scripts;
  no other host is named.
- The Wagtail admin (``/admin/``): ``admin_policy()``, chosen by path in
  ``PathPolicyMiddleware``. Wagtail 8 still renders a few inline ``<script>`` blocks
  (date and time pickers, inline panels, workflow actions, wagtail-localize's editor)
  and many ``style`` attributes, neither with a nonce; so the admin needs
  ``'unsafe-inline'`` for both, and nothing else: no ``'unsafe-eval'``, no other host
  unless media is served from one (an absolute ``MEDIA_URL``).

Frames stay same-origin for Wagtail's live preview (``frame-ancestors 'self'`` in the
admin, ``'none'`` elsewhere).
"""

from urllib.parse import urlsplit

from csp.constants import HEADER, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

ADMIN_PREFIX = "/admin/"

DOCS = {
    "default-src": [NONE],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}
# Redoc draws with styled-components, which adds <style> elements as it renders, and runs
# its search in a worker it makes from a blob; scripts stay 'self'. Its attribution logo
# from cdn.redoc.ly stays blocked, like any other host.
REDOC = {**DOCS, "style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def admin_policy():
    """The admin's policy; media from another host (a CDN, S3) is allowed as images."""
    media = [origin for origin in (_origin(settings.MEDIA_URL),) if origin]
    return {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *media],
        "media-src": [SELF, *media],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }


# Built policies by kind (admin or not): building one costs more than a cached API read
# spends on everything else, and settings change only in tests.
_built = {}
# What makes a response's policy its own (django-csp's decorators and nonces).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt", "_csp_nonce")


@receiver(setting_changed)
def _forget_built_policies(**kwargs):
    _built.clear()


class PathPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy for paths under ``/admin/``.

    A response without a policy of its own gets its kind's policy, built once; the rest
    (the docs' decorated views, nonces, report-only policies) go through django-csp.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = admin_policy()
        return parts

    def process_response(self, request, response):
        own = any(hasattr(response, name) for name in _OWN_POLICY[:-1]) or hasattr(request, _OWN_POLICY[-1])
        debug_page = settings.DEBUG and response.status_code in (404, 500)
        if own or debug_page or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None):
            return super().process_response(request, response)
        admin = request.path_info.startswith(ADMIN_PREFIX)
        if admin not in _built:
            _built[admin] = build_policy(config=admin_policy() if admin else None)
        if HEADER not in response and _built[admin]:
            response[HEADER] = _built[admin]
        return response
