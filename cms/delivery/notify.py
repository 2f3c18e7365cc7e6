"""What happens once a change has committed: webhooks.

A change to a page in one locale matters to every locale that serves that page,
including locales that fall back to it (fr-ca → fr → en): a French change notifies
French and Canadian French endpoints, unless fr-ca has a live translation of its own,
which it keeps serving. CDN purges follow the invalidation log instead
(``cms.delivery.cdn``), which also knows the pages showing a change.
"""

import logging

from .serving import fallback_chain, locales_reaching, public_copies, served_locales

logger = logging.getLogger(__name__)


def affected_locales(rows):
    """(change row, locale) for each locale whose answer for the row's page changed, in
    the clinic being read (``cms.api.sites.scoped``: its locales and fallback chains)."""
    live_in = public_copies({row.key for row in rows})
    served = set(served_locales())
    pairs = []
    for row in rows:
        for locale in locales_reaching(row.locale):
            if locale not in served:
                continue  # a copy in a language the clinic does not serve
            chain = fallback_chain(locale)
            nearer = set(chain[: chain.index(row.locale)])
            if not live_in[str(row.key)] & nearer:
                pairs.append((row, locale))
    return pairs


def changes_committed(rows):
    """Run after the commit of the transaction that wrote ``rows``.

    Guarded: a broken queue is logged, never raised into the request that published.
    """
    from .webhooks.dispatch import notify_endpoints

    try:
        notify_endpoints(rows)
    except Exception:
        logger.exception("notify_endpoints failed after a content change")
