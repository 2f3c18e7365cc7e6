"""Turning committed changes into webhook deliveries, one per endpoint and locale.

Each site hears of the changes of its own pages, in its own locales and fallback chains
(``cms.api.sites``): an endpoint bound to a clinic (``WebhookEndpoint.site``) only of that
clinic's, a library change reaching its clinic pages included (``recording.py`` writes
their rows), and each call carries the page as the clinic serves it (``page``, null once
nothing is served). An endpoint of the whole hub hears what every site hears, each call
naming its ``site``, without the page.
"""

import json
import logging
from collections import defaultdict

from django.utils import timezone

from cms.api import sites

from ..models import WebhookDelivery, WebhookEndpoint
from ..models.changes import row_in_site
from ..notify import affected_locales
from ..serving import render, served_in
from .tasks import deliver_webhook

logger = logging.getLogger(__name__)
NO_PAGE = object()  # an endpoint of the whole hub: the payload carries no page


def payload(row, locale, *, site=None, page=NO_PAGE):
    """What a receiver gets: enough to refetch (key, locale) or rebuild one path.

    Args:
        row: the change row; locale: the locale whose readers' answer changed.
        site: the code of the clinic whose page it is (``?site=``), or None outside any.
        page: for an endpoint bound to a clinic, the page as that clinic serves it now
            (a dict, or None when it serves nothing for the key any more); left out otherwise.
    """
    body = {
        "event": row.event,
        "key": str(row.key),
        "locale": locale,
        "source_locale": row.locale,
        "fallback": locale != row.locale,
        "type": row.page_type,
        "path": row.path,
        "revision": row.revision_id,
        "changed_at": row.changed_at.isoformat(),
        "site": site,
    }
    if page is not NO_PAGE:
        body["page"] = page
    return body


def notify_endpoints(rows):
    """Log a delivery for every endpoint that wants each change in each locale it reaches, then queue it."""
    endpoints = list(WebhookEndpoint.objects.filter(active=True))
    if not endpoints or not rows:
        return []
    by_site = defaultdict(list)
    for endpoint in endpoints:
        by_site[endpoint.site_id].append(endpoint)
    hub_endpoints = by_site.pop(None, [])
    now = timezone.now()
    pending = []
    for scope in sites.every_scope() or [None]:
        bound = by_site.get(scope.site_id, []) if scope is not None else []
        if not bound and not hub_endpoints:
            continue
        with sites.scoped(scope):
            pairs = affected_locales([row for row in rows if row_in_site(row, scope)])
            pages = _served_pages(pairs) if bound else {}
            site = scope.code if scope is not None else None
            for row, locale in pairs:
                deliveries = [
                    (endpoint, payload(row, locale, site=site, page=pages.get((str(row.key), locale))))
                    for endpoint in bound
                ] + [(endpoint, payload(row, locale, site=site)) for endpoint in hub_endpoints]
                pending += [
                    WebhookDelivery(
                        endpoint=endpoint,
                        event=row.event,
                        key=row.key,
                        locale=locale,
                        body=json.dumps(body, separators=(",", ":"), sort_keys=True),
                        next_attempt_at=now,
                    )
                    for endpoint, body in deliveries
                    if endpoint.wants(row.event, locale)
                ]
    deliveries = WebhookDelivery.objects.bulk_create(pending)
    for delivery in deliveries:
        try:
            deliver_webhook.enqueue(delivery.pk)
        except Exception:
            # The queue is down; the delivery stays pending for send_due_webhooks.
            logger.exception("Could not queue webhook delivery %s", delivery.pk)
    return deliveries


def _served_pages(pairs):
    """``{(key, locale): page dict}`` of what the clinic read serves for each pair (rendered once)."""
    keys_by_locale = defaultdict(set)
    for row, locale in pairs:
        keys_by_locale[locale].add(row.key)
    found = {}
    for locale, keys in keys_by_locale.items():
        for key, page in served_in(locale, keys).items():
            found[str(key), locale] = json.loads(render(page, locale))
    return found
