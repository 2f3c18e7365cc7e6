"""Wagtail's frontend cache (CDN purge) configured from the environment.

Read by the settings module, so it imports nothing from Django but its exception.

    FRONTEND_CACHE_BACKEND=cloudflare   CLOUDFLARE_ZONEID, and CLOUDFLARE_BEARER_TOKEN
                                        (or CLOUDFLARE_EMAIL + CLOUDFLARE_API_KEY)
    FRONTEND_CACHE_BACKEND=cloudfront   CLOUDFRONT_DISTRIBUTION_ID (needs boto3 installed;
                                        AWS credentials the usual boto3 way)
    FRONTEND_CACHE_BACKEND=http         FRONTEND_CACHE_LOCATION, e.g. http://varnish:6081
    FRONTEND_CACHE_HOSTNAMES            optional, comma-separated: only purge these hosts
"""

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "cloudflare": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
    "cloudfront": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
    "http": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
}


def _require(environ, backend, *names):
    missing = [name for name in names if not environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(f"FRONTEND_CACHE_BACKEND={backend} needs {', '.join(missing)} in the environment.")
    return [environ[name].strip() for name in names]


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
    elif backend == "cloudfront":
        (config["DISTRIBUTION_ID"],) = _require(environ, backend, "CLOUDFRONT_DISTRIBUTION_ID")
    else:
        (config["LOCATION"],) = _require(environ, backend, "FRONTEND_CACHE_LOCATION")
    hostnames = [host.strip() for host in environ.get("FRONTEND_CACHE_HOSTNAMES", "").split(",") if host.strip()]
    if hostnames:
        config["HOSTNAMES"] = hostnames
    return {"default": config}
