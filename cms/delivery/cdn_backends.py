"""Frontend-cache backends that purge by tag: Cloudflare (``Cache-Tag``) and Fastly (``Surrogate-Key``).

Wagtail's backends purge URLs only. Every API response names what it shows in its tags
(``cms.api.tags``), so a purge by tag drops exactly the responses showing a change,
whatever their query string, which no list of URLs can promise. ``cms.delivery.cdn``
sends tags to any backend with a ``purge_tags`` method and URLs to the others.

Every tag purge includes the overflow tag (``big``), carried by responses whose tags
did not fit in a header. A failed purge is logged, never raised: it runs after the
change committed, and a CDN outage must not fail a publish (cached copies then expire
by their ``max-age``).
"""

import logging

import requests
from django.core.exceptions import ImproperlyConfigured
from wagtail.contrib.frontend_cache.backends import BaseBackend, CloudflareBackend

from cms.api.tags import OVERFLOW

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


def tag_batches(tags, size):
    """``tags`` plus the overflow tag, without repeats, in sorted batches of at most ``size``."""
    tags = sorted({*tags, OVERFLOW})
    return [tags[start : start + size] for start in range(0, len(tags), size)]


class CloudflareTagBackend(CloudflareBackend):
    """Wagtail's Cloudflare backend (same settings, same URL purges) that also purges by cache tag.

    ``purge_tags`` posts ``{"tags": [...]}`` to the zone's ``purge_cache`` endpoint with
    the same credentials. Cloudflare long documented 30 tags per call; its current
    limits allow 100 on every plan. Batches of 30 hold on any plan and account age.
    """

    TAG_CHUNK_SIZE = 30

    def _auth_headers(self):
        if self.cloudflare_token:
            return {"Authorization": f"Bearer {self.cloudflare_token}"}
        return {"X-Auth-Email": self.cloudflare_email, "X-Auth-Key": self.cloudflare_api_key}

    def purge_tags(self, tags):
        for batch in tag_batches(tags, self.TAG_CHUNK_SIZE):
            try:
                response = requests.post(
                    self.cloudflare_purge_endpoint_url,
                    json={"tags": batch},
                    headers=self._auth_headers(),
                    timeout=TIMEOUT_SECONDS,
                )
                answer = response.json()
            except (requests.RequestException, ValueError) as error:
                logger.error("Couldn't purge tags %s from Cloudflare: %s", " ".join(batch), error)
                continue
            if not answer.get("success"):
                errors = ", ".join(str(error.get("message")) for error in answer.get("errors") or [])
                logger.error(
                    "Couldn't purge tags %s from Cloudflare (HTTP %s): %s",
                    " ".join(batch),
                    response.status_code,
                    errors,
                )


class FastlyBackend(BaseBackend):
    """Fastly, which Wagtail has no backend for: URLs and surrogate keys.

    Settings: ``SERVICE_ID``, ``API_TOKEN`` (a token with the ``purge_select`` scope) and
    optionally ``SOFT_PURGE`` (mark stale instead of evicting, so Fastly may serve the
    old copy while it revalidates with ``ETag``). A URL is purged with ``PURGE <url>``,
    keys with ``POST /service/<id>/purge`` naming at most 256 of them in ``Surrogate-Key``.
    """

    API_URL = "https://api.fastly.com"
    KEY_CHUNK_SIZE = 256

    def __init__(self, params):
        super().__init__(params)
        try:
            self.service_id = params.pop("SERVICE_ID")
            self.api_token = params.pop("API_TOKEN")
        except KeyError as error:
            raise ImproperlyConfigured(
                "The Fastly backend in 'WAGTAILFRONTENDCACHE' requires 'SERVICE_ID' and 'API_TOKEN'."
            ) from error
        self.soft_purge = bool(params.pop("SOFT_PURGE", False))
        self.api_url = params.pop("API_URL", self.API_URL).rstrip("/")

    def _headers(self, **extra):
        headers = {"Fastly-Key": self.api_token, "Accept": "application/json", **extra}
        if self.soft_purge:
            headers["Fastly-Soft-Purge"] = "1"
        return headers

    def _send(self, method, url, headers, what):
        try:
            response = requests.request(method, url, headers=headers, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            logger.error("Couldn't purge %s from Fastly: %s", what, error)
            return
        if response.status_code >= 400:
            logger.error("Couldn't purge %s from Fastly: HTTP %s %s", what, response.status_code, response.text[:200])

    def purge(self, url):
        self._send("PURGE", url, self._headers(), url)

    def purge_tags(self, tags):
        for batch in tag_batches(tags, self.KEY_CHUNK_SIZE):
            keys = " ".join(batch)
            url = f"{self.api_url}/service/{self.service_id}/purge"
            self._send("POST", url, self._headers(**{"Surrogate-Key": keys}), keys)
