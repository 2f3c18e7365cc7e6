"""Wagtail's frontend cache (CDN purge) configured from the environment.

Read by the settings module, so it imports nothing from Django but its exception.
Cloudflare and Fastly purge by tag (``cms.delivery.cdn_backends``): exactly the
responses showing a change. CloudFront and plain HTTP caches (Varnish) take URLs, and
``cms.delivery.cdn`` lists the API URLs showing each change.

    FRONTEND_CACHE_BACKEND=cloudflare   CLOUDFLARE_ZONEID, and CLOUDFLARE_BEARER_TOKEN
                                        (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY)
    FRONTEND_CACHE_BACKEND=fastly       FASTLY_SERVICE_ID, FASTLY_API_TOKEN; optional
                                        FASTLY_SOFT_PURGE=true (mark stale, not evict)
    FRONTEND_CACHE_BACKEND=cloudfront   CLOUDFRONT_DISTRIBUTION_ID (needs boto3 installed;
                                        AWS credentials the usual boto3 way)
    FRONTEND_CACHE_BACKEND=http         FRONTEND_CACHE_LOCATION, e.g. http://varnish:6081
    FRONTEND_CACHE_HOSTNAMES            optional, comma-separated: only purge these hosts
"""

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "cloudflare": "cms.delivery.cdn_backends.CloudflareTagBackend",
    "cloudfront": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
    "fastly": "cms.delivery.cdn_backends.FastlyBackend",
    "http": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"", "0", "false", "no", "off"}


def _require(environ, backend, *names):
    missing = [name for name in names if not environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(f"FRONTEND_CACHE_BACKEND={backend} needs {', '.join(missing)} in the environment.")
    return [environ[name].strip() for name in names]


def _flag(environ, name):
    value = environ.get(name, "").strip().lower()
    if value not in _TRUE | _FALSE:
        raise ImproperlyConfigured(f"{name}={environ[name]!r} is not a boolean; use true or false.")
    return value in _TRUE


def frontend_cache_from_env(environ):
    """The WAGTAILFRONTENDCACHE setting for ``environ``; {} when no CDN is configured."""
    backend = environ.get("FRONTEND_CACHE_BACKEND", "").strip().lower()
    if not backend:
        return {}
    if backend not in BACKENDS:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_BACKEND={backend!r} is not supported; use one of {', '.join(sorted(BACKENDS))}."
        )
    config = {"BACKEND": BACKENDS[backend]}
    if backend == "cloudflare":
        (config["ZONEID"],) = _require(environ, backend, "CLOUDFLARE_ZONEID")
        if environ.get("CLOUDFLARE_BEARER_TOKEN", "").strip():
            config["BEARER_TOKEN"] = environ["CLOUDFLARE_BEARER_TOKEN"].strip()
        else:
            config["EMAIL"], config["API_KEY"] = _require(
                environ, backend + " without CLOUDFLARE_BEARER_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY"
            )
    elif backend == "fastly":
        config["SERVICE_ID"], config["API_TOKEN"] = _require(environ, backend, "FASTLY_SERVICE_ID", "FASTLY_API_TOKEN")
        config["SOFT_PURGE"] = _flag(environ, "FASTLY_SOFT_PURGE")
    elif backend == "cloudfront":
        (config["DISTRIBUTION_ID"],) = _require(environ, backend, "CLOUDFRONT_DISTRIBUTION_ID")
    else:
        (config["LOCATION"],) = _require(environ, backend, "FRONTEND_CACHE_LOCATION")
    hostnames = [host.strip() for host in environ.get("FRONTEND_CACHE_HOSTNAMES", "").split(",") if host.strip()]
    if hostnames:
        config["HOSTNAMES"] = hostnames
    return {"default": config}
