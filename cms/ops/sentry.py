"""Error reports and traces to Sentry when ``SENTRY_DSN`` is set; nothing otherwise.

No personal data is sent (``send_default_pii`` stays off: no cookies, no user, no
``Authorization``), and the event scrubber also drops ``X-Api-Key`` and anything named
like a secret. Messages pass through the same redaction as the logs.
"""

from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

from .logs import redact_text


def init_from_env(environ):
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environ.get("SENTRY_ENVIRONMENT", "production"),
        release=environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(environ.get("SENTRY_TRACES_SAMPLE_RATE", "0.1")),
        send_default_pii=False,
        # Stack frames' local variables hold keys and secrets as they are checked; keep them out.
        include_local_variables=False,
        event_scrubber=EventScrubber(
            denylist=[*DEFAULT_DENYLIST, "x_api_key", "x-api-key", "api_key", "webhook_secret"]
        ),
        before_send=_redact_messages,
    )
    return True


def _redact_messages(event, _hint):
    for value in (event.get("exception") or {}).get("values", []):
        if isinstance(value.get("value"), str):
            value["value"] = redact_text(value["value"])
    if isinstance(event.get("message"), str):
        event["message"] = redact_text(event["message"])
    request = event.get("request") or {}
    if isinstance(request.get("url"), str):
        request["url"] = redact_text(request["url"])
    return event
