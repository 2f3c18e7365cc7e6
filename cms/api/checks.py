"""System checks of the API's settings that come from the environment: rates and proxies."""

import ipaddress

from django.conf import settings
from django.core import checks

from .throttling import parse_rate

RATE_SETTINGS = ("API_ANON_THROTTLE_RATE", "API_KEY_THROTTLE_RATE", "API_DELIVERY_KEY_THROTTLE_RATE")


@checks.register(checks.Tags.security)
def throttle_settings(app_configs, **kwargs):
    errors = []
    for name in RATE_SETTINGS:
        try:
            parse_rate(getattr(settings, name, None))
        except ValueError as error:
            errors.append(checks.Error(f"{name}: {error}", id="cms_api.E001"))
    for network in getattr(settings, "TRUSTED_PROXY_NETWORKS", ()) or ():
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"TRUSTED_PROXY_NETWORKS: {network!r} is not a network such as 10.0.0.0/8.", id="cms_api.E002"
                )
            )
    return errors
