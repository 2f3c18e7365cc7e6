"""Logging: one JSON object per line (structlog), with secrets taken out.

Every record, ours and the libraries' (Django, Wagtail, RQ, gunicorn's through the
root logger), goes through structlog's ``ProcessorFormatter``: a timestamp, the level,
the logger, the request id of the request being served (bound by
:mod:`cms.ops.request_log`), then :func:`redact`, then JSON. ``LOG_FORMAT=console``
gives readable lines for development instead.
"""

import re

import structlog

# What must never reach a log line, whichever code wrote it: API keys ("<8 hex>.<secret>";
# the prefix alone names a key), webhook signing secrets, signed preview tokens in a
# path, and any "secret=…"/"token: …"-style pair.
_PATTERNS = [
    (re.compile(r"\b([0-9a-f]{8})\.[A-Za-z0-9_-]{20,}"), r"\1.[redacted]"),
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), "whsec_[redacted]"),
    (re.compile(r"(/preview/)[^/\s?]+"), r"\1[redacted]"),
    (
        re.compile(r"(?i)\b(api[-_]?key|authorization|secret|password|token|dsn)(\"?'?\s*[:=]\s*\"?'?)([^\s\"'&,;]+)"),
        r"\1\2[redacted]",
    ),
]
_TEXT_KEYS_KEPT = {"level", "logger", "timestamp", "request_id"}


def redact_text(text):
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(_logger, _method, event_dict):
    """structlog processor: every string value with secrets replaced."""
    for key, value in event_dict.items():
        if key in _TEXT_KEYS_KEPT or value is None or isinstance(value, bool | int | float):
            continue
        # Objects (a request passed as ``extra``) are logged as their text, so redact that.
        event_dict[key] = redact_text(value if isinstance(value, str) else repr(value))
    return event_dict


_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def _renderer(fmt):
    if fmt == "console":
        return structlog.dev.ConsoleRenderer(colors=False)
    return structlog.processors.JSONRenderer()


def logging_config(level="WARNING", fmt="json", request_level="INFO"):
    """Django's ``LOGGING``: the root logger at ``level``, request lines at ``request_level``."""
    if fmt not in ("json", "console"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT={fmt!r} is not supported; use json or console.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "foreign_pre_chain": [*_SHARED, structlog.stdlib.ExtraAdder()],
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    redact,
                    _renderer(fmt),
                ],
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"cms.requests": {"level": request_level}},
    }


def configure_structlog():
    """structlog's loggers hand their events to the standard library, formatted as above."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def request_logger():
    return structlog.get_logger("cms.requests")
