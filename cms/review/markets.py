"""Markets as configured (``CMS_MARKETS``) and the market a page is reviewed for."""

from django.conf import settings
from wagtail.models import Locale

from cms.review.models import Market

COUNTRY_NAMES = {"GB": "United Kingdom", "FR": "France", "DE": "Germany", "ES": "Spain", "US": "United States"}


def configured_markets():
    """``[(market code, locale code)]`` from ``CMS_MARKETS`` (``code:locale`` entries)."""
    pairs = []
    for entry in settings.CMS_MARKETS:
        code, _sep, locale = entry.partition(":")
        pairs.append((code.strip(), (locale or code.split("-")[0]).strip()))
    return pairs


def ensure_markets():
    """Create the configured markets whose locale exists and that are missing; returns ``{code: Market}``.

    A market edited or added in the admin is kept as it is.
    """
    for code, locale_code in configured_markets():
        locale = Locale.objects.filter(language_code=locale_code).first()
        if locale is None or Market.objects.filter(code=code).exists() or Market.objects.filter(locale=locale).exists():
            continue
        country = code.rpartition("-")[2].upper()
        Market.objects.create(code=code, name=COUNTRY_NAMES.get(country, code), locale=locale)
    return {market.code: market for market in Market.objects.select_related("locale")}


def market_of(page):
    """The market ``page``'s locale is reviewed for, or None."""
    return Market.objects.filter(locale_id=page.locale_id).first()
