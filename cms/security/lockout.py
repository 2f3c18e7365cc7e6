"""The admin's sign-in lockout, on django-axes.

Repeated failed sign-ins for one username from one client address lock that pair out
for ``ADMIN_LOGIN_COOLOFF_MINUTES`` (settings in ``cms.settings.base``). This module is
the one place that adapts django-axes to the project:

- ``client_ip``: axes asks who the client is through ``AXES_CLIENT_IP_CALLABLE``; the
  answer is the same trusted-proxy address the API's throttle uses
  (``cms.api.clients``), so a forged ``X-Forwarded-For`` never buys a fresh count.
- ``lockout_response``: axes' ``AXES_LOCKOUT_CALLABLE``. The sign-in page again, saying
  in the visitor's language that sign-in is locked and when to try again, with a 429
  and ``Retry-After``.

Every failure during a lockout, the right password included, starts the cool-off
again (axes' ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``), so "in N minutes"
counts from this very attempt.
"""

import ipaddress
import math

from axes.helpers import get_client_username, get_cool_off
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import ngettext
from wagtail.admin.views.account import get_user_login_form

from cms.api.clients import client_address

TEMPLATE = "security/locked_out.html"


def client_ip(request):
    """The client's address as the trusted-proxy settings define it; None when there is
    none (a request made in code, e.g. the test client's ``force_login``), since axes
    stores it in an IP address column."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def lockout_message(cool_off, now=None):
    """Says that sign-in is locked and when to try again, in the active language."""
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    retry_at = timezone.localtime((now or timezone.now()) + cool_off)
    return ngettext(
        "Too many failed sign-in attempts for this account from your address. "
        "Sign-in is locked: try again in %(minutes)d minute, at %(time)s (%(zone)s).",
        "Too many failed sign-in attempts for this account from your address. "
        "Sign-in is locked: try again in %(minutes)d minutes, at %(time)s (%(zone)s).",
        minutes,
    ) % {"minutes": minutes, "time": formats.time_format(retry_at, "H:i"), "zone": retry_at.tzname()}


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in page with the lockout message instead of the form's error."""
    cool_off = get_cool_off(request)
    username = get_client_username(request, credentials) or ""
    form = get_user_login_form()(request, initial={"username": username})
    context = {"form": form, "lockout_message": lockout_message(cool_off)}
    response = render(request, TEMPLATE, context, status=429)
    response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response
